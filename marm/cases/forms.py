from django import forms

from marm.cases import vocab
from marm.cases.models import CaseAccessLevel
from marm.decisions.models import LegislationReference
from marm.govuk_forms.forms import GovukDateField, GovukForm, named_in_errors
from marm.govuk_forms.submission import SubmissionKeyField
from marm.sharing.models import AdultNotToldReason, AdultTold, QualityTest, SharingBasis
from marm.sharing.selectors import agencies_for_agreement


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


def _radios(label, choices, **kwargs):
    kwargs.setdefault("error_messages", {"required": f"Select an answer for: {label.lower()}"})
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class LegislationField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Legislation and guidance relied on")
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=LegislationReference.objects.filter(is_active=True), **kwargs)


class AgreedAgenciesField(forms.ModelMultipleChoiceField):
    """001 3.3: the agencies the adult agreed their information may be shared with (never the board)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "label", "If they were asked: which agencies did they agree their information may be shared with?"
        )
        kwargs.setdefault(
            "help_text",
            "Select all they agreed to. Sharing with any other agency will be recorded as against their wishes",
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=agencies_for_agreement(), **kwargs)


class ConcernForm(GovukForm):
    what_is_happening = forms.CharField(
        label="What is happening?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The risks, what you have seen or been told, and by whom",
        error_messages={"required": "Describe what is happening"},
    )
    risk_categories = _checkboxes("Categories of risk", vocab.RiskCategory.choices, "Select all that apply")
    abuse_types = _checkboxes("Types of abuse or neglect", vocab.AbuseType.choices, "Select all that apply")
    current_care_and_support = forms.CharField(
        label="What care and support does the adult already receive, and from whom?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    others_at_risk = _radios("Are children or other adults at risk?", vocab.YesNoUnknown.choices)
    others_at_risk_details = forms.CharField(
        label="Who else is at risk?", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decisional_capacity = _radios(
        "First view of decisional capacity", vocab.CapacityView.choices, help_text="Can they make the decision?"
    )
    executive_capacity = _radios(
        "First view of executive capacity", vocab.CapacityView.choices, help_text="Can they carry the decision out?"
    )
    capacity_assessment_needed = _radios("Is a mental capacity assessment needed?", vocab.YesNoUnknown.choices)
    asked_about_sharing = _radios("Was the adult asked about sharing this information?", vocab.YesNoUnknown.choices)
    sharing_agreed_agencies = AgreedAgenciesField()
    views_on_sharing = forms.CharField(
        label="What did they say?", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    unable_or_unwilling_to_self_care = forms.BooleanField(
        label="The adult is unable or unwilling to provide adequate care for themselves", required=False
    )
    at_risk_tests = _checkboxes("And at least one of these", vocab.AtRiskTest.choices, "Select all that hold")
    entry_criteria = _checkboxes("Entry criteria: all must hold", vocab.EntryCriterion.choices)
    daily_life_areas = _checkboxes("Areas of daily life the adult struggles to manage", vocab.DailyLifeArea.choices)
    submission_key = SubmissionKeyField()

    def clean(self):
        # The rules are case_raise's, which refuses any caller; asked here too so a page with
        # other gaps lists these with them rather than after they are fixed.
        data = super().clean()
        if data.get("others_at_risk") == "yes" and not data.get("others_at_risk_details", "").strip():
            self.add_error("others_at_risk_details", "Say who else is at risk: children or other adults")
        if "daily_life" in data.get("entry_criteria", []) and not data.get("daily_life_areas"):
            self.add_error("daily_life_areas", "Select the areas of daily life, or untick that criterion")
        if data.get("sharing_agreed_agencies") and data.get("asked_about_sharing") != vocab.YesNoUnknown.YES:
            self.add_error("sharing_agreed_agencies", "Select agencies only if the adult was asked about sharing")
        return data


class ScreeningForm(GovukForm):
    s42_duty_applies = _radios("Does the section 42 enquiry duty apply?", vocab.YesNoUnknown.choices)
    better_process = forms.ChoiceField(
        label="Would another process fit better?",
        choices=vocab.OtherProcess.choices,
        error_messages={"required": "Select whether another process fits better"},
    )
    dash_ticks = named_in_errors(
        forms.IntegerField(
            label="DASH checklist: how many questions were ticked?",
            required=False,
            min_value=0,
            max_value=27,
            help_text=f"For domestic abuse. {vocab.DASH_MARAC_THRESHOLD} or more suggests MARAC",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        ),
        "the number of DASH questions ticked",
    )
    outcome = _radios("Outcome", vocab.ScreeningOutcome.choices)
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this outcome, in the circumstances of this case",
        error_messages={"required": "Give the rationale for this outcome"},
    )
    options_considered = forms.CharField(
        label="Options considered", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    routed_to = forms.CharField(label="If routed: sent to (process, team or person)", max_length=200, required=False)
    routed_on = GovukDateField(label="If routed: date sent", required=False)
    what_was_sent = forms.CharField(
        label="If routed: what was sent", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    legislation = LegislationField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 001 section 4: asked only when the ticks say high risk and the outcome is to accept.
        if self.is_bound and self.data.get("outcome") == vocab.ScreeningOutcome.ACCEPT:
            try:
                high = int(self.data.get("dash_ticks", "")) >= vocab.DASH_MARAC_THRESHOLD
            except ValueError:
                high = False
            if high:
                self.fields["dash_reason"] = forms.CharField(
                    label="Why accept into MARM rather than refer to MARAC?",
                    help_text=(
                        f"The DASH checklist shows high risk ({vocab.DASH_MARAC_THRESHOLD} or more ticks): "
                        "the guidance points to MARAC"
                    ),
                    widget=forms.Textarea(attrs={"rows": 3}),
                    error_messages={
                        "required": "Say why the case should be accepted into MARM rather than referred to MARAC"
                    },
                )
                self.order_fields(["s42_duty_applies", "better_process", "dash_ticks", "outcome", "dash_reason"])


class ReasonForm(GovukForm):
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the rationale"},
    )
    legislation = LegislationField()


class ReopenForm(ReasonForm):
    """Reopening into MARM; while another process runs for the person, why MARM should run alongside it."""

    def __init__(self, *args, running=(), **kwargs):
        super().__init__(*args, **kwargs)
        if running:
            names = ", ".join(dict.fromkeys(process.name for process in running))
            self.fields["alongside_reason"] = forms.CharField(
                label=f"Why should MARM run alongside {names}?",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Say why MARM should run alongside {names}"},
            )


class RoutedProcessEndForm(GovukForm):
    ended_on = GovukDateField(
        label="When did the process end?", error_messages={"required": "Enter the date the process ended"}
    )


class AllocateForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Lead professional", queryset=None, error_messages={"required": "Select the lead professional"}
    )
    rationale = forms.CharField(
        label="Why them?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why they are the right lead professional"},
    )
    legislation = LegislationField()

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda user: f"{user.full_name} ({user.agency})"


class KeyActionForm(GovukForm):
    status = _radios("Status", vocab.KeyActionStatus.choices)
    reason = forms.CharField(label="If not applicable, why?", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class LeadWorkerForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Your agency's lead worker",
        queryset=None,
        error_messages={"required": "Select your agency's lead worker"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class ShareForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Share with", queryset=None, error_messages={"required": "Select the agency to share with"}
    )
    basis = _radios(
        "Grounds for sharing",
        SharingBasis.choices,
        help_text="If the adult has not agreed to share with this agency, the grounds cannot be their consent",
    )
    consent_details = forms.CharField(
        label="If the adult consented: how and when", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # 001 3.3: asked when the adult has not agreed to share with the agency (sharing_decide requires it).
    adult_told = forms.ChoiceField(
        label="If the adult has not agreed to share with this agency: have they been told about this share?",
        choices=AdultTold.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    adult_told_on = GovukDateField(label="If told: the date they were told", required=False)
    adult_told_by = forms.CharField(
        label="If told: who told them", max_length=200, required=False, help_text="Name, role and agency"
    )
    adult_not_told_reason = forms.ChoiceField(
        label="If not told: why not?", choices=AdultNotToldReason.choices, widget=forms.RadioSelect, required=False
    )
    adult_not_told_details = forms.CharField(
        label="If not told: more about why", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    access = _radios("What will the agency be able to see?", CaseAccessLevel.choices)
    what_is_shared = forms.CharField(
        label="What is being shared",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what is being shared"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why sharing is necessary and proportionate here",
        error_messages={"required": "Give the rationale for sharing"},
    )
    quality_tests = _checkboxes("The information is", QualityTest.choices, "All six must be true before sharing")
    legislation = LegislationField()

    def __init__(self, *args, agencies, agreed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        agreed_ids = {agency.pk for agency in agreed}
        self.fields["agency"].label_from_instance = lambda agency: (
            f"{agency.name} (the adult agreed)" if agency.pk in agreed_ids else agency.name
        )


class SharingWishesForm(GovukForm):
    """The adult's wishes about sharing (001 3.3), recorded or changed after the concern."""

    asked_about_sharing = _radios("Was the adult asked about sharing their information?", vocab.YesNoUnknown.choices)
    asked_on = GovukDateField(label="If asked: the date they were asked", required=False)
    asked_by = forms.CharField(
        label="If asked: who asked them", max_length=200, required=False, help_text="Name, role and agency"
    )
    agreed_agencies = AgreedAgenciesField()
    views_on_sharing = forms.CharField(
        label="What did they say?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Their own words, including anyone they do not want told",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(GovukForm):
    summary = forms.CharField(
        label="The decision",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the decision"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Why, tied to the circumstances",
    )
    options_considered = forms.CharField(
        label="Options considered", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    other_participants = forms.CharField(
        label="Who took part",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="You are recorded as taking part. Add others: name, role and organisation",
    )
    legislation = LegislationField()


class EndRoleForm(GovukForm):
    reason = forms.CharField(
        label="Why is the agency's involvement ending?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the agency's involvement is ending"},
    )


class ThemesForm(GovukForm):
    themes = _checkboxes(
        "Which review themes does this case show?",
        vocab.ReviewTheme.choices,
        help_text="The board's measures can be cut by these themes. Select all that apply.",
    )
