import json

from django import forms

from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.people import nhs_number as nhs
from marm.people import presenters
from marm.people.models import AliasKind, AttorneyType, Relationship, ReviewOutcome


class NhsNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "NHS number")
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "A 10 digit number, like 485 777 3456. Leave blank if you do not know it")
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        message = nhs.error_for(value)
        if message:
            raise forms.ValidationError(message)
        return nhs.normalise(value)


class PersonDetailsForm(GovukForm):
    given_name = forms.CharField(label="First name", max_length=100, error_messages={"required": "Enter a first name"})
    middle_names = forms.CharField(label="Middle names", max_length=200, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter a last name"})
    preferred_name = forms.CharField(
        label="Preferred name", max_length=100, required=False, help_text="What they like to be called, if different"
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        allow_partial=True,
        required=False,
        help_text="For example, 27 3 1950. If you only know the month and year, or the year, leave the rest blank",
    )
    nhs_number = NhsNumberField()

    def cleaned_person_fields(self) -> dict:
        data = dict(self.cleaned_data)
        date, precision = data.pop("date_of_birth") or (None, "")
        data["date_of_birth"] = date
        data["date_of_birth_precision"] = precision
        return data


class PersonCreateForm(PersonDetailsForm):
    local_identifier = forms.CharField(
        label="Your agency's reference for this person",
        max_length=60,
        required=False,
        help_text="For example, a case management system ID. Optional",
    )
    line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    # Shown only once possible matches have been listed (ADR 0014).
    different_person = forms.BooleanField(
        label="This is a different person from the people listed", required=False, widget=forms.HiddenInput
    )

    def ask_if_different_person(self):
        self.fields["different_person"].widget = forms.CheckboxInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].widget.attrs["class"] = "govuk-!-width-two-thirds"
        self.fields["postcode"].widget.attrs["class"] = "govuk-input--width-10"

    def clean(self):
        data = super().clean()
        if (data.get("line_2") or data.get("town") or data.get("postcode")) and not data.get("line_1"):
            self.add_error("line_1", "Enter address line 1, or leave the whole address blank")
        if data.get("line_1") and not data.get("town"):
            self.add_error("town", "Enter a town or city")
        return data

    def address(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("line_1"):
            return None
        return {key: data.get(key, "") for key in ("line_1", "line_2", "town", "postcode")}


# The details an editor sees and changes, each with the service fields it writes.
DETAIL_FIELDS = {
    "given_name": ["given_name"],
    "middle_names": ["middle_names"],
    "family_name": ["family_name"],
    "preferred_name": ["preferred_name"],
    "date_of_birth": ["date_of_birth", "date_of_birth_precision"],
    "nhs_number": ["nhs_number"],
}
KEEP_MINE, KEEP_SAVED = "mine", "saved"


def _shown(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def details_json(details: dict) -> str:
    return json.dumps({name: details[name] for name in DETAIL_FIELDS}, sort_keys=True)


class PersonEditForm(PersonDetailsForm):
    """Optimistic locking: the form carries the version the editor started from and the details
    as they were then (``original``, as ``presenters.comparable_details`` shows them), so a save
    writes only what this editor changed and never puts back what someone else changed since.
    ``both_changed`` names the details both changed; each then asks which to keep (``keep_<name>``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(widget=forms.HiddenInput, required=False)
    both_changed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, versions: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data.get("both_changed", "") if self.is_bound else self.initial.get("both_changed", "")
        self.conflicting = [name for name in (source or "").split(",") if name in DETAIL_FIELDS]
        if versions is None and self.is_bound:
            # Sent back with an error: the choice still names both values (text details; a date shows neither).
            versions = {
                name: (_shown(self.data.get(name)), _shown(self.initial.get(name))) for name in self.conflicting
            }
        for name in self.conflicting:
            label = self.fields[name].label.lower()
            mine, saved = (versions or {}).get(name, ("", ""))
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=f"You and someone else both changed the {label}. Which should be kept?",
                choices=[
                    (KEEP_MINE, f"Yours: {mine}" if mine else "Yours"),
                    (KEEP_SAVED, f"The one saved now: {saved}" if saved else "The one saved now"),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose which {label} to keep"},
            )

    def submitted_details(self) -> dict[str, str]:
        return presenters.comparable_details(**self.cleaned_person_fields())

    def original_details(self) -> dict[str, str] | None:
        """The details as they were when this editor opened the form; None if the form did not carry them."""
        try:
            original = json.loads(self.cleaned_data.get("original") or "null")
        except ValueError:
            return None
        if not isinstance(original, dict) or set(original) != set(DETAIL_FIELDS):
            return None
        return original

    def changed_details(self) -> list[str]:
        """The details this editor changed; every one of them when the form did not say where it started."""
        original = self.original_details()
        submitted = self.submitted_details()
        return [name for name in DETAIL_FIELDS if original is None or submitted[name] != original[name]]

    def changes(self) -> dict:
        """What to write: the details this editor changed, less those where they chose the saved one."""
        data = self.cleaned_person_fields()
        keep = [
            name for name in self.changed_details() if self.cleaned_data.get(f"keep_{name}", KEEP_MINE) != KEEP_SAVED
        ]
        return {field: data[field] for name in keep for field in DETAIL_FIELDS[name]}


class PersonSearchForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200, required=False, help_text="First name, last name or both")
    date_of_birth = GovukDateField(
        label="Date of birth",
        allow_partial=True,
        required=False,
        help_text="For example, 27 3 1950. If you only know the month and year, or the year, leave the rest blank",
    )
    nhs_number = NhsNumberField()

    def clean(self):
        data = super().clean()
        date_of_birth = (data.get("date_of_birth") or (None, ""))[0]
        if not (data.get("name") or date_of_birth or data.get("nhs_number")) and not self.errors:
            raise forms.ValidationError("Enter a name, a date of birth or an NHS number to search")
        return data


class AliasForm(GovukForm):
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    kind = forms.ChoiceField(
        label="What kind of name is this?",
        choices=AliasKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of name this is"},
    )

    def clean(self):
        data = super().clean()
        if not data.get("given_name") and not data.get("family_name"):
            self.add_error("given_name", "Enter a first name or a last name")
        return data


class AddressForm(GovukForm):
    line_1 = forms.CharField(
        label="Address line 1", max_length=200, error_messages={"required": "Enter address line 1"}
    )
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, error_messages={"required": "Enter a town or city"})
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    lived_from = GovukDateField(label="Lived here from", required=False)
    lived_until = GovukDateField(
        label="Lived here until", required=False, help_text="Leave blank if they still live here"
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("lived_from"), data.get("lived_until")
        if start and end and end < start:
            self.add_error("lived_until", "The date they left must be the same as or after the date they moved in")
        return data


class IdentifierForm(GovukForm):
    label = forms.CharField(
        label="Name of the reference",
        max_length=60,
        help_text="For example, Mosaic ID or PNC ID",
        error_messages={"required": "Enter the name of the reference"},
    )
    value = forms.CharField(label="Reference", max_length=60, error_messages={"required": "Enter the reference"})


class RelatedPersonForm(GovukForm):
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    relationship = forms.ChoiceField(
        label="Who are they to the adult?",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are to the adult"},
    )
    relationship_detail = forms.CharField(
        label="How they are related", max_length=100, required=False, help_text="For example, daughter or neighbour"
    )
    attorney_type = forms.ChoiceField(
        label="Kind of power of attorney",
        required=False,
        widget=forms.RadioSelect,
        choices=AttorneyType.choices,
        help_text="For attorneys only",
    )
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        is_attorney = data.get("relationship") in (Relationship.LPA_ATTORNEY, Relationship.EPA_ATTORNEY)
        if data.get("relationship") == Relationship.LPA_ATTORNEY and not data.get("attorney_type"):
            self.add_error("attorney_type", "Select which kind of lasting power of attorney they hold")
        if data.get("attorney_type") and not is_attorney:
            self.add_error("attorney_type", "Only attorneys have a kind of power of attorney: leave it blank")
        return data


class EmergencyAccessForm(GovukForm):
    """Break-glass (ADR 0026): exact identifiers the caller already knows, and why."""

    nhs_number = NhsNumberField(help_text="A 10 digit number, like 485 777 3456. Or give the name and date of birth")
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 1950")
    reason = forms.CharField(
        label="What is the emergency, and why do you need this record?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Recorded with your name, shown in the person's access log and to the managers who review it",
        error_messages={"required": "Say what the emergency is"},
    )
    understood = forms.BooleanField(
        label="I understand this is recorded and will be reviewed",
        error_messages={"required": "Confirm that you understand this is recorded and will be reviewed"},
    )

    def clean(self):
        data = super().clean()
        named = data.get("given_name") and data.get("family_name") and data.get("date_of_birth")
        if not data.get("nhs_number") and not named and not self.has_error("date_of_birth"):
            self.add_error(
                "nhs_number", "Enter the person's NHS number, or their first name, last name and full date of birth"
            )
        return data


class EmergencyReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Was the emergency access appropriate?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Needed if the access was not appropriate: an access that still lasts then ends",
    )
