from django import forms

from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.govuk_forms.submission import SubmissionKeyField
from marm.organisations.models import Agency, Role
from marm.surveys.vocab import ConfidenceScore, SurveyPhase, unanswered_message

# Who a survey may ask: everyone whose work is with adults.
ASKABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.ADMINISTRATOR]


class SurveyForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title for the survey"})
    purpose = forms.CharField(
        label="Why you are asking",
        help_text="Practitioners see this above the questions. Say what the answers are for, and that they are "
        "anonymous",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you are asking: practitioners see this above the questions"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to ask",
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one agency"},
    )
    roles = forms.MultipleChoiceField(
        label="Roles to ask",
        choices=ASKABLE_ROLES,
        initial=[Role.PRACTITIONER],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )
    opens_on = GovukDateField(
        label="Opens on", allow_future=True, error_messages={"required": "Enter the date the survey opens"}
    )
    closes_on = GovukDateField(
        label="Closes on", allow_future=True, error_messages={"required": "Enter the date the survey closes"}
    )
    phase = forms.ChoiceField(
        label="Is this before or after the change?",
        choices=SurveyPhase.choices,
        initial=SurveyPhase.BASELINE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the survey is before or after the change"},
    )
    baseline = forms.ModelChoiceField(
        label="Compare with the survey before the change",
        queryset=None,
        required=False,
        empty_label="Not compared",
        help_text="Only for a survey after the change: the results show both side by side",
    )

    def __init__(self, *args, baselines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = baselines


class SurveyNewForm(SurveyForm):
    submission_key = SubmissionKeyField()


class SurveyEditForm(SurveyForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class QuestionForm(GovukForm):
    text = forms.CharField(
        label="Question",
        max_length=300,
        help_text="Practitioners answer on a scale from 'Not at all confident' to 'Very confident'",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter the question",
            "max_length": "The question must be 300 characters or fewer",
        },
    )


class ConfirmForm(GovukForm):
    """A button that confirms an action; the service's refusal shows in the error summary."""


class AnswerForm(GovukForm):
    """One set of radios per question, on the five-point confidence scale."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            message = unanswered_message(question.text)
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=ConfidenceScore.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )

    def answers(self) -> dict[int, int]:
        """{question id: score} from the cleaned data."""
        return {int(name.removeprefix("question_")): score for name, score in self.cleaned_data.items()}
