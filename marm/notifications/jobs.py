"""Jobs a stopped worker left running, put back in the queue (ADR 0004).

django-tasks-db marks a job RUNNING when a worker claims it, and SUCCESSFUL or FAILED when the job
ends. A worker killed in between (``kill -9``, out of memory, the machine lost) leaves the row
RUNNING, and no worker ever takes it again: an export stays "being made", a job's work is lost.
marm's jobs are safe to run twice (each locks its row and checks what is done), so such a job is
made READY again:

- at once, by a worker starting under the id of the one that left it (``manage.py db_worker``;
  the service's id is fixed, ``%H-worker``, and one process runs under each id);
- by the ``jobs-stale`` sweep, whichever worker took it, once it has been running for longer than
  ``MARM_JOB_STALE_MINUTES``: a worker started with a random id, or one that never came back.

Each job put back is one audit row (``UPDATE``, the job, by the system actor ``job-recovery``).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record

JOB_RECOVERY = SystemActor("job-recovery")


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=settings.MARM_JOB_STALE_MINUTES)


def jobs_requeue(*, now: datetime.datetime, worker_id: str | None = None) -> int:
    """Put back in the queue the jobs left running by ``worker_id`` (a worker starting again under its
    id: whatever it was running died with it) and those running since before the stale limit.
    Returns how many."""
    stale_before = _stale_before(now)
    candidates = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "pk", "worker_ids", "started_at"
    )
    count = 0
    for pk, worker_ids, started_at in candidates:
        last_worker = worker_ids[-1] if worker_ids else ""
        if worker_id and last_worker == worker_id:
            reason = "its worker started again"
        elif started_at is not None and started_at < stale_before:
            reason = f"running for more than {settings.MARM_JOB_STALE_MINUTES} minutes"
        else:
            continue
        with transaction.atomic():
            # Only if still running: the job may have ended since it was read.
            job = DBTaskResult.objects.select_for_update().filter(pk=pk, status=TaskResultStatus.RUNNING).first()
            if job is None:
                continue
            job.status = TaskResultStatus.READY
            job.save(update_fields=["status"])
            audit_record(
                actor=JOB_RECOVERY,
                action=AuditAction.UPDATE,
                obj=job,
                purpose="Job put back in the queue",
                detail={
                    "task": job.task_path,
                    "worker": last_worker,
                    "started_at": started_at.isoformat() if started_at else None,
                    "reason": reason,
                },
            )
        count += 1
    return count


def jobs_requeue_stale(now: datetime.datetime) -> int:
    """The ``jobs-stale`` sweep."""
    return jobs_requeue(now=now or timezone.now())
