from django import forms

from marm.cases.forms import LegislationField
from marm.closure import vocab
from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.organisations.models import Agency
from marm.sharing.models import SharingBasis


def _text(label, rows=3, required=True, help_text="", message=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        help_text=help_text,
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


def _radios(label, choices, required=True, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": f"Select an answer for: {label.lower()}"},
        **kwargs,
    )


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class AgencyChoiceField(forms.ModelChoiceField):
    def __init__(self, label, agencies, **kwargs):
        kwargs.setdefault("error_messages", {"required": "Select the agency"})
        super().__init__(label=label, queryset=Agency.objects.filter(pk__in=[a.pk for a in agencies]), **kwargs)


class EngagementAttemptForm(GovukForm):
    strategy = _radios("How did you try to engage?", vocab.EngagementStrategy.choices)
    attempted_on = GovukDateField(label="Date of the attempt", error_messages={"required": "Enter the date"})
    outcome = _radios("What happened?", vocab.EngagementOutcome.choices)
    notes = _text("Notes", required=False)


class ReasonForm(GovukForm):
    reason = _text("Reason", message="Give the reason")


class ReflectiveReviewForm(GovukForm):
    """002's reflective questions, asked of the practitioner, and its concerns and next steps."""

    evidence_of_increased_risk = _text(
        "Am I concerned just because they are not engaging, or do I have evidence that non-engagement increases risk?",
        rows=4,
        help_text="Say what the evidence is, or that there is none",
        message="Say whether you have evidence that non-engagement increases the risk",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 002 "Am I colluding?": one question each, inserted after the evidence.
        fields = {"evidence_of_increased_risk": self.fields.pop("evidence_of_increased_risk")}
        for code, question in vocab.ColludingQuestion.choices:
            fields[f"colluding_{code}"] = _radios(question, vocab.ReflectiveAnswer.choices)
        fields.update(self.fields)
        self.fields = fields

    feel_at_risk = _radios("Do I feel at risk?", vocab.ReflectiveAnswer.choices)
    feel_at_risk_details = _text("If so, what makes you feel at risk?", required=False)
    concerns = _checkboxes("Concerns or issues raised", vocab.ConcernRaised.choices, "Select all that apply")
    concerns_details = _text("About those concerns", required=False)
    next_steps = _checkboxes("Next steps", vocab.NextStep.choices, "Select all you will take. Do not close the case")
    next_steps_due_on = GovukDateField(label="Next steps due by", required=False, allow_future=True)
    reflection = _text("Anything else", required=False)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["colluding_answers"] = {code: data.pop(f"colluding_{code}") for code in vocab.ColludingQuestion.values}
        return data


class SupportProviderForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency providing care and support",
        queryset=Agency.objects.all(),
        error_messages={"required": "Select the agency"},
    )
    support = _text("What care and support do they provide?", message="Say what care and support they provide")


class AgencyCheckForm(GovukForm):
    spoke_to = forms.CharField(
        label="Who did you speak to?",
        max_length=200,
        help_text="Name and role",
        error_messages={"required": "Say who you spoke to"},
    )
    checked_on = GovukDateField(label="When", error_messages={"required": "Enter the date of the check"})
    what_they_said = _text("What did they say?", message="Record what they said")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"agency": AgencyChoiceField("Agency checked with", agencies), **self.fields}


class S42ReferralForm(GovukForm):
    risk_of_serious_harm = _text(
        "The risk of serious harm that remains", message="Describe the risk of serious harm that remains"
    )
    steps_taken = _text("The steps already taken", rows=4, message="Describe the steps already taken")
    why_not_enough = _text("Why they were not enough", message="Say why those steps have not reduced the risk")
    lawful_basis = _radios("Lawful basis for sharing with the local authority", SharingBasis.choices)
    lawful_basis_details = _text("About the basis", required=False, help_text="If the adult consented: how and when")
    referred_to = forms.CharField(
        label="Referred to (local authority team)",
        max_length=200,
        error_messages={"required": "Say which local authority team it was referred to"},
    )
    referred_on = GovukDateField(label="Date of the referral", error_messages={"required": "Enter the date"})
    marm_work = _radios("While the local authority decides", vocab.MarmWork.choices)
    legislation = LegislationField(help_text="Care Act 2014 section 42 and the Data Protection Act 2018 are added")


class S42OutcomeForm(GovukForm):
    outcome = _radios("The local authority's decision", vocab.S42Decision.choices)
    reason = _text("Their reason", message="Give the local authority's reason")
    decided_on = GovukDateField(label="Date of the decision", error_messages={"required": "Enter the date"})
    decided_by = forms.CharField(
        label="Who decided (name and role)",
        max_length=200,
        error_messages={"required": "Say who decided for the local authority"},
    )


class CloseForm(GovukForm):
    """000 6.2 and 3.5. Fields are optional here: the service says what is missing, all at once,
    together with the non-engagement guard's list (002)."""

    reason = _radios("Why is the case closing?", vocab.ClosureReason.choices, required=False)
    rationale = _text("Rationale", rows=4, required=False, help_text="Why now, tied to the circumstances")

    non_engagement_not_applicable = _text("Why non-engagement does not apply", required=False)

    def __init__(self, *args, risks, agencies, not_engaged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.risks = risks
        self.not_engaged = not_engaged
        fields = {"reason": self.fields.pop("reason"), "rationale": self.fields.pop("rationale")}
        not_applicable = self.fields.pop("non_engagement_not_applicable")
        if not_engaged:
            # 002: asked only when attempts have failed since the latest agreed risk assessment.
            not_applicable.help_text = (
                f"{not_engaged.summary()}. Unless you agree a current risk assessment and check with every "
                "other agency in contact with the adult, say why non-engagement does not apply. Leave it "
                "empty if the case is closing for non-engagement. It goes into the decision log"
            )
            fields["non_engagement_not_applicable"] = not_applicable
        for risk in risks:
            fields[f"risk_{risk.key}_outcome"] = _radios(
                f"Risk: {risk.label}", vocab.RiskOutcome.choices, required=False
            )
            fields[f"risk_{risk.key}_why"] = _text(f"Why, for: {risk.label}", rows=2, required=False)
        fields.update(self.fields)
        self.fields = fields
        self.fields["support_agreed_by"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        self.fields["handover_agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])

    ongoing_support = _text("Ongoing support", required=False, help_text="What support the adult will have, from whom")
    support_agreed_by = forms.ModelMultipleChoiceField(
        label="Agencies that agreed the ongoing support",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handover_agency = forms.ModelChoiceField(
        label="Handed over to single-agency case management in", queryset=Agency.objects.none(), required=False
    )
    handover_to = forms.CharField(label="Handed over to (team or person)", max_length=200, required=False)
    information_given = _text(
        "Information and advice given to the adult",
        required=False,
        help_text="How to minimise the risks, and how to ask for help or a reassessment later",
    )
    options_considered = _text("Options considered", rows=2, required=False)
    legislation = LegislationField()

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["risk_outcomes"] = {
            risk.key: {"outcome": data.pop(f"risk_{risk.key}_outcome"), "why": data.pop(f"risk_{risk.key}_why")}
            for risk in self.risks
        }
        return data
