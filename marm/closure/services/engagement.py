"""Writes for non-engagement (002): attempts, the flag, reflective reviews, and the checks
with other agencies that the closure guard asks for."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.cases.rules import require_role
from marm.closure import vocab
from marm.closure.guard import agencies_in_contact
from marm.closure.models import AgencyCheck, EngagementAttempt, NonEngagementFlag, ReflectiveReview, SupportProvider
from marm.closure.services._common import check_choices, require_live
from marm.plans.services import action_create
from marm.plans.vocab import ActionSource


@acts_on("case")
@transaction.atomic
def engagement_attempt_log(
    *, acting_user, case: Case, strategy: str, attempted_on: datetime.date, outcome: str, notes: str = ""
) -> EngagementAttempt:
    """Record one attempt to reach the adult or family, for the acting user's agency."""
    require_role(acting_user, "closure.log_engagement", case)
    require_live(acting_user, "closure.log_engagement", case)
    attempt = EngagementAttempt(
        case=case,
        strategy=strategy,
        attempted_on=attempted_on,
        outcome=outcome,
        notes=notes.strip(),
        made_by=acting_user,
        agency_id=acting_user.agency_id,
    )
    attempt.full_clean()
    if attempted_on > timezone.localdate():
        raise ValidationError({"attempted_on": "The date of the attempt must be today or in the past"})
    attempt.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=attempt, person_id=case.person_id)
    return attempt


@acts_on("case")
@transaction.atomic
def non_engagement_flag_raise(*, acting_user, case: Case, reason: str) -> NonEngagementFlag:
    """Flag the case: the adult or family is not engaging (002)."""
    require_role(acting_user, "closure.flag_non_engagement", case)
    require_live(acting_user, "closure.flag_non_engagement", case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why you think the adult or family is not engaging"})
    if NonEngagementFlag.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise ValidationError("The case is already flagged as not engaging")
    flag = NonEngagementFlag(case=case, reason=reason.strip(), raised_by=acting_user)
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save(force_insert=True)
    except IntegrityError:
        # Someone else flagged it in the meantime.
        raise ValidationError("The case is already flagged as not engaging") from None
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=flag, person_id=case.person_id)
    return flag


@acts_on("case")
@transaction.atomic
def non_engagement_flag_lift(*, acting_user, case: Case, reason: str) -> NonEngagementFlag:
    """The adult or family is engaging again: lift the flag, keeping it in the history."""
    require(acting_user, "closure.lift_flag")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the flag can be lifted"})
    flag = NonEngagementFlag.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
    if flag is None:
        raise ValidationError("The case is not flagged as not engaging")
    flag.lifted_at = timezone.now()
    flag.lifted_by = acting_user
    flag.lift_reason = reason.strip()
    flag.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=flag, person_id=case.person_id)
    return flag


@acts_on("case")
@transaction.atomic
def reflective_review_write(
    *,
    acting_user,
    case: Case,
    evidence_of_increased_risk: str,
    colluding_answers: dict,
    feel_at_risk: str,
    feel_at_risk_details: str = "",
    concerns=(),
    concerns_details: str = "",
    next_steps=(),
    next_steps_due_on: datetime.date | None = None,
    reflection: str = "",
) -> ReflectiveReview:
    """The practitioner's reflection on non-engagement, through 002's questions. Private to the
    author and the managers and supervisors of their agency."""
    require_role(acting_user, "closure.reflect", case)
    require_live(acting_user, "closure.reflect", case)
    errors = {}
    if not evidence_of_increased_risk.strip():
        errors["evidence_of_increased_risk"] = (
            "Say whether you have evidence that non-engagement increases the risk, and what it is"
        )
    unanswered = [q for q in vocab.ColludingQuestion.values if colluding_answers.get(q) not in vocab.ReflectiveAnswer]
    if unanswered:
        errors["colluding_answers"] = "Answer every question of 'Am I colluding?'"
    at_risk = feel_at_risk in (vocab.ReflectiveAnswer.YES, vocab.ReflectiveAnswer.PERHAPS)
    if at_risk and not feel_at_risk_details.strip():
        # 002: a worker who feels at risk says why, so the manager can act on it.
        errors["feel_at_risk_details"] = "Say what makes you feel at risk"
    if next_steps and next_steps_due_on is None:
        errors["next_steps_due_on"] = "Enter the date the next steps are due by"
    elif next_steps_due_on is not None and next_steps_due_on < timezone.localdate():
        errors["next_steps_due_on"] = "The date the next steps are due by must be today or in the future"
    if errors:
        raise ValidationError(errors)
    review = ReflectiveReview(
        case=case,
        author=acting_user,
        author_agency_id=acting_user.agency_id,
        evidence_of_increased_risk=evidence_of_increased_risk.strip(),
        colluding_answers={q: colluding_answers[q] for q in vocab.ColludingQuestion.values},
        feel_at_risk=feel_at_risk,
        feel_at_risk_details=feel_at_risk_details.strip(),
        concerns=check_choices("concerns", concerns, vocab.ConcernRaised),
        concerns_details=concerns_details.strip(),
        next_steps=check_choices("next_steps", next_steps, vocab.NextStep),
        next_steps_due_on=next_steps_due_on if next_steps else None,
        reflection=reflection.strip(),
    )
    review.full_clean()
    review.save(force_insert=True)
    # The audit row names the review, never its content: the audit trail is read more widely.
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=review, person_id=case.person_id)
    # 002 "Next steps": each one chosen becomes an action on the case's plan, led by the author,
    # which every agency in the case sees (the reflection itself stays private).
    review.actions = [
        action_create(
            acting_user=acting_user,
            case=case,
            what=vocab.NEXT_STEP_ACTIONS[step],
            lead_user=acting_user,
            agency=acting_user.agency,
            due_date=review.next_steps_due_on,
            source=ActionSource.NON_ENGAGEMENT,
        )
        for step in review.next_steps
    ]
    return review


@acts_on("case")
@transaction.atomic
def support_provider_record(*, acting_user, case: Case, agency, support: str) -> SupportProvider:
    """Record an agency that provides care and support to the adult (000 6.1 stage 1)."""
    require(acting_user, "closure.check_agency")
    if SupportProvider.objects.filter(case=case, agency=agency).exists():
        raise ValidationError({"agency": f"{agency} is already recorded as providing care and support"})
    provider = SupportProvider(case=case, agency=agency, support=support.strip(), recorded_by=acting_user)
    provider.full_clean(validate_constraints=False)
    provider.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=provider, person_id=case.person_id)
    return provider


@acts_on("case")
@transaction.atomic
def agency_check_record(
    *, acting_user, case: Case, agency, spoke_to: str, checked_on: datetime.date, what_they_said: str
) -> AgencyCheck:
    """002 (A2 SCR 2012): record an active check with another agency known to be in contact."""
    require(acting_user, "closure.check_agency")
    if agency.pk not in {item.agency.pk for item in agencies_in_contact(case)}:
        raise ValidationError({"agency": "Select an agency known to be in contact with the adult"})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "The date of the check must be today or in the past"})
    check = AgencyCheck(
        case=case,
        agency=agency,
        spoke_to=spoke_to.strip(),
        checked_on=checked_on,
        what_they_said=what_they_said.strip(),
        recorded_by=acting_user,
    )
    check.full_clean()
    check.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=check, person_id=case.person_id)
    return check
