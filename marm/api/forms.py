from django import forms

from marm.api.models import Scope
from marm.govuk_forms.forms import GovukDateField, GovukForm


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="The system that will use it, for example “Police case system”",
        error_messages={"required": "Enter what the token is for"},
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what the token may do"},
    )
    expires_on = GovukDateField(
        label="Last day it works",
        allow_future=True,
        error_messages={"required": "Enter the last day the token works"},
    )

    def __init__(self, *args, may_read_measures: bool, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = f"At most {max_days} days from today, for example 31 3 2027"
        if not may_read_measures:
            self.fields["scopes"].choices = [(v, label) for v, label in Scope.choices if v != Scope.BOARD]
