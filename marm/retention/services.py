"""Writes of retention: changing a rule (an administrator), placing and lifting a legal hold (a
manager or an auditor who can see the record). Each runs in one transaction with its audit row.
Deleting and anonymising is not here: only the named job does it (marm/retention/jobs.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.people.models import Person
from marm.retention.models import LegalHold, RetentionRule


def _rule_state(rule: RetentionRule) -> dict:
    return {"period_months": rule.period_months, "basis": rule.basis, "action": rule.action}


@transaction.atomic
def retention_rule_change(*, acting_user, rule, period_months: int, basis: str) -> RetentionRule:
    """An administrator changes how long a kind of record is kept, and why (ADR 0027's pattern:
    the audit row holds the rule before and after)."""
    require(acting_user, "retention.change_rule")
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    before = _rule_state(rule)
    rule.period_months = period_months
    rule.basis = basis.strip()
    rule.changed_by = acting_user
    rule.changed_at = timezone.now()
    rule.full_clean()
    rule.save(update_fields=["period_months", "basis", "changed_by", "changed_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=rule,
        detail={"kind": rule.kind, "before": before, "after": _rule_state(rule)},
    )
    return rule


@acts_on("person", "case")
@transaction.atomic
def legal_hold_place(*, acting_user, person: Person, case: Case | None = None, reason: str) -> LegalHold:
    """Hold the person (everything about them) or one of their cases (everything under it): the
    retention job removes nothing a hold covers until it is lifted."""
    require(acting_user, "retention.hold", case or person)
    if case is not None and case.person_id != person.pk:
        raise ValidationError("The case is not about this person")
    hold = LegalHold(
        person=person,
        case=case,
        reason=reason.strip(),
        placed_by=acting_user,
        placed_by_agency_id=acting_user.agency_id,
        placed_at=timezone.now(),
    )
    hold.full_clean()
    hold.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=hold,
        person_id=person.pk,
        detail={"case": str(case.pk) if case else None, "reason": hold.reason},
    )
    return hold


@acts_on("hold")
@transaction.atomic
def legal_hold_lift(*, acting_user, hold: LegalHold, reason: str) -> LegalHold:
    """Lift a hold, saying why; the hold stays, with who lifted it and when."""
    require(acting_user, "retention.hold", hold)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not hold.is_active:
        raise ValidationError("This hold has already been lifted")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the hold is lifted"})
    hold.lifted_at = timezone.now()
    hold.lifted_by = acting_user
    hold.lift_reason = reason.strip()
    hold.full_clean()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=hold,
        person_id=hold.person_id,
        detail={"case": str(hold.case_id) if hold.case_id else None, "lifted": True, "reason": hold.lift_reason},
    )
    return hold
