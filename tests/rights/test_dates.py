"""When a subject access request falls due: one calendar month from the day it was received, the
last day of a shorter month when it has no such day, and up to two further months when extended."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marm.rights.dates import add_months, due_on


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2028, 1, 29), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 29), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 2, 29), datetime.date(2028, 3, 29)),
        (datetime.date(2026, 2, 28), datetime.date(2026, 3, 28)),
        (datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)),
        (datetime.date(2026, 12, 15), datetime.date(2027, 1, 15)),
        (datetime.date(2026, 12, 31), datetime.date(2027, 1, 31)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_it_was_received(received, due):
    assert due_on(received) == due


def test_an_extension_adds_whole_months_from_the_day_received():
    assert due_on(datetime.date(2025, 11, 30), 1) == datetime.date(2026, 1, 30)
    assert due_on(datetime.date(2025, 11, 30), 2) == datetime.date(2026, 2, 28)
    assert due_on(datetime.date(2027, 11, 30), 2) == datetime.date(2028, 2, 29)


@pytest.mark.parametrize("months", [-1, 3])
def test_no_extension_beyond_two_further_months(months):
    with pytest.raises(ValueError, match="0 to 2 months"):
        due_on(datetime.date(2026, 1, 1), months)


days = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2090, 12, 31))


@given(received=days, extension=st.integers(min_value=0, max_value=2))
def test_the_due_date_is_the_same_day_or_the_last_of_a_shorter_month(received, extension):
    due = due_on(received, extension)
    months_later = (due.year - received.year) * 12 + due.month - received.month
    assert months_later == 1 + extension
    last_day = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(received.day, last_day)
    assert due > received


@given(received=days)
def test_an_extension_never_brings_the_due_date_forward(received):
    assert due_on(received) <= due_on(received, 1) <= due_on(received, 2)


@given(day=days, months=st.integers(min_value=0, max_value=36))
def test_adding_months_keeps_the_day_unless_the_month_is_shorter(day, months):
    later = add_months(day, months)
    assert later.day == day.day or later.day == calendar.monthrange(later.year, later.month)[1] < day.day
