import datetime

import pytest

from marm.chronology import presenters
from marm.chronology.models import ChronologyEntry


def _fetched(person):
    return list(ChronologyEntry.objects.filter(person=person).select_related("agency", "correction"))


def test_agency_names_wrap_onto_two_lines_and_only_then_shorten():
    assert presenters._label_lines("Shire Police") == ["Shire Police"]
    assert presenters._label_lines("Shire County Council Adult Social Care") == [
        "Shire County Council Adult",
        "Social Care",
    ]
    lines = presenters._label_lines("Northdale and Shire Combined Health and Social Care Partnership Trust")
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert all(len(line) <= presenters.LABEL_CHARACTERS for line in lines)


def test_no_entries_no_picture():
    assert presenters.timeline([]) is None


@pytest.mark.django_db
def test_a_single_entry_sits_in_the_middle_of_a_few_weeks_marked_by_mondays(practitioner_a, person_a, add_entry):
    add_entry(practitioner_a, person_a, occurred_on=datetime.date(2025, 3, 12))
    picture = presenters.timeline(_fetched(person_a))
    (lane,) = picture.lanes
    (mark,) = lane.marks
    middle = (presenters.PLOT_LEFT + presenters.PLOT_RIGHT) / 2
    assert abs(mark.x - middle) < 1
    assert [tick.label for tick in picture.ticks] == ["3 Mar", "10 Mar", "17 Mar", "24 Mar"]
    assert picture.title == "Timeline of 1 entry from 1 agency, 12 March 2025 to 12 March 2025"


@pytest.mark.django_db
def test_years_of_entries_are_marked_by_year(practitioner_a, person_a, add_entry):
    add_entry(practitioner_a, person_a, occurred_on=datetime.date(2016, 6, 1))
    add_entry(practitioner_a, person_a, occurred_on=datetime.date(2025, 6, 1))
    picture = presenters.timeline(_fetched(person_a))
    years = [int(tick.label) for tick in picture.ticks]
    assert years[0] in (2017, 2018) and years[-1] in (2024, 2025)
    steps = {later - earlier for earlier, later in zip(years, years[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced
    assert len(years) <= 9


@pytest.mark.django_db
def test_marks_on_the_same_day_in_one_lane_are_spread_apart(practitioner_a, person_a, add_entry):
    for hour in (9, 10, 11):
        add_entry(practitioner_a, person_a, occurred_at_time=datetime.time(hour, 0))
    (lane,) = presenters.timeline(_fetched(person_a)).lanes
    assert len({mark.y for mark in lane.marks}) == 3


@pytest.mark.django_db
def test_significance_sets_shape_and_colour_and_a_correction_leaves_a_hollow_mark(
    practitioner_a, person_a, chronology_entry_a, police_entry
):
    from marm.chronology.services import chronology_entry_correct

    chronology_entry_correct(acting_user=practitioner_a, entry=chronology_entry_a, reason="Typo", summary="Fixed")
    picture = presenters.timeline(_fetched(person_a))
    marks = {mark.entry_id: mark for lane in picture.lanes for mark in lane.marks}
    assert len(marks) == 3
    critical = marks[police_entry.pk]
    assert critical.fill == "#d4351c"
    assert critical.path.count("L") == 3  # a diamond
    corrected = marks[chronology_entry_a.pk]
    assert corrected.fill == "#ffffff"
    assert corrected.stroke == "#f47738"
    assert corrected.label.endswith(", corrected")
