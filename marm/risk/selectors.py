"""Reads of risk assessments, capacity and copies.

The case is read first through marm.cases.selectors.case_get_for_user (scoped
and audited, refusals included); the records under it are read through their
own visible_to(user), so a record of a case the user may not see is never found.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from marm.access.guard import fetch_for_user
from marm.cases.models import Case
from marm.cases.selectors import case_get_for_user
from marm.risk import vocab
from marm.risk.models import (
    AdultCopy,
    AdvocacyReferral,
    AspectAssessment,
    BestInterestsDecision,
    CapacityAssessment,
    RefusalEffort,
    RefusalWithCapacity,
    RiskAssessmentVersion,
)


def risk_case_for_user(*, user, case_pk, purpose: str) -> Case:
    """The case, with full access, or a 404 (audited either way)."""
    return case_get_for_user(user=user, pk=case_pk, purpose=purpose)


def _contributing_agencies():
    return Prefetch("contributing_agencies", to_attr="contributing_agencies_list")


def _aspects():
    return Prefetch(
        "aspects",
        queryset=AspectAssessment.objects.select_related("updated_by").prefetch_related(_contributing_agencies()),
    )


def versions_for_case(*, user, case: Case) -> list[RiskAssessmentVersion]:
    """Every version of the case's risk assessment, oldest first, with their aspects (a fixed number of queries)."""
    return list(
        RiskAssessmentVersion.objects.of_case(user, case)
        .select_related("agreed_by", "started_by", "updated_by")
        .prefetch_related(_aspects())
        .order_by("number")
    )


def version_of_case(*, user, case: Case, number: int) -> RiskAssessmentVersion:
    return fetch_for_user(
        user=user,
        model=RiskAssessmentVersion,
        lookup={"assessment__case": case, "number": number},
        queryset=RiskAssessmentVersion.objects.select_related(
            "agreed_by", "started_by", "updated_by", "assessment__case__person"
        ).prefetch_related(_aspects()),
        audit_view=False,
        not_found="No such version",
    )


def draft_for_case(*, user, case: Case) -> RiskAssessmentVersion:
    """The open draft, or a 404 when none is open."""
    return fetch_for_user(
        user=user,
        model=RiskAssessmentVersion,
        lookup={"assessment__case": case, "status": vocab.VersionStatus.DRAFT},
        queryset=RiskAssessmentVersion.objects.select_related("assessment__case__person").prefetch_related(_aspects()),
        audit_view=False,
        not_found="No draft is open",
    )


def aspect_of_draft(*, user, case: Case, aspect: str) -> AspectAssessment:
    return fetch_for_user(
        user=user,
        model=AspectAssessment,
        lookup={
            "assessment_version__assessment__case": case,
            "assessment_version__status": vocab.VersionStatus.DRAFT,
            "aspect": aspect,
        },
        queryset=AspectAssessment.objects.select_related(
            "assessment_version__assessment__case__person", "updated_by"
        ).prefetch_related(_contributing_agencies()),
        audit_view=False,
        not_found="No such aspect in an open draft",
    )


def agreed_version_for_case(case: Case) -> RiskAssessmentVersion | None:
    """The latest agreed version, for other apps' services (not audited: the caller has read the case)."""
    return (
        RiskAssessmentVersion.objects.filter(assessment__case=case, status=vocab.VersionStatus.AGREED)
        .prefetch_related("aspects")
        .order_by("-number")
        .first()
    )


def capacity_assessments_for_case(*, user, case: Case) -> list[CapacityAssessment]:
    return list(
        CapacityAssessment.objects.of_case(user, case)
        .select_related("assessor", "assessor_agency")
        .prefetch_related(Prefetch("best_interests_decisions", queryset=BestInterestsDecision.objects.all()))
    )


def capacity_assessment_of_case(*, user, case: Case, assessment_id) -> CapacityAssessment:
    return fetch_for_user(
        user=user,
        model=CapacityAssessment,
        pk=assessment_id,
        queryset=CapacityAssessment.objects.filter(case=case)
        .select_related("assessor", "assessor_agency", "case__person")
        .prefetch_related(
            Prefetch(
                "best_interests_decisions",
                queryset=BestInterestsDecision.objects.select_related("recorded_by", "decision"),
                to_attr="best_interests_decisions_list",
            )
        ),
        audit_view=False,
        not_found="No such capacity assessment",
    )


def refusals_for_case(*, user, case: Case) -> list[RefusalWithCapacity]:
    return list(
        RefusalWithCapacity.objects.of_case(user, case)
        .select_related("recorded_by", "capacity_assessment")
        .prefetch_related(
            Prefetch("efforts", queryset=RefusalEffort.objects.select_related("agency"), to_attr="efforts_list")
        )
    )


def copies_for_case(*, user, case: Case) -> list[AdultCopy]:
    return list(AdultCopy.objects.of_case(user, case).select_related("version", "recorded_by"))


def copy_of_case(*, user, case: Case, copy_id) -> AdultCopy:
    return fetch_for_user(
        user=user,
        model=AdultCopy,
        pk=copy_id,
        queryset=AdultCopy.objects.filter(case=case).select_related("case__person", "version"),
        audit_view=False,
        not_found="No such copy",
    )


@dataclass
class CapacityLine:
    assessment: CapacityAssessment
    overdue: bool


@dataclass
class CaseRiskSummary:
    """What the case page shows of the risk assessment, capacity and copies."""

    agreed: RiskAssessmentVersion | None
    draft: RiskAssessmentVersion | None
    capacity: list[CapacityLine] = field(default_factory=list)
    copies: list[AdultCopy] = field(default_factory=list)

    @property
    def presumed_capacity(self) -> bool:
        """MCA 2005 s1(2): with no assessment recorded, the adult is presumed to have capacity."""
        return not self.capacity

    @property
    def overdue_count(self) -> int:
        return sum(1 for line in self.capacity if line.overdue)


def case_risk_summary(*, user, case: Case, today: datetime.date | None = None) -> CaseRiskSummary:
    """For the case page (the caller has read the case): four queries however much is recorded."""
    today = today or timezone.localdate()
    versions = list(
        RiskAssessmentVersion.objects.of_case(user, case)
        .only("pk", "number", "status", "overall_level", "agreed_on", "assessment_id")
        .order_by("number")
    )
    agreed = [v for v in versions if v.status == vocab.VersionStatus.AGREED]
    drafts = [v for v in versions if v.status == vocab.VersionStatus.DRAFT]
    assessments = list(
        CapacityAssessment.objects.of_case(user, case).only(
            "pk", "decision", "assessed_on", "outcome", "decisional_capacity", "executive_capacity", "review_by"
        )
    )
    # 000 6.1 stage 3 "consider mental capacity": only the latest assessment of each decision is due again.
    latest: dict[str, CapacityAssessment] = {}
    for assessment in assessments:
        latest.setdefault(assessment.decision.strip().lower(), assessment)
    lines = [CapacityLine(a, a.review_by < today and latest[a.decision.strip().lower()] is a) for a in assessments]
    copies = list(AdultCopy.objects.of_case(user, case).select_related("version")[:5])
    return CaseRiskSummary(
        agreed=agreed[-1] if agreed else None, draft=drafts[0] if drafts else None, capacity=lines, copies=copies
    )


def agencies_of_case(*, case: Case):
    """The agencies with an active part in a case the caller has read in full."""
    from marm.organisations.models import Agency

    return list(Agency.objects.filter(case_roles__case=case, case_roles__ended_at__isnull=True).order_by("name"))


def advocacy_referrals_for_case(*, user, case: Case) -> list[AdvocacyReferral]:
    """The case's advocacy referrals, newest first (the caller has read the case)."""
    return list(AdvocacyReferral.objects.of_case(user, case).select_related("requested_by", "requested_by_agency"))


def advocacy_referral_of_case(*, user, case: Case, referral_id) -> AdvocacyReferral:
    return fetch_for_user(
        user=user,
        model=AdvocacyReferral,
        pk=referral_id,
        queryset=AdvocacyReferral.objects.filter(case=case).select_related("case__person"),
        audit_view=False,
        not_found="No such advocacy referral",
    )
