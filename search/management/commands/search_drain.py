import time

from django.core.management.base import BaseCommand

from search import sync


class Command(BaseCommand):
    help = (
        "Send the queued search index work (the outbox). With --loop it keeps going, which is "
        "how a worker retries after Elasticsearch comes back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Drain again every --interval.")
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between runs.")

    def handle(self, *args, loop=False, interval=10.0, **options):
        while True:
            report = sync.drain()
            if report.sent or report.failed or not loop:
                self.stdout.write(
                    f"sent {report.sent}, postponed {report.failed}, "
                    f"queued {sync.pending_count()}"
                    + (f", last error: {report.errors[-1]}" if report.errors else "")
                )
            if not loop:
                return
            time.sleep(interval)
