from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.sync import elasticsearch_enabled

from ._progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Create the Elasticsearch index and its alias if missing, or rebuild it when the mapping "
        "version changed. Without ELASTICSEARCH_URL the database index (migrations) is all there "
        "is."
    )

    def handle(self, *args, **options):
        if not elasticsearch_enabled():
            self.stdout.write("ELASTICSEARCH_URL is not set: the database backend serves searches.")
            return
        progress = ProgressBar(self.stdout, indexing.expected_total(), "Indexing")
        try:
            report = indexing.setup(progress=progress)
        except Exception as error:
            raise CommandError(f"Search setup failed: {error}") from error
        progress.finish()
        if report["created"]:
            replaced = report.get("replaced")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Index {report['index']} created"
                    + (f", replacing {replaced}." if replaced else ".")
                )
            )
        else:
            self.stdout.write(f"Index {report['index']} is up to date.")
