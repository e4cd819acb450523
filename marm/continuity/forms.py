from django import forms

from marm.govuk_forms.forms import GovukForm


class PassphraseChangeForm(GovukForm):
    reason = forms.CharField(
        label="Why is the passphrase changing?",
        help_text="For example: someone who knew it has left the team, or it was written where others could see it",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the passphrase is changing"},
    )
