from django import forms

from marm.access.roles import PEOPLE_ROLES
from marm.accounts.forms import NewPasswordForm
from marm.govuk_forms.forms import GovukForm
from marm.organisations.models import Role


class UserSearchForm(GovukForm):
    q = forms.CharField(label="Name or e-mail address", required=False, max_length=200)
    agency = forms.ChoiceField(label="Agency", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "All agencies")] + [(str(a.pk), a.name) for a in agencies]


class UserCreateForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="E-mail address",
        help_text="Their work address: the link to set a password goes there",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agency = forms.ChoiceField(label="Agency")
    job_title = forms.CharField(label="Job title", max_length=200, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"].choices = [("", "Choose an agency")] + [(k, a.name) for k, a in self.agencies.items()]

    def clean_agency(self):
        return self.agencies[self.cleaned_data["agency"]]


class RoleForm(GovukForm):
    team = forms.ChoiceField(label="Team", widget=forms.RadioSelect)
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why do they need this role?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for a role that sees adults: the agency's manager reads it before agreeing",
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in teams}
        self.fields["team"].choices = [(k, t.name) for k, t in self.teams.items()]

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in PEOPLE_ROLES and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why they need a role that sees adults")
        return cleaned


class ConfirmForm(GovukForm):
    """A button that confirms an action; the service's refusal shows in the error summary."""


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you agree to give this role?",
        choices=[("agree", "Yes, give the role"), ("decline", "No, decline the request")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree to give this role"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you decline",
    )


class SetPasswordForm(NewPasswordForm):
    """The password set from a reset link: the same rules as changing it."""
