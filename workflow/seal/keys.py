"""The installation's CA and the units' signing keys: created here, kept encrypted with the key
from the environment (SEAL_ENCRYPTION_KEY), never handed out."""

import base64
import datetime
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import SealError
from .models import SealAuthority

KEY_BITS = 3072
AUTHORITY_YEARS = 20
UNIT_YEARS = 5


@dataclass(frozen=True)
class KeyPair:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as error:
        raise SealError(
            _("The seal keys cannot be read with this installation's SEAL_ENCRYPTION_KEY.")
        ) from error


def create_authority(name: str) -> SealAuthority:
    """The installation's CA (self-signed). Refused when one exists: replacing it would make
    every seal already applied verify as an unknown signer."""
    if SealAuthority.objects.exists():
        raise SealError(_("This installation already has its seal authority."))
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    subject = _name(name)
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365 * AUTHORITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SealAuthority.objects.create(
        name=name, certificate_pem=_pem(certificate), key_encrypted=encrypt(_key_der(key))
    )


def authority_pair() -> KeyPair:
    authority = SealAuthority.objects.first()
    if authority is None:
        raise SealError(_("This installation has no seal authority yet (manage.py seal_keys)."))
    return _pair(authority.certificate_pem, authority.key_encrypted)


def authority_certificate():
    """The CA's certificate as pyHanko takes it (asn1crypto), or None before there is one."""
    authority = SealAuthority.objects.first()
    if authority is None:
        return None
    return asn1_certificate(x509.load_pem_x509_certificate(authority.certificate_pem.encode()))


def issue_unit_pair(unit_name: str) -> tuple[str, bytes]:
    """A new signing key for a unit with its certificate from the CA: (certificate PEM,
    encrypted key)."""
    issuer = authority_pair()
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(unit_name))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365 * UNIT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        .sign(issuer.key, hashes.SHA256())
    )
    return _pem(certificate), encrypt(_key_der(key))


def unit_signing_material(seal):
    """The unit's certificate and key as pyHanko takes them (asn1crypto). The key is read
    without cryptography's RSA consistency check, which costs a quarter of a second a time: it
    was made here and has been kept encrypted since."""
    from asn1crypto import keys as asn1_keys

    certificate = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    key = asn1_keys.PrivateKeyInfo.load(decrypt(seal.key_encrypted))
    return asn1_certificate(certificate), key


def _pair(certificate_pem: str, key_encrypted: bytes) -> KeyPair:
    key = serialization.load_der_private_key(decrypt(key_encrypted), password=None)
    return KeyPair(key, x509.load_pem_x509_certificate(certificate_pem.encode()))


def asn1_certificate(certificate: x509.Certificate):
    """The certificate as pyHanko takes it (asn1crypto)."""
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _fernet() -> Fernet:
    secret = settings.SEAL_ENCRYPTION_KEY
    if not secret:
        raise SealError(_("SEAL_ENCRYPTION_KEY is not set: seal keys cannot be used."))
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.INTRANET_GROUP_NAME),
        ]
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _key_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
