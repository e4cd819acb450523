from django import forms

from marm.assurance import selectors
from marm.assurance.registry import financial_year_label
from marm.cases.vocab import ReviewTheme
from marm.govuk_forms.forms import GovukForm


class MeasureFilterForm(GovukForm):
    """The year, and optionally one agency and one review theme, to cut the measures by."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=selectors.partner_agencies(), required=False, empty_label="All agencies"
    )
    theme = forms.ChoiceField(label="Review theme", choices=[("", "All themes"), *ReviewTheme.choices], required=False)

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(year, financial_year_label(year)) for year in years]
        self.fields["agency"].queryset = selectors.partner_agencies()

    def choice(self, years) -> dict:
        """The filters chosen, or the defaults (the current year, everything) if the form is not valid."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return {
                "year": data["year"],
                "agency_id": data["agency"].pk if data["agency"] else None,
                "theme": data["theme"] or None,
            }
        return {"year": years[0], "agency_id": None, "theme": None}


class PublicationForm(GovukForm):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, data=None, *, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(year, financial_year_label(year)) for year in years]

    def chosen_year(self, years) -> int:
        return self.cleaned_data["year"] if self.is_bound and self.is_valid() else years[0]
