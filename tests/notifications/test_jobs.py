"""A job left running by a worker that stopped (killed, out of memory) is put back in the queue and
done, once: at once by a worker starting again under the same id, or by the ``jobs-stale`` sweep."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from marm.audit.models import AuditAction, AuditEvent
from marm.notifications.models import Notification
from marm.notifications.sweeps import run_sweeps
from marm.notifications.tasks import notification_email_send

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _notification(user) -> Notification:
    """A notification whose e-mail is still to send (made without its job)."""
    return Notification.objects.create(
        recipient=user, kind="action_overdue", key="action-overdue:1:2026-11-23", title="An action is overdue"
    )


def _left_running(notification, *, worker_id: str, started_minutes_ago: float = 0) -> DBTaskResult:
    """The e-mail job as a worker leaves it when killed during the job: claimed, never finished."""
    with override_settings(TASKS=DATABASE_QUEUE):
        result = notification_email_send.enqueue(str(notification.pk))
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim(worker_id)
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    )
    return job


def _worker(worker_id: str):
    with override_settings(TASKS=DATABASE_QUEUE):
        call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", worker_id, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between jobs, outside a transaction
def test_a_worker_starting_again_under_its_id_does_the_job_it_was_killed_in(practitioner_a):
    notification = _notification(practitioner_a)
    job = _left_running(notification, worker_id="host-worker")
    assert notification.emailed_at is None and mail.outbox == []

    _worker("host-worker")

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["host-worker", "host-worker"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(system_actor="job-recovery")
    assert event.action == AuditAction.UPDATE
    assert event.object_id == str(job.pk)
    assert event.detail["worker"] == "host-worker"
    assert event.detail["task"] == "marm.notifications.tasks.notification_email_send"


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between jobs, outside a transaction
def test_a_job_another_worker_is_running_is_left_to_it(practitioner_a):
    notification = _notification(practitioner_a)
    job = _left_running(notification, worker_id="other-host-worker", started_minutes_ago=5)

    _worker("host-worker")

    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(system_actor="job-recovery").exists()


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between jobs, outside a transaction
def test_the_sweep_puts_back_a_job_running_for_longer_than_the_limit(practitioner_a, settings):
    settings.MARM_JOB_STALE_MINUTES = 60
    fresh = _left_running(_notification(practitioner_a), worker_id="a-random-id", started_minutes_ago=59)
    other = Notification.objects.create(
        recipient=practitioner_a, kind="action_overdue", key="action-overdue:2:2026-11-23", title="Another"
    )
    stale = _left_running(other, worker_id="a-random-id", started_minutes_ago=61)

    assert run_sweeps(names=["jobs-stale"]) == {"jobs-stale": 1}
    assert run_sweeps(names=["jobs-stale"]) == {"jobs-stale": 0}

    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert fresh.status == TaskResultStatus.RUNNING
    assert stale.status == TaskResultStatus.READY
    _worker("a-new-id")
    stale.refresh_from_db()
    assert stale.status == TaskResultStatus.SUCCESSFUL
    other.refresh_from_db()
    assert other.emailed_at is not None
    assert [message.subject for message in mail.outbox] == ["marm: Another"]


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between jobs, outside a transaction
def test_the_worker_waits_for_the_database_to_come_back_instead_of_exiting(practitioner_a, monkeypatch):
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResultQuerySet

    from marm.notifications.management.commands import db_worker

    notification = _notification(practitioner_a)
    with override_settings(TASKS=DATABASE_QUEUE):
        notification_email_send.enqueue(str(notification.pk))
    take_job = DBTaskResultQuerySet.get_locked
    attempts = []

    def database_down_at_first(queryset):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
        return take_job(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", database_down_at_first)
    monkeypatch.setattr(db_worker, "RETRY_SECONDS", 0)

    _worker("host-worker")

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert len(attempts) >= 2
