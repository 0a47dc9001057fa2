"""django-tasks-db's `db_worker`, which also records the heartbeat that /readyz checks and, on
start, sends what a killed worker left in the search outbox."""

from django_tasks_db.management.commands import db_worker

from operations import heartbeat
from search import sync
from search.tasks import drain_search_outbox


class IntranetWorker(db_worker.Worker):
    def run(self) -> None:
        heartbeat.beat_while(lambda: self.running)
        # A worker killed in a drain leaves its task claimed for good and its batch uncommitted
        # (the rows wait again): the next worker to start takes them up.
        if sync.pending_count():
            drain_search_outbox.enqueue()
        super().run()


class Command(db_worker.Command):
    def handle(self, *args, **options):
        # The command builds its Worker by the module's name; swap in ours for this run.
        original = db_worker.Worker
        db_worker.Worker = IntranetWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
