from django import forms

from marm.cases.vocab import RiskCategory
from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.register.models import ProcessKind, ReviewOutcome, SupportNotDelivered


def _text(label, message, rows=3, **kwargs):
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": message}, **kwargs
    )


class EntryAddForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Whose register", queryset=None, error_messages={"required": "Select the team's register"}
    )
    criteria = forms.MultipleChoiceField(
        label="Which criteria does the person meet?",
        choices=RiskCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select the criteria the person meets"},
    )
    named_professional = forms.ModelChoiceField(
        label="Named professional",
        queryset=None,
        help_text="Every person on the register has a named professional",
        error_messages={"required": "Select the named professional"},
    )
    reason = _text("Why are they on the register?", "Say why the person is on the register")
    case = forms.ModelChoiceField(label="MARM case (optional)", queryset=None, required=False)
    # The bounds of the trigger are register_entry_add's: its refusal is shown on these fields.
    missed_visits_threshold = forms.IntegerField(
        label="Missed visits that trigger a review (optional)",
        required=False,
        help_text="Agreed with the care provider, for example 2",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Enter a whole number of missed visits, for example 2"},
    )
    missed_visits_window_days = forms.IntegerField(
        label="Within how many days",
        initial=7,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of days, for example 7",
            "invalid": "Enter a whole number of days, for example 7",
        },
    )

    def __init__(self, *args, teams, professionals, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["named_professional"].queryset = professionals
        self.fields["case"].queryset = cases


class NamedProfessionalForm(GovukForm):
    named_professional = forms.ModelChoiceField(
        label="New named professional",
        queryset=None,
        help_text="They are told at once, and any contact alerts still waiting go to them",
        error_messages={"required": "Select the new named professional"},
    )
    reason = _text("Why is the named professional changing?", "Say why the named professional is changing")

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_professional"].queryset = professionals


class RegisterSettingsForm(GovukForm):
    acknowledge_within_minutes = forms.IntegerField(
        label="Minutes to acknowledge a contact alert",
        required=False,
        min_value=5,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "min_value": "Enter at least 5 minutes",
            "max_value": "Enter at most 1440 minutes (24 hours)",
            "invalid": "Enter a whole number of minutes, for example 30",
        },
    )

    def __init__(self, *args, default_minutes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledge_within_minutes"].help_text = (
            "After this, an alert the named professional has not acknowledged goes to the team's supervisors. "
            f"Leave empty to use marm's setting for everyone ({default_minutes} minutes)."
        )


class EntryRemoveForm(GovukForm):
    reason = _text("Why are they coming off the register?", "Say why the person is coming off the register")


class ReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the review"},
    )
    notes = _text("What did the review find?", "Say what the review found", rows=4)
    with_lead_professional = forms.ModelChoiceField(
        label="Supervision: the lead professional you reviewed with",
        queryset=None,
        required=False,
        help_text="Only for a supervisor's review with the lead professional",
    )

    def __init__(self, *args, professionals, supervisor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if supervisor:
            self.fields["with_lead_professional"].queryset = professionals
        else:
            del self.fields["with_lead_professional"]


class ProcessForm(GovukForm):
    kind = forms.ChoiceField(
        label="Process", choices=ProcessKind.choices, error_messages={"required": "Select the process"}
    )
    detail = forms.CharField(label="Reference or who runs it", max_length=200, required=False)
    started_on = GovukDateField(label="Started on", error_messages={"required": "Enter the date it started"})

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProcessKind.OTHER and not data.get("detail", "").strip():
            self.add_error("detail", "Name the process")
        return data


class ProcessEndForm(GovukForm):
    ended_on = GovukDateField(label="Ended on", error_messages={"required": "Enter the date it ended"})


class SupportNotDeliveredForm(GovukForm):
    missed_on = GovukDateField(label="Date of the missed support", error_messages={"required": "Enter the date"})
    what_was_missed = forms.CharField(
        label="What support was not delivered?",
        max_length=200,
        help_text="For example, the morning personal care visit",
        error_messages={"required": "Say what support was not delivered"},
    )
    why = forms.ChoiceField(
        label="Why was it not delivered?",
        choices=SupportNotDelivered.Why.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why it was not delivered"},
    )
    notes = forms.CharField(label="Anything else", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DutySearchForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, help_text="As the caller gives it", error_messages={"required": "Enter a name"}
    )
    date_of_birth = GovukDateField(label="Date of birth (optional)", required=False)
    year_of_birth = forms.IntegerField(
        label="Or year of birth (optional)",
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="For example 1950",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"invalid": "Enter a year, for example 1950", "min_value": "Enter a year after 1900"},
    )
    aged_from = forms.IntegerField(
        label="Or aged from (optional)",
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Enter an age in years, for example 70"},
    )
    aged_to = forms.IntegerField(
        label="To (optional)",
        required=False,
        min_value=0,
        max_value=130,
        help_text="For example, aged 70 to 80",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Enter an age in years, for example 80"},
    )
    register_only = forms.BooleanField(label="Only people on the register", required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("aged_from"), data.get("aged_to")
        if low is not None and high is not None and low > high:
            self.add_error("aged_to", "Enter an age the same as or more than the first")
        return data


class ContactForm(GovukForm):
    caller = forms.CharField(
        label="Who made contact?",
        max_length=200,
        help_text="Their name and how they know the person, for example 'neighbour, Mrs Patel'",
        error_messages={"required": "Say who made contact"},
    )
    about = _text("What was it about?", "Say what the contact was about", rows=4)


class OpenRecordForm(GovukForm):
    purpose = forms.CharField(
        label="Why do you need the full record?",
        max_length=300,
        help_text="Recorded with your name in the record's access log",
        error_messages={"required": "Say why you need the full record"},
    )
