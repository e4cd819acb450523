"""The retention job: lists what is due (the sweep) and removes it (``manage.py retention_apply``).

Only this module deletes or anonymises, acting as the named ``SystemActor("retention")``. It runs
outside a request, so on PostgreSQL the connection's row-level security scope is the whole
partnership (marm.core.row_security): the job sees every agency's records, as it must.

A run is one transaction: for each listed record its rows are collected, the audit row
(``DELETE``, with the counts and ids of what goes; ``UPDATE`` too for a person's fields) is
written, and the rows removed; a failure anywhere rolls the whole run back. Audit
rows and decisions are never touched: the audit chain and ``decisions_verify`` still pass after.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.roles import Role
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.cases.models import Case
from marm.history.erasure import history_erase
from marm.notifications.services import notify
from marm.organisations.models import Membership
from marm.people.models import Person
from marm.retention import erasure, schedule
from marm.retention.models import RecordKind, RetentionDue

RETENTION = SystemActor("retention")

# What stands in a removed case's text fields, and an anonymised person's names.
REMOVED = "Removed under the retention schedule"
ANONYMISED_GIVEN_NAME = "Anonymised"
ANONYMISED_FAMILY_NAME = "person"

# The case's own text that goes; its reference, status, dates, agencies and categories stay as
# the stub its kept decisions name (ADR 0033).
CASE_TEXT_FIELDS = (
    "what_is_happening",
    "current_care_and_support",
    "others_at_risk_details",
    "views_on_sharing",
    "sharing_asked_by",
)


# --- listing (the sweep) -----------------------------------------------------------------------


def due_list_refresh(now: datetime.datetime) -> tuple[int, int]:
    """Bring the open list in line with what is due at ``now``: add what became due, drop what no
    longer is. Returns (added, dropped)."""
    due = {(item.kind, item.person_id, item.case_id): item for item in schedule.due_now(now)}
    added = dropped = 0
    with transaction.atomic():
        for row in RetentionDue.objects.select_for_update().filter(applied_at__isnull=True):
            if due.pop((row.kind, row.person_id, row.case_id), None) is None:
                row.delete()
                dropped += 1
        for item in due.values():
            RetentionDue.objects.create(
                kind=item.kind,
                person_id=item.person_id,
                case_id=item.case_id,
                basis_at=item.basis_at,
                due_on=item.due_on,
                listed_at=now,
            )
            added += 1
        if added or dropped:
            audit_record(
                actor=RETENTION,
                action=AuditAction.UPDATE,
                object_type="retention.retentiondue",
                detail={"listed": added, "no_longer_due": dropped, "at": now.isoformat()},
            )
    return added, dropped


def reviewers():
    """Auditors and administrators, in every agency: they review the list."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(role__in=[Role.AUDITOR, Role.ADMINISTRATOR]).values("user_id"),
    )


def sweep_retention_due(now: datetime.datetime) -> int:
    """The daily sweep: refresh the list; if anything new is due, tell each reviewer once."""
    added, _ = due_list_refresh(now)
    if not added:
        return 0
    day = timezone.localdate(now).isoformat()
    created = 0
    for user in reviewers():
        if notify(
            recipient=user,
            kind="retention_due",
            key=f"retention-due:{day}",
            title=f"Records are due for removal under the retention schedule: {added} newly listed",
            body="Review the list, and place a legal hold on anything that must be kept, before the job runs.",
            link=reverse("retention:due"),
            actor=RETENTION,
        ):
            created += 1
    return created


# --- applying (the job) ------------------------------------------------------------------------


@dataclass
class Outcome:
    applied: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def plan_case(case_id) -> dict:
    return erasure.collect(Case, [case_id])


def plan_person(person_id) -> dict:
    return erasure.collect(Person, [person_id], kept=erasure.KEPT)


def _apply_case(row: RetentionDue, now) -> dict:
    found = plan_case(row.case_id)
    counts = erasure.counts(found)
    audit_record(
        actor=RETENTION,
        action=AuditAction.DELETE,
        object_type="cases.case",
        object_id=str(row.case_id),
        person_id=row.person_id,
        purpose=f"Retention: {RecordKind(row.kind).label}",
        detail={"rule": row.kind, "due_on": row.due_on.isoformat(), "counts": counts, "ids": erasure.ids_of(found)},
    )
    erasure.remove(found)
    Case.objects.filter(pk=row.case_id).update(**dict.fromkeys(CASE_TEXT_FIELDS, ""), submission_key=None)
    # The history kept every old value of what went, and of the case's text just blanked.
    history_erase(case_id=row.case_id)
    return counts


def _apply_person(row: RetentionDue, now) -> dict:
    found = plan_person(row.person_id)
    counts = erasure.counts(found)
    audit_record(
        actor=RETENTION,
        action=AuditAction.DELETE,
        object_type="people.person",
        object_id=str(row.person_id),
        person_id=row.person_id,
        purpose=f"Retention: {RecordKind(row.kind).label}",
        detail={"rule": row.kind, "due_on": row.due_on.isoformat(), "counts": counts, "ids": erasure.ids_of(found)},
    )
    erasure.remove(found)
    Person.objects.filter(pk=row.person_id).update(
        given_name=ANONYMISED_GIVEN_NAME,
        middle_names="",
        family_name=ANONYMISED_FAMILY_NAME,
        preferred_name="",
        date_of_birth=None,
        date_of_birth_precision="",
        nhs_number="",
        updated_at=now,
    )
    # The history kept the old names and dates of birth, and the values of the records removed.
    history_erase(person_id=row.person_id)
    audit_record(
        actor=RETENTION,
        action=AuditAction.UPDATE,
        object_type="people.person",
        object_id=str(row.person_id),
        person_id=row.person_id,
        purpose="Retention: anonymised",
        detail={"anonymised": ["names", "date_of_birth", "nhs_number"]},
    )
    return counts


def plan(row: RetentionDue) -> dict[str, int]:
    """What applying ``row`` would remove, by model (for ``--dry-run``)."""
    found = plan_case(row.case_id) if row.case_id else plan_person(row.person_id)
    return erasure.counts(found)


def retention_apply(*, now: datetime.datetime | None = None, dry_run: bool = False) -> Outcome:
    """Apply every open row of the list that is still due now, in one transaction: a failure
    anywhere rolls the whole run back, and nothing is removed. A row no longer due (a hold
    placed, the case reopened, since it was listed) is skipped and stays on the list until the
    next sweep drops it."""
    now = now or timezone.now()
    outcome = Outcome()
    due = {(item.kind, item.person_id, item.case_id) for item in schedule.due_now(now)}
    with transaction.atomic():
        rows = list(RetentionDue.objects.select_for_update().filter(applied_at__isnull=True).order_by("due_on", "pk"))
        # Cases first: a person is anonymised once their cases have gone.
        rows.sort(key=lambda row: row.case_id is None)
        for row in rows:
            if (row.kind, row.person_id, row.case_id) not in due:
                outcome.skipped.append((row, "no longer due"))
                continue
            if dry_run:
                outcome.applied.append((row, plan(row)))
                continue
            counts = _apply_case(row, now) if row.case_id else _apply_person(row, now)
            row.applied_at = now
            row.removed = counts
            row.save(update_fields=["applied_at", "removed"])
            outcome.applied.append((row, counts))
    return outcome
