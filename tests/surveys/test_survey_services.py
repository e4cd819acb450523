"""Creating, opening and answering a survey: who is asked, answering once, and refusals that leave nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.audit.models import AuditAction, AuditEvent
from marm.notifications.models import Notification
from marm.organisations.models import Role
from marm.surveys import services
from marm.surveys.models import Answer, Invitation, Question, Response, Survey
from marm.surveys.vocab import DEFAULT_QUESTIONS, SurveyPhase, SurveyStatus
from tests.factories import UserFactory
from tests.surveys.conftest import scores_for

pytestmark = pytest.mark.django_db


def test_a_new_survey_is_a_draft_with_the_default_questions(make_survey, agency_a, board_officer):
    survey = make_survey(agencies=[agency_a], opened=False)
    assert survey.status == SurveyStatus.DRAFT
    assert survey.roles == [Role.PRACTITIONER]
    assert list(survey.questions.order_by("order").values_list("text", flat=True)) == list(DEFAULT_QUESTIONS)
    assert AuditEvent.objects.filter(
        actor_user=board_officer, action=AuditAction.CREATE, object_type="surveys.survey", object_id=str(survey.pk)
    ).exists()
    assert not Invitation.objects.exists()


def test_only_a_board_officer_creates_a_survey(practitioner_a, agency_a, today):
    with pytest.raises(PermissionDenied):
        services.survey_create(
            acting_user=practitioner_a,
            title="Confidence",
            purpose="Why",
            agencies=[agency_a],
            opens_on=today,
            closes_on=today,
        )
    assert not Survey.objects.exists()


def test_a_survey_needs_its_details(board_officer, today):
    with pytest.raises(ValidationError) as refusal:
        services.survey_create(
            acting_user=board_officer,
            title=" ",
            purpose="",
            agencies=[],
            roles=[],
            opens_on=today,
            closes_on=today - datetime.timedelta(days=1),
        )
    assert set(refusal.value.message_dict) == {"title", "purpose", "agencies", "roles", "closes_on"}
    assert not Survey.objects.exists()


def test_opening_invites_only_the_chosen_agencies_and_roles(
    make_survey, agency_a, agency_b, agency_c, practitioner_a, manager_a, police_b, gp_c, board_officer, staff
):
    leaver = UserFactory(agency=agency_a, roles=[Role.PRACTITIONER], is_active=False)
    extra_police = staff(agency_b, 2)
    survey = make_survey(agencies=[agency_a, agency_b])
    invited = set(Invitation.objects.filter(survey=survey).values_list("user_id", flat=True))
    assert invited == {practitioner_a.pk, police_b.pk, *(user.pk for user in extra_police)}
    # Not asked: a manager (role not chosen), a GP (agency not chosen), an inactive account, the board officer.
    assert not invited & {manager_a.pk, gp_c.pk, leaver.pk, board_officer.pk}
    assert survey.status == SurveyStatus.OPEN


def test_a_survey_can_ask_more_than_one_role(make_survey, agency_a, practitioner_a, manager_a, duty_a):
    survey = make_survey(agencies=[agency_a], roles=[Role.PRACTITIONER, Role.MANAGER])
    invited = set(Invitation.objects.filter(survey=survey).values_list("user_id", flat=True))
    assert invited == {practitioner_a.pk, manager_a.pk}


def test_each_person_asked_is_told_with_a_link_to_surveys_for_you(make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a])
    notification = Notification.objects.get(recipient=practitioner_a)
    assert notification.link == "/surveys/for-you/"
    assert survey.title in notification.title
    assert "Surveys for you" in notification.body
    assert practitioner_a.full_name not in notification.title + notification.body


def test_a_survey_nobody_would_receive_is_not_opened(make_survey, agency_c, board_officer):
    survey = make_survey(agencies=[agency_c], roles=[Role.MANAGER], opened=False)
    with pytest.raises(ValidationError, match="Nobody in the chosen agencies holds the chosen roles"):
        services.survey_open(acting_user=board_officer, survey=survey)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_a_survey_is_not_opened_before_its_opening_date(make_survey, agency_a, practitioner_a, board_officer, today):
    survey = make_survey(
        agencies=[agency_a],
        opened=False,
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=9),
    )
    with pytest.raises(ValidationError, match="open it on or after that day"):
        services.survey_open(acting_user=board_officer, survey=survey)
    assert not Invitation.objects.exists()


def test_questions_change_only_while_draft(make_survey, agency_a, practitioner_a, board_officer):
    survey = make_survey(agencies=[agency_a], opened=False)
    added = services.survey_question_add(
        acting_user=board_officer, survey=survey, text="How confident are you in using the escalation policy?"
    )
    assert added.order == len(DEFAULT_QUESTIONS) + 1
    first = survey.questions.order_by("order").first()
    services.survey_question_update(
        acting_user=board_officer, question=first, text="How confident are you in spotting self-neglect?"
    )
    services.survey_question_remove(acting_user=board_officer, question=added)
    assert survey.questions.count() == len(DEFAULT_QUESTIONS)
    services.survey_open(acting_user=board_officer, survey=survey)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="can no longer change"):
        services.survey_question_update(acting_user=board_officer, question=first, text="Something else?")
    with pytest.raises(ValidationError, match="can no longer change"):
        services.survey_question_add(acting_user=board_officer, survey=first.survey, text="Another?")
    first.refresh_from_db()
    assert first.text == "How confident are you in spotting self-neglect?"
    assert survey.questions.count() == len(DEFAULT_QUESTIONS)


def test_an_invited_practitioner_answers_once(make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a])
    services.survey_respond(acting_user=practitioner_a, survey=survey, answers=scores_for(survey, 5, 4))
    invitation = Invitation.objects.get(survey=survey, user=practitioner_a)
    assert invitation.responded and invitation.responded_at is not None
    response = Response.objects.get()
    assert response.agency == agency_a
    assert response.role == Role.PRACTITIONER
    assert sorted(Answer.objects.values_list("score", flat=True)) == [4, 4, 4, 4, 5]

    with pytest.raises(ValidationError) as refusal:
        services.survey_respond(acting_user=practitioner_a, survey=survey, answers=scores_for(survey, 1, 1))
    assert refusal.value.messages == ["You have already answered this survey. Each person answers once"]
    assert Response.objects.count() == 1
    assert sorted(Answer.objects.values_list("score", flat=True)) == [4, 4, 4, 4, 5]


def test_someone_not_invited_cannot_answer(make_survey, agency_a, practitioner_a, gp_c, manager_a):
    survey = make_survey(agencies=[agency_a])
    for user in (gp_c, manager_a):
        with pytest.raises(PermissionDenied):
            services.survey_respond(acting_user=user, survey=survey, answers=scores_for(survey, 5))
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_closed_survey_takes_no_answers(make_survey, agency_a, practitioner_a, board_officer):
    survey = make_survey(agencies=[agency_a])
    services.survey_close(acting_user=board_officer, survey=survey)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    assert survey.closed_on is not None
    with pytest.raises(ValidationError, match="This survey has closed"):
        services.survey_respond(acting_user=practitioner_a, survey=survey, answers=scores_for(survey, 5))
    assert not Response.objects.exists()
    assert not Invitation.objects.get(user=practitioner_a).responded


def test_an_answer_missing_a_question_is_refused_and_nothing_is_saved(make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a])
    answers = scores_for(survey, 5)
    missing = next(iter(answers))
    del answers[missing]
    with pytest.raises(ValidationError) as refusal:
        services.survey_respond(acting_user=practitioner_a, survey=survey, answers=answers)
    assert refusal.value.message_dict == {
        f"question_{missing}": ["Select how confident you are in recognising when an adult may need safeguarding"]
    }
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not Invitation.objects.get(user=practitioner_a).responded


def test_an_answer_out_of_the_scale_is_refused(make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a])
    with pytest.raises(ValidationError):
        services.survey_respond(acting_user=practitioner_a, survey=survey, answers=scores_for(survey, 6))
    assert not Response.objects.exists()


def test_the_audit_says_who_responded_never_what(make_survey, agency_a, practitioner_a):
    survey = make_survey(agencies=[agency_a])
    services.survey_respond(acting_user=practitioner_a, survey=survey, answers=scores_for(survey, 2, 5))
    event = AuditEvent.objects.filter(actor_user=practitioner_a).get()
    assert event.action == AuditAction.UPDATE
    assert event.object_type == "surveys.invitation"
    assert event.detail == {"event": f"responded to survey {survey.pk}"}
    response = Response.objects.get()
    assert not AuditEvent.objects.filter(object_id=str(response.pk)).exists()
    assert not AuditEvent.objects.filter(object_type__in=["surveys.response", "surveys.answer"]).exists()


def test_open_surveys_close_after_their_closing_date(make_survey, agency_a, practitioner_a, board_officer, today):
    import datetime as dt

    from django.utils import timezone

    survey = make_survey(agencies=[agency_a], closes_on=today)
    later = timezone.now() + dt.timedelta(days=2)
    assert services.surveys_close_due(later) == 1
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    assert Notification.objects.filter(recipient=board_officer, kind="survey_closed").count() == 1
    assert services.surveys_close_due(later) == 0


def test_a_follow_up_names_a_survey_from_before_the_change(make_survey, agency_a, board_officer, today):
    baseline = make_survey(agencies=[agency_a], opened=False)
    follow_up = make_survey(agencies=[agency_a], opened=False, phase=SurveyPhase.FOLLOW_UP, baseline=baseline)
    assert follow_up.baseline == baseline
    with pytest.raises(ValidationError) as refusal:
        make_survey(agencies=[agency_a], opened=False, phase=SurveyPhase.BASELINE, baseline=baseline)
    assert "baseline" in refusal.value.message_dict
    with pytest.raises(ValidationError):
        make_survey(agencies=[agency_a], opened=False, phase=SurveyPhase.FOLLOW_UP, baseline=follow_up)
    assert Survey.objects.count() == 2
    assert Question.objects.count() == 2 * len(DEFAULT_QUESTIONS)
