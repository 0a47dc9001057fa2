"""Extract the text of knowledge files again, e.g. after installing a better OCR language pack."""

from django.core.management.base import BaseCommand
from django.db.models import F
from django.utils.translation import gettext as _

from intranet.progress import progress_bar
from knowledge.models import KnowledgeFileVersion
from knowledge.services import version_extract


class Command(BaseCommand):
    help = "Re-extract the text of knowledge file versions (current versions by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all-versions", action="store_true", help="Also older versions, not only current."
        )
        parser.add_argument(
            "--failed", action="store_true", help="Only versions whose extraction failed."
        )

    def handle(self, *args, all_versions=False, failed=False, **options):
        versions = KnowledgeFileVersion.objects.order_by("pk")
        if not all_versions:
            versions = versions.filter(file__current_version=F("pk"))
        if failed:
            versions = versions.filter(extraction_status=KnowledgeFileVersion.Extraction.FAILED)
        ids = list(versions.values_list("pk", flat=True))
        failures = 0
        with progress_bar(self.stdout, len(ids)) as bar:
            for version_id in ids:
                version = version_extract(version_id)
                if version and version.extraction_status == KnowledgeFileVersion.Extraction.FAILED:
                    failures += 1
                bar.update()
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s version(s) extracted, %(failures)s failed.")
                % {"count": len(ids), "failures": failures}
            )
        )
