from django import forms

from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.govuk_forms.submission import SubmissionKeyField
from marm.sar.vocab import REPORTED, Rag, RecommendationResponse


def _text(label, rows=3, required=False, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, **kwargs)


class ReviewForm(GovukForm):
    reference = forms.CharField(
        label="Reference",
        max_length=30,
        help_text="For example, BPSCR4",
        error_messages={"required": "Enter the review's reference, like BPSCR4"},
    )
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the review's title"})
    adults = forms.CharField(
        label="How the review names the adults",
        max_length=200,
        help_text="As the review anonymises them, for example X, Y and Z. Never their names",
        error_messages={"required": "Enter how the review names the adults, like X, Y and Z"},
    )
    referred_on = GovukDateField(
        label="Date referred for a review",
        help_text="For example, 27 3 2024",
        error_messages={"required": "Enter the date the case was referred for a review"},
    )
    decided_on = GovukDateField(
        label="Date the board decided to hold the review",
        required=False,
        help_text="Leave empty if the board has not decided yet",
    )
    adult_died = forms.TypedChoiceField(
        label="Did the adult die?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="The national Safeguarding Adults Collection counts reviews by whether the adult died",
        error_messages={"required": "Select whether the adult died"},
    )
    summary = _text("Summary", rows=4, help_text="Optional")
    submission_key = SubmissionKeyField()


class ReviewEditForm(ReviewForm):
    submission_key = None


class ConcludeForm(GovukForm):
    concluded_on = GovukDateField(
        label="Date the review concluded", error_messages={"required": "Enter the date the review concluded"}
    )


class OrganisationForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Organisation", queryset=None, error_messages={"required": "Select the organisation"}
    )
    contact = forms.ModelChoiceField(
        label="Nominated contact",
        queryset=None,
        required=False,
        help_text="Someone who works for the organisation. They will see this review and keep their "
        "organisation's progress",
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, agencies, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda user: f"{user.full_name} ({user.agency})"


class ThemeForm(GovukForm):
    title = forms.CharField(
        label="Theme",
        max_length=300,
        help_text="For example, Care planning / risk assessment / risk management",
        error_messages={"required": "Enter the theme"},
    )
    submission_key = SubmissionKeyField()


class RecommendationForm(GovukForm):
    theme = forms.ModelChoiceField(label="Theme", queryset=None, error_messages={"required": "Select the theme"})
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        help_text="As the review numbers it",
        error_messages={
            "required": "Enter the recommendation's number, like 1",
            "invalid": "The recommendation's number must be a whole number, like 1",
            "min_value": "The recommendation's number must be 1 or more",
        },
    )
    text = _text("Recommendation", rows=5, required=True, error_messages={"required": "Enter the recommendation"})
    submission_key = SubmissionKeyField()

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes


class RespondForm(GovukForm):
    response = forms.ChoiceField(
        label="The board's response",
        choices=RecommendationResponse.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the board's response"},
    )
    not_accepted_reason = _text(
        "If not accepted, why not",
        rows=4,
        help_text="The annual report lists the findings not acted on and the reasons",
    )


class ActionForm(GovukForm):
    text = _text("Action", rows=5, required=True, error_messages={"required": "Enter the action"})
    due_date = GovukDateField(
        label="Due date",
        required=False,
        allow_future=True,
        help_text="The date the action is due by, if the plan gives one",
    )
    submission_key = SubmissionKeyField()


class ProgressForm(GovukForm):
    text = _text(
        "Progress",
        rows=8,
        required=True,
        help_text="What your organisation has done on this action",
        error_messages={"required": "Say what progress has been made"},
    )
    evidence = _text(
        "Evidence",
        rows=3,
        help_text="What shows it, for example an audit, a revised procedure or training figures. "
        "The board signs an action off when every organisation reports it complete with evidence",
    )
    rag = forms.ChoiceField(
        label="RAG status",
        choices=[(value, label) for value, label in Rag.choices if value in REPORTED],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG status"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SignOffForm(GovukForm):
    reason = _text(
        "Why sign it off now",
        rows=4,
        help_text="Needed only when not every organisation reports the action complete with evidence",
    )


class SingleAgencyPlanForm(GovukForm):
    review_organisation = forms.ModelChoiceField(
        label="Organisation", queryset=None, error_messages={"required": "Select the organisation"}
    )
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the plan's title"})
    received_on = GovukDateField(
        label="Date received", error_messages={"required": "Enter the date the plan was received"}
    )
    summary = _text("Summary", rows=4, help_text="Optional")
    submission_key = SubmissionKeyField()

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_organisation"].queryset = organisations
        self.fields["review_organisation"].label_from_instance = lambda organisation: organisation.agency.name
