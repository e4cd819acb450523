from django import forms

from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.plans.vocab import ActionStatus, EscalationRoute, RiskAspect, TriggerKind


def _text(label, rows=3, required=False, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, **kwargs)


class ActionForm(GovukForm):
    what = _text(
        "What will be done",
        rows=3,
        required=True,
        help_text="Specific and measurable: what, by whom, and how you will know it is done",
        error_messages={"required": "Say what will be done"},
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=None, error_messages={"required": "Select the agency that will do this"}
    )
    lead_user = forms.ModelChoiceField(
        label="Lead (in marm)",
        queryset=None,
        required=False,
        help_text="They will see this in 'Your actions' and be reminded when it is due",
    )
    lead_name = forms.CharField(label="Or the named lead, if they do not use marm", max_length=200, required=False)
    due_date = GovukDateField(label="Due date", allow_future=True, error_messages={"required": "Enter the due date"})
    risk_aspects = forms.MultipleChoiceField(
        label="Risks it addresses",
        choices=RiskAspect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, agencies, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["lead_user"].queryset = users
        self.fields["lead_user"].label_from_instance = lambda user: f"{user.full_name} ({user.agency})"


class ActionReviseForm(ActionForm):
    note = _text("Why is it being revised?", rows=2, required=True, error_messages={"required": "Say why"})
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    note = _text(
        "Progress",
        rows=3,
        required=True,
        help_text="What has happened. If it was not done, say why",
        error_messages={"required": "Say what has happened"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriggerForm(GovukForm):
    kind = forms.ChoiceField(label="If this happens", choices=[("", "Select"), *TriggerKind.choices], required=False)
    threshold = forms.CharField(
        label="Threshold", max_length=200, required=False, help_text="For example: two missed contacts in a week"
    )
    what_to_do = _text("What to do", rows=2)
    who_to_contact = _text("Who to contact", rows=2, help_text="Name, role, agency and how to reach them")
    escalation_route = forms.ChoiceField(
        label="Escalation route", choices=[("", "Select"), *EscalationRoute.choices], required=False
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any((data.get(field) or "").strip() for field in self.fields)


TriggerFormSet = forms.formset_factory(TriggerForm, extra=0, max_num=8)


class ContingencyForm(GovukForm):
    summary = _text("What the plan is for", rows=2)
