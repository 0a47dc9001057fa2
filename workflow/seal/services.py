"""Applying a unit's electronic seal (用印) to a PDF and verifying sealed PDFs.

`apply_seal(document_pdf, unit, user)` presses the unit's seal image over the issuer's
signature and date on the page where the text ends (GB/T 9704 7.3.5) and signs the PDF
(PAdES, pyHanko) with the unit's key, certified by the installation's CA. `verify(pdf)` tells
a receiver whether the PDF is sealed, by whom, and whether it changed since.
"""

import hashlib
import io
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from people.models import OrgUnit, User

from . import image, keys, permissions
from .errors import SealError
from .models import UnitSeal

SEAL_FIELD = "Seal"
# A unit's seal is 42 mm across (the common size for a unit's official seal).
SEAL_DIAMETER_PT = 42 / 25.4 * 72
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


@dataclass(frozen=True)
class SealedPdf:
    data: bytes
    sha256: str
    signer: str


@transaction.atomic
def seal_create(*, unit: OrgUnit, keepers, image_png: bytes | None = None) -> UnitSeal:
    """Give `unit` its seal: a new key certified by the installation's CA, the image (generated
    from the unit's name unless one is uploaded) and its keepers. For the management command
    only: keys are made on the server and never leave it."""
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
    seal.keepers.set(keepers)
    return seal


def apply_seal(document_pdf: bytes, unit: OrgUnit, user: User) -> SealedPdf:
    """The PDF sealed by `unit`: its seal image over the signature and date, signed (PAdES).
    Only the unit's seal keeper may do it; a unit without a seal, or a PDF without a date line
    to seal over, is refused with a clear message."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    seal = UnitSeal.objects.filter(unit=unit).first()
    if seal is None:
        raise SealError(_("%(unit)s has no seal configured yet.") % {"unit": unit})
    if not permissions.can_apply_seal(user, unit):
        raise PermissionDenied(
            _("Only the seal keeper of %(unit)s may apply its seal.") % {"unit": unit}
        )
    page, box = seal_box(document_pdf)
    pair = keys.unit_pair(seal)
    authority = keys.authority_pair()
    writer = IncrementalPdfFileWriter(io.BytesIO(document_pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(SEAL_FIELD, on_page=page, box=box))
    stamp = StaticStampStyle(
        background=PdfImage(_pil_image(seal.image)), border_width=0, background_opacity=1
    )
    signer = signers.SimpleSigner(
        signing_cert=keys.asn1_certificate(pair.certificate),
        signing_key=_asn1_key(pair.key),
        cert_registry=_registry(authority.certificate),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=_pades(),
        md_algorithm="sha256",
        name=unit.name,
        reason=_("Electronic seal of %(unit)s") % {"unit": unit.name},
    )
    output = signers.PdfSigner(metadata, signer=signer, stamp_style=stamp).sign_pdf(writer)
    data = output.getvalue()
    return SealedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), signer=unit.name)


def seal_box(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """Where the seal goes: (page index, (x1, y1, x2, y2) in PDF points from the bottom left),
    centred on the date line (成文日期) of the page where the text ends, the signature and date
    in its lower half (GB/T 9704 7.3.5.1)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for index in range(len(document.pages) - 1, -1, -1):
            page = document.pages[index]
            dates = [
                line
                for line in page.extract_text_lines()
                if DATE_LINE.match(line["text"].replace(" ", ""))
            ]
            if dates:
                date = dates[-1]
                centre_x = (date["x0"] + date["x1"]) / 2
                # The seal's centre a little above the date: 签署 and 日期 sit below its middle.
                centre_y = page.height - (date["top"] - SEAL_DIAMETER_PT * 0.18)
                half = SEAL_DIAMETER_PT / 2
                return index, (centre_x - half, centre_y - half, centre_x + half, centre_y + half)
    raise SealError(_("The document has no date line (成文日期) to seal over."))


def _pades():
    from pyhanko.sign.fields import SigSeedSubFilter

    return SigSeedSubFilter.PADES


def _pil_image(png: bytes):
    from PIL import Image

    picture = Image.open(io.BytesIO(bytes(png)))
    picture.load()
    return picture


def _asn1_key(key):
    from asn1crypto import keys as asn1_keys

    return asn1_keys.PrivateKeyInfo.load(keys.key_der(key))


def _registry(*certificates):
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return SimpleCertificateStore.from_certs([keys.asn1_certificate(c) for c in certificates])
