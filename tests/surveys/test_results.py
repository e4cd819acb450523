"""The results, worked out by hand: means, the share confident, and small groups kept from view."""

from decimal import Decimal

import pytest

from marm.organisations.models import Role
from marm.surveys import selectors
from marm.surveys.results import Figures, fold
from marm.surveys.vocab import SurveyPhase
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_small_groups_are_folded_into_other_and_other_is_made_big_enough():
    assert fold({"a": 6, "b": 3, "c": 2}) == (["a"], ["b", "c"], [])
    # "Other" of 3 alone could be worked out from the total: the smallest shown group joins it.
    assert fold({"a": 6, "b": 5, "c": 3}) == (["a"], ["c"], ["b"])
    assert fold({"a": 6, "b": 3}) == ([], ["b"], ["a"])
    assert fold({"a": 6, "b": 9}) == (["a", "b"], [], [])


def test_figures_round_half_up():
    assert Figures(answers=6, total=23, confident=4).mean == Decimal("3.83")
    assert Figures(answers=6, total=23, confident=4).confident_share == Decimal("66.7")
    assert Figures(answers=8, total=26, confident=1).confident_share == Decimal("12.5")
    assert Figures().mean is None


def closed(survey):
    """The survey as its results are read: closed (an open survey shows no figures)."""
    from marm.surveys.services import survey_close

    return survey_close(acting_user=survey.created_by, survey=survey)


@pytest.fixture
def golden(make_survey, staff, respond, agency_a):
    """Agency A: 6 practitioners answer 5, 4, 4, 3, 2, 5 to the first question; agency B: 3 managers answer
    1, 2, 3; agency C: 2 practitioners answer 4, 5. Every other question is answered 3."""
    agency_b = AgencyFactory(name="Agency B")
    agency_c = AgencyFactory(name="Agency C")
    a = staff(agency_a, 6)
    b = staff(agency_b, 3, Role.MANAGER)
    c = staff(agency_c, 2)
    survey = make_survey(agencies=[agency_a, agency_b, agency_c], roles=[Role.PRACTITIONER, Role.MANAGER])
    for users, scores in ((a, [5, 4, 4, 3, 2, 5]), (b, [1, 2, 3]), (c, [4, 5])):
        for user, score in zip(users, scores, strict=True):
            respond(user, survey, score)
    return closed(survey)


def _rows(rows):
    return [
        (
            row.label,
            row.responses if row.shown else None,
            row.figures.mean if row.shown else None,
            row.figures.confident_share if row.shown else None,
            row.why_hidden,
        )
        for row in rows
    ]


def test_the_results_by_agency_worked_by_hand(golden, agency_a):
    results = selectors.survey_results(survey=golden)
    assert results.responses == 11
    first = results.questions[0]
    # 23 + 6 + 9 = 38 over 11 answers; 4 + 0 + 2 = 6 answered 4 or 5.
    assert first.overall == Figures(answers=11, total=38, confident=6)
    assert (first.overall.mean, first.overall.confident_share) == (Decimal("3.45"), Decimal("54.5"))
    assert _rows(first.by_agency) == [
        ("Agency B", None, None, None, "Fewer than 5 responses: included in Other"),
        ("Agency C", None, None, None, "Fewer than 5 responses: included in Other"),
        (agency_a.name, 6, Decimal("3.83"), Decimal("66.7"), ""),
        # B and C together: 1, 2, 3, 4, 5.
        ("Other agencies", 5, Decimal("3.00"), Decimal("40.0"), ""),
    ]
    second = results.questions[1]
    assert second.overall == Figures(answers=11, total=33, confident=0)


def test_the_results_by_role_hide_a_group_of_3_even_from_subtraction(golden):
    results = selectors.survey_results(survey=golden)
    # 8 practitioners and 3 managers: with practitioners shown, the managers' figures would be the total
    # less the practitioners'. So both are counted only in "Other roles".
    assert _rows(results.questions[0].by_role) == [
        ("Manager", None, None, None, "Fewer than 5 responses: included in Other"),
        ("Practitioner", None, None, None, "Included in Other, so that the smaller groups cannot be worked out"),
        ("Other roles", 11, Decimal("3.45"), Decimal("54.5"), ""),
    ]


def test_fewer_than_5_responses_show_no_figures(make_survey, staff, respond, agency_a):
    users = staff(agency_a, 4)
    survey = make_survey(agencies=[agency_a])
    for user in users:
        respond(user, survey, 5)
    results = selectors.survey_results(survey=closed(survey))
    assert results.responses == 4
    assert not results.shown
    assert all(item.overall is None and item.by_agency == [] and item.by_role == [] for item in results.questions)


def test_the_response_rate_by_agency(golden, agency_a, staff):
    rate = selectors.response_rate(survey=golden)
    assert rate["invited"] == 11 and rate["responded"] == 11 and rate["rate"] == Decimal("100.0")
    assert {row["agency"]: (row["invited"], row["responded"]) for row in rate["rows"]} == {
        agency_a.name: (6, 6),
        "Agency B": (3, 3),
        "Agency C": (2, 2),
    }


def test_before_and_after_side_by_side(make_survey, staff, respond, agency_a, board_officer):
    from marm.surveys.services import survey_close

    users = staff(agency_a, 6)
    baseline = make_survey(agencies=[agency_a])
    for user, score in zip(users, [2, 2, 3, 3, 4, 1], strict=True):
        respond(user, baseline, score, rest=2)
    baseline = survey_close(acting_user=board_officer, survey=baseline)
    follow_up = make_survey(
        agencies=[agency_a], phase=SurveyPhase.FOLLOW_UP, baseline=baseline, title="Practitioner confidence after"
    )
    for user, score in zip(users[:5], [4, 5, 3, 4, 5], strict=True):
        respond(user, follow_up, score, rest=2)
    assert selectors.before_after(baseline, follow_up).rows[0].after is None  # still open: no figures yet
    follow_up = closed(follow_up)
    comparison = selectors.before_after(baseline, follow_up)
    assert (comparison.baseline_responses, comparison.follow_up_responses) == (6, 5)
    first = comparison.rows[0]
    # Before: 15 / 6 = 2.50, 1 of 6 confident = 16.7%. After: 21 / 5 = 4.20, 4 of 5 = 80.0%.
    assert (first.before.mean, first.before.confident_share) == (Decimal("2.50"), Decimal("16.7"))
    assert (first.after.mean, first.after.confident_share) == (Decimal("4.20"), Decimal("80.0"))
    assert first.mean_change == Decimal("1.70")
    assert first.share_change == Decimal("63.3")
    assert comparison.rows[1].mean_change == Decimal("0.00")
    assert len(comparison.rows) == 5


def test_before_and_after_shows_no_figures_for_a_survey_with_fewer_than_5(make_survey, staff, respond, agency_a):
    users = staff(agency_a, 6)
    baseline = make_survey(agencies=[agency_a])
    for user in users:
        respond(user, baseline, 3)
    baseline = closed(baseline)
    follow_up = make_survey(agencies=[agency_a], phase=SurveyPhase.FOLLOW_UP, baseline=baseline)
    respond(users[0], follow_up, 5)
    follow_up = closed(follow_up)
    comparison = selectors.before_after(baseline, follow_up)
    assert comparison.rows[0].before.mean == Decimal("3.00")
    assert comparison.rows[0].after is None
    assert comparison.rows[0].mean_change is None


def test_an_open_survey_shows_no_figures_however_many_have_answered(make_survey, staff, respond, agency_a):
    """Results that changed answer by answer would let whoever watched them work out each answer."""
    users = staff(agency_a, 8)
    survey = make_survey(agencies=[agency_a])
    for user in users:
        respond(user, survey, 5)
    results = selectors.survey_results(survey=survey)
    assert results.responses == 8 and not results.shown
    assert all(item.overall is None for item in results.questions)
    assert selectors.survey_results(survey=closed(survey)).shown
