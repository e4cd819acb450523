"""Escalation to the local authority for a section 42 decision (000 5.4, 5.5)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case, CaseTransition
from marm.cases.rules import require_at_stage
from marm.cases.services import case_transition
from marm.closure import vocab
from marm.closure.models import S42Outcome, S42Referral
from marm.closure.selectors import pending_referral
from marm.decisions.models import DecisionKind, LegislationReference
from marm.decisions.services import decision_record
from marm.sharing.models import SharingBasis

S42 = "care-act-2014-s42"
DATA_PROTECTION = "dpa-2018"


def _with(legislation, *codes):
    return [*legislation, *LegislationReference.objects.filter(code__in=codes)]


@acts_on("case")
@transaction.atomic
def s42_refer(
    *,
    acting_user,
    case: Case,
    risk_of_serious_harm: str,
    steps_taken: str,
    why_not_enough: str,
    lawful_basis: str,
    lawful_basis_details: str = "",
    referred_to: str,
    referred_on: datetime.date,
    marm_work: str,
    legislation=(),
    participants=(),
) -> S42Referral:
    """000 5.4: the process has not mitigated a risk of serious harm; tell the local authority
    the steps already taken. The case moves to 'escalated' and the decision is logged."""
    require(acting_user, "closure.escalate", case)
    errors = {}
    for name, value, message in [
        ("risk_of_serious_harm", risk_of_serious_harm, "Describe the risk of serious harm that remains"),
        ("steps_taken", steps_taken, "Describe the steps already taken"),
        ("why_not_enough", why_not_enough, "Say why those steps have not reduced the risk"),
        ("referred_to", referred_to, "Say which local authority team it was referred to"),
    ]:
        if not value.strip():
            errors[name] = message
    if lawful_basis == SharingBasis.CONSENT and not lawful_basis_details.strip():
        errors["lawful_basis_details"] = "Say how and when the adult consented"
    if referred_on and referred_on > timezone.localdate():
        errors["referred_on"] = "The date of the referral must be today or in the past"
    if errors:
        raise ValidationError(errors)
    require_at_stage(
        acting_user,
        "closure.refer_s42",
        case,
        refusal=lambda: ValidationError(
            f"A case at '{case.get_status_display()}' cannot be escalated: only accepted, planning or review cases"
        ),
    )
    if pending_referral(case) is not None:
        raise ValidationError("A referral is already waiting for the local authority's decision")
    summary = f"Escalated to the local authority ({referred_to.strip()}) for a section 42 decision"
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.ESCALATE,
        summary=summary,
        rationale=(
            f"Risk of serious harm: {risk_of_serious_harm.strip()}\n"
            f"Steps already taken: {steps_taken.strip()}\n"
            f"Why they were not enough: {why_not_enough.strip()}\n"
            f"Lawful basis for sharing: {SharingBasis(lawful_basis).label}"
        ),
        options_considered=vocab.MarmWork(marm_work).label,
        participants=[acting_user, *participants],
        legislation=_with(legislation, S42, DATA_PROTECTION),
    )
    referral = S42Referral(
        case=case,
        risk_of_serious_harm=risk_of_serious_harm.strip(),
        steps_taken=steps_taken.strip(),
        why_not_enough=why_not_enough.strip(),
        lawful_basis=lawful_basis,
        lawful_basis_details=lawful_basis_details.strip(),
        referred_to=referred_to.strip(),
        referred_on=referred_on,
        marm_work=marm_work,
        referred_by=acting_user,
        decision=decision,
    )
    referral.full_clean()
    referral.save(force_insert=True)
    case_transition(acting_user=acting_user, case=case, to_status=CaseStatus.ESCALATED, reason=summary)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=referral, person_id=case.person_id)
    return referral


def _stage_before_escalation(case: Case) -> str:
    """Where the case was when it was escalated; an accepted case goes on to planning."""
    before = (
        CaseTransition.objects.filter(case=case, to_status=CaseStatus.ESCALATED)
        .order_by("-created_at", "-pk")
        .values_list("from_status", flat=True)
        .first()
    )
    return CaseStatus.REVIEW if before == CaseStatus.REVIEW else CaseStatus.PLANNING


@acts_on("referral")
@transaction.atomic
def s42_outcome_record(
    *, acting_user, referral: S42Referral, outcome: str, reason: str, decided_on: datetime.date, decided_by: str
) -> S42Outcome:
    """Record the local authority's decision. Without an enquiry, MARM work resumes at the stage
    the case was at; with one, the case stays escalated (continuing alongside or paused)."""
    case = referral.case
    require(acting_user, "closure.escalate", case)
    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the local authority's reason"
    if not decided_by.strip():
        errors["decided_by"] = "Say who decided for the local authority"
    if decided_on and decided_on < referral.referred_on:
        errors["decided_on"] = "The decision cannot be before the referral"
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if errors:
        raise ValidationError(errors)
    if S42Outcome.objects.filter(referral=referral).exists():
        raise ValidationError("The local authority's decision on this referral is already recorded")
    require_at_stage(
        acting_user,
        "closure.record_s42_outcome",
        case,
        refusal=lambda: ValidationError(
            f"A case at '{case.get_status_display()}' has no referral waiting for the local authority's decision"
        ),
    )
    label = vocab.S42Decision(outcome).label
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.ESCALATE,
        summary=f"Local authority's decision: {label}",
        rationale=reason.strip(),
        participants=[acting_user],
        other_participants=decided_by.strip(),
        legislation=_with((), S42),
    )
    record = S42Outcome(
        referral=referral,
        case=case,
        outcome=outcome,
        reason=reason.strip(),
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        recorded_by=acting_user,
        decision=decision,
    )
    record.full_clean(validate_unique=False)
    record.save(force_insert=True)
    case.refresh_from_db(fields=["status", "version"])
    if outcome == vocab.S42Decision.NO_ENQUIRY and case.status == CaseStatus.ESCALATED:
        case_transition(
            acting_user=acting_user,
            case=case,
            to_status=_stage_before_escalation(case),
            reason=f"No section 42 enquiry: {reason.strip()}",
        )
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=record, person_id=case.person_id)
    return record


@acts_on("referral")
@transaction.atomic
def s42_marm_resume(*, acting_user, referral: S42Referral, reason: str) -> CaseTransition:
    """After an opened enquiry, MARM work resumes at the stage the case was at (000 5.4: further
    steps may be taken inside an enquiry, "but not necessarily")."""
    case = referral.case
    require(acting_user, "closure.escalate", case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why MARM work resumes: what the enquiry found or decided"})
    outcome = S42Outcome.objects.filter(referral=referral).first()
    case.refresh_from_db(fields=["status", "version"])
    not_yet = ValidationError("MARM work resumes only on an escalated case whose referral has been decided")
    if outcome is None:
        raise not_yet
    require_at_stage(acting_user, "closure.resume_marm_work", case, refusal=not_yet)
    decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.ESCALATE,
        summary="MARM work resumes after the section 42 enquiry",
        rationale=reason.strip(),
        participants=[acting_user],
        legislation=_with((), S42),
    )
    return case_transition(
        acting_user=acting_user,
        case=case,
        to_status=_stage_before_escalation(case),
        reason=f"MARM work resumes: {reason.strip()}",
    )
