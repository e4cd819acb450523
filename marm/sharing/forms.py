"""Sharing with several agencies at once: the same grounds, quality tests and answers as any share."""

from django import forms

from marm.cases.forms import ShareForm


class ShareSeveralForm(ShareForm):
    """One sharing decision per agency chosen, each on the grounds given once here."""

    agencies = forms.ModelMultipleChoiceField(
        label="Share with",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each agency gets its own sharing decision, on the grounds below",
        error_messages={"required": "Select the agencies to share with"},
    )
    # Where to go back to once shared: a page of this case (checked by the view).
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    field_order = ["agencies"]

    def __init__(self, *args, agencies, agreed=(), **kwargs):
        super().__init__(*args, agencies=agencies, agreed=agreed, **kwargs)
        del self.fields["agency"]
        self.fields["agencies"].queryset = agencies
        agreed_ids = {agency.pk for agency in agreed}
        self.fields["agencies"].label_from_instance = lambda agency: (
            f"{agency.name} (the adult agreed)" if agency.pk in agreed_ids else agency.name
        )
        self.order_fields(["agencies", *[name for name in self.fields if name != "agencies"]])
