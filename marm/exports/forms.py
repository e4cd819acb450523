from django import forms

from marm.assurance.registry import financial_year_label
from marm.exports.models import ExportFormat, ExportKind
from marm.govuk_forms.forms import GovukForm


class ExportRequestForm(GovukForm):
    kind = forms.ChoiceField(label="What to export", widget=forms.RadioSelect)
    format = forms.ChoiceField(
        label="Format", choices=ExportFormat.choices, widget=forms.RadioSelect, initial=ExportFormat.CSV
    )
    year = forms.TypedChoiceField(label="Financial year (the board's measures only)", coerce=int, required=False)
    publication = forms.BooleanField(
        label="The figures will leave the partnership (small counts suppressed, others rounded to 5)",
        required=False,
    )

    def __init__(self, data=None, *, kinds, years, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = [(code, ExportKind(code).label) for code in kinds]
        if ExportKind.MEASURES in kinds:
            self.fields["year"].choices = [(year, financial_year_label(year)) for year in years]
        else:
            del self.fields["year"]
            del self.fields["publication"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        parameters = {}
        if data["kind"] == ExportKind.MEASURES:
            parameters = {"year": data.get("year") or None, "publication": bool(data.get("publication"))}
        return {"kind": data["kind"], "format": data["format"], "parameters": parameters}
