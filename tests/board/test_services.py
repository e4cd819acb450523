"""The business plan's services: what the board officer may write, what is refused, and that a
refusal leaves nothing behind."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from marm.audit.models import AuditAction, AuditEvent
from marm.board import services
from marm.board.models import ActionProgress, BusinessPlan, Objective, PlanAction, Priority, Rag, Subgroup
from marm.core.locking import StaleEditError
from tests.board.conftest import report

pytestmark = pytest.mark.django_db


def _rows(model):
    return model.objects.count()


def test_the_board_officer_builds_a_plan_and_each_step_is_audited_about_no_one(board_officer, action):
    assert action.objective.priority.plan.year == 2025
    for record in (action.objective.priority.plan, action.objective.priority, action.objective, action):
        row = AuditEvent.objects.get(
            action=AuditAction.CREATE, object_id=str(record.pk), object_type=record._meta.label_lower
        )
        assert row.actor_user == board_officer
        assert row.person_id == ""


@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "auditor_a", "administrator"])
def test_other_roles_are_refused_and_nothing_is_written(request, persona, objective):
    user = request.getfixturevalue(persona)
    before = (_rows(BusinessPlan), _rows(Priority), _rows(PlanAction), _rows(Subgroup), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.business_plan_create(acting_user=user, title="Another plan", year=2026)
    with pytest.raises(PermissionDenied):
        services.priority_create(
            acting_user=user, plan=objective.priority.plan, code="SAB9", title="Ninth", statement="Nine"
        )
    with pytest.raises(PermissionDenied):
        services.action_create(acting_user=user, objective=objective, what="Audit", due_text="As required")
    with pytest.raises(PermissionDenied):
        services.subgroup_create(acting_user=user, name="Audit Subgroup")
    after = (_rows(BusinessPlan), _rows(Priority), _rows(PlanAction), _rows(Subgroup), AuditEvent.objects.count())
    assert after == before


def test_a_plan_needs_a_title_and_a_year_it_starts(board_officer):
    with pytest.raises(ValidationError) as refused:
        services.business_plan_create(acting_user=board_officer, title=" ", year=1999)
    assert refused.value.message_dict == {
        "title": ["Enter the title of the plan"],
        "year": ["Enter the year the plan starts, between 2000 and 2100"],
    }
    assert not BusinessPlan.objects.exists()


def test_a_priority_code_is_used_once_in_a_plan(board_officer, priority):
    with pytest.raises(ValidationError) as refused:
        services.priority_create(
            acting_user=board_officer, plan=priority.plan, code="sab1", title="Again", statement="Again"
        )
    assert refused.value.message_dict == {"code": ["The plan already has a priority SAB1"]}
    assert Priority.objects.count() == 1
    other = services.business_plan_create(acting_user=board_officer, title="Next year", year=2026)
    assert services.priority_create(acting_user=board_officer, plan=other, code="SAB1", title="T", statement="S")


def test_priorities_objectives_and_actions_keep_the_order_they_were_added_in(board_officer, priority, objective):
    second = services.priority_create(
        acting_user=board_officer, plan=priority.plan, code="SAB2", title="Mental Capacity", statement="S"
    )
    assert (priority.order, second.order) == (1, 2)
    one = services.action_create(acting_user=board_officer, objective=objective, what="One", due_text="Soon")
    two = services.action_create(acting_user=board_officer, objective=objective, what="Two", due_text="Later")
    assert list(PlanAction.objects.filter(objective=objective)) == [one, two]


def test_an_action_says_what_and_when_and_names_one_responsible(board_officer, objective, procedures, agency_a):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.action_create(
            acting_user=board_officer,
            objective=objective,
            what="",
            responsible_subgroup=procedures,
            responsible_agency=agency_a,
            measure_code="NOPE",
        )
    assert refused.value.message_dict == {
        "what": ["Say what we are going to do"],
        "due_date": ["Enter the date the action is due by, or say when it will be done"],
        "responsible_agency": ["Choose a subgroup or an agency as responsible, not both"],
        "measure_code": ["Select a measure from the list"],
    }
    assert not PlanAction.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_database_refuses_an_action_with_two_responsible(board_officer, objective, procedures, agency_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.create(
            objective=objective,
            what="Both",
            responsible_subgroup=procedures,
            responsible_agency=agency_a,
            created_by=board_officer,
        )


def test_an_action_names_a_measure_from_the_registry(board_officer, objective):
    action = services.action_create(
        acting_user=board_officer,
        objective=objective,
        what="Audit engagement",
        due_text="Dec 2019",
        measure_code="MEET1",
    )
    assert action.measure_code == "MEET1"


def test_the_same_form_sent_twice_makes_one_action(board_officer, objective):
    key = uuid.uuid4()
    first = services.action_create(
        acting_user=board_officer, objective=objective, what="Audit", due_text="Soon", submission_key=key
    )
    second = services.action_create(
        acting_user=board_officer, objective=objective, what="Audit", due_text="Soon", submission_key=key
    )
    assert first == second
    assert PlanAction.objects.count() == 1


def test_a_stale_edit_is_refused_and_the_first_change_stays(board_officer, action):
    mine = PlanAction.objects.get(pk=action.pk)
    theirs = PlanAction.objects.get(pk=action.pk)
    services.action_edit(
        acting_user=board_officer, action=theirs, expected_version=theirs.version, what="Their words", due_text="Soon"
    )
    with pytest.raises(StaleEditError) as stale:
        services.action_edit(
            acting_user=board_officer, action=mine, expected_version=mine.version, what="My words", due_text="Soon"
        )
    assert stale.value.current.what == "Their words"
    action.refresh_from_db()
    assert (action.what, action.version) == ("Their words", 2)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).count() == 1


def test_red_and_amber_progress_say_why(board_officer, action, today):
    with pytest.raises(ValidationError) as refused:
        report(board_officer, action, rag=Rag.RED)
    assert refused.value.message_dict == {"rag_reason": ["Say why the action is red: off track"]}
    with pytest.raises(ValidationError):
        report(board_officer, action, rag=Rag.AMBER, reason="  ")
    with pytest.raises(ValidationError) as future:
        report(board_officer, action, on=today + datetime.timedelta(days=1))
    assert future.value.message_dict == {
        "reported_on": ["The date of the progress report must be today or in the past"]
    }
    assert not ActionProgress.objects.exists()
    red = report(board_officer, action, rag=Rag.RED, reason="The subgroup has not met")
    assert red.rag_reason == "The subgroup has not met"


def test_the_database_refuses_a_red_status_without_a_reason(board_officer, action, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionProgress.objects.create(
            plan_action=action, reported_on=today, note="x", rag=Rag.RED, recorded_by=board_officer
        )


def test_sign_off_is_refused_without_evidence(board_officer, action):
    report(board_officer, action, rag=Rag.COMPLETE)
    with pytest.raises(ValidationError) as refused:
        services.action_sign_off(acting_user=board_officer, action=action, expected_version=action.version)
    assert refused.value.messages == ["Add progress with evidence before signing the action off"]
    action.refresh_from_db()
    assert action.signed_off_at is None and action.signed_off_by is None
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(action.pk)).exists()


def test_sign_off_is_refused_until_the_latest_progress_is_complete(board_officer, action, today):
    with pytest.raises(ValidationError) as nothing_yet:
        services.action_sign_off(acting_user=board_officer, action=action, expected_version=action.version)
    assert len(nothing_yet.value.messages) == 2
    report(
        board_officer, action, rag=Rag.COMPLETE, evidence="Report to the Board", on=today - datetime.timedelta(days=2)
    )
    report(board_officer, action, rag=Rag.AMBER, reason="Feedback shows the guidance is not used", on=today)
    with pytest.raises(ValidationError) as refused:
        services.action_sign_off(acting_user=board_officer, action=action, expected_version=action.version)
    assert refused.value.messages == ["Sign the action off only when its latest progress is complete"]
    assert PlanAction.objects.get(pk=action.pk).signed_off_at is None


def test_sign_off_is_for_the_board_officer_only(board_officer, manager_a, action):
    report(board_officer, action, rag=Rag.COMPLETE, evidence="Audit report")
    with pytest.raises(PermissionDenied):
        services.action_sign_off(acting_user=manager_a, action=action, expected_version=action.version)
    assert PlanAction.objects.get(pk=action.pk).signed_off_at is None


def test_a_signed_off_action_takes_no_more_progress_or_changes(board_officer, action):
    report(board_officer, action, rag=Rag.COMPLETE, evidence="Audit report")
    services.action_sign_off(acting_user=board_officer, action=action, expected_version=action.version)
    action.refresh_from_db()
    assert action.signed_off_by == board_officer and action.is_signed_off
    row = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(action.pk))
    assert row.detail["signed_off"] is True and row.person_id == ""
    with pytest.raises(ValidationError):
        report(board_officer, action, rag=Rag.GREEN)
    with pytest.raises(ValidationError):
        services.action_edit(
            acting_user=board_officer, action=action, expected_version=action.version, what="New", due_text="Soon"
        )
    with pytest.raises(ValidationError):
        services.action_sign_off(acting_user=board_officer, action=action, expected_version=action.version)
    assert ActionProgress.objects.filter(plan_action=action).count() == 1


def test_a_subgroup_name_is_used_once(board_officer, procedures):
    with pytest.raises(ValidationError) as refused:
        services.subgroup_create(acting_user=board_officer, name="procedures  subgroup")
    assert refused.value.message_dict == {"name": ["There is already a subgroup called procedures subgroup"]}
    assert Subgroup.objects.count() == 1


def test_an_objective_is_measured_by_two_different_surveys(board_officer, priority):
    from marm.surveys.models import Survey

    survey = Survey.objects.create(
        title="Confidence",
        purpose="Baseline",
        opens_on=datetime.date(2025, 5, 1),
        closes_on=datetime.date(2025, 5, 31),
        created_by=board_officer,
    )
    with pytest.raises(ValidationError):
        services.objective_create(
            acting_user=board_officer, priority=priority, text="T", baseline_survey=survey, follow_up_survey=survey
        )
    assert not Objective.objects.exists()
    objective = services.objective_create(
        acting_user=board_officer, priority=priority, text="T", baseline_survey=survey
    )
    assert objective.baseline_survey == survey


def test_editing_a_priority_records_what_changed(board_officer, priority):
    services.priority_edit(
        acting_user=board_officer,
        priority=priority,
        code="SAB1",
        title="Effective Support Pathways",
        statement=priority.statement,
        partnership_lead="Local Authority",
        delivery_mechanism=None,
    )
    row = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(priority.pk))
    assert row.detail["title"] == ["Effective Multi-Agency meetings", "Effective Support Pathways"]
    assert row.detail["delivery_mechanism"][1] is None
