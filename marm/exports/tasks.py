"""The export job, run by the database-backed worker (ADR 0004, 0036)."""

from django_tasks import task


@task()
def export_build_task(export_id: str) -> int | None:
    from marm.exports.services import export_build

    export = export_build(export_id=export_id)
    return None if export is None else export.row_count
