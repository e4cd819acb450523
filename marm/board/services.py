"""Writes on the board's business plan (003): plans, priorities, objectives, actions, progress and sign-off.

Each service is one transaction with its audit row. The plan is about no one,
so the audit rows name no person.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from marm.access.rules import require
from marm.assurance.registry import MEASURES
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.board.models import (
    NEEDS_REASON,
    ActionProgress,
    BusinessPlan,
    Objective,
    PlanAction,
    Priority,
    Rag,
    Subgroup,
)
from marm.core.locking import save_if_current
from marm.govuk_forms.submission import first_submission, save_once

MANAGE = "board.manage_board"


def _text(value) -> str:
    return (value or "").strip()


def _next_order(queryset) -> int:
    return (queryset.aggregate(n=Max("order"))["n"] or 0) + 1


def _changes(before: dict, after: dict) -> dict:
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


def _shown(value):
    """A value as the audit row keeps it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# Subgroups


@transaction.atomic
def subgroup_create(*, acting_user, name: str) -> Subgroup:
    """Add one of the board's subgroups or task and finish groups."""
    require(acting_user, MANAGE)
    name = " ".join(_text(name).split())
    if not name:
        raise ValidationError({"name": "Enter the name of the subgroup"})
    if Subgroup.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a subgroup called {name}"})
    subgroup = Subgroup(name=name)
    subgroup.full_clean()
    subgroup.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=subgroup, detail={"name": name})
    return subgroup


# Plans


def _plan_errors(title: str, year) -> dict:
    errors = {}
    if not title:
        errors["title"] = "Enter the title of the plan"
    if year is None:
        errors["year"] = "Enter the year the plan starts, like 2019"
    elif not 2000 <= year <= 2100:
        errors["year"] = "Enter the year the plan starts, between 2000 and 2100"
    return errors


@transaction.atomic
def business_plan_create(*, acting_user, title: str, year: int) -> BusinessPlan:
    """Start the board's business plan for the financial year from April ``year``."""
    require(acting_user, MANAGE)
    title = _text(title)
    errors = _plan_errors(title, year)
    if not errors and BusinessPlan.objects.filter(title=title, year=year).exists():
        errors["title"] = "There is already a plan with this title for that year"
    if errors:
        raise ValidationError(errors)
    plan = BusinessPlan(title=title, year=year, created_by=acting_user)
    plan.full_clean()
    plan.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=plan, detail={"title": title, "year": year})
    return plan


@transaction.atomic
def business_plan_edit(*, acting_user, plan: BusinessPlan, title: str, year: int) -> BusinessPlan:
    require(acting_user, MANAGE)
    title = _text(title)
    errors = _plan_errors(title, year)
    if not errors and BusinessPlan.objects.filter(title=title, year=year).exclude(pk=plan.pk).exists():
        errors["title"] = "There is already a plan with this title for that year"
    if errors:
        raise ValidationError(errors)
    before = {"title": plan.title, "year": plan.year}
    plan.title, plan.year = title, year
    plan.full_clean()
    plan.save(update_fields=["title", "year"])
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=plan, detail=_changes(before, {"title": title, "year": year})
    )
    return plan


# Priorities

PRIORITY_FIELDS = (
    "code",
    "title",
    "joint_with",
    "statement",
    "rationale",
    "what_different",
    "partnership_lead",
    "board_officer",
    "delivery_mechanism",
)


def _priority_values(**values) -> dict:
    cleaned = {name: _text(values[name]) for name in PRIORITY_FIELDS if name != "delivery_mechanism"}
    cleaned["code"] = cleaned["code"].upper()
    cleaned["delivery_mechanism"] = values["delivery_mechanism"]
    errors = {}
    if not cleaned["code"]:
        errors["code"] = "Enter the priority's code, like SAB1"
    if not cleaned["title"]:
        errors["title"] = "Enter the priority's title"
    if not cleaned["statement"]:
        errors["statement"] = "Enter the priority statement"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_code_free(plan, code, *, exclude=None) -> None:
    taken = Priority.objects.filter(plan=plan, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"code": f"The plan already has a priority {code}"})


@transaction.atomic
def priority_create(
    *,
    acting_user,
    plan: BusinessPlan,
    code: str,
    title: str,
    statement: str,
    joint_with: str = "",
    rationale: str = "",
    what_different: str = "",
    partnership_lead: str = "",
    board_officer: str = "",
    delivery_mechanism: Subgroup | None = None,
) -> Priority:
    """Add a priority to the plan, after the others."""
    require(acting_user, MANAGE)
    values = _priority_values(
        code=code,
        title=title,
        statement=statement,
        joint_with=joint_with,
        rationale=rationale,
        what_different=what_different,
        partnership_lead=partnership_lead,
        board_officer=board_officer,
        delivery_mechanism=delivery_mechanism,
    )
    _check_code_free(plan, values["code"])
    priority = Priority(plan=plan, order=_next_order(Priority.objects.filter(plan=plan)), **values)
    priority.full_clean()
    priority.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=priority,
        detail={"plan": plan.pk, "code": priority.code},
    )
    return priority


@transaction.atomic
def priority_edit(
    *,
    acting_user,
    priority: Priority,
    code: str,
    title: str,
    statement: str,
    joint_with: str = "",
    rationale: str = "",
    what_different: str = "",
    partnership_lead: str = "",
    board_officer: str = "",
    delivery_mechanism: Subgroup | None = None,
) -> Priority:
    require(acting_user, MANAGE)
    values = _priority_values(
        code=code,
        title=title,
        statement=statement,
        joint_with=joint_with,
        rationale=rationale,
        what_different=what_different,
        partnership_lead=partnership_lead,
        board_officer=board_officer,
        delivery_mechanism=delivery_mechanism,
    )
    _check_code_free(priority.plan_id, values["code"], exclude=priority)
    before = {name: _shown(getattr(priority, name)) for name in PRIORITY_FIELDS}
    for name, value in values.items():
        setattr(priority, name, value)
    priority.full_clean()
    priority.save(update_fields=list(PRIORITY_FIELDS))
    after = {name: _shown(getattr(priority, name)) for name in PRIORITY_FIELDS}
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=priority, detail=_changes(before, after))
    return priority


# Objectives


def _objective_errors(text: str, baseline_survey, follow_up_survey) -> dict:
    errors = {}
    if not text:
        errors["text"] = "Enter the objective"
    if baseline_survey is not None and follow_up_survey is not None and baseline_survey.pk == follow_up_survey.pk:
        errors["follow_up_survey"] = "Choose a different survey for the follow-up from the one for the baseline"
    return errors


@transaction.atomic
def objective_create(
    *, acting_user, priority: Priority, text: str, baseline_survey=None, follow_up_survey=None
) -> Objective:
    """Add an objective under a priority, after the others."""
    require(acting_user, MANAGE)
    text = _text(text)
    errors = _objective_errors(text, baseline_survey, follow_up_survey)
    if errors:
        raise ValidationError(errors)
    objective = Objective(
        priority=priority,
        text=text,
        order=_next_order(Objective.objects.filter(priority=priority)),
        baseline_survey=baseline_survey,
        follow_up_survey=follow_up_survey,
    )
    objective.full_clean()
    objective.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=objective, detail={"priority": priority.pk})
    return objective


@transaction.atomic
def objective_edit(
    *, acting_user, objective: Objective, text: str, baseline_survey=None, follow_up_survey=None
) -> Objective:
    require(acting_user, MANAGE)
    text = _text(text)
    errors = _objective_errors(text, baseline_survey, follow_up_survey)
    if errors:
        raise ValidationError(errors)
    fields = ["text", "baseline_survey", "follow_up_survey"]
    before = {name: _shown(getattr(objective, name)) for name in fields}
    objective.text = text
    objective.baseline_survey = baseline_survey
    objective.follow_up_survey = follow_up_survey
    objective.full_clean()
    objective.save(update_fields=fields)
    after = {name: _shown(getattr(objective, name)) for name in fields}
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=objective, detail=_changes(before, after))
    return objective


# Actions

ACTION_FIELDS = (
    "what",
    "due_date",
    "due_text",
    "responsible_subgroup",
    "responsible_agency",
    "how_measured",
    "measure_code",
)


def _action_values(
    *, what, due_date, due_text, responsible_subgroup, responsible_agency, how_measured, measure_code
) -> dict:
    values = {
        "what": _text(what),
        "due_date": due_date,
        "due_text": " ".join(_text(due_text).split()),
        "responsible_subgroup": responsible_subgroup,
        "responsible_agency": responsible_agency,
        "how_measured": _text(how_measured),
        "measure_code": _text(measure_code),
    }
    errors = {}
    if not values["what"]:
        errors["what"] = "Say what we are going to do"
    if due_date is None and not values["due_text"]:
        errors["due_date"] = "Enter the date the action is due by, or say when it will be done"
    if responsible_subgroup is not None and responsible_agency is not None:
        errors["responsible_agency"] = "Choose a subgroup or an agency as responsible, not both"
    if values["measure_code"] and values["measure_code"] not in MEASURES:
        errors["measure_code"] = "Select a measure from the list"
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def action_create(
    *,
    acting_user,
    objective: Objective,
    what: str,
    due_date: datetime.date | None = None,
    due_text: str = "",
    responsible_subgroup: Subgroup | None = None,
    responsible_agency=None,
    how_measured: str = "",
    measure_code: str = "",
    submission_key: uuid.UUID | None = None,
) -> PlanAction:
    """Add an action under an objective: what, when, who is responsible and how progress is measured.

    ``submission_key`` is the form's token: a second post of the same form gives
    back the action the first one made.
    """
    require(acting_user, MANAGE)
    earlier = first_submission(PlanAction.objects.filter(objective=objective), submission_key)
    if earlier is not None:
        return earlier
    values = _action_values(
        what=what,
        due_date=due_date,
        due_text=due_text,
        responsible_subgroup=responsible_subgroup,
        responsible_agency=responsible_agency,
        how_measured=how_measured,
        measure_code=measure_code,
    )
    action = PlanAction(
        objective=objective,
        order=_next_order(PlanAction.objects.filter(objective=objective)),
        created_by=acting_user,
        submission_key=submission_key,
        **values,
    )
    action.full_clean(exclude=["submission_key"])
    action, made = save_once(action, PlanAction.objects.filter(objective=objective))
    if not made:
        return action
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=action,
        detail={"objective": objective.pk, **{name: _shown(values[name]) for name in ("due_date", "measure_code")}},
    )
    return action


@transaction.atomic
def action_edit(
    *,
    acting_user,
    action: PlanAction,
    expected_version: int,
    what: str,
    due_date: datetime.date | None = None,
    due_text: str = "",
    responsible_subgroup: Subgroup | None = None,
    responsible_agency=None,
    how_measured: str = "",
    measure_code: str = "",
) -> PlanAction:
    """Change an action. Whoever saved since ``expected_version`` was read is not overwritten:
    the save is refused with StaleEditError carrying the action as it now stands."""
    require(acting_user, MANAGE)
    if action.is_signed_off:
        raise ValidationError("This action is signed off: it can no longer change")
    values = _action_values(
        what=what,
        due_date=due_date,
        due_text=due_text,
        responsible_subgroup=responsible_subgroup,
        responsible_agency=responsible_agency,
        how_measured=how_measured,
        measure_code=measure_code,
    )
    before = {name: _shown(getattr(action, name)) for name in ACTION_FIELDS}
    for name, value in values.items():
        setattr(action, name, value)
    action.full_clean(exclude=["submission_key"])
    save_if_current(action, expected_version=expected_version, fields=list(ACTION_FIELDS))
    after = {name: _shown(getattr(action, name)) for name in ACTION_FIELDS}
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=action, detail=_changes(before, after))
    return action


def _locked(action: PlanAction) -> PlanAction:
    """The action as stored, its row locked, so a sign-off and a progress report do not cross."""
    return PlanAction.objects.select_for_update().get(pk=action.pk)


@transaction.atomic
def action_progress_add(
    *,
    acting_user,
    action: PlanAction,
    reported_on: datetime.date,
    note: str,
    rag: str,
    evidence: str = "",
    rag_reason: str = "",
    submission_key: uuid.UUID | None = None,
) -> ActionProgress:
    """Report progress on an action with its RAG status; the report joins the trail and is never edited."""
    require(acting_user, MANAGE)
    earlier = first_submission(ActionProgress.objects.filter(plan_action=action), submission_key)
    if earlier is not None:
        return earlier
    stored = _locked(action)
    if stored.is_signed_off:
        raise ValidationError("This action is signed off: no more progress can be added")
    note, evidence, rag_reason = _text(note), _text(evidence), _text(rag_reason)
    errors = {}
    if reported_on is None:
        errors["reported_on"] = "Enter the date of the progress report"
    elif reported_on > timezone.localdate():
        errors["reported_on"] = "The date of the progress report must be today or in the past"
    if not note:
        errors["note"] = "Say what was done"
    if rag not in Rag.values:
        errors["rag"] = "Select the RAG status"
    elif rag in NEEDS_REASON and not rag_reason:
        errors["rag_reason"] = f"Say why the action is {Rag(rag).label.lower()}"
    if errors:
        raise ValidationError(errors)
    progress = ActionProgress(
        plan_action=stored,
        reported_on=reported_on,
        note=note,
        evidence=evidence,
        rag=rag,
        rag_reason=rag_reason if rag in NEEDS_REASON else "",
        recorded_by=acting_user,
        submission_key=submission_key,
    )
    progress.full_clean(exclude=["submission_key"])
    progress, made = save_once(progress, ActionProgress.objects.filter(plan_action=action))
    if not made:
        return progress
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=progress,
        detail={"plan_action": action.pk, "rag": rag, "reported_on": reported_on.isoformat()},
    )
    return progress


@transaction.atomic
def action_sign_off(*, acting_user, action: PlanAction, expected_version: int) -> PlanAction:
    """The board officer signs an action off, assured by its evidence: its latest RAG is complete
    and at least one progress report gives evidence."""
    require(acting_user, MANAGE)
    stored = _locked(action)
    if stored.is_signed_off:
        raise ValidationError("This action is already signed off")
    trail = list(ActionProgress.objects.filter(plan_action=stored).order_by("reported_on", "recorded_at", "pk"))
    errors = []
    if not any(progress.evidence for progress in trail):
        errors.append("Add progress with evidence before signing the action off")
    if not trail or trail[-1].rag != Rag.COMPLETE:
        errors.append("Sign the action off only when its latest progress is complete")
    if errors:
        raise ValidationError(errors)
    action.signed_off_by = acting_user
    action.signed_off_at = timezone.now()
    save_if_current(action, expected_version=expected_version, fields=["signed_off_by", "signed_off_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=action,
        detail={"signed_off": True, "evidence_from": [progress.pk for progress in trail if progress.evidence]},
    )
    return action
