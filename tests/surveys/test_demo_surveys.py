"""The demo's surveys: a closed one before the new approach, an open one after it, answered through the services."""

import pytest

from marm.demo.seed import AGENCIES
from marm.demo.survey_seed import BASELINE_TITLE, FOLLOW_UP_TITLE, seed_surveys
from marm.organisations.models import Agency, Role, Team
from marm.surveys import selectors
from marm.surveys.models import Invitation, Response, Survey
from marm.surveys.vocab import SurveyStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_board():
    for _key, name, kind, ods, teams in AGENCIES:
        agency = Agency.objects.create(name=name, kind=kind, ods_code=ods)
        for team in teams:
            Team.objects.create(agency=agency, name=team)
    sab = Agency.objects.get(name={key: name for key, name, *_ in AGENCIES}["sab"])
    return UserFactory(email="board@sab.example.org", agency=sab, roles=[Role.BOARD_OFFICER])


def test_the_demo_has_a_survey_before_and_one_after_and_can_be_loaded_twice(demo_board):
    assert seed_surveys(demo_board) == {"surveys_created": 2}
    baseline = Survey.objects.get(title=BASELINE_TITLE)
    follow_up = Survey.objects.get(title=FOLLOW_UP_TITLE)
    assert baseline.status == SurveyStatus.CLOSED
    assert follow_up.status == SurveyStatus.CLOSED  # closed early, so that its results show
    assert follow_up.baseline == baseline
    assert Response.objects.filter(survey=baseline).count() == 40
    assert Response.objects.filter(survey=follow_up).count() == 25
    assert Invitation.objects.filter(survey=follow_up, responded=False).exists()

    results = selectors.survey_results(survey=selectors.survey_get(survey_id=follow_up.pk))
    assert {row.label for row in results.questions[0].by_role if row.shown} == {"Practitioner", "Manager"}
    comparison = selectors.before_after(baseline, follow_up)
    assert all(row.mean_change is not None for row in comparison.rows)

    assert seed_surveys(demo_board) == {"surveys_created": 0}
    assert Survey.objects.count() == 2
    assert Response.objects.count() == 65
