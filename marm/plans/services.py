"""Writes on the plan: SMART actions and their trail, and the contingency and escalation plan.

Each service is one transaction with its audit row.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import Case, CaseAgency
from marm.core.locking import save_if_current
from marm.notifications.services import notify
from marm.plans.models import Action, ActionUpdate, ContingencyPlan, ContingencyTrigger
from marm.plans.presenters import long_date
from marm.plans.vocab import LIVE_STATUSES, ActionSource, ActionStatus, EscalationRoute, RiskAspect, TriggerKind

# SafeLives: an action not done says why; these statuses need a note that says so.
NEEDS_REASON = {ActionStatus.NOT_POSSIBLE, ActionStatus.AGENCY_DID_NOT_ACT}


def _check_case(acting_user, case: Case) -> None:
    if not Case.objects.fully_visible_to(acting_user).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.status not in OPEN_STATUSES:
        raise ValidationError("The plan of a closed or routed case cannot change: reopen the case first")


def _check_lead(*, case, lead_user, lead_name: str, agency) -> dict:
    errors = {}
    if agency is None:
        errors["agency"] = "Select the agency that will do this"
    if lead_user is None and not lead_name.strip():
        errors["lead_user"] = "Name the lead for this action: someone in marm, or a named person in the agency"
    if lead_user is not None and agency is not None:
        if lead_user.agency_id != agency.pk:
            errors["lead_user"] = f"{lead_user.full_name} does not work for {agency}"
        elif not CaseAgency.objects.filter(
            case=case, agency_id=agency.pk, access="full", ended_at__isnull=True
        ).exists():
            errors["lead_user"] = "The lead's agency must take part in the case in full to see the action"
        elif not lead_user.is_active:
            errors["lead_user"] = "Choose someone whose account is active"
    return errors


def _aspects(values) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in RiskAspect.values]
    if unknown:
        raise ValidationError({"risk_aspects": f"Unknown risk aspect: {', '.join(unknown)}"})
    return values


def _tell_lead(action: Action, acting_user) -> None:
    if action.lead_user_id and action.lead_user_id != acting_user.pk:
        notify(
            recipient=action.lead_user,
            kind="action_assigned",
            key=f"action-assigned:{action.pk}:{action.lead_user_id}",
            title=f"You lead an action on case {action.case.reference}, due {long_date(action.due_date)}",
            link=reverse("plans:action", kwargs={"case_pk": action.case_id, "action_id": action.pk}),
            actor=acting_user,
        )


@acts_on("case", "meeting")
@transaction.atomic
def action_create(
    *,
    acting_user,
    case: Case,
    what: str,
    lead_user=None,
    lead_name: str = "",
    agency,
    due_date: datetime.date,
    risk_aspects=(),
    source: str = ActionSource.CASE,
    meeting=None,
) -> Action:
    """Add a SMART action to the case's plan (000 Appendix A stage 2: a named lead and a timescale)."""
    require(acting_user, "plans.add_action")
    _check_case(acting_user, case)
    errors = _check_lead(case=case, lead_user=lead_user, lead_name=lead_name, agency=agency)
    if not (what or "").strip():
        errors["what"] = "Say what will be done"
    if due_date is None:
        errors["due_date"] = "Enter the date it is due"
    elif due_date < timezone.localdate():
        errors["due_date"] = "The due date must be today or in the future"
    if meeting is not None and meeting.case_id != case.pk:
        errors["meeting"] = "That meeting is about another case"
    if errors:
        raise ValidationError(errors)
    action = Action(
        case=case,
        meeting=meeting,
        what=what.strip(),
        lead_user=lead_user,
        lead_name="" if lead_user is not None else lead_name.strip(),
        agency=agency,
        due_date=due_date,
        risk_aspects=_aspects(risk_aspects),
        status=ActionStatus.OPEN,
        source=source,
        created_by=acting_user,
    )
    action.full_clean()
    action.save(force_insert=True)
    ActionUpdate.objects.create(
        action=action, status=ActionStatus.OPEN, note="Action agreed", meeting=meeting, created_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=action,
        person_id=case.person_id,
        detail={"due_date": due_date.isoformat(), "source": source},
    )
    _tell_lead(action, acting_user)
    return action


@acts_on("action", "meeting")
@transaction.atomic
def action_progress(
    *, acting_user, action: Action, expected_version: int, status: str, note: str, meeting=None
) -> ActionUpdate:
    """Record progress on an action, or its outcome; the update joins the trail and is never edited."""
    require(acting_user, "plans.update_action", action)
    _check_case(acting_user, action.case)
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Select the action's status"})
    if not note.strip():
        raise ValidationError({"note": "Say what has happened"})
    if status in NEEDS_REASON and len(note.strip()) < 10:
        raise ValidationError({"note": "Say why the action was not done"})
    previous = action.status
    action.status = status
    save_if_current(action, expected_version=expected_version, fields=["status"])
    update = ActionUpdate.objects.create(
        action=action,
        status=status,
        note=note.strip(),
        changes={"status": [previous, status]} if previous != status else {},
        meeting=meeting,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=action,
        person_id=action.case.person_id,
        detail={"status": [previous, status]},
    )
    return update


@acts_on("action", "meeting")
@transaction.atomic
def action_revise(
    *,
    acting_user,
    action: Action,
    expected_version: int,
    what: str,
    due_date: datetime.date,
    agency,
    lead_user=None,
    lead_name: str = "",
    risk_aspects=(),
    note: str,
    meeting=None,
) -> Action:
    """Revise a live action at a review (000 Appendix A stage 3: revise the action plan)."""
    require(acting_user, "plans.update_action", action)
    _check_case(acting_user, action.case)
    if action.status not in LIVE_STATUSES:
        raise ValidationError("This action is finished: add a new action instead")
    errors = _check_lead(case=action.case, lead_user=lead_user, lead_name=lead_name, agency=agency)
    if not (what or "").strip():
        errors["what"] = "Say what will be done"
    if due_date is None:
        errors["due_date"] = "Enter the date it is due"
    if not note.strip():
        errors["note"] = "Say why the action is being revised"
    if errors:
        raise ValidationError(errors)
    before = {
        "what": action.what,
        "due_date": action.due_date.isoformat(),
        "agency": action.agency_id,
        "lead_user": action.lead_user_id,
        "lead_name": action.lead_name,
        "risk_aspects": action.risk_aspects,
    }
    action.what = what.strip()
    action.due_date = due_date
    action.agency = agency
    action.lead_user = lead_user
    action.lead_name = "" if lead_user is not None else lead_name.strip()
    action.risk_aspects = _aspects(risk_aspects)
    action.full_clean()
    after = {
        "what": action.what,
        "due_date": action.due_date.isoformat(),
        "agency": action.agency_id,
        "lead_user": action.lead_user_id,
        "lead_name": action.lead_name,
        "risk_aspects": action.risk_aspects,
    }
    changes = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
    save_if_current(
        action,
        expected_version=expected_version,
        fields=["what", "due_date", "agency", "lead_user", "lead_name", "risk_aspects"],
    )
    ActionUpdate.objects.create(
        action=action, status=action.status, note=note.strip(), changes=changes, meeting=meeting, created_by=acting_user
    )
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=action, person_id=action.case.person_id, detail=changes
    )
    if "lead_user" in changes:
        _tell_lead(action, acting_user)
    return action


@acts_on("case", "meeting")
@transaction.atomic
def contingency_plan_agree(
    *, acting_user, case: Case, triggers: list[dict], summary: str = "", meeting=None
) -> ContingencyPlan:
    """Agree a new version of the contingency and escalation plan; earlier versions are kept.

    ``triggers`` is a list of dicts with kind, threshold, what_to_do, who_to_contact and escalation_route.
    """
    require(acting_user, "plans.agree_contingency")
    _check_case(acting_user, case)
    if meeting is not None and meeting.case_id != case.pk:
        raise ValidationError("That meeting is about another case")
    if not triggers:
        raise ValidationError("Add at least one trigger: what would make the plan apply")
    errors = []
    for index, trigger in enumerate(triggers, start=1):
        if trigger.get("kind") not in TriggerKind.values:
            errors.append(f"Trigger {index}: select what happens")
        if not (trigger.get("what_to_do") or "").strip():
            errors.append(f"Trigger {index}: say what to do")
        if not (trigger.get("who_to_contact") or "").strip():
            errors.append(f"Trigger {index}: say who to contact")
        if trigger.get("escalation_route") not in EscalationRoute.values:
            errors.append(f"Trigger {index}: select the escalation route")
    if errors:
        raise ValidationError(errors)
    # Lock the case row so two agreements cannot both take the same version number.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    number = (ContingencyPlan.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    plan = ContingencyPlan(
        case=case, number=number, summary=summary.strip(), agreed_at_meeting=meeting, created_by=acting_user
    )
    plan.full_clean()
    plan.save(force_insert=True)
    triggers_written = ContingencyTrigger.objects.bulk_create(
        ContingencyTrigger(
            plan=plan,
            position=position,
            kind=trigger["kind"],
            threshold=(trigger.get("threshold") or "").strip(),
            what_to_do=trigger["what_to_do"].strip(),
            who_to_contact=trigger["who_to_contact"].strip(),
            escalation_route=trigger["escalation_route"],
        )
        for position, trigger in enumerate(triggers, start=1)
    )
    # The triggers are written with the plan version and never change: its row names them.
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=plan,
        person_id=case.person_id,
        detail={
            "number": number,
            "triggers": [trigger.pk for trigger in triggers_written],
            "meeting": meeting.pk if meeting else None,
        },
    )
    return plan
