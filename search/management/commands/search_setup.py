from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from intranet.progress import progress_bar
from search import indexing
from search.sync import elasticsearch_enabled


class Command(BaseCommand):
    help = (
        "Create the Elasticsearch index and its alias if missing, or rebuild it when the mapping "
        "version changed (without ELASTICSEARCH_URL the database index is all there is); then "
        "rebuild Wagtail's own admin search index (update_index)."
    )

    def handle(self, *args, **options):
        if elasticsearch_enabled():
            self.set_up_elasticsearch()
        else:
            self.stdout.write("ELASTICSEARCH_URL is not set: the database backend serves searches.")
        call_command("update_index", stdout=self.stdout, stderr=self.stderr)

    def set_up_elasticsearch(self):
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
