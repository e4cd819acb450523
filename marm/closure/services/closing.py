"""Closure (000 6.2, 3.5) behind the non-engagement guard (002)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.cases.rules import require_at_stage
from marm.cases.services import case_transition
from marm.closure import vocab
from marm.closure.guard import Guarded, non_engagement_guard, why_guarded
from marm.closure.models import CaseClosure, ClosureRiskOutcome, NonEngagementFlag, S42Referral
from marm.closure.risks import identified_risks
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record


def _risk_errors(risks, risk_outcomes: dict) -> tuple[list[str], list[tuple]]:
    missing, rows = [], []
    for risk in risks:
        given = risk_outcomes.get(risk.key) or {}
        outcome, why = given.get("outcome", ""), (given.get("why") or "").strip()
        if outcome not in vocab.RiskOutcome.values:
            missing.append(f"Say whether this risk is resolved or managed to an acceptable level: {risk.label}")
        elif not why:
            missing.append(f"Say why this risk is {vocab.RiskOutcome(outcome).label.lower()}: {risk.label}")
        else:
            rows.append((risk, outcome, why))
    return missing, rows


@acts_on("case")
@transaction.atomic
def case_close(
    *,
    acting_user,
    case: Case,
    reason: str,
    rationale: str,
    risk_outcomes: dict,
    ongoing_support: str,
    support_agreed_by,
    handover_agency,
    handover_to: str,
    information_given: str,
    legislation=(),
    participants=(),
    options_considered: str = "",
    non_engagement_not_applicable: str = "",
) -> CaseClosure:
    """A manager of the lead agency closes the case and signs it off.

    ``risk_outcomes`` maps each identified risk's key to {"outcome", "why"}. Every condition
    that does not hold is reported at once, one message each, so the page can list them all.
    ``non_engagement_not_applicable``: when attempts to engage have failed since the latest
    agreed risk assessment (and the case is neither flagged nor closing for non-engagement), the
    manager may say why non-engagement does not apply instead of passing the guard; it is
    recorded as a decision of its own.
    """
    require_at_stage(
        acting_user,
        "closure.close_case",
        case,
        refusal=lambda: ValidationError(f"A case at '{case.get_status_display()}' cannot be closed here"),
    )
    field_errors: dict[str, list[str]] = {}

    def missing(field, message):
        field_errors.setdefault(field, []).append(message)

    if reason not in vocab.ClosureReason.values:
        missing("reason", "Select why the case is closing")
    if not rationale.strip():
        missing("rationale", "Give the rationale for closing, tied to the circumstances")
    risk_missing, risk_rows = _risk_errors(identified_risks(case), risk_outcomes or {})
    for message in risk_missing:
        missing("risk_outcomes", message)
    if not ongoing_support.strip():
        missing("ongoing_support", "Describe the ongoing support the adult will have")
    support_agreed_by = list(support_agreed_by or [])
    if not support_agreed_by:
        missing("support_agreed_by", "Select the agencies that agreed the ongoing support")
    if handover_agency is None or not handover_to.strip():
        missing("handover_to", "Say who takes the case on in single-agency case management")
    if not information_given.strip():
        missing("information_given", "Record the information and advice given to the adult about getting help later")
    if S42Referral.objects.filter(case=case, outcome__isnull=True).exists():
        # 000 5.4: the local authority is deciding what further steps are needed; closing now would pre-empt it.
        missing("__all__", "Record the local authority's decision on the section 42 referral first")
    not_applicable = (non_engagement_not_applicable or "").strip()
    guarded, not_engaged = why_guarded(case, reason)
    if not_applicable and guarded is Guarded.REASON:
        missing(
            "non_engagement_not_applicable",
            "Leave this empty: the case is closing because the adult or family is not engaging",
        )
    elif not_applicable and guarded is Guarded.FLAG:
        # A flag is a statement that the adult is not engaging: it is lifted, with its own reason.
        missing(
            "non_engagement_not_applicable", "The case is flagged as not engaging: lift the flag, saying why, instead"
        )
    guard_missing = []
    if guarded is not Guarded.NO and not (guarded is Guarded.NOT_ENGAGED and not_applicable):
        guard_missing = non_engagement_guard(case).missing
    if field_errors or guard_missing:
        errors = {"__all__": []}
        if guard_missing:
            # 002: refuse, naming each agency still to be checked with, first.
            headline = (
                not_engaged.headline()
                if guarded is Guarded.NOT_ENGAGED
                else "A case closed for non-engagement needs a current agreed risk assessment and a check with "
                "every other agency in contact with the adult. Still to do:"
            )
            errors["__all__"] = [headline, *guard_missing]
        errors["__all__"] += field_errors.pop("__all__", [])
        errors.update(field_errors)
        if not errors["__all__"]:
            del errors["__all__"]
        raise ValidationError(errors)
    summary = f"Closed: {vocab.ClosureReason(reason).label}. Handed over to {handover_to.strip()} ({handover_agency})"
    why_not_applicable = []
    if guarded is Guarded.NOT_ENGAGED and not_applicable:
        # The guard was not passed but set aside: the manager's reason is a decision of its own,
        # in the same transaction as the closure, so the log shows who set it aside and why.
        decision_record(
            acting_user=acting_user,
            person=case.person,
            case=case,
            kind=DecisionKind.OTHER,
            summary="Non-engagement does not apply to this closure",
            rationale=f"{not_applicable}\n\n{not_engaged.summary()}.",
            participants=[acting_user],
        )
        why_not_applicable = [f"Why non-engagement does not apply: {not_applicable}"]
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.CLOSE,
        summary=summary,
        rationale="\n".join(
            [
                rationale.strip(),
                *(f"{risk.label}: {vocab.RiskOutcome(o).label}. {why}" for risk, o, why in risk_rows),
                *why_not_applicable,
            ]
        ),
        options_considered=options_considered,
        participants=[acting_user, *participants],
        legislation=legislation,
    )
    closure = CaseClosure(
        case=case,
        reason=reason,
        rationale=rationale.strip(),
        ongoing_support=ongoing_support.strip(),
        handover_agency=handover_agency,
        handover_to=handover_to.strip(),
        information_given=information_given.strip(),
        signed_off_by=acting_user,
        decision=decision,
    )
    closure.full_clean()
    closure.save(force_insert=True)
    closure.support_agreed_by.set(support_agreed_by)
    outcomes = ClosureRiskOutcome.objects.bulk_create(
        ClosureRiskOutcome(closure=closure, source=risk.source, code=risk.code, label=risk.label, outcome=o, why=why)
        for risk, o, why in risk_rows
    )
    # A case has at most one open flag: it is lifted and audited on its own, as non_engagement_flag_lift does.
    for flag in NonEngagementFlag.objects.select_for_update().filter(case=case, lifted_at__isnull=True):
        flag.lifted_at = timezone.now()
        flag.lifted_by = acting_user
        flag.lift_reason = "The case was closed"
        flag.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=flag,
            person_id=case.person_id,
            detail={"lifted": True, "reason": flag.lift_reason},
        )
    case_transition(acting_user=acting_user, case=case, to_status=CaseStatus.CLOSED, reason=summary)
    # The risk outcomes are written with the closure and belong to it: its row names them.
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=closure,
        person_id=case.person_id,
        detail={"risk_outcomes": [outcome.pk for outcome in outcomes]},
    )
    return closure
