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


class ImportUploadForm(GovukForm):
    reference_label = forms.CharField(
        label="What does your agency call its reference for a person?",
        help_text="For example, Mosaic ID, LAS number, SystmOne number or PNC ID. It is kept with each person imported",
        max_length=60,
        error_messages={"required": "Enter what your agency calls its reference for a person"},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Use the header in the template. Nothing is saved until you confirm the preview",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )


IMPORT_CHOICE_LABELS = {"create": "Create a new record", "skip": "Skip this row"}


class ImportConfirmForm(GovukForm):
    """One choice per row of the preview: link to one of the records offered, create, or skip."""

    def __init__(self, data=None, *, matches, preview_token: str):
        super().__init__(data)
        self.matches = matches
        self.fields["preview"] = forms.CharField(widget=forms.HiddenInput, initial=preview_token)
        for match in matches:
            row = match.row
            options = []
            if not match.refused and match.classification != "exact":
                options += [
                    (f"link:{person.pk}", f"Link to {person.full_name} (a new record, linked to this one)")
                    for person, _, _ in match.candidates
                ]
                options.append(("create", IMPORT_CHOICE_LABELS["create"]))
            options.append(("skip", IMPORT_CHOICE_LABELS["skip"]))
            self.fields[f"row_{row.number}"] = forms.ChoiceField(
                label=f"Row {row.number}: what should happen to {row.full_name}?",
                choices=options,
                widget=forms.RadioSelect,
                initial=_default_choice(match),
                error_messages={"required": f"Row {row.number}: select what should happen to {row.full_name}"},
            )

    def rows_with_fields(self):
        return [(match, self[f"row_{match.row.number}"]) for match in self.matches]

    def choices(self) -> dict:
        """Row number -> "skip", "create" or ("link", person id), from valid data."""
        chosen = {}
        for match in self.matches:
            value = self.cleaned_data[f"row_{match.row.number}"]
            chosen[match.row.number] = ("link", value.split(":", 1)[1]) if value.startswith("link:") else value
        return chosen


def _default_choice(match) -> str | None:
    """What the preview proposes: skip a row already recorded (or refused), link a likely match,
    create where nothing matches; a possible match is for the user to decide."""
    if match.refused or match.classification == "exact":
        return "skip"
    if match.classification == "likely":
        return f"link:{match.candidates[0][0].pk}"
    if match.classification == "none":
        return "create"
    return None
