from django.core.management.base import BaseCommand, CommandError

from intranet.progress import progress_bar
from search import indexing
from search.sync import elasticsearch_enabled


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
        with progress_bar(self.stdout, indexing.expected_total(), "Indexing") as bar:
            try:
                report = indexing.setup(progress=bar.update)
            except Exception as error:
                raise CommandError(f"Search setup failed: {error}") from error
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
