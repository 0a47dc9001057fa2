"""The done list (已办) sorts a user's finished tasks by finish time: an index that serves it
without sorting the user's whole history (viewflow's task table, so plain SQL; the same on
PostgreSQL and SQLite)."""

from django.db import migrations

INDEX = "workflow_done_tasks_by_owner"


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0010_trace_actions"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON viewflow_task (owner_id, finished DESC, id DESC) "
            "WHERE status = 'DONE' AND flow_task_type = 'HUMAN'",
            f"DROP INDEX {INDEX}",
        )
    ]
