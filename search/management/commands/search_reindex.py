from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.sync import elasticsearch_enabled

from ._progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Rebuild the search indexes from every provider: the database table in place and, when "
        "Elasticsearch is configured, a new index that the alias is swapped to (no downtime)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-only", action="store_true", help="Leave Elasticsearch alone."
        )
        parser.add_argument(
            "--elasticsearch-only", action="store_true", help="Leave the database table alone."
        )

    def handle(self, *args, database_only=False, elasticsearch_only=False, **options):
        if elasticsearch_only and not elasticsearch_enabled():
            raise CommandError("ELASTICSEARCH_URL is not set.")
        progress = ProgressBar(self.stdout, indexing.expected_total(), "Indexing")
        try:
            report = indexing.rebuild(
                to_database=not elasticsearch_only,
                to_elasticsearch=elasticsearch_enabled() and not database_only,
                progress=progress,
            )
        except Exception as error:
            progress.finish()
            raise CommandError(
                f"Reindexing failed, the live index is unchanged: {error}"
            ) from error
        progress.finish()
        self.stdout.write(self.style.SUCCESS(f"{report['entries']} entries indexed."))
        if report["new_index"]:
            self.stdout.write(
                f"Alias now points at {report['new_index']}"
                + (f"; {report['old_index']} deleted." if report["old_index"] else ".")
            )
