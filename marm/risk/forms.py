from django import forms

from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.risk import vocab


def _text(label, *, required=True, rows=3, help_text="", message=""):
    kwargs = {"error_messages": {"required": message or f"Enter {label.lower()}"}} if required else {}
    return forms.CharField(
        label=label,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        **kwargs,
    )


def _radios(label, choices, *, required=True, help_text="", inline=False, message=""):
    attrs = {"inline": True} if inline else {}
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect(attrs=attrs),
        help_text=help_text,
        error_messages={"required": message or f"Select an answer for: {label.lower()}"},
    )


PLAIN = "The adult is given a copy: write so they can follow it"


class StartForm(GovukForm):
    """Starting a draft asks nothing: the button is the answer."""


class AspectForm(GovukForm):
    what_is_known = _text("What is known", rows=5, required=False, help_text=PLAIN)
    likelihood = _radios("How likely is harm?", [("", "Not rated yet"), *vocab.Likelihood.choices], required=False)
    impact = _radios("How bad would it be?", [("", "Not rated yet"), *vocab.Impact.choices], required=False)
    adult_view = _text("The adult's own view", rows=3, required=False, help_text="In their words, where you can")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        data["likelihood"] = int(data["likelihood"]) if data.get("likelihood") else None
        data["impact"] = int(data["impact"]) if data.get("impact") else None
        if (data["likelihood"] is None) != (data["impact"] is None):
            self.add_error("impact" if data["likelihood"] else "likelihood", "Rate both, or leave both not rated")
        return data


class OverviewForm(GovukForm):
    what_matters = _text(
        "What matters to the adult",
        required=False,
        help_text="What they want from life, and the risks they choose to take to have it",
    )
    strengths = _text("The adult's strengths", required=False)
    adult_view = _text("The adult's view of the risks overall", required=False)
    risks_to_others = _text("Risks to others and the public", required=False)
    benefits_of_involvement = _text("Benefits of involvement", required=False)
    risks_of_involvement = _text("Risks of involvement", required=False)
    benefits_of_non_involvement = _text("Benefits of non-involvement", required=False)
    risks_of_non_involvement = _text("Risks of non-involvement", required=False)
    overall_level = _radios(
        "Overall level of risk",
        [("", "Not set yet"), *vocab.RiskLevel.choices],
        required=False,
        inline=True,
        help_text="A professional judgement across the aspects",
    )
    plan_summary = _text(
        "Summary of the plan",
        rows=5,
        required=False,
        help_text="What will be done and by whom, in plain words. It is printed on the adult's copy",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreeForm(GovukForm):
    how = _radios("How was it agreed?", vocab.AgreedHow.choices)
    agreed_on = GovukDateField(label="Date agreed", error_messages={"required": "Enter the date it was agreed"})
    note = _text(
        "Who agreed it, and where",
        help_text="The meeting and who attended, or the lead professional's note",
        message="Say who agreed it, and at which meeting if there was one",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CapacityForm(GovukForm):
    decision = _text(
        "The decision",
        rows=2,
        help_text="One specific decision, for example: whether to accept help to clear the hallway",
    )
    assessed_on = GovukDateField(label="Date of the assessment", error_messages={"required": "Enter the date"})
    practicable_steps = _text(
        "Practicable steps taken to help the adult decide",
        help_text="MCA 2005 s1(3): time of day, setting, information in another form, someone they trust",
    )
    impairment = _radios(
        "Is there an impairment of, or disturbance in, the functioning of the mind or brain?",
        vocab.YesNo.choices,
        required=False,
        inline=True,
        help_text="MCA 2005 s2(1)",
    )
    impairment_details = _text("What is the impairment or disturbance?", required=False, rows=2)
    understands = _radios(vocab.FUNCTIONAL_TEST[0][1], vocab.YesNo.choices, required=False, inline=True)
    understands_evidence = _text("Evidence: understanding", required=False, rows=2)
    retains = _radios(vocab.FUNCTIONAL_TEST[1][1], vocab.YesNo.choices, required=False, inline=True)
    retains_evidence = _text("Evidence: retaining", required=False, rows=2)
    uses_or_weighs = _radios(vocab.FUNCTIONAL_TEST[2][1], vocab.YesNo.choices, required=False, inline=True)
    uses_or_weighs_evidence = _text("Evidence: using or weighing", required=False, rows=2)
    communicates = _radios(vocab.FUNCTIONAL_TEST[3][1], vocab.YesNo.choices, required=False, inline=True)
    communicates_evidence = _text("Evidence: communicating", required=False, rows=2)
    decisional_capacity = _radios(
        "Decisional capacity", vocab.CapacityFinding.choices, help_text="Can they make this decision?"
    )
    executive_capacity = _radios(
        "Executive capacity",
        vocab.ExecutiveFinding.choices,
        help_text="Can they carry the decision out, and manage the risks, in practice?",
    )
    executive_evidence = _text("Evidence about carrying the decision out", required=False, rows=2)
    outcome = _radios("Outcome for this decision", vocab.CapacityFinding.choices)
    outcome_reasons = _text("Reasons for the outcome")
    review_by = GovukDateField(
        label="Look at capacity again by",
        allow_future=True,
        help_text="Capacity is reconsidered at every review",
        error_messages={"required": "Enter when to look at capacity again"},
    )


class BestInterestsForm(GovukForm):
    regain_capacity = _text(
        "Could they regain capacity for this decision?", help_text="Mental Capacity Act 2005, section 4(3)"
    )
    can_wait = _radios("Can the decision wait until then?", vocab.YesNo.choices, inline=True)
    wishes_and_beliefs = _text("Their wishes, feelings, values and beliefs")
    family_and_carers_views = _text("Views of family, carers and others interested in their welfare")
    attorney_kind = _radios("Is there an attorney?", vocab.AttorneyKind.choices)
    attorney_views = _text("The attorney's views", required=False, rows=2)
    attorney_validity = _text(
        "How was the power of attorney checked as valid?",
        required=False,
        rows=2,
        help_text="The Office of the Public Guardian can advise",
    )
    court_deputy = _radios("Is there a deputy appointed by the Court of Protection?", vocab.YesNo.choices, inline=True)
    deputy_views = _text("The deputy's views", required=False, rows=2)
    not_based_on_appearance = forms.BooleanField(
        label=vocab.BEST_INTERESTS_CHECKLIST[5][1],
        error_messages={
            "required": "Confirm the decision is not based merely on age, appearance, condition or behaviour"
        },
    )
    no_motive_to_bring_about_death = forms.BooleanField(
        label=vocab.BEST_INTERESTS_CHECKLIST[6][1],
        error_messages={"required": "Confirm no one is motivated by a desire to bring about their death"},
    )
    other_information = _text("Any other relevant information", required=False, rows=2)
    advocate = _radios("Advocate or IMCA", vocab.AdvocateInvolvement.choices)
    advocate_details = _text("The advocate: who, and what they said", required=False, rows=2)
    less_restrictive_options = _text(
        "Less restrictive options considered", help_text="Mental Capacity Act 2005, section 1(6)"
    )
    summary = _text("The decision", rows=2, message="Enter the decision")
    rationale = _text("Rationale", rows=4, help_text="Why this is in their best interests, tied to the circumstances")
    other_participants = _text(
        "Who else took part",
        required=False,
        rows=2,
        help_text="You are recorded as taking part. Add others: name, role and organisation",
    )


class RefusalForm(GovukForm):
    what_is_refused = _text("What does the adult refuse?", rows=2)
    refused_on = GovukDateField(label="Date of the refusal", error_messages={"required": "Enter the date"})
    capacity_assessment = forms.ChoiceField(label="Capacity assessment it rests on", required=False)
    adult_reasons = _text("The adult's reasons, in their words", required=False, rows=2)
    advice_on_reducing_risk = _text("Advice given about reducing the risk")
    help_later_information = _text(
        "Information given about how to get help later",
        help_text="How to ask for a reassessment if they change their mind",
    )

    def __init__(self, *args, agencies=(), assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies = {f"effort_{agency.pk}": agency for agency in agencies}
        for name, agency in self._agencies.items():
            self.fields[name] = _text(f"What {agency.name} did to offer support", required=False, rows=2)
        self._assessments = {str(a.pk): a for a in assessments}
        if self._assessments:
            self.fields["capacity_assessment"].choices = [("", "None recorded here")] + [
                (key, f"{a.decision[:80]} ({a.assessed_on:%d %B %Y})") for key, a in self._assessments.items()
            ]
        else:
            del self.fields["capacity_assessment"]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        efforts = {agency: data.pop(name, "") for name, agency in self._agencies.items()}
        key = data.pop("capacity_assessment", "")
        return {**data, "efforts": efforts, "capacity_assessment": self._assessments.get(key)}


class CopyForm(GovukForm):
    format = _radios(
        "Which copy?", vocab.CopyFormat.choices, help_text="The easy-read copy uses plain words and large type"
    )
    given_on = GovukDateField(label="Date given to the adult", error_messages={"required": "Enter the date"})
    given_how = _radios("How was it given?", vocab.CopyGivenHow.choices)
    note = _text("Anything to add", required=False, rows=2)


class AdvocacyReferralForm(GovukForm):
    kind = _radios("What kind of advocacy?", vocab.AdvocacyKind.choices, message="Select the kind of advocacy")
    requested_on = GovukDateField(
        label="Date it was asked for", error_messages={"required": "Enter the date advocacy was asked for"}
    )
    provider = forms.CharField(
        label="Advocacy provider",
        max_length=200,
        error_messages={"required": "Enter the name of the advocacy provider"},
    )
    note = _text("Notes", required=False, rows=2, help_text="For example, why the adult needs an advocate")


class AdvocacyOutcomeForm(GovukForm):
    outcome = _radios("Outcome", vocab.AdvocacyOutcome.choices, message="Select the outcome of the referral")
    outcome_on = GovukDateField(label="Date of the outcome", required=False, help_text="Not needed while waiting")
    advocate_name = forms.CharField(
        label="Advocate's name", max_length=200, required=False, help_text="If an advocate is allocated"
    )
    note = _text("Notes", required=False, rows=2)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
