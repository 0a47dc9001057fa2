"""django-tasks-db's `db_worker`, which also records the heartbeat that /readyz checks."""

from django_tasks_db.management.commands import db_worker

from operations import heartbeat


class HeartbeatWorker(db_worker.Worker):
    def run(self) -> None:
        heartbeat.beat_while(lambda: self.running)
        super().run()


class Command(db_worker.Command):
    def handle(self, *args, **options):
        # The command builds its Worker by the module's name; swap in ours for this run.
        original = db_worker.Worker
        db_worker.Worker = HeartbeatWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
