"""A review closes the review tasks raised before it: each closed task leaves its own audit row."""

import datetime

import pytest
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.register.models import ReviewTask
from marm.register.services import register_review_record

pytestmark = pytest.mark.django_db


def test_each_task_a_review_closes_is_audited(entry_a, practitioner_a, person_a):
    raised = timezone.now() - datetime.timedelta(hours=1)
    tasks = [
        ReviewTask.objects.create(
            entry=entry_a, assigned_to=practitioner_a, reason=f"Missed visits {n}", key=f"missed:{n}", raised_at=raised
        )
        for n in (1, 2)
    ]
    review = register_review_record(acting_user=practitioner_a, entry=entry_a, outcome="stays_changed", notes="x")
    for task in tasks:
        task.refresh_from_db()
        assert task.done_by_review == review
        row = AuditEvent.objects.get(
            action=AuditAction.UPDATE, object_type="register.reviewtask", object_id=str(task.pk)
        )
        assert row.person_id == str(person_a.pk) and row.detail == {"done_by_review": review.pk}
        assert row.actor_user == practitioner_a
