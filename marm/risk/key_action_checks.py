"""The risk assessment's part in the meetings' checklists (registered in RiskConfig.ready).

000 4.4 and Appendix A stage 3: a review meeting updates the risk assessment. The item is done
only when a version was agreed after the previous meeting: a version agreed at or before that
meeting is the one it already worked from. Agreed on a later day, or on its day once its record
was closed.

000 6.1 and Appendix A stage 2: the planning meeting produces the risk assessment and makes sure
the adult is given a copy of it. Those items are done only when an agreed version exists, and
when the adult has been given a copy of the version agreed last.
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from marm.cases.key_action_checks import register_key_action_check
from marm.risk.models import AdultCopy, RiskAssessmentVersion
from marm.risk.vocab import VersionStatus

# 000 Appendix A, stage 3: "Update the risk assessment".
UPDATE_ASSESSMENT = "update_assessment"
# 000 Appendix A, stage 2: "Produce a collaborative and holistic assessment of the risks".
HOLISTIC_ASSESSMENT = "holistic_assessment"
# 000 Appendix A, stage 2: "Ensure the adult is given a copy of the risk assessment".
COPY_OF_ASSESSMENT = "copy_of_assessment"


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def assessment_updated(*, case, since) -> str:
    """'' when a version of the case's risk assessment was agreed on a day after ``since``; else why not."""
    agreed = RiskAssessmentVersion.objects.filter(assessment__case=case, status=VersionStatus.AGREED)
    if since is not None:
        agreed = agreed.filter(Q(agreed_on__gt=since.day) | Q(agreed_on=since.day, agreed_at__gt=since.closed_at))
    if agreed.exists():
        return ""
    if since is None:
        return "No version of the risk assessment has been agreed: agree the updated assessment first"
    return (
        f"No new version of the risk assessment has been agreed since the last meeting on {_long(since.day)}: "
        "agree the updated assessment first"
    )


def assessment_agreed(*, case, since) -> str:
    """'' when a version of the case's risk assessment has been agreed; else why not. At planning the
    assessment is made, not updated, so any agreed version counts, whenever it was agreed."""
    if RiskAssessmentVersion.objects.filter(assessment__case=case, status=VersionStatus.AGREED).exists():
        return ""
    return "No version of the risk assessment has been agreed: agree the risk assessment first"


def copy_given(*, case, since) -> str:
    """'' when the adult has been given a copy of the version agreed last; else why not. One query."""
    latest = (
        RiskAssessmentVersion.objects.filter(assessment__case=case, status=VersionStatus.AGREED)
        .annotate(copied=Exists(AdultCopy.objects.filter(case=case, version=OuterRef("pk"))))
        .order_by("-number", "-pk")
        .values("number", "copied")
        .first()
    )
    if latest is None:
        return (
            "No version of the risk assessment has been agreed, so the adult has not been given a copy: "
            "agree it and give them a copy first"
        )
    if latest["copied"]:
        return ""
    return (
        f"The adult has not been given a copy of version {latest['number']} of the risk assessment, "
        "the version agreed last: record the copy given first"
    )


def _assessment(case) -> tuple[str, str]:
    return "Go to the risk assessment", reverse("risk:assessment", kwargs={"case_pk": case.pk})


def _copies(case) -> tuple[str, str]:
    return "Record a copy given to the adult", reverse("risk:copies", kwargs={"case_pk": case.pk})


def register() -> None:
    register_key_action_check(UPDATE_ASSESSMENT, assessment_updated, where=_assessment)
    register_key_action_check(HOLISTIC_ASSESSMENT, assessment_agreed, where=_assessment)
    register_key_action_check(COPY_OF_ASSESSMENT, copy_given, where=_copies)
