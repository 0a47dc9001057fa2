"""Archive items built directly, for tests of what reads the archive (catalogue, packages,
access, retention) without running the filing itself."""

import hashlib
from datetime import date

from django.core.files.base import ContentFile

from archive.models import ArchiveFile, ArchiveItem, FondsSettings, Retention
from people.models import OrgUnit, Role
from tests.factories import RoleAssignmentFactory
from tests.factories.incoming import unit_member


def fonds_of(unit: OrgUnit, fonds_code: str = "Z109", **fields) -> FondsSettings:
    """The unit's fonds settings with this code (the demo's units already have theirs)."""
    fonds, _ = FondsSettings.objects.update_or_create(
        unit=unit, defaults={"fonds_code": fonds_code, **fields}
    )
    return fonds


def archivist_of(unit: OrgUnit, code: str = "DAS", **fields):
    """The unit's archivist (档案员), in a department `code` of the unit."""
    user = unit_member(unit, code, **fields)
    RoleAssignmentFactory(user=user, role=Role.ARCHIVIST, unit=unit)
    return user


def minimal_pdf(text: str = "archived") -> bytes:
    """A one-page PDF, small but well formed, whose bytes differ by `text`."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def archived_item(
    fonds: FondsSettings,
    filed_by,
    *,
    number: int = 1,
    year: int = 2025,
    retention: str = Retention.THIRTY_YEARS,
    class_code: str = "BGS",
    title: str = "关于做好年度安全生产工作的通知",
    audience=("everyone",),
    **fields,
) -> ArchiveItem:
    """A filed item with a preservation copy and its original, numbered `number` in its class."""
    archive_code = (
        f"{fonds.fonds_code}-{fonds.category_code}·{year}-{retention}-{class_code}-{number:04d}"
    )
    values = {
        "doc_number": f"甲办〔{year}〕{number}号",
        "responsible": "甲单位",
        "title": title,
        "document_date": date(year, 3, 10),
        "pages": 1,
        "classification": "non_secret",
        "audience": list(audience),
        "trace_verified": True,
        "trace_head": "0" * 64,
    }
    values.update(fields)
    item = ArchiveItem.objects.create(
        fonds=fonds,
        year=year,
        retention=retention,
        class_code=class_code,
        item_number=number,
        archive_code=archive_code,
        filed_by=filed_by,
        **values,
    )
    for position, kind in enumerate((ArchiveFile.Kind.PRESERVATION, ArchiveFile.Kind.ORIGINAL)):
        data = minimal_pdf(f"{archive_code} {kind}")
        ArchiveFile.objects.create(
            item=item,
            kind=kind,
            position=position,
            name=f"{kind}.pdf",
            file=ContentFile(data, name=f"{kind}.pdf"),
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            pages=1,
        )
    return item
