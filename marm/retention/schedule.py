"""What is due under the retention rules at a given moment (ADR 0033).

- A case closed after MARM work (it was accepted at a screening): its rule's period after the
  latest move to "closed" (or to "routed", for a case reopened and then routed elsewhere).
- A concern screened out (routed elsewhere, or closed with no further action, never accepted):
  its rule's period after the latest move to "routed" or "closed".
- A person whose every case has been removed (or who never had one) and who is on no register:
  its rule's period after the last of their cases was removed, or after their record last changed.

Nothing is due while a legal hold covers it (on the case, or on the person), while the person is
on a team's register, or once it has been applied. Reads run outside any request (the sweep and
the job, partnership-wide on PostgreSQL: marm.core.row_security), so they use the plain managers.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case, CaseTransition, Screening
from marm.cases.vocab import ScreeningOutcome
from marm.people.models import Person
from marm.register.models import RegisterEntry
from marm.retention.models import LegalHold, RecordKind, RetentionDue, RetentionRule


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time ``months`` calendar months earlier (29 Feb to 28 Feb in other years)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(moment: datetime.datetime, months: int) -> datetime.datetime:
    return months_before(moment, -months)


@dataclass(frozen=True)
class Due:
    kind: str
    person_id: object
    case_id: object
    basis_at: datetime.datetime
    due_on: datetime.date


def rules() -> dict[str, RetentionRule]:
    return {rule.kind: rule for rule in RetentionRule.objects.all()}


def _held_person():
    return Exists(LegalHold.objects.active().filter(person=OuterRef("person_id"), case__isnull=True))


def _held_case():
    return Exists(LegalHold.objects.active().filter(case=OuterRef("pk")))


def _applied_case():
    return Exists(RetentionDue.objects.filter(case=OuterRef("pk"), applied_at__isnull=False))


def _on_register(person_ref: str):
    return Exists(RegisterEntry.objects.filter(person=OuterRef(person_ref), removed_at__isnull=True))


def _cases_due(rule: RetentionRule, now, *, accepted: bool) -> list[Due]:
    ended = CaseTransition.objects.filter(case=OuterRef("pk"), to_status=OuterRef("status")).order_by(
        "-created_at", "-pk"
    )
    was_accepted = Exists(Screening.objects.filter(case=OuterRef("pk"), outcome=ScreeningOutcome.ACCEPT))
    # A case once accepted, reopened and then routed elsewhere holds MARM work too: it counts as closed.
    statuses = [CaseStatus.CLOSED, CaseStatus.ROUTED]
    cases = (
        Case.objects.filter(status__in=statuses)
        .annotate(ended_at=Subquery(ended.values("created_at")[:1]))
        .filter(
            was_accepted if accepted else ~was_accepted,
            ended_at__lte=months_before(now, rule.period_months),
        )
        .exclude(_held_case())
        .exclude(_held_person())
        .exclude(_applied_case())
        .exclude(_on_register("person_id"))
        .values_list("pk", "person_id", "ended_at")
        .order_by("ended_at", "pk")
    )
    return [
        Due(rule.kind, person_id, pk, ended_at, months_after(ended_at, rule.period_months).date())
        for pk, person_id, ended_at in cases
    ]


def _people_due(rule: RetentionRule, now) -> list[Due]:
    unremoved_case = Case.objects.filter(person=OuterRef("pk")).exclude(
        Exists(RetentionDue.objects.filter(case=OuterRef("pk"), applied_at__isnull=False))
    )
    last_removed = (
        RetentionDue.objects.filter(person=OuterRef("pk"), case__isnull=False, applied_at__isnull=False)
        .values("person")
        .annotate(last=Max("applied_at"))
        .values("last")
    )
    anonymised = RetentionDue.objects.filter(
        person=OuterRef("pk"), kind=RecordKind.PERSON_WITHOUT_RECORDS, applied_at__isnull=False
    )
    held = LegalHold.objects.active().filter(person=OuterRef("pk"))
    people = (
        Person.objects.exclude(Exists(unremoved_case))
        .exclude(Exists(anonymised))
        .exclude(Exists(held))
        .exclude(_on_register("pk"))
        .annotate(last_removed=Subquery(last_removed[:1]))
        .annotate(basis=Greatest(F("updated_at"), F("last_removed")))
        .annotate(basis_at=_coalesce_basis())
        .filter(basis_at__lte=months_before(now, rule.period_months))
        .values_list("pk", "basis_at")
        .order_by("basis_at", "pk")
    )
    return [
        Due(rule.kind, pk, None, basis_at, months_after(basis_at, rule.period_months).date()) for pk, basis_at in people
    ]


def _coalesce_basis():
    """On SQLite Greatest() is NULL when an argument is: a person who never had a case removed
    counts from their record's last change."""
    return Coalesce(F("basis"), F("updated_at"))


def due_now(now: datetime.datetime) -> list[Due]:
    """Everything due at ``now``, by kind, oldest first."""
    found = []
    by_kind = rules()
    if RecordKind.CASE_CLOSED in by_kind:
        found += _cases_due(by_kind[RecordKind.CASE_CLOSED], now, accepted=True)
    if RecordKind.CONCERN_SCREENED_OUT in by_kind:
        found += _cases_due(by_kind[RecordKind.CONCERN_SCREENED_OUT], now, accepted=False)
    if RecordKind.PERSON_WITHOUT_RECORDS in by_kind:
        found += _people_due(by_kind[RecordKind.PERSON_WITHOUT_RECORDS], now)
    return found


def still_due(item: RetentionDue, now: datetime.datetime) -> bool:
    """Whether a listed row is due now: a hold placed, a case reopened or a register entry since the
    sweep listed it takes it off."""
    return any(
        due.kind == item.kind and due.person_id == item.person_id and due.case_id == item.case_id
        for due in due_now(now)
    )
