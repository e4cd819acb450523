from django import forms

from marm.govuk_forms.forms import GovukForm
from marm.history.models import Basis
from marm.history.services import RECTIFIABLE_FIELDS
from marm.people.models import Person


def _detail_choices():
    return [(name, Person._meta.get_field(name).verbose_name.capitalize()) for name in RECTIFIABLE_FIELDS]


class RectifyForm(GovukForm):
    field_name = forms.ChoiceField(
        label="Which detail is wrong or contested?",
        choices=_detail_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the detail to correct"},
    )
    new_value = forms.CharField(
        label="Corrected value",
        help_text="Leave as it is if the detail is contested but not yet corrected",
        required=False,
        max_length=200,
    )
    basis = forms.ChoiceField(
        label="Is this detail a fact or an opinion?",
        choices=Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the detail is a fact or an opinion"},
    )
    reason = forms.CharField(
        label="Reason for the correction",
        help_text="For example, what the person told you and how it was checked",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for the correction"},
    )
    restrict = forms.BooleanField(
        label="The person contests this detail: restrict it (shown but marked, not to be used)",
        required=False,
    )


class LiftRestrictionForm(GovukForm):
    reason = forms.CharField(
        label="Why can the detail be used again?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for lifting the restriction"},
    )
