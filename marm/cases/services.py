"""Writes on cases: raising a concern, screening, the lifecycle, allocation, key actions.

Each service is one transaction with its audit rows; decisions go into the
decision log (marm/decisions) in the same transaction.
"""

import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases import vocab
from marm.cases.lifecycle import CaseStatus, MoveNotAllowed, check_move
from marm.cases.models import (
    ROUTED_PROCESSES_TRACKED,
    Case,
    CaseAgency,
    CaseTheme,
    CaseTransition,
    KeyAction,
    LeadProfessional,
    RoutedProcess,
    Screening,
)
from marm.cases.rules import require_at_stage
from marm.core.locking import save_if_current
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.govuk_forms.submission import first_submission, save_once
from marm.people.models import Person
from marm.sharing.selectors import board_agencies


def _check_choices(field: str, values, choices) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise ValidationError({field: f"Unknown choice: {', '.join(unknown)}"})
    return values


def _new_reference() -> str:
    return f"MARM-{secrets.token_hex(3).upper()}"


@acts_on("person")
@transaction.atomic
def case_raise(
    *,
    acting_user,
    person: Person,
    what_is_happening: str,
    risk_categories=(),
    abuse_types=(),
    current_care_and_support: str = "",
    others_at_risk: str = vocab.YesNoUnknown.UNKNOWN,
    others_at_risk_details: str = "",
    decisional_capacity: str = vocab.CapacityView.NOT_KNOWN,
    executive_capacity: str = vocab.CapacityView.NOT_KNOWN,
    capacity_assessment_needed: str = vocab.YesNoUnknown.UNKNOWN,
    asked_about_sharing: str = vocab.YesNoUnknown.UNKNOWN,
    views_on_sharing: str = "",
    sharing_agreed_agencies=(),
    unable_or_unwilling_to_self_care: bool = False,
    at_risk_tests=(),
    entry_criteria=(),
    daily_life_areas=(),
    submission_key: uuid.UUID | None = None,
) -> Case:
    """Raise a concern about a person the user's agency is involved with.

    The raising agency becomes the lead coordinating agency (000 2.1, 4.2).
    ``submission_key`` is the concern form's token: a second post of the same
    form gives back the case the first one raised, and raises nothing new.
    """
    require(acting_user, "cases.raise_concern")
    raised_before = Case.objects.filter(raised_by=acting_user, person=person)
    earlier = first_submission(raised_before, submission_key)
    if earlier is not None:
        return earlier
    errors = {}
    if others_at_risk == vocab.YesNoUnknown.YES and not others_at_risk_details.strip():
        errors["others_at_risk_details"] = "Say who else is at risk: children or other adults"
    # 001 section 2: the daily-life criterion holds only for the areas of daily life it names.
    if vocab.EntryCriterion.DAILY_LIFE in (entry_criteria or ()) and not daily_life_areas:
        errors["daily_life_areas"] = "Select the areas of daily life, or untick that criterion"
    # 001 3.3: the agencies the adult agreed to share with, if they were asked; never the board.
    agreed = list(dict.fromkeys(sharing_agreed_agencies or ()))
    if agreed and asked_about_sharing != vocab.YesNoUnknown.YES:
        errors["sharing_agreed_agencies"] = "Select agencies only if the adult was asked about sharing"
    elif agreed and board_agencies().filter(pk__in=[agency.pk for agency in agreed]).exists():
        errors["sharing_agreed_agencies"] = "The Safeguarding Adults Board never reads a case: choose partner agencies"
    if errors:
        raise ValidationError(errors)
    case = Case(
        reference=_new_reference(),
        person=person,
        lead_agency_id=acting_user.agency_id,
        raised_by=acting_user,
        status=CaseStatus.CONCERN,
        what_is_happening=what_is_happening.strip(),
        risk_categories=_check_choices("risk_categories", risk_categories, vocab.RiskCategory),
        abuse_types=_check_choices("abuse_types", abuse_types, vocab.AbuseType),
        current_care_and_support=current_care_and_support.strip(),
        others_at_risk=others_at_risk,
        others_at_risk_details=others_at_risk_details.strip(),
        decisional_capacity=decisional_capacity,
        executive_capacity=executive_capacity,
        capacity_assessment_needed=capacity_assessment_needed,
        asked_about_sharing=asked_about_sharing,
        views_on_sharing=views_on_sharing.strip(),
        unable_or_unwilling_to_self_care=unable_or_unwilling_to_self_care,
        at_risk_tests=_check_choices("at_risk_tests", at_risk_tests, vocab.AtRiskTest),
        entry_criteria=_check_choices("entry_criteria", entry_criteria, vocab.EntryCriterion),
        daily_life_areas=_check_choices("daily_life_areas", daily_life_areas, vocab.DailyLifeArea),
        submission_key=submission_key,
    )
    case.full_clean(exclude=["reference", "submission_key"])
    for _ in range(5):
        try:
            saved, made = save_once(case, raised_before)
            if not made:
                # A concurrent post of the same form raised it first.
                return saved
            break
        except IntegrityError:
            case.reference = _new_reference()
    else:  # pragma: no cover - five clashes of a 24-bit reference in a row
        raise IntegrityError("Could not allocate a case reference")
    CaseTransition.objects.create(
        case=case, from_status="", to_status=CaseStatus.CONCERN, reason="Concern raised", created_by=acting_user
    )
    CaseAgency.objects.create(case=case, agency_id=acting_user.agency_id, access="full")
    case.sharing_agreed_agencies.set(agreed)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=case,
        person_id=person.pk,
        detail={"sharing_agreed_agencies": sorted(agency.pk for agency in agreed)} if agreed else None,
    )
    return case


def _lock(case: Case) -> Case:
    """The case row, locked for this transaction, so two moves cannot both start from one stage."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _move(acting_user, case: Case, to_status: str, reason: str) -> CaseTransition:
    current = _lock(case)
    check_move(current.status, to_status)
    transition = CaseTransition.objects.create(
        case=current, from_status=current.status, to_status=to_status, reason=reason, created_by=acting_user
    )
    # The row is locked: the status and version move together.
    Case.objects.filter(pk=case.pk).update(status=to_status, version=F("version") + 1)
    case.status = to_status
    case.version = current.version + 1
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=case,
        person_id=case.person_id,
        detail={"status": [transition.from_status, to_status]},
    )
    return transition


@acts_on("case")
@transaction.atomic
def case_transition(*, acting_user, case: Case, to_status: str, reason: str) -> CaseTransition:
    """Move a case to another stage, if the lifecycle allows it (marm/cases/lifecycle.py)."""
    require(acting_user, "cases.move_case", case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is moving"})
    return _move(acting_user, case, to_status, reason.strip())


@acts_on("case")
@transaction.atomic
def case_screen(
    *,
    acting_user,
    case: Case,
    s42_duty_applies: str,
    better_process: str,
    outcome: str,
    rationale: str,
    dash_ticks: int | None = None,
    dash_reason: str = "",
    routed_to: str = "",
    routed_on=None,
    what_was_sent: str = "",
    legislation=(),
    participants=(),
    options_considered: str = "",
) -> Screening:
    """A responsible manager of the lead agency screens the concern and decides its route."""
    require_at_stage(
        acting_user, "cases.screen_case", case, refusal=lambda: MoveNotAllowed(case.status, CaseStatus.SCREENING)
    )
    errors = {}
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for this outcome, tied to the circumstances"
    if outcome == vocab.ScreeningOutcome.ROUTE:
        if better_process in ("", vocab.OtherProcess.NONE):
            errors["better_process"] = "Select the process the concern is routed to"
        if not routed_to.strip():
            errors["routed_to"] = "Say who the concern was sent to"
        if routed_on is None:
            errors["routed_on"] = "Enter the date it was sent"
    if better_process == vocab.OtherProcess.MARAC and dash_ticks is None:
        errors["dash_ticks"] = "Enter how many DASH checklist questions were ticked"
    dash_high = dash_ticks is not None and dash_ticks >= vocab.DASH_MARAC_THRESHOLD
    dash_reason = dash_reason.strip() if dash_high and outcome == vocab.ScreeningOutcome.ACCEPT else ""
    if dash_high and outcome == vocab.ScreeningOutcome.ACCEPT and not dash_reason:
        # 001 section 4: 14 or more ticks is high risk and the guidance points to MARAC.
        errors["dash_reason"] = "Say why the case should be accepted into MARM rather than referred to MARAC"
    if errors:
        raise ValidationError(errors)
    if case.status in (CaseStatus.CONCERN, CaseStatus.REOPENED):
        _move(acting_user, case, CaseStatus.SCREENING, "Screening started")
    screening = Screening(
        case=case,
        s42_duty_applies=s42_duty_applies,
        better_process=better_process,
        dash_ticks=dash_ticks,
        dash_reason=dash_reason,
        outcome=outcome,
        rationale=rationale.strip(),
        routed_to=routed_to.strip(),
        routed_on=routed_on,
        what_was_sent=what_was_sent.strip(),
        screened_by=acting_user,
    )
    screening.full_clean()
    screening.save(force_insert=True)
    accepted = "Accepted into MARM"
    decision_rationale = rationale.strip()
    if dash_reason:
        accepted = f"Accepted into MARM despite a high-risk DASH checklist ({dash_ticks} ticks)"
        decision_rationale += f"\n\nWhy MARM rather than MARAC: {dash_reason}"
    kind, target, summary = {
        vocab.ScreeningOutcome.ACCEPT: (DecisionKind.ACCEPT, CaseStatus.ACCEPTED, accepted),
        vocab.ScreeningOutcome.ROUTE: (
            DecisionKind.ROUTE,
            CaseStatus.ROUTED,
            f"Routed to {vocab.OtherProcess(better_process).label}: sent to {routed_to.strip()}",
        ),
        vocab.ScreeningOutcome.NO_FURTHER_ACTION: (
            DecisionKind.NO_FURTHER_ACTION,
            CaseStatus.CLOSED,
            "No further action",
        ),
    }[outcome]
    decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=kind,
        summary=summary,
        rationale=decision_rationale,
        options_considered=options_considered,
        participants=[acting_user, *participants],
        legislation=legislation,
    )
    _move(acting_user, case, target, summary)
    if outcome == vocab.ScreeningOutcome.ROUTE and better_process in ROUTED_PROCESSES_TRACKED:
        _routed_process_start(acting_user, screening)
    created = []
    if target == CaseStatus.ACCEPTED:
        created = _ensure_key_actions(case, stage=1)
        # The screening itself answered these two (Appendix A, stage 1).
        key_actions_mark(
            acting_user=acting_user,
            case=case,
            codes=["other_process", "s42_duty"],
            status=vocab.KeyActionStatus.DONE,
            reason="Answered by the screening",
        )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=screening,
        person_id=case.person_id,
        detail={"key_actions_created": created} if created else None,
    )
    return screening


def _routed_process_start(acting_user, screening: Screening) -> RoutedProcess:
    """000 Appendix C: the process the screening routed to is active for the person from the routing date."""
    case = screening.case
    routed = RoutedProcess(
        person_id=case.person_id,
        case=case,
        screening=screening,
        process=screening.better_process,
        started_on=screening.routed_on,
        started_by=acting_user,
    )
    routed.full_clean()
    routed.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=routed, person_id=case.person_id)
    return routed


def _running(person_id) -> list[RoutedProcess]:
    """The other processes still running for the person (for a service about a record already checked)."""
    return list(RoutedProcess.objects.filter(person_id=person_id, ended_on__isnull=True).order_by("started_on", "pk"))


def _process_names(processes) -> str:
    names = list(dict.fromkeys(process.name for process in processes))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@acts_on("case")
@transaction.atomic
def case_reopen(
    *, acting_user, case: Case, rationale: str, alongside_reason: str = "", legislation=(), participants=()
) -> Case:
    """Reopen a routed or closed case into MARM, with everything recorded so far carried over.

    While another process the person was routed to is still running, the manager confirms why
    MARM should run alongside it; the reason goes into the reopen decision.
    """
    require_at_stage(
        acting_user, "cases.reopen_case", case, refusal=lambda: MoveNotAllowed(case.status, CaseStatus.REOPENED)
    )
    running = _running(case.person_id)
    errors = {}
    if not rationale.strip():
        errors["rationale"] = "Give the reason for reopening"
    if running and not alongside_reason.strip():
        errors["alongside_reason"] = f"Say why MARM should run alongside {_process_names(running)}"
    if errors:
        raise ValidationError(errors)
    summary = "Reopened into MARM"
    decision_rationale = rationale.strip()
    if running:
        summary = f"Reopened into MARM alongside {_process_names(running)}, which is still active"
        decision_rationale += f"\n\nWhy MARM should run alongside {_process_names(running)}: {alongside_reason.strip()}"
    _move(acting_user, case, CaseStatus.REOPENED, rationale.strip())
    decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.REOPEN,
        summary=summary,
        rationale=decision_rationale,
        participants=[acting_user, *participants],
        legislation=legislation,
    )
    return case


@acts_on("routed_process")
@transaction.atomic
def routed_process_end(*, acting_user, routed_process: RoutedProcess, ended_on) -> RoutedProcess:
    """Record that another process the person was routed to has ended (a date, and who recorded it)."""
    require(acting_user, "cases.end_routed_process", routed_process)
    current = RoutedProcess.objects.select_for_update().get(pk=routed_process.pk)
    if current.ended_on is not None:
        raise ValidationError("This process has already been recorded as ended")
    if ended_on is None:
        raise ValidationError({"ended_on": "Enter the date the process ended"})
    if ended_on < current.started_on:
        raise ValidationError({"ended_on": "The date the process ended must be on or after the date it started"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The date the process ended must be today or in the past"})
    current.ended_on = ended_on
    current.ended_by = acting_user
    current.ended_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["ended_on", "ended_by", "ended_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=current,
        person_id=current.person_id,
        detail={"ended_on": ended_on.isoformat()},
    )
    return current


def _ensure_key_actions(case: Case, *, stage: int) -> list[str]:
    """The stage's checklist, created blank from the fixed list; the codes created go in the
    caller's audit row."""
    existing = set(KeyAction.objects.filter(case=case, stage=stage).values_list("code", flat=True))
    created = KeyAction.objects.bulk_create(
        KeyAction(case=case, stage=stage, code=code, label=label, position=position)
        for position, (code, label) in enumerate(vocab.STAGE_1_KEY_ACTIONS, start=1)
        if code not in existing
    )
    return [item.code for item in created]


@acts_on("case")
@transaction.atomic
def lead_professional_allocate(*, acting_user, case: Case, user, rationale: str, legislation=()) -> LeadProfessional:
    """A manager of the lead agency allocates the lead professional (Appendix A: allocate the case)."""
    require_at_stage(
        acting_user,
        "cases.allocate_lead_professional",
        case,
        refusal=ValidationError("A lead professional is allocated once the case has been accepted into MARM"),
    )
    if not CaseAgency.objects.filter(
        case=case, agency_id=user.agency_id, access="full", ended_at__isnull=True
    ).exists():
        raise ValidationError({"user": "The lead professional must work for an agency with full access to the case"})
    if not user.is_active:
        raise ValidationError({"user": "Choose someone whose account is active"})
    now = timezone.now()
    ended = list(LeadProfessional.objects.filter(case=case, ended_at__isnull=True).values_list("pk", flat=True))
    LeadProfessional.objects.filter(pk__in=ended).update(ended_at=now)
    lead = LeadProfessional.objects.create(case=case, user=user, allocated_by=acting_user)
    decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.ALLOCATE,
        summary=f"{user.full_name} ({user.agency}) is the lead professional",
        rationale=rationale,
        participants=[acting_user],
        legislation=legislation,
    )
    key_actions_mark(
        acting_user=acting_user,
        case=case,
        codes=["allocate_lead"],
        status=vocab.KeyActionStatus.DONE,
        reason="A lead professional is allocated",
    )
    # The lead it replaces is ended in the same change: named here, so the audit row says who.
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=lead,
        person_id=case.person_id,
        detail={"ended_leads": ended} if ended else None,
    )
    return lead


@acts_on("case_agency")
@transaction.atomic
def lead_worker_name(*, acting_user, case_agency: CaseAgency, user) -> CaseAgency:
    """Each involved agency names its own lead worker (000 2.1)."""
    if acting_user.agency_id != case_agency.agency_id or not acting_user.has_perm("cases.update_key_action"):
        raise PermissionDenied
    if user.agency_id != case_agency.agency_id:
        raise ValidationError({"user": "The lead worker must work for this agency"})
    case_agency.lead_worker = user
    case_agency.save(update_fields=["lead_worker"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=case_agency,
        person_id=case_agency.case.person_id,
        detail={"lead_worker": user.pk},
    )
    return case_agency


@acts_on("key_action")
@transaction.atomic
def key_action_update(*, acting_user, key_action: KeyAction, expected_version: int, status: str, reason: str = ""):
    require(acting_user, "cases.update_key_action")
    if status == vocab.KeyActionStatus.NOT_APPLICABLE and not reason.strip():
        raise ValidationError({"reason": "Say why this does not apply"})
    key_action.status = status
    key_action.reason = reason.strip() if status == vocab.KeyActionStatus.NOT_APPLICABLE else ""
    key_action.updated_by = acting_user
    key_action.updated_at = timezone.now()
    key_action.full_clean()
    save_if_current(
        key_action, expected_version=expected_version, fields=["status", "reason", "updated_by", "updated_at"]
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=key_action,
        person_id=key_action.case.person_id,
        detail={"status": status},
    )
    return key_action


@acts_on("case")
def key_actions_mark(
    *, acting_user, case: Case, codes, status: str, reason: str, stage: int = 1, from_statuses=()
) -> list[KeyAction]:
    """Mark key actions of the case's checklist that another service's work has settled (a planning
    meeting set up, or called off). ``from_statuses`` limits the change to items now in those statuses,
    so an item someone marked by hand stays as they left it. Each item that changes is saved under its
    version and audited on its own, with its old and new status and ``reason``."""
    require(acting_user, "cases.update_key_action")
    if status not in vocab.KeyActionStatus.values:
        raise ValidationError({"status": "Select whether the key action is outstanding, done or not applicable"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the key action is changing"})
    changed = []
    with transaction.atomic():
        items = (
            KeyAction.objects.select_for_update()
            .filter(case=case, stage=stage, code__in=list(codes))
            .exclude(status=status)
            .order_by("position")
        )
        if from_statuses:
            items = items.filter(status__in=list(from_statuses))
        now = timezone.now()
        for item in items:
            before = item.status
            item.status = status
            item.reason = reason.strip() if status == vocab.KeyActionStatus.NOT_APPLICABLE else ""
            item.updated_by = acting_user
            item.updated_at = now
            item.full_clean()
            save_if_current(
                item, expected_version=item.version, fields=["status", "reason", "updated_by", "updated_at"]
            )
            audit_record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=item,
                person_id=case.person_id,
                detail={"code": item.code, "stage": stage, "status": [before, status], "reason": reason.strip()},
            )
            changed.append(item)
    return changed


@acts_on("case")
@transaction.atomic
def case_themes_set(*, acting_user, case: Case, themes) -> list[str]:
    """Tag the case with the review themes it shows; the themes no longer chosen are taken off.
    The board cuts its measures by these themes; one audit row holds the themes before and after."""
    require(acting_user, "cases.tag_themes", case)
    chosen = sorted(set(themes))
    unknown = [theme for theme in chosen if theme not in vocab.ReviewTheme.values]
    if unknown:
        raise ValidationError({"themes": "Select only themes from the list"})
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))  # one change at a time
    before = sorted(CaseTheme.objects.filter(case=case).values_list("theme", flat=True))
    if chosen == before:
        return chosen
    CaseTheme.objects.filter(case=case).exclude(theme__in=chosen).delete()
    for theme in chosen:
        if theme not in before:
            CaseTheme.objects.create(case=case, theme=theme, tagged_by=acting_user)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=case,
        person_id=case.person_id,
        detail={"themes": [before, chosen]},
    )
    return chosen
