"""GOV.UK error messages by default: a field that sets none of its own says what to do in plain
words ("Enter ...", "Select ...", "... must be 27 or fewer"), never Django's "This field is
required." or "Ensure this value is less than or equal to 27"."""

import pytest
from django import forms
from django.urls import reverse

from marm.cases.models import Screening
from marm.decisions.models import Decision
from marm.govuk_forms.forms import GovukDateField, GovukForm, named_in_errors

OPTIONS = [("a", "Option A"), ("b", "Option B")]


class VisitForm(GovukForm):
    team_name = forms.CharField(label="Team name", max_length=20)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, min_length=5, required=False)
    visits = forms.IntegerField(label="Missed visits", min_value=0, max_value=27)
    visited_on = GovukDateField(label="Date of the visit")
    email = forms.EmailField(label="E-mail address")
    outcome = forms.ChoiceField(label="Outcome", choices=OPTIONS, widget=forms.RadioSelect)
    categories = forms.MultipleChoiceField(
        label="Categories of risk", choices=OPTIONS, widget=forms.CheckboxSelectMultiple
    )
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose"), *OPTIONS])
    confirmed = forms.BooleanField(label="I confirm the details are correct")
    at_risk = forms.ChoiceField(label="Is the adult at risk?", choices=OPTIONS, widget=forms.RadioSelect)
    nhs_number = forms.CharField(label="NHS number", max_length=10, required=False)


VALID = {
    "team_name": "Hoarding team",
    "visits": "3",
    "visited_on_0": "7",
    "visited_on_1": "3",
    "visited_on_2": "2024",
    "email": "duty@example.org",
    "outcome": "a",
    "categories": ["a"],
    "agency": "a",
    "confirmed": "on",
    "at_risk": "a",
}


def _errors(form_class=VisitForm, **changes):
    data = {**VALID, **changes}
    for name in [name for name, value in data.items() if value is None]:
        del data[name]
    form = form_class(data=data)
    assert not form.is_valid()
    return form.errors


def test_a_form_filled_in_correctly_has_no_errors():
    assert VisitForm(data=VALID).is_valid()


def test_what_is_typed_in_and_left_empty_says_enter_and_its_label():
    errors = _errors(team_name="", visits="", visited_on_0="", visited_on_1="", visited_on_2="", email="")
    assert errors["team_name"] == ["Enter team name"]
    assert errors["visits"] == ["Enter missed visits"]
    assert errors["visited_on"] == ["Enter date of the visit"]
    assert errors["email"] == ["Enter e-mail address"]


def test_what_is_chosen_and_left_empty_says_select_and_its_label():
    errors = _errors(outcome=None, categories=None, agency="", confirmed=None)
    assert errors["outcome"] == ["Select outcome"]
    assert errors["categories"] == ["Select categories of risk"]
    assert errors["agency"] == ["Select agency"]
    assert errors["confirmed"] == ["Select I confirm the details are correct"]


def test_a_label_that_is_a_question_is_asked_again():
    assert _errors(at_risk=None)["at_risk"] == ["Select an answer for: is the adult at risk?"]


def test_a_number_above_or_below_its_limits_says_what_is_allowed():
    assert _errors(visits="28")["visits"] == ["Missed visits must be 27 or fewer"]
    assert _errors(visits="-1")["visits"] == ["Missed visits must be 0 or more"]


def test_a_number_that_is_not_one_says_so():
    assert _errors(visits="three")["visits"] == ["Missed visits must be a number"]


def test_text_too_long_or_too_short_says_how_many_characters():
    assert _errors(team_name="x" * 21)["team_name"] == ["Team name must be 20 characters or fewer"]
    assert _errors(notes="abc")["notes"] == ["Notes must be 5 characters or more"]


def test_an_acronym_keeps_its_capitals():
    assert _errors(nhs_number="1" * 11)["nhs_number"] == ["NHS number must be 10 characters or fewer"]


def test_an_email_address_in_the_wrong_format_shows_the_right_one():
    assert _errors(email="duty.example.org")["email"] == [
        "Enter an e-mail address in the correct format, like name@example.org"
    ]


def test_a_fields_own_messages_win():
    class Form(GovukForm):
        visits = forms.IntegerField(
            label="Missed visits",
            max_value=27,
            error_messages={"required": "Enter how many visits were missed", "max_value": "No more than 27"},
        )

    assert _errors(Form, visits="")["visits"] == ["Enter how many visits were missed"]
    assert _errors(Form, visits="30")["visits"] == ["No more than 27"]


def test_a_field_named_for_its_errors_is_called_by_that_name():
    class Form(GovukForm):
        ticked = named_in_errors(
            forms.IntegerField(label="How many questions were ticked?", max_value=27),
            "the number of questions ticked",
        )

    assert _errors(Form, ticked="")["ticked"] == ["Enter the number of questions ticked"]
    assert _errors(Form, ticked="28")["ticked"] == ["The number of questions ticked must be 27 or fewer"]


def test_a_question_without_a_name_calls_it_the_answer():
    class Form(GovukForm):
        ticked = forms.IntegerField(label="How many were ticked?", max_value=27)

    assert _errors(Form, ticked="28")["ticked"] == ["The answer must be 27 or fewer"]


def test_fields_a_form_adds_as_it_is_made_have_them_too():
    class Form(GovukForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["effort"] = forms.CharField(label="What the police did", max_length=10)

    assert _errors(Form, effort="")["effort"] == ["Enter what the police did"]
    assert _errors(Form, effort="x" * 11)["effort"] == ["What the police did must be 10 characters or fewer"]


def test_a_percent_sign_in_a_label_is_shown_as_it_is():
    class Form(GovukForm):
        share = forms.IntegerField(label="% of visits missed", max_value=100)

    assert _errors(Form, share="101")["share"] == ["% of visits missed must be 100 or fewer"]
    assert _errors(Form, share="many")["share"] == ["% of visits missed must be a number"]


def test_the_messages_of_one_form_leave_the_form_class_as_it_was():
    _errors(visits="28")
    assert "max_value" not in VisitForm.base_fields["visits"].error_messages


@pytest.mark.django_db
def test_the_screening_form_says_how_many_dash_questions_there_are(client_for, manager_a, concern):
    """A real page: 28 DASH questions ticked, of 27. The error summary says so; nothing is saved."""
    response = client_for(manager_a).post(
        reverse("cases:screen", kwargs={"case_pk": concern.pk}),
        {
            "s42_duty_applies": "no",
            "better_process": "marac",
            "dash_ticks": "28",
            "outcome": "route",
            "rationale": "Domestic abuse by her son; MARAC is the better process",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("The number of DASH questions ticked must be 27 or fewer") == 2  # summary and field
    assert "Ensure this value" not in page
    status = concern.status
    concern.refresh_from_db()
    assert concern.status == status
    assert not Screening.objects.filter(case=concern).exists()
    assert not Decision.objects.filter(case=concern).exists()


@pytest.mark.django_db
def test_the_screening_form_says_when_the_dash_score_is_not_a_number(client_for, manager_a, concern):
    response = client_for(manager_a).post(
        reverse("cases:screen", kwargs={"case_pk": concern.pk}), {"dash_ticks": "lots"}
    )
    assert "The number of DASH questions ticked must be a number" in response.content.decode()
