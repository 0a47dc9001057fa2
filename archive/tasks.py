"""Background work of the archive (django-tasks)."""

from django_tasks import task


@task()
def build_transfer_package(export_id: int) -> str:
    """Build a transfer package an archivist asked for; the outcome is stored on the export."""
    from .transfers import package_export_run

    export = package_export_run(export_id)
    return export.state if export else "missing"
