import datetime

import pytest
from django.utils import timezone

from marm.organisations.models import Role
from marm.surveys import services
from marm.surveys.vocab import SurveyPhase
from tests.factories import UserFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_survey(board_officer, today):
    """A survey created by the board officer (with the default questions), opened unless asked not to."""

    def make(*, agencies, roles=(Role.PRACTITIONER,), phase=SurveyPhase.BASELINE, baseline=None, opened=True, **extra):
        values = {
            "title": "Practitioner confidence before the new approach",
            "purpose": "We want to know how confident you feel. Your answers are anonymous.",
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=28),
            **extra,
        }
        survey = services.survey_create(
            acting_user=board_officer, agencies=agencies, roles=list(roles), phase=phase, baseline=baseline, **values
        )
        if opened:
            services.survey_open(acting_user=board_officer, survey=survey)
            survey.refresh_from_db()
        return survey

    return make


@pytest.fixture
def staff():
    """``staff(agency, n, role)``: n more active users of the agency holding the role."""

    def make(agency, how_many, role=Role.PRACTITIONER):
        return [UserFactory(agency=agency, roles=[role]) for _ in range(how_many)]

    return make


def scores_for(survey, first, rest=3) -> dict[int, int]:
    """An answer to every question: ``first`` to the first question, ``rest`` to the others."""
    questions = list(survey.questions.order_by("order", "pk"))
    return {question.pk: (first if index == 0 else rest) for index, question in enumerate(questions)}


@pytest.fixture
def respond():
    def answer(user, survey, first, rest=3):
        services.survey_respond(acting_user=user, survey=survey, answers=scores_for(survey, first, rest))

    return answer
