import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from marm.govuk_forms.forms import GovukDateField


def _clean(field, day, month, year):
    return field.clean([day, month, year])


def test_a_full_date():
    assert _clean(GovukDateField(label="Date of birth"), "7", "3", "1950") == datetime.date(1950, 3, 7)


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("7", "3", "1950", (datetime.date(1950, 3, 7), "exact")),
        ("", "3", "1950", (datetime.date(1950, 3, 1), "month")),
        ("", "", "1950", (datetime.date(1950, 1, 1), "year")),
        ("", "", "", (None, "")),
    ],
)
def test_partial_dates_keep_their_precision(day, month, year, expected):
    field = GovukDateField(label="Date of birth", allow_partial=True, required=False)
    assert _clean(field, day, month, year) == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "1950", "Date of birth must be a real date"),
        ("7", "", "1950", "Date of birth must include a month"),
        ("7", "3", "", "Date of birth must include a year"),
        ("7", "3", "50", "Year must be 4 numbers, like 1950"),
        ("1", "1", "1850", "Date of birth must be after 1900"),
        ("1", "1", "2999", "Date of birth must be today or in the past"),
    ],
)
def test_each_mistake_gets_its_own_message(day, month, year, message):
    field = GovukDateField(label="Date of birth", allow_partial=True, required=False)
    with pytest.raises(ValidationError) as error:
        _clean(field, day, month, year)
    assert error.value.messages == [message]


def test_a_whole_date_is_needed_unless_partial_dates_are_allowed():
    with pytest.raises(ValidationError, match="must include a day, month and year"):
        _clean(GovukDateField(label="Date of visit"), "", "3", "2024")


def test_a_required_date_left_blank_is_refused():
    with pytest.raises(ValidationError):
        _clean(GovukDateField(label="Date of visit"), "", "", "")


def test_classes_set_on_a_widget_are_kept_beside_the_component_class():
    from django import forms

    from marm.govuk_forms.forms import GovukForm

    class Form(GovukForm):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))

    html = str(Form(data={})["postcode"])
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in html


@pytest.mark.parametrize(
    ("initial", "parts"),
    [
        ((datetime.date(1950, 3, 7), "exact"), ("7", "3", "1950")),
        ((datetime.date(1950, 3, 1), "month"), ("", "3", "1950")),
        ((datetime.date(1950, 1, 1), "year"), ("", "", "1950")),
    ],
)
def test_a_partial_date_given_as_initial_fills_day_month_and_year(initial, parts):
    from marm.govuk_forms.forms import GovukForm

    class Form(GovukForm):
        date_of_birth = GovukDateField(label="Date of birth", allow_partial=True, required=False)

    html = str(Form(initial={"date_of_birth": initial})["date_of_birth"])
    for index, part in enumerate(parts):
        tag = re.search(rf'<input [^>]*name="date_of_birth_{index}"[^>]*>', html).group()
        assert (f'value="{part}"' in tag) if part else ("value=" not in tag)
