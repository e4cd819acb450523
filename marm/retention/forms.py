from django import forms

from marm.govuk_forms.forms import GovukForm
from marm.retention.models import MAX_PERIOD_MONTHS, MIN_PERIOD_MONTHS


class HoldForm(GovukForm):
    reason = forms.CharField(
        label="Why the records must be kept",
        help_text="For example the claim, inquiry, review or request that needs them, and its reference",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say why the records must be kept"},
    )


class LiftForm(GovukForm):
    reason = forms.CharField(
        label="Why the hold can be lifted",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the hold can be lifted"},
    )


class RuleForm(GovukForm):
    period_months = forms.IntegerField(
        label="Keep for (months)",
        min_value=MIN_PERIOD_MONTHS,
        max_value=MAX_PERIOD_MONTHS,
        error_messages={
            "required": "Enter how many months records are kept",
            "invalid": "Enter a whole number of months",
            "min_value": f"Enter a period from {MIN_PERIOD_MONTHS} to {MAX_PERIOD_MONTHS} months",
            "max_value": f"Enter a period from {MIN_PERIOD_MONTHS} to {MAX_PERIOD_MONTHS} months",
        },
    )
    basis = forms.CharField(
        label="Why this period",
        help_text="The policy, law or guidance it rests on",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say why records are kept this long"},
    )
