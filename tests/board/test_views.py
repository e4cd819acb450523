"""The board's pages as the board officer, and as everyone else (403: the plan is about no one)."""

import datetime
import re

import pytest
from django.urls import reverse

from marm.assurance import registry
from marm.board import services
from marm.board.models import ActionProgress, BusinessPlan, PlanAction, Priority, Rag, Subgroup
from tests.board.conftest import report
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _summary(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


@pytest.fixture
def officer_client(client_for, board_officer):
    return client_for(board_officer)


def _board_urls(plan, priority, objective, action):
    return [
        reverse("board:home"),
        reverse("board:plan-new"),
        reverse("board:plan", kwargs={"plan_id": plan.pk}),
        reverse("board:plan-edit", kwargs={"plan_id": plan.pk}),
        reverse("board:priority-new", kwargs={"plan_id": plan.pk}),
        reverse("board:priority-edit", kwargs={"priority_id": priority.pk}),
        reverse("board:objective-new", kwargs={"priority_id": priority.pk}),
        reverse("board:objective-edit", kwargs={"objective_id": objective.pk}),
        reverse("board:action-new", kwargs={"objective_id": objective.pk}),
        reverse("board:action", kwargs={"action_id": action.pk}),
        reverse("board:action-edit", kwargs={"action_id": action.pk}),
        reverse("board:action-sign-off", kwargs={"action_id": action.pk}),
        reverse("board:subgroups"),
    ]


def test_the_board_officer_opens_every_board_page(officer_client, action):
    objective = action.objective
    for url in _board_urls(objective.priority.plan, objective.priority, objective, action):
        assert officer_client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["practitioner_a", "outsider", "manager_a", "administrator"])
def test_everyone_else_gets_403_on_every_board_page_and_writes_nothing(request, client_for, persona, action):
    client = client_for(request.getfixturevalue(persona))
    objective = action.objective
    before = (BusinessPlan.objects.count(), Priority.objects.count(), PlanAction.objects.count())
    for url in _board_urls(objective.priority.plan, objective.priority, objective, action):
        assert client.get(url).status_code == 403, url
        response = client.post(url, {"title": "Plan", "year": "2026", "name": "Group", "code": "SAB9"})
        assert response.status_code == 403, url
    assert (BusinessPlan.objects.count(), Priority.objects.count(), PlanAction.objects.count()) == before
    assert not ActionProgress.objects.exists() and Subgroup.objects.count() == 1


def test_the_navigation_shows_the_board_to_the_board_officer_and_people_to_casework(
    officer_client, client_for, practitioner_a, auditor_a
):
    page = officer_client.get(reverse("dashboards:home")).content.decode()
    assert f'href="{reverse("board:home")}"' in page and ">Board</a>" in page
    assert ">People</a>" not in page
    assert "The board's business plans" in page
    for user in (practitioner_a, auditor_a):
        page = client_for(user).get(reverse("dashboards:home")).content.decode()
        assert ">People</a>" in page and ">Board</a>" not in page


def test_the_home_page_counts_overdue_and_unassured_actions(officer_client, board_officer, action, today):
    late = services.action_create(
        acting_user=board_officer,
        objective=action.objective,
        what="Late",
        due_date=today - datetime.timedelta(days=3),
    )
    report(board_officer, action, rag=Rag.COMPLETE, evidence="Report")
    page = officer_client.get(reverse("board:home")).content.decode()
    assert "Business Development Plan" in page and "April 2025 to March 2026" in page
    assert "1 overdue" in page and "1 to sign off" in page
    for name in ("sar:list", "assurance:list", "surveys:list", "board:subgroups"):
        assert f'href="{reverse(name)}"' in page, name
    report(board_officer, late, rag=Rag.COMPLETE, evidence="Done")
    services.action_sign_off(acting_user=board_officer, action=late, expected_version=late.version)
    page = officer_client.get(reverse("board:home")).content.decode()
    assert "overdue</strong>" not in page and "1 to sign off" in page


def test_the_plan_page_reads_like_the_plan(officer_client, board_officer, action, today):
    report(board_officer, action, rag=Rag.AMBER, reason="Attendance is low", on=today - datetime.timedelta(days=1))
    page = officer_client.get(
        reverse("board:plan", kwargs={"plan_id": action.objective.priority.plan_id})
    ).content.decode()
    for words in (
        "Priority SAB1 (Joint with Leicester SAB)",
        "Effective Multi-Agency meetings",
        "Multi-agency meetings regarding vulnerable adults are effective",
        "<li>Gaps in attendance</li>",
        "<li>Or of advocacy</li>",
        "Practitioners are more confident.",
        "Local Authority - TBC",
        "to be allocated",
        "Procedures Subgroup",
        "An effective structure is in place",
        "What are we going to do?",
        "How will we measure progress and impact?",
        "Review and report on multi-agency meetings",
        "Next month",
        "Report to the Board",
        "Amber: at risk",
        (today - datetime.timedelta(days=1)).strftime("%-d %b %Y"),
    ):
        assert words in page, words


def test_overdue_and_unassured_actions_stand_out_and_can_be_shown_alone(officer_client, board_officer, action, today):
    objective = action.objective
    late = services.action_create(
        acting_user=board_officer, objective=objective, what="Late action", due_date=today - datetime.timedelta(days=1)
    )
    done = services.action_create(acting_user=board_officer, objective=objective, what="Done action", due_text="Soon")
    report(board_officer, done, rag=Rag.COMPLETE, evidence="Minutes")
    url = reverse("board:plan", kwargs={"plan_id": objective.priority.plan_id})
    page = officer_client.get(url).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Complete, not signed off</strong>' in page
    assert "Review and report on multi-agency meetings" in page
    filtered = officer_client.get(url, {"show": "attention"}).content.decode()
    assert "Late action" in filtered and "Done action" in filtered
    assert "Review and report on multi-agency meetings" not in filtered
    assert 'value="attention" checked' in filtered
    assert late.pk and done.pk


def _measure(code, facts):
    return registry.Measure(
        code=code,
        title="Agencies attending (test)",
        definition="",
        numerator="",
        denominator="",
        date_basis="",
        unit=registry.Unit.PERCENT,
        chart=registry.Chart.BAR,
        grouped_by="agency",
        compute=lambda window: facts,
    )


def test_an_action_with_a_measure_shows_the_live_figure(monkeypatch, officer_client, board_officer, objective):
    facts = [registry.Fact(quarter=datetime.date(2025, 4, 1), group="Police", numerator=3, denominator=4)]
    monkeypatch.setitem(registry.MEASURES, "TEST1", _measure("TEST1", facts))
    action = services.action_create(
        acting_user=board_officer, objective=objective, what="Audit engagement", due_text="Dec", measure_code="TEST1"
    )
    for url in (
        reverse("board:plan", kwargs={"plan_id": objective.priority.plan_id}),
        reverse("board:action", kwargs={"action_id": action.pk}),
    ):
        page = officer_client.get(url).content.decode()
        assert "Agencies attending (test)" in page and "<strong>75%</strong>" in page, url
        assert f'href="{reverse("assurance:detail", kwargs={"code": "TEST1"})}"' in page
    monkeypatch.delitem(registry.MEASURES, "TEST1")
    page = officer_client.get(reverse("board:action", kwargs={"action_id": action.pk})).content.decode()
    assert "This measure is no longer available" in page


def test_the_board_officer_adds_a_plan_a_priority_an_objective_and_an_action(officer_client, procedures):
    response = officer_client.post(reverse("board:plan-new"), {"title": "Plan 2026-27", "year": "2026"})
    plan = BusinessPlan.objects.get(title="Plan 2026-27")
    assert response["Location"] == reverse("board:plan", kwargs={"plan_id": plan.pk})
    officer_client.post(
        reverse("board:priority-new", kwargs={"plan_id": plan.pk}),
        {"code": "sab1", "title": "Meetings", "statement": "Meetings work", "delivery_mechanism": procedures.pk},
    )
    priority = Priority.objects.get(plan=plan)
    assert priority.code == "SAB1" and priority.delivery_mechanism == procedures
    officer_client.post(reverse("board:objective-new", kwargs={"priority_id": priority.pk}), {"text": "Structure"})
    objective = priority.objectives.get()
    response = officer_client.post(
        reverse("board:action-new", kwargs={"objective_id": objective.pk}),
        {
            "what": "Audit engagement in meetings.",
            "due_text": "Dec 2026",
            **_date("due_date", datetime.date(2026, 12, 31)),
            "responsible_subgroup": procedures.pk,
            "measure_code": "MEET1",
        },
    )
    action = PlanAction.objects.get(objective=objective)
    assert response["Location"] == reverse("board:action", kwargs={"action_id": action.pk})
    assert (action.due_date, action.due_text, action.measure_code) == (datetime.date(2026, 12, 31), "Dec 2026", "MEET1")


def test_empty_forms_show_the_error_summary_and_save_nothing(officer_client, objective):
    page = officer_client.post(reverse("board:plan-new"), {}).content.decode()
    assert _summary(page) == ["Enter the title of the plan", "Enter the year the plan starts, like 2019"]
    page = officer_client.post(reverse("board:action-new", kwargs={"objective_id": objective.pk}), {}).content.decode()
    assert _summary(page) == [
        "Say what we are going to do",
        "Enter the date the action is due by, or say when it will be done",
    ]
    page = officer_client.post(reverse("board:subgroups"), {"name": ""}).content.decode()
    assert _summary(page) == ["Enter the name of the subgroup"]
    assert BusinessPlan.objects.count() == 1 and not PlanAction.objects.exists() and Subgroup.objects.count() == 1


def test_progress_is_added_on_the_action_page_and_listed_newest_first(officer_client, action, today):
    url = reverse("board:action", kwargs={"action_id": action.pk})
    yesterday = today - datetime.timedelta(days=1)
    officer_client.post(url, {"note": "First meeting held", "rag": "green", **_date("reported_on", yesterday)})
    response = officer_client.post(
        url,
        {"note": "Report written", "evidence": "Report to the Board", "rag": "complete", **_date("reported_on", today)},
    )
    assert response.status_code == 302
    page = officer_client.get(url).content.decode()
    assert page.index("Report written") < page.index("First meeting held")
    assert "Complete, not signed off" in page
    refused = officer_client.post(url, {"note": "Stuck", "rag": "red", **_date("reported_on", today)}).content.decode()
    assert _summary(refused) == ["Say why the action is red: off track"]
    assert ActionProgress.objects.filter(plan_action=action).count() == 2


def test_sign_off_asks_first_and_is_refused_without_evidence(officer_client, board_officer, action):
    url = reverse("board:action-sign-off", kwargs={"action_id": action.pk})
    report(board_officer, action, rag=Rag.COMPLETE)
    assert "Are you sure you want to sign off this action?" in officer_client.get(url).content.decode()
    page = officer_client.post(url, {"version": action.version}).content.decode()
    assert _summary(page) == ["Add progress with evidence before signing the action off"]
    assert PlanAction.objects.get(pk=action.pk).signed_off_at is None
    report(board_officer, action, rag=Rag.COMPLETE, evidence="Minutes of the Board, March")
    response = officer_client.post(url, {"version": action.version})
    assert response["Location"] == reverse("board:action", kwargs={"action_id": action.pk})
    page = officer_client.get(response["Location"]).content.decode()
    assert "Signed off</strong>" in page and "Sign off the action" not in page and "Add progress" not in page


def test_C1_a_stale_edit_shows_both_versions_and_overwrites_nothing(officer_client, board_officer, action):
    url = reverse("board:action-edit", kwargs={"action_id": action.pk})
    stale_version = action.version
    services.action_edit(
        acting_user=board_officer, action=action, expected_version=action.version, what="Their words", due_text="Soon"
    )
    response = officer_client.post(url, {"what": "My words", "due_text": "Later", "version": stale_version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this action while you were editing" in page
    assert "Their words" in page and "My words" in page
    assert PlanAction.objects.get(pk=action.pk).what == "Their words"
    saved = officer_client.post(url, {"what": "My words", "due_text": "Later", "version": stale_version + 1})
    assert saved.status_code == 302 and PlanAction.objects.get(pk=action.pk).what == "My words"


def test_no_board_page_shows_a_person(officer_client, board_officer, practitioner_a, action, today):
    from marm.cases.services import case_raise

    person = PersonFactory(created_by=practitioner_a, given_name="Winifred", family_name="Abernethy")
    case_raise(acting_user=practitioner_a, person=person, what_is_happening="Hoarding and two small fires")
    report(board_officer, action, rag=Rag.COMPLETE, evidence="Report")
    objective = action.objective
    for url in _board_urls(objective.priority.plan, objective.priority, objective, action):
        page = officer_client.get(url).content.decode()
        assert "Winifred" not in page and "Abernethy" not in page, url
