from django import forms

from marm.govuk_forms.forms import GovukForm


class LinkForm(GovukForm):
    reason = forms.CharField(
        label="Why are these records the same person?",
        help_text="For example, the same NHS number, or the person confirmed their earlier name",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why these records are the same person"},
    )


class EndLinkForm(GovukForm):
    reason = forms.CharField(
        label="Why are these records not the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why these records are not the same person"},
    )


class SuggestionDecisionForm(GovukForm):
    same_person = forms.ChoiceField(
        label="Are these records the same person?",
        choices=[("yes", "Yes, link the records"), ("no", "No, they are different people")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether these records are the same person"},
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why"},
    )
