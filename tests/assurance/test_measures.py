"""A golden test per measure: the figures of tests/assurance/world.py, worked out by hand.

Quarters of the financial year 2025 to 2026: Q1 April to June 2025, Q2 July to September,
Q3 October to December, Q4 January to March 2026.
"""

import datetime

import pytest
from django.utils import timezone

from marm.assurance.models import QuarterFigure
from marm.assurance.registry import MEASURES, compute
from marm.assurance.store import sweep_quarter_figures
from tests.assurance.world import YEAR, build_world

pytestmark = pytest.mark.django_db

Q1, Q2, Q3, Q4 = (
    datetime.date(2025, 4, 1),
    datetime.date(2025, 7, 1),
    datetime.date(2025, 10, 1),
    datetime.date(2026, 1, 1),
)
A, B, C = "Golden Council", "Golden Police", "Golden Health Trust"


@pytest.fixture(params=["store empty", "store filled by the sweep"])
def world(request, db):
    """Every golden figure holds whether the finished quarters are counted live or read back from
    the figures the daily sweep stored (ADR 0020, stored figures)."""
    world = build_world()
    if request.param == "store filled by the sweep":
        assert sweep_quarter_figures(timezone.now()) > 0
        assert QuarterFigure.objects.filter(code="MEET1", quarter=Q1, cut_agency=0, cut_theme="").exists()
    return world


def figures(result):
    """{group: (numerator, denominator)} over the year."""
    return {group: (cell.numerator, cell.denominator) for group, cell in result.by_group.items()}


def by_quarter(result):
    return {quarter: (cell.numerator, cell.denominator) for quarter, cell in result.by_quarter.items()}


def test_every_measure_is_written_down_in_full():
    assert len(MEASURES) >= 17
    for measure in MEASURES.values():
        assert measure.title and measure.definition and measure.numerator and measure.date_basis, measure.code
        assert measure.is_percent == bool(measure.denominator) or measure.is_median, measure.code


def test_flow1_concerns_by_the_agency_that_raised_them(world):
    # c1, c2 (council, Q1); c3 (police), c6, c7 (health) in Q2; c4 (police, Q3). c0, c5, c7a were raised before.
    result = compute("FLOW1", year=YEAR)
    assert figures(result) == {A: (2, None), B: (2, None), C: (2, None)}
    assert by_quarter(result) == {Q1: (2, None), Q2: (3, None), Q3: (1, None), Q4: (0, None)}
    assert result.total.value == 6


def test_flow1_cut_by_agency_and_by_theme(world):
    assert figures(compute("FLOW1", year=YEAR, agency_id=world.agencies["B"].pk)) == {B: (2, None)}
    # Only c1 is tagged with self-neglect.
    assert figures(compute("FLOW1", year=YEAR, theme="self_neglect")) == {A: (1, None)}


def test_flow2_the_routing_split(world):
    # Five screening decisions: c1, c4 and c3's second screening accepted; c2 to MARAC; c3's first NFA.
    result = compute("FLOW2", year=YEAR)
    assert figures(result) == {"Accepted into MARM": (3, None), "MARAC": (1, None), "No further action": (1, None)}
    assert result.cell(Q1, "MARAC").numerator == 1


def test_flow3_median_days_from_concern_to_first_screening(world):
    # First screenings: c1 4 days, c2 10 (council); c3 2, c4 1 (police). c3's second screening is not a first.
    result = compute("FLOW3", year=YEAR)
    assert result.total.numerator == 3  # the median of 1, 2, 4, 10
    assert result.total.denominator == 4
    assert result.total.value == 3  # the figure shown is the median, not a share of the records
    assert result.by_quarter[Q1].value == 7
    assert figures(result) == {A: (7, 2), B: (1.5, 2)}
    assert by_quarter(result)[Q1] == (7, 2)


def test_flow4_median_days_to_the_first_planning_meeting(world):
    # c1's first planning meeting 21 days after the concern (its second is not counted); c4's
    # cancelled meeting is not held, its first held one is 21 days after.
    result = compute("FLOW4", year=YEAR)
    assert (result.total.numerator, result.total.denominator) == (21, 2)
    assert figures(result) == {A: (21, 1), B: (21, 1)}


def test_flow5_re_referrals_within_12_months(world):
    # Six concerns; only c6 follows an earlier case of the same adult ended within 12 months.
    result = compute("FLOW5", year=YEAR)
    assert figures(result) == {A: (0, 2), B: (0, 2), C: (1, 2)}
    assert result.total.value == 16.7


def test_flow6_cases_open_for_more_than_12_months(world):
    # c5 (raised January 2024, never closed) at every quarter's end; c0 and c7a had closed.
    result = compute("FLOW6", year=YEAR)
    assert by_quarter(result) == {Q1: (1, None), Q2: (1, None), Q3: (1, None), Q4: (1, None)}
    assert set(result.groups) == {A}


def test_meet1_agencies_attending_the_meetings_they_were_invited_to(world):
    # Held: m1 (A came; B apologies; C did not), m1b (A came; one of two police came), m4 (B came;
    # C sent information). The cancelled m4x is not counted.
    result = compute("MEET1", year=YEAR)
    assert figures(result) == {A: (2, 2), B: (2, 3), C: (0, 2)}
    assert result.total.value == 57.1  # 4 of 7
    assert by_quarter(result) == {Q1: (3, 5), Q2: (0, 0), Q3: (1, 2), Q4: (0, 0)}


def test_meet2_the_adults_voice(world):
    # m1: the adult came; m1b: not there, no views (a reason given); m4: views recorded.
    result = compute("MEET2", year=YEAR)
    assert figures(result) == {A: (1, 2), B: (1, 1)}


def test_meet3_the_adult_present(world):
    assert (compute("MEET3", year=YEAR).total.numerator, compute("MEET3", year=YEAR).total.denominator) == (1, 3)


def test_meet4_advocacy_offered_where_capacity_is_lacking(world):
    # m1b followed c1's assessment (advocate offered); m4 followed c4's (not offered); m1 came before any.
    result = compute("MEET4", year=YEAR)
    assert figures(result) == {A: (1, 1), B: (0, 1)}
    assert result.total.value == 50.0


def test_act1_actions_done_by_their_due_date(world):
    # Council: done on time (1 of 1). Police: one done late; one not possible is left out (0 of 1).
    # Health: one the agency did not act on and one still open, both due (0 of 2).
    result = compute("ACT1", year=YEAR)
    assert figures(result) == {A: (1, 1), B: (0, 1), C: (0, 2)}
    assert result.total.value == 25.0


def test_act2_what_happened_to_the_actions_due(world):
    result = compute("ACT2", year=YEAR)
    assert figures(result) == {
        "Done by the due date": (1, None),
        "Done late": (1, None),
        "Not possible: circumstances changed": (1, None),
        "Not done: the agency did not act": (1, None),
        "Still open and overdue": (1, None),
    }


def test_share1_information_shared_without_consent(world):
    # The council shared twice, once without consent; the police once, without consent.
    result = compute("SHARE1", year=YEAR)
    assert figures(result) == {A: (1, 2), B: (1, 1)}
    assert result.total.value == 66.7


def test_share2_the_grounds_for_sharing_without_consent(world):
    assert set(figures(compute("SHARE2", year=YEAR))) == {
        "The adult lacks capacity to decide and sharing is in their best interests",
        "For the prevention or detection of crime",
    }


def test_out1_risk_at_closure_against_the_start(world):
    # c1 high then medium: lower; c4 assessed once; c3 never assessed.
    assert figures(compute("OUT1", year=YEAR)) == {
        "Lower at closure than at the start": (1, None),
        "Assessed once only": (1, None),
        "No agreed risk assessment": (1, None),
    }


def test_out2_why_cases_closed(world):
    assert figures(compute("OUT2", year=YEAR)) == {
        "Risks resolved or managed to an acceptable level": (1, None),
        "The adult or family not engaging": (2, None),
    }


def test_out3_non_engagement_closures_with_the_checks_made(world):
    # c4: agreed assessment and an agency check before closure; c3: neither.
    result = compute("OUT3", year=YEAR)
    assert figures(result) == {B: (1, 2)}
    assert result.by_quarter[Q4].value == 50.0


def test_a_year_with_no_casework_shows_nothing_rather_than_failing(world):
    for code in MEASURES:
        result = compute(code, year=2019)
        assert result.groups == [], code
