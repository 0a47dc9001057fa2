"""Applying a unit's electronic seal (用印) to a PDF and verifying sealed PDFs.

`apply_seal(document_pdf, unit, user)` presses the unit's seal image over the issuer's
signature and date on the page where the text ends (GB/T 9704 7.3.5) and signs the PDF
(PAdES, pyHanko) with the unit's key, certified by the installation's CA. `verify(pdf)` tells
a receiver whether the PDF is sealed, by whom, and whether it changed since.
"""

import hashlib
import io
import re
import subprocess
from dataclasses import dataclass
from xml.etree import ElementTree

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from people.models import OrgUnit, Role, User
from people.services import role_grant

from . import image, keys, permissions
from .errors import SealError
from .loops import outside_event_loop
from .models import UnitSeal

SEAL_FIELD = "Seal"
# A unit's seal is 42 mm across (the common size for a unit's official seal).
SEAL_DIAMETER_PT = 42 / 25.4 * 72
XHTML = "{http://www.w3.org/1999/xhtml}"
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


@dataclass(frozen=True)
class SealedPdf:
    data: bytes
    sha256: str
    signer: str
    serial: str


@transaction.atomic
def seal_create(*, unit: OrgUnit, keepers, image_png: bytes | None = None) -> UnitSeal:
    """Give `unit` its seal: a new key certified by the installation's CA, the image (generated
    from the unit's name unless one is uploaded), and the seal keeper role of the unit to each
    of `keepers`. For the management command and the demo only: keys are made on the server
    and never leave it."""
    if not unit.is_unit_level:
        raise SealError(_("Seals belong to the headquarters or a second-level unit."))
    if UnitSeal.objects.filter(unit=unit).exists():
        raise SealError(_("%(unit)s already has a seal.") % {"unit": unit})
    try:
        png = image.uploaded_seal_png(image_png) if image_png else None
    except (OSError, ValueError) as error:
        raise SealError(_("The seal image is not a picture that can be read.")) from error
    certificate_pem, key_encrypted = keys.issue_unit_pair(unit.name)
    seal = UnitSeal.objects.create(
        unit=unit,
        image=png or image.generated_seal_png(unit.name),
        image_uploaded=png is not None,
        certificate_pem=certificate_pem,
        key_encrypted=key_encrypted,
    )
    for keeper in keepers:
        role_grant(actor=None, user=keeper, role=Role.SEAL_KEEPER, unit=unit)
    return seal


def check_may_seal(unit: OrgUnit, user: User) -> UnitSeal:
    """The unit's seal, if `user` may apply it now: refused with a clear message when the unit
    has no seal, and for anyone but the unit's seal keeper."""
    seal = UnitSeal.objects.filter(unit=unit).first()
    if seal is None:
        raise SealError(_("%(unit)s has no seal configured yet.") % {"unit": unit})
    if not permissions.can_apply_seal(user, unit):
        raise PermissionDenied(
            _("Only the seal keeper of %(unit)s may apply its seal.") % {"unit": unit}
        )
    return seal


def apply_seal(
    document_pdf: bytes, unit: OrgUnit, user: User, *, pressed: bool = True
) -> SealedPdf:
    """The PDF sealed by `unit`: its seal image over the signature and date, signed (PAdES).
    Minutes (纪要) carry no seal image (GB/T 9704 §10.3): `pressed=False` signs them without
    one, so receivers still verify who sent them. Only the unit's seal keeper may do it; a unit
    without a seal, or a PDF without a date line to seal over, is refused with a clear
    message."""
    seal = check_may_seal(unit, user)
    if pressed:
        page, box = seal_box(document_pdf)
        field = fields.SigFieldSpec(SEAL_FIELD, on_page=page, box=box)
        stamp = StaticStampStyle(
            background=PdfImage(Image.open(io.BytesIO(bytes(seal.image)))),
            border_width=0,
            background_opacity=1,
        )
    else:
        field, stamp = fields.SigFieldSpec(SEAL_FIELD), None
    certificate, key = keys.unit_signing_material(seal)
    authority = keys.authority_certificate()
    if authority is None:
        raise SealError(_("This installation has no seal authority yet (manage.py seal_keys)."))
    writer = IncrementalPdfFileWriter(io.BytesIO(document_pdf))
    fields.append_signature_field(writer, field)
    signer = _PreloadedKeySigner(
        signing_cert=certificate,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([authority]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=unit.name,
        reason=_("Electronic seal of %(unit)s") % {"unit": unit.name},
    )
    pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=stamp)
    output = outside_event_loop(pdf_signer.sign_pdf, writer)
    data = output.getvalue()
    return SealedPdf(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        signer=certificate.subject.human_friendly,
        serial=format(certificate.serial_number, "x"),
    )


def seal_box(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """Where the seal goes: (page index, (x1, y1, x2, y2) in PDF points from the bottom left),
    centred on the date line (成文日期) of the page where the text ends, the signature and date
    in its lower half (GB/T 9704 7.3.5.1). Read with poppler's pdftotext, which takes a
    hundredth of the time pdfplumber takes on these pages."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    pages = ElementTree.fromstring(layout).iter(f"{XHTML}page")
    for index, page in reversed(list(enumerate(pages))):
        dates = [
            line
            for line in page.iter(f"{XHTML}line")
            if DATE_LINE.match("".join(word.text or "" for word in line))
        ]
        if dates:
            date = {name: float(dates[-1].get(name)) for name in ("xMin", "xMax", "yMin")}
            centre_x = (date["xMin"] + date["xMax"]) / 2
            # The seal's centre a little above the date: 署名 and 日期 sit below its middle.
            centre_y = float(page.get("height")) - (date["yMin"] - SEAL_DIAMETER_PT * 0.18)
            half = SEAL_DIAMETER_PT / 2
            return index, (centre_x - half, centre_y - half, centre_x + half, centre_y + half)
    raise SealError(_("The document has no date line (成文日期) to seal over."))


class _PreloadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner loads and re-validates the RSA key for every signature it makes
    (twice a seal, a quarter of a second each); this one loads the key once, without the
    check: the key was made here and has been kept encrypted since."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rsa_key = serialization.load_der_private_key(
            self.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        return self._rsa_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
