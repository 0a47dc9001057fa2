from django.core.management.base import BaseCommand

from search.selectors import index_status


class Command(BaseCommand):
    help = "Show the search backend, the outbox queue and the last success and error."

    def handle(self, *args, **options):
        for name, value in index_status().items():
            self.stdout.write(f"{name}: {value if value not in (None, '') else '-'}")
