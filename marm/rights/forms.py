from django import forms

from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.rights.models import Decision, ExtensionReason, IdentityCheck, RedactionReason, Requester


def _text(label, rows=3, required=True, help_text="", message=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        help_text=help_text,
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


def _radios(label, choices, message=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message or f"Select {label[:1].lower()}{label[1:]}"},
    )


class RegisterForm(GovukForm):
    received_on = GovukDateField(
        label="Date received",
        help_text="The day the request reached any agency in the partnership. For example, 27 3 2026",
        error_messages={"required": "Enter the date the request was received"},
    )
    requester = _radios("Who made the request?", Requester.choices, "Select who made the request")
    requester_name = forms.CharField(label="Requester's name", max_length=200)
    requester_contact = _text("How to reach the requester", help_text="Address, e-mail or telephone")
    what_is_asked = _text(
        "What the request asks for", required=False, help_text="Leave blank if it asks for everything"
    )


class IdentityForm(GovukForm):
    checked_on = GovukDateField(label="Date checked", error_messages={"required": "Enter the date of the check"})
    method = _radios("How was identity checked?", IdentityCheck.choices, "Select how identity was checked")
    details = _text("Details", required=False, help_text="What was seen; do not copy document numbers")


class ExtendForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Extend by",
        choices=[(1, "One further month"), (2, "Two further months")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long to extend by"},
    )
    reason = _radios("Why does it need more time?", ExtensionReason.choices, "Select why it needs more time")
    details = _text(
        "Details",
        message="Enter why the request needs more time",
        help_text="Tell the requester this within one month of receiving the request",
    )


class DecideForm(GovukForm):
    """The officer's decision on the items ticked on the page (rendered by rights/items.html)."""

    items = forms.TypedMultipleChoiceField(
        label="Items",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one item"},
    )
    decision = _radios(
        "What should happen to the selected items?", Decision.choices, "Select what to do with the items"
    )
    reason = forms.ChoiceField(
        label="Why are they not disclosed?",
        choices=[("", "Select a reason"), *RedactionReason.choices],
        required=False,
        help_text="Needed to redact or withhold",
    )

    def __init__(self, data=None, *, item_ids=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["items"].choices = [(pk, str(pk)) for pk in item_ids]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in (Decision.REDACT, Decision.WITHHOLD) and not cleaned.get("reason"):
            self.add_error("reason", "Select why the items are not disclosed")
        return cleaned


class AnswerForm(GovukForm):
    answered_on = GovukDateField(
        label="Date the response was given", error_messages={"required": "Enter the date the response was given"}
    )


class WithdrawForm(GovukForm):
    reason = _text("Why is the request withdrawn?", message="Enter why the request is withdrawn")
