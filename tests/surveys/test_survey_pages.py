"""The pages, as each persona: the board officer runs surveys and reads results; a practitioner
answers the surveys they were asked; nobody else opens either."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.organisations.models import Role
from marm.surveys.models import Answer, Invitation, Response, Survey
from marm.surveys.vocab import DEFAULT_QUESTIONS, SurveyPhase, SurveyStatus
from tests.budgets import QUERY_BUDGETS
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _summary_lines(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def _date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _url(name, survey, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"survey_id": survey.pk, **kwargs})


@pytest.fixture
def officer_client(client_for, board_officer):
    return client_for(board_officer)


def test_the_board_officer_creates_a_survey_through_the_form(officer_client, agency_a, agency_b, today):
    response = officer_client.post(
        reverse("surveys:new"),
        {
            "title": "Practitioner confidence before the new approach",
            "purpose": "How confident do you feel?",
            "agencies": [agency_a.pk, agency_b.pk],
            "roles": [Role.PRACTITIONER],
            "phase": SurveyPhase.BASELINE,
            "baseline": "",
            **_date("opens_on", today),
            **_date("closes_on", today + datetime.timedelta(days=14)),
        },
    )
    survey = Survey.objects.get()
    assert response["Location"] == _url("detail", survey)
    page = officer_client.get(response["Location"]).content.decode()
    assert "Practitioner confidence before the new approach" in page
    for text in DEFAULT_QUESTIONS:
        assert text in page
    assert agency_b.name in page


def test_a_repeated_post_of_the_create_form_makes_one_survey(officer_client, agency_a, today):
    data = {
        "title": "Practitioner confidence",
        "purpose": "How confident do you feel?",
        "agencies": [agency_a.pk],
        "roles": [Role.PRACTITIONER],
        "phase": SurveyPhase.BASELINE,
        "submission_key": "6f1c1d7e-8a57-4c55-9d43-0e6bb1f0a3c2",
        **_date("opens_on", today),
        **_date("closes_on", today),
    }
    first = officer_client.post(reverse("surveys:new"), data)
    second = officer_client.post(reverse("surveys:new"), data)
    assert first["Location"] == second["Location"]
    assert Survey.objects.count() == 1


def test_a_survey_form_without_its_details_shows_the_error_summary(officer_client):
    response = officer_client.post(reverse("surveys:new"), {"phase": SurveyPhase.BASELINE})
    assert response.status_code == 200
    assert _summary_lines(response.content.decode()) == [
        "Enter a title for the survey",
        "Say why you are asking: practitioners see this above the questions",
        "Select at least one agency",
        "Select at least one role",
        "Enter the date the survey opens",
        "Enter the date the survey closes",
    ]
    assert not Survey.objects.exists()


def test_the_board_officer_edits_a_draft_and_its_questions(officer_client, make_survey, agency_a, today):
    survey = make_survey(agencies=[agency_a], opened=False)
    response = officer_client.post(
        _url("edit", survey),
        {
            "title": "Renamed survey",
            "purpose": "Why",
            "agencies": [agency_a.pk],
            "roles": [Role.PRACTITIONER, Role.MANAGER],
            "phase": SurveyPhase.BASELINE,
            "version": survey.version,
            **_date("opens_on", today),
            **_date("closes_on", today),
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.roles, survey.version) == ("Renamed survey", [Role.PRACTITIONER, Role.MANAGER], 2)
    # A second save from the page as it was loaded is refused, not silently overwriting.
    stale = officer_client.post(
        _url("edit", survey),
        {
            "title": "Older",
            "purpose": "Why",
            "agencies": [agency_a.pk],
            "roles": [Role.PRACTITIONER],
            "phase": SurveyPhase.BASELINE,
            "version": 1,
            **_date("opens_on", today),
            **_date("closes_on", today),
        },
    )
    assert stale["Location"] == _url("edit", survey)
    survey.refresh_from_db()
    assert survey.title == "Renamed survey"
    officer_client.post(_url("question-add", survey), {"text": "How confident are you in using the escalation policy?"})
    question = survey.questions.order_by("-order").first()
    assert question.text == "How confident are you in using the escalation policy?"
    empty = officer_client.post(_url("question-edit", survey, question_id=question.pk), {"text": ""})
    assert _summary_lines(empty.content.decode()) == ["Enter the question"]
    officer_client.post(_url("question-remove", survey, question_id=question.pk))
    assert survey.questions.count() == len(DEFAULT_QUESTIONS)


def test_opening_and_closing_through_the_pages(officer_client, make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a], opened=False)
    confirm = officer_client.get(_url("open", survey)).content.decode()
    assert "1 person in the chosen agencies and roles will be asked" in confirm
    response = officer_client.post(_url("open", survey))
    assert response["Location"] == _url("detail", survey)
    assert Invitation.objects.filter(survey=survey, user=practitioner_a).exists()
    # Once open, the details no longer change.
    assert officer_client.get(_url("edit", survey))["Location"] == _url("detail", survey)
    again = officer_client.post(_url("open", survey))
    assert "can no longer change" in _summary_lines(again.content.decode())[0]
    officer_client.post(_url("close", survey))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "police_b", "administrator", "outsider"])
def test_only_the_board_officer_opens_the_management_and_results_pages(
    request, client_for, persona, make_survey, agency_a, practitioner_a
):
    survey = make_survey(agencies=[agency_a])
    question = survey.questions.first()
    client = client_for(request.getfixturevalue(persona))
    urls = [reverse("surveys:list"), reverse("surveys:new")] + [
        _url(name, survey) for name in ("detail", "edit", "question-add", "open", "close", "results")
    ]
    urls += [
        _url("question-edit", survey, question_id=question.pk),
        _url("question-remove", survey, question_id=question.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code in (403, 405), url
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_surveys_for_you_lists_open_surveys_not_yet_answered(
    client_for, make_survey, agency_a, practitioner_a, respond
):
    first = make_survey(agencies=[agency_a], title="First survey")
    make_survey(agencies=[agency_a], title="Second survey")
    make_survey(agencies=[agency_a], title="Not opened", opened=False)
    client = client_for(practitioner_a)
    page = client.get(reverse("surveys:for-you")).content.decode()
    assert "First survey" in page and "Second survey" in page and "Not opened" not in page
    respond(practitioner_a, first, 4)
    page = client.get(reverse("surveys:for-you")).content.decode()
    assert "First survey" not in page and "Second survey" in page


def test_a_practitioner_answers_through_the_form(client_for, make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a])
    client = client_for(practitioner_a)
    page = client.get(_url("answer", survey)).content.decode()
    assert "Not at all confident" in page and "Very confident" in page
    assert survey.purpose in page
    data = {f"question_{q.pk}": "4" for q in survey.questions.all()}
    response = client.post(_url("answer", survey), data)
    assert response["Location"] == reverse("surveys:for-you")
    assert Response.objects.count() == 1
    assert set(Answer.objects.values_list("score", flat=True)) == {4}
    again = client.get(_url("answer", survey)).content.decode()
    assert "You have answered this survey" in again
    second = client.post(_url("answer", survey), data)
    assert second.status_code == 200
    assert _summary_lines(second.content.decode()) == [
        "You have already answered this survey. Each person answers once"
    ]
    assert Response.objects.count() == 1


def test_an_unanswered_question_shows_the_error_summary_and_saves_nothing(
    client_for, make_survey, agency_a, practitioner_a
):
    survey = make_survey(agencies=[agency_a])
    questions = list(survey.questions.order_by("order"))
    data = {f"question_{q.pk}": "3" for q in questions[1:]}
    response = client_for(practitioner_a).post(_url("answer", survey), data)
    assert response.status_code == 200
    assert _summary_lines(response.content.decode()) == [
        "Select how confident you are in recognising when an adult may need safeguarding"
    ]
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not Invitation.objects.get(user=practitioner_a).responded


@pytest.mark.parametrize("persona", ["manager_a", "gp_c", "board_officer", "outsider"])
def test_someone_not_invited_gets_404_on_the_answer_page(
    request, client_for, persona, make_survey, agency_a, practitioner_a
):
    survey = make_survey(agencies=[agency_a])
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url("answer", survey)).status_code == 404
    assert (
        client.post(_url("answer", survey), {f"question_{q.pk}": "5" for q in survey.questions.all()}).status_code
        == 404
    )
    assert not Response.objects.exists()


def test_a_closed_survey_says_so_and_takes_no_answers(client_for, make_survey, agency_a, practitioner_a, board_officer):
    from marm.surveys.services import survey_close

    survey = make_survey(agencies=[agency_a])
    survey_close(acting_user=board_officer, survey=survey)
    client = client_for(practitioner_a)
    assert "This survey has closed" in client.get(_url("answer", survey)).content.decode()
    response = client.post(_url("answer", survey), {f"question_{q.pk}": "5" for q in survey.questions.all()})
    assert _summary_lines(response.content.decode()) == ["This survey has closed: it no longer takes answers"]
    assert not Response.objects.exists()


def _respondents(staff, agencies, per_agency):
    return [user for agency in agencies for user in staff(agency, per_agency)]


def test_the_results_page_shows_groups_of_5_or_more_and_the_comparison(
    officer_client, make_survey, staff, respond, agency_a, board_officer
):
    from marm.surveys.services import survey_close

    small = AgencyFactory(name="Small Agency")
    users = staff(agency_a, 6) + staff(small, 2)
    baseline = make_survey(agencies=[agency_a, small])
    for user in users:
        respond(user, baseline, 2)
    survey_close(acting_user=board_officer, survey=baseline)
    follow_up = make_survey(agencies=[agency_a, small], phase=SurveyPhase.FOLLOW_UP, baseline=baseline, title="After")
    for user in users:
        respond(user, follow_up, 4)
    page = officer_client.get(_url("results", follow_up)).content.decode()
    assert "Results are shown once the survey closes" in page and "+2.00" not in page
    survey_close(acting_user=board_officer, survey=follow_up)
    page = officer_client.get(_url("results", follow_up)).content.decode()
    assert "8 responses" in page
    assert "Before and after the change" in page
    assert "+2.00" in page and "+100.0 percentage points" in page
    # The small agency's 2 answers are counted only in "Other agencies", with the 6 of agency A.
    assert "Fewer than 5 responses: included in Other" in page
    assert "Included in Other, so that the smaller groups cannot be worked out" in page


def test_the_results_page_does_not_grow_with_the_responses(officer_client, make_survey, staff, respond, agency_a):
    agencies = [agency_a, *AgencyFactory.create_batch(3)]
    users = _respondents(staff, agencies, 6)
    baseline = make_survey(agencies=agencies)
    follow_up = make_survey(agencies=agencies, phase=SurveyPhase.FOLLOW_UP, baseline=baseline, title="After")
    url = _url("results", follow_up)
    for user in users[:6]:
        respond(user, baseline, 2)
        respond(user, follow_up, 3)
    officer_client.get(url)  # warm: the audit chain exists
    with CaptureQueriesContext(connection) as few:
        assert officer_client.get(url).status_code == 200
    for user in users[6:]:
        respond(user, baseline, 3)
        respond(user, follow_up, 5)
    with CaptureQueriesContext(connection) as many:
        page = officer_client.get(url)
    assert page.status_code == 200
    assert "24 responses" in page.content.decode()
    sql = "\n".join(q["sql"] for q in many.captured_queries)
    assert len(many) == len(few), sql
    assert len(many) <= QUERY_BUDGETS["surveys:results"], sql


def test_a_survey_to_answer_is_on_the_practitioners_home_page_until_answered(
    client_for, make_survey, agency_a, practitioner_a, respond
):
    survey = make_survey(agencies=[agency_a], title="Confidence before the change")
    client = client_for(practitioner_a)
    page = client.get(reverse("dashboards:home")).content.decode()
    assert "Surveys for you" in page and reverse("surveys:answer", kwargs={"survey_id": survey.pk}) in page
    respond(practitioner_a, survey, 4)
    assert "Surveys for you" not in client.get(reverse("dashboards:home")).content.decode()
