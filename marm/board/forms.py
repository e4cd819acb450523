from django import forms
from django.utils import timezone

from marm.assurance.registry import measure_choices
from marm.board.models import Rag
from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.govuk_forms.submission import SubmissionKeyField


def _text(label, *, rows=3, required=False, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, **kwargs)


def _line(label, *, required=False, max_length=200, **kwargs):
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


class SubgroupForm(GovukForm):
    name = _line(
        "Name",
        required=True,
        help_text="For example, Procedures Subgroup or MC Task and Finish Group",
        error_messages={"required": "Enter the name of the subgroup"},
    )


class BusinessPlanForm(GovukForm):
    title = _line(
        "Title",
        required=True,
        max_length=300,
        help_text="For example, Business Development Plan 2019-20",
        error_messages={"required": "Enter the title of the plan"},
    )
    year = forms.IntegerField(
        label="The year the plan starts",
        help_text="Plans run from April to March. For a plan from April 2019 to March 2020, enter 2019",
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year the plan starts, like 2019",
            "invalid": "Enter the year the plan starts as a number, like 2019",
            "min_value": "Enter the year the plan starts, between 2000 and 2100",
            "max_value": "Enter the year the plan starts, between 2000 and 2100",
        },
    )


class PriorityForm(GovukForm):
    code = _line(
        "Code",
        required=True,
        max_length=20,
        help_text="For example, SAB1",
        error_messages={"required": "Enter the priority's code, like SAB1"},
    )
    title = _line("Title", required=True, max_length=300, error_messages={"required": "Enter the priority's title"})
    joint_with = _line("Joint with another board (optional)", help_text="For example, Joint with Leicester SAB")
    statement = _text("Priority statement", required=True, error_messages={"required": "Enter the priority statement"})
    rationale = _text(
        "Rationale (optional)", rows=6, help_text="One point a line. Start a line with a dash to make it a bullet point"
    )
    what_different = _text("What do we want to be different? (optional)", rows=5)
    partnership_lead = _line("Partnership lead (optional)", help_text="For example, Local Authority")
    board_officer = _line("Board officer (optional)", help_text="For example, to be allocated")
    delivery_mechanism = forms.ModelChoiceField(
        label="Key delivery mechanism (optional)", queryset=None, required=False, empty_label="None yet"
    )

    def __init__(self, *args, subgroups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_mechanism"].queryset = subgroups


class ObjectiveForm(GovukForm):
    text = _text("Objective", required=True, error_messages={"required": "Enter the objective"})
    baseline_survey = forms.ModelChoiceField(
        label="Survey before the change (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="A practitioner survey that measures the starting point",
    )
    follow_up_survey = forms.ModelChoiceField(
        label="Survey after the change (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="The survey that measures it again",
    )

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline_survey"].queryset = surveys
        self.fields["follow_up_survey"].queryset = surveys


class ActionForm(GovukForm):
    what = _text("What are we going to do?", required=True, error_messages={"required": "Say what we are going to do"})
    due_date = GovukDateField(
        label="Date it is due by",
        allow_future=True,
        required=False,
        help_text="For example, 30 9 2019. Leave it empty if the plan gives no date",
    )
    due_text = _line(
        "When, as the plan words it (optional)",
        max_length=100,
        help_text="For example, Sept 2019 or As required",
    )
    responsible_subgroup = forms.ModelChoiceField(
        label="Subgroup responsible", queryset=None, required=False, empty_label="None"
    )
    responsible_agency = forms.ModelChoiceField(
        label="Or the agency responsible", queryset=None, required=False, empty_label="None"
    )
    how_measured = _text("How will we measure progress and impact?", rows=3)
    measure_code = forms.ChoiceField(
        label="Measure shown beside it (optional)",
        required=False,
        help_text="A figure worked out from the casework, shown live on the plan",
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, subgroups, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_subgroup"].queryset = subgroups
        self.fields["responsible_agency"].queryset = agencies
        choices = [("", "None"), *measure_choices()]
        current = self.initial.get("measure_code")
        if current and current not in dict(choices):
            choices.append((current, f"{current}: no longer available"))
        self.fields["measure_code"].choices = choices

    def clean(self):
        data = super().clean()
        if "due_date" not in self.errors and not data.get("due_date") and not (data.get("due_text") or "").strip():
            self.add_error("due_date", "Enter the date the action is due by, or say when it will be done")
        return data


class ActionEditForm(ActionForm):
    submission_key = None
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(GovukForm):
    reported_on = GovukDateField(
        label="Date of the report", error_messages={"required": "Enter the date of the progress report"}
    )
    note = _text("What was done", required=True, error_messages={"required": "Say what was done"})
    evidence = _text(
        "Evidence (optional)",
        help_text="What shows it: a report to the board, an audit, practitioners' feedback. "
        "An action is signed off only on evidence",
    )
    rag = forms.ChoiceField(
        label="RAG status",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG status"},
    )
    rag_reason = _text("Why is it red or amber?", rows=2, help_text="Needed for red or amber")
    submission_key = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SignOffForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
