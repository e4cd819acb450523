"""The risk assessment's and mental capacity's part of the case page's "what next" (RiskConfig.ready)."""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from marm.cases.lifecycle import IN_MARM
from marm.cases.next_steps import Step, StepState, register_next_steps
from marm.cases.vocab import CapacityView, YesNoUnknown
from marm.risk.models import AdultCopy, CapacityAssessment, RiskAssessmentVersion
from marm.risk.vocab import VersionStatus


def risk_facts(*, case) -> dict:
    """Is a version agreed, is capacity assessed, has the adult a copy of the version agreed last."""
    if case.status not in IN_MARM:
        return {}
    agreed = RiskAssessmentVersion.objects.filter(assessment__case=OuterRef("pk"), status=VersionStatus.AGREED)
    latest_agreed = RiskAssessmentVersion.objects.filter(
        assessment__case=OuterRef(OuterRef("pk")), status=VersionStatus.AGREED
    ).order_by("-number")
    return {
        "has_agreed": Exists(agreed),
        "has_capacity": Exists(CapacityAssessment.objects.filter(case=OuterRef("pk"))),
        "latest_copied": Exists(
            AdultCopy.objects.filter(case=OuterRef("pk"), version_id=Subquery(latest_agreed.values("pk")[:1]))
        ),
    }


def risk_steps(*, user, case, facts) -> list[Step]:
    """Agree the risk assessment, assess capacity where the concern doubted it, give the adult their
    copy of the assessment agreed last (from ``risk_facts``)."""
    if case.status not in IN_MARM:
        return []
    steps = [
        Step(
            "The risk assessment is agreed" if facts["has_agreed"] else "Agree the multi-agency risk assessment",
            StepState.DONE if facts["has_agreed"] else StepState.TO_DO,
            url=reverse("risk:assessment", kwargs={"case_pk": case.pk}),
            order=50,
        )
    ]
    doubted = case.capacity_assessment_needed == YesNoUnknown.YES or CapacityView.CONCERNS in (
        case.decisional_capacity,
        case.executive_capacity,
    )
    if doubted or facts["has_capacity"]:
        steps.append(
            Step(
                "A capacity assessment is recorded" if facts["has_capacity"] else "Carry out a capacity assessment",
                StepState.DONE if facts["has_capacity"] else StepState.TO_DO,
                url=reverse(
                    "risk:capacity" if facts["has_capacity"] else "risk:capacity-add", kwargs={"case_pk": case.pk}
                ),
                hint="" if facts["has_capacity"] else "The concern raised doubts about the adult's capacity.",
                order=55,
            )
        )
    if facts["has_agreed"]:
        steps.append(
            Step(
                "The adult has a copy of the latest agreed risk assessment"
                if facts["latest_copied"]
                else "Give the adult a copy of the latest agreed risk assessment",
                StepState.DONE if facts["latest_copied"] else StepState.TO_DO,
                url=reverse("risk:copies", kwargs={"case_pk": case.pk}),
                order=60,
            )
        )
    return steps


def register() -> None:
    register_next_steps("risk", risk_steps, facts=risk_facts)
