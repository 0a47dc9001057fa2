"""Verifying a sealed PDF, for the receiving clerk (at sign-for) and `manage.py verify_pdf`."""

import io
import logging
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import keys
from .loops import outside_event_loop

logger = logging.getLogger(__name__)


class Verdict(models.TextChoices):
    VALID = "valid", gettext_lazy("Valid")
    CHANGED = "changed", gettext_lazy("Changed since sealing")
    UNKNOWN_SIGNER = "unknown_signer", gettext_lazy("Unknown signer")
    UNSEALED = "unsealed", gettext_lazy("Not sealed")


@dataclass(frozen=True)
class Verification:
    verdict: str
    reason: str
    signer: str = ""
    signed_at: str = ""

    @property
    def is_valid(self) -> bool:
        return self.verdict == Verdict.VALID


def verify(pdf: bytes) -> Verification:
    """Is `pdf` sealed by a unit of this installation, and unchanged since? Checks every
    signature: the bytes each covers (intact), that it covers the whole file, and that the
    signer's certificate comes from this installation's CA."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        # The parser's own words are English and technical: logged, not shown to the clerk.
        logger.info("unreadable PDF: %s", error)
        return Verification(Verdict.CHANGED, _("The file is not a readable PDF."))
    if not signatures:
        return Verification(Verdict.UNSEALED, _("The PDF carries no seal."))
    authority = keys.authority_certificate()
    roots = [authority] if authority is not None else []
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    result = None
    for signature in signatures:
        try:
            status = outside_event_loop(validate_pdf_signature, signature, context)
        except Exception as error:
            logger.info("seal signature not checkable: %s", error)
            return Verification(Verdict.CHANGED, _("The seal's signature cannot be checked."))
        signer = status.signing_cert.subject.native.get("common_name", "")
        signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
        if not (status.intact and status.valid):
            return Verification(
                Verdict.CHANGED,
                _("The content no longer matches the seal: it was changed after sealing."),
                signer,
                signed_at,
            )
        if status.coverage.name != "ENTIRE_FILE":
            return Verification(
                Verdict.CHANGED,
                _("Content was added to the file after it was sealed."),
                signer,
                signed_at,
            )
        if not status.trusted:
            return Verification(
                Verdict.UNKNOWN_SIGNER,
                _("The seal of “%(signer)s” was not issued by this installation.")
                % {"signer": signer},
                signer,
                signed_at,
            )
        result = Verification(
            Verdict.VALID,
            _("Sealed by %(signer)s; unchanged since.") % {"signer": signer},
            signer,
            signed_at,
        )
    return result
