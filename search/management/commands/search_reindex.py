from django.core.management.base import BaseCommand, CommandError

from intranet.progress import progress_bar
from search import indexing
from search.sync import elasticsearch_enabled


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
        with progress_bar(self.stdout, indexing.expected_total(), "Indexing") as bar:
            try:
                report = indexing.rebuild(
                    to_database=not elasticsearch_only,
                    to_elasticsearch=elasticsearch_enabled() and not database_only,
                    progress=bar.update,
                )
            except Exception as error:
                raise CommandError(
                    f"Reindexing failed, the live index is unchanged: {error}"
                ) from error
        self.stdout.write(self.style.SUCCESS(f"{report['entries']} entries indexed."))
        if report["new_index"]:
            self.stdout.write(
                f"Alias now points at {report['new_index']}"
                + (f"; {report['old_index']} deleted." if report["old_index"] else ".")
            )
