"""Transfer packages built in the background for an archivist (移交): asking for one, and the
background task's work of building it into a zip in private storage."""

import json
import logging
import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import User

from .models import ArchiveItem, FondsSettings, PackageExport
from .package import MANIFEST, PackageError, export_package, zip_package
from .permissions import may_export_package

logger = logging.getLogger(__name__)
ABANDONED_AFTER = timedelta(hours=6)


class TransferError(Exception):
    """A transfer package cannot be asked for; the message says why, in the user's language."""


def package_export_request(*, user: User, fonds: FondsSettings, year: int) -> PackageExport:
    """Queue the building of the transfer package of the fonds' year."""
    if not may_export_package(user, fonds):
        raise PermissionDenied
    if not ArchiveItem.objects.filter(fonds=fonds, year=year).exists():
        raise TransferError(_("No item was filed in %(year)s.") % {"year": year})
    # A worker that died mid-build leaves its export running; after a while another may start.
    PackageExport.objects.filter(
        fonds=fonds,
        year=year,
        state__in=[PackageExport.State.QUEUED, PackageExport.State.RUNNING],
        requested_at__lt=timezone.now() - ABANDONED_AFTER,
    ).update(
        state=PackageExport.State.FAILED,
        error=_("Abandoned: not finished within %(hours)s hours.")
        % {"hours": int(ABANDONED_AFTER.total_seconds() // 3600)},
    )
    try:
        with transaction.atomic():
            export = PackageExport.objects.create(fonds=fonds, year=year, requested_by=user)
    except IntegrityError:
        raise TransferError(
            _("The package of %(year)s is already being built.") % {"year": year}
        ) from None
    from .tasks import build_transfer_package

    transaction.on_commit(partial(build_transfer_package.enqueue, export_id=export.pk))
    return export


def package_export_run(export_id: int) -> PackageExport | None:
    """Build a queued package: the folder in a scratch directory, then its zip into private
    storage. A failure is recorded on the export, and nothing is kept of it."""
    claimed = PackageExport.objects.filter(pk=export_id, state=PackageExport.State.QUEUED).update(
        state=PackageExport.State.RUNNING
    )
    export = (
        PackageExport.objects.select_related("fonds__unit", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if not claimed or export is None:
        return export
    try:
        with tempfile.TemporaryDirectory(prefix="archive-package-") as work:
            folder = export_package(
                export.fonds,
                export.year,
                Path(work),
                created_by=export.requested_by.get_full_name() or export.requested_by.username,
            )
            zipped = zip_package(folder, Path(work) / f"{folder.name}.zip")
            with zipped.open("rb") as handle:
                export.package.save(zipped.name, File(handle), save=False)
            export.size = zipped.stat().st_size
            export.item_count = json.loads((folder / MANIFEST).read_text())["item_count"]
            export.state = PackageExport.State.DONE
    except PackageError as error:
        export.state, export.error = PackageExport.State.FAILED, str(error)[:500]
    except Exception:
        logger.exception("Building transfer package %s failed", export_id)
        export.state = PackageExport.State.FAILED
        export.error = _(
            "The package could not be built; the administrators can see why in the log."
        )
    export.finished_at = timezone.now()
    export.save(update_fields=["state", "error", "package", "size", "item_count", "finished_at"])
    return export
