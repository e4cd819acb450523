import datetime
import re

from django import forms

from marm.chronology.models import EntryType, Significance
from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.govuk_forms.submission import SubmissionKeyField

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class TimeOfDayField(forms.Field):
    """A time on the 24-hour clock typed as HH:MM (14:30, 9:05 or 14.30)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false", "maxlength": "5"}
        )

    def prepare_value(self, value):
        if isinstance(value, datetime.time):
            return f"{value:%H:%M}"
        return value

    def to_python(self, value):
        value = (value or "").replace(" ", "")
        if not value:
            return None
        match = _TIME.match(value)
        if not match:
            raise forms.ValidationError("Enter the time on the 24-hour clock, like 14:30, or leave it blank")
        return datetime.time(int(match.group(1)), int(match.group(2)))


class ChronologyEntryForm(GovukForm):
    occurred_on = GovukDateField(
        label="Date of the event",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date of the event"},
    )
    occurred_at_time = TimeOfDayField(
        label="Time of the event (optional)",
        required=False,
        help_text="On the 24-hour clock, for example 14:30",
    )
    entry_type = forms.ChoiceField(
        label="Type of event",
        choices=[("", "Select the type of event"), *EntryType.choices],
        error_messages={"required": "Select the type of event"},
    )
    significance = forms.ChoiceField(
        label="How significant was it?",
        choices=Significance.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select how significant the event was"},
    )
    summary = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened, who was there and what was done. Facts, not opinion",
        error_messages={"required": "Enter what happened"},
    )
    case = forms.ChoiceField(label="Case", required=False)
    submission_key = SubmissionKeyField()

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._cases = {str(case.pk): case for case in cases}
        if self._cases:
            self.fields["case"].choices = [("", "Not about a particular case")] + [
                (key, f"{case.reference}, raised {case.raised_at:%d %B %Y}") for key, case in self._cases.items()
            ]
            self.fields["case"].help_text = "Only cases your agency takes part in fully are listed"
        else:
            del self.fields["case"]

    def clean_case(self):
        key = self.cleaned_data.get("case")
        return self._cases.get(key) if key else None


class ChronologyCorrectionForm(ChronologyEntryForm):
    # An entry takes one correction: a second post of the form is refused as "already corrected".
    submission_key = None
    reason = forms.CharField(
        label="Why are you correcting this entry?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The original entry stays in the chronology, marked as corrected, with this reason",
        error_messages={"required": "Enter why you are correcting the entry"},
    )


class ChronologyFilterForm(GovukForm):
    agency = forms.MultipleChoiceField(label="Agency", required=False, widget=forms.CheckboxSelectMultiple)
    entry_type = forms.MultipleChoiceField(
        label="Type of event", required=False, choices=EntryType.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(agency.pk), agency.name) for agency in agencies]

    def filters(self) -> dict:
        """The chosen agencies and types; none chosen (or a form that does not validate) means all."""
        if not self.is_bound or not self.is_valid():
            return {"agency_ids": [], "entry_types": []}
        return {
            "agency_ids": [int(pk) for pk in self.cleaned_data["agency"]],
            "entry_types": self.cleaned_data["entry_type"],
        }
