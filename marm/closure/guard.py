"""The closure guard (002): "DO NOT CLOSE CASE" for non-engagement unless a current risk
assessment is agreed and every other agency known to be in contact with the adult has been
checked with ("Risk assessments should be routinely completed when a case is to be closed
because of a failure to co-operate/engage ... a requirement to actively check with other
agencies known to be in contact with the person", A2 SCR 2012).

"Known to be in contact" is three sources, each named beside the agency:
- the agencies taking part in the case (CaseAgency),
- the agencies that have written in the adult's chronology,
- the agencies recorded as providing care and support (SupportProvider).
The lead coordinating agency is the one closing, so it is not asked to check with itself.

When the guard applies (``why_guarded``): when non-engagement is the reason given; whenever the
case is flagged as not engaging; and whenever an attempt to engage has failed since the latest
agreed risk assessment (or at all, when none has been agreed), whatever reason is given. Only in
the last case may the manager instead say why non-engagement does not apply (ADR 0015).
"""

import datetime
import enum
from dataclasses import dataclass, field

from django.utils import timezone

from marm.cases.models import Case, CaseAgency
from marm.chronology.models import ChronologyEntry
from marm.closure import vocab
from marm.closure.models import AgencyCheck, EngagementAttempt, NonEngagementFlag, SupportProvider
from marm.organisations.models import Agency
from marm.risk.models import RiskAssessmentVersion
from marm.risk.selectors import agreed_version_for_case

# A check is current for four weeks: what another agency said two months ago says
# nothing about whether the adult is in contact with them now (ADR 0015).
CHECK_CURRENT_DAYS = 28

IN_CASE = "takes part in the case"
IN_CHRONOLOGY = "has written in the chronology"
PROVIDES_SUPPORT = "provides care and support"


@dataclass
class AgencyToCheck:
    agency: Agency
    why: list[str] = field(default_factory=list)
    check: AgencyCheck | None = None

    @property
    def checked(self) -> bool:
        return self.check is not None

    def missing_line(self) -> str:
        return (
            f"Check with {self.agency.name} ({', '.join(self.why)}): record who you spoke to, when, and what they said"
        )


@dataclass
class GuardResult:
    agencies: list[AgencyToCheck]
    # The latest agreed risk assessment, and whether it was agreed recently enough to count.
    risk_assessment: RiskAssessmentVersion | None = None
    risk_assessment_current: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.missing


def check_cutoff(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=CHECK_CURRENT_DAYS)


def agencies_in_contact(case: Case) -> list[AgencyToCheck]:
    """Every agency other than the lead agency known to be in contact with the adult, by name,
    each with its latest current check: four queries however many there are."""
    reasons: dict[int, list[str]] = {}

    def note(agency_ids, why):
        for agency_id in agency_ids:
            if agency_id != case.lead_agency_id:
                reasons.setdefault(agency_id, [])
                if why not in reasons[agency_id]:
                    reasons[agency_id].append(why)

    note(CaseAgency.objects.filter(case=case, ended_at__isnull=True).values_list("agency_id", flat=True), IN_CASE)
    note(
        ChronologyEntry.objects.filter(person_id=case.person_id)
        .order_by()
        .values_list("agency_id", flat=True)
        .distinct(),
        IN_CHRONOLOGY,
    )
    note(SupportProvider.objects.filter(case=case).values_list("agency_id", flat=True), PROVIDES_SUPPORT)
    if not reasons:
        return []
    latest: dict[int, AgencyCheck] = {}
    checks = AgencyCheck.objects.filter(
        case=case, agency_id__in=reasons, checked_on__gte=check_cutoff()
    ).select_related("recorded_by")
    for check in checks:  # newest first (model ordering)
        latest.setdefault(check.agency_id, check)
    agencies = Agency.objects.filter(pk__in=reasons).order_by("name")
    return [AgencyToCheck(agency=a, why=reasons[a.pk], check=latest.get(a.pk)) for a in agencies]


def agreed_on(version: RiskAssessmentVersion) -> datetime.date:
    return version.agreed_on or timezone.localdate(version.agreed_at)


def risk_assessment_is_current(version: RiskAssessmentVersion | None) -> bool:
    """002: completed when the case is to be closed, so agreed within the same four weeks as the checks."""
    return version is not None and agreed_on(version) >= check_cutoff()


def _risk_assessment_line(version: RiskAssessmentVersion | None) -> str | None:
    if version is None:
        return "Agree a multi-agency risk assessment: none has been agreed for this case"
    if not risk_assessment_is_current(version):
        return (
            f"Review and agree the risk assessment again: version {version.number} was agreed on "
            f"{agreed_on(version):%d/%m/%Y}, more than {CHECK_CURRENT_DAYS} days ago"
        )
    return None


class Guarded(enum.Enum):
    """Why the guard applies to a closure, if it does."""

    NO = "no"
    REASON = "non-engagement is the reason given"
    FLAG = "the case is flagged as not engaging"
    NOT_ENGAGED = "attempts to engage have failed since the risk assessment was agreed"


@dataclass
class NotEngagedSince:
    """Attempts to engage that failed since the latest agreed risk assessment, or ever when none is agreed."""

    failed_attempts: int
    risk_assessment: RiskAssessmentVersion | None

    def __bool__(self) -> bool:
        return self.failed_attempts > 0

    def headline(self) -> str:
        """What the refusal asks for, GOV.UK style: what happened, then what to do."""
        if self.risk_assessment is None:
            since = "The adult has not engaged and no risk assessment has been agreed"
        else:
            since = (
                "The adult has not engaged since the risk assessment was agreed on "
                f"{agreed_on(self.risk_assessment):%d/%m/%Y}"
            )
        return (
            f"{since}: agree a current risk assessment and check with every other agency in contact with the "
            "adult, or say why non-engagement does not apply. Still to do:"
        )

    def summary(self) -> str:
        attempts = (
            f"{self.failed_attempts} attempt{'' if self.failed_attempts == 1 else 's'} to engage the adult failed"
        )
        if self.risk_assessment is None:
            return f"{attempts} and no risk assessment was agreed"
        return (
            f"{attempts} since risk assessment version "
            f"{self.risk_assessment.number} was agreed on {agreed_on(self.risk_assessment):%d/%m/%Y}"
        )


def not_engaged_since_agreement(case: Case, version: RiskAssessmentVersion | None) -> NotEngagedSince:
    """The attempts by any agency with a not-engaged outcome on or after the day the latest agreed
    risk assessment (``version``) was agreed; every one of them when none has been agreed. The day
    of agreement itself counts: a date cannot say whether the attempt came before or after, and
    002 errs towards checking. One query."""
    attempts = EngagementAttempt.objects.filter(case=case, outcome__in=vocab.NOT_ENGAGED)
    if version is not None:
        attempts = attempts.filter(attempted_on__gte=agreed_on(version))
    return NotEngagedSince(failed_attempts=attempts.count(), risk_assessment=version)


def why_guarded(case: Case, reason: str) -> tuple[Guarded, NotEngagedSince | None]:
    """Whether the guard applies to closing ``case`` for ``reason``, and why (002: "DO NOT CLOSE CASE").
    Choosing another reason must not walk round it: a flag, or failed attempts since the latest
    agreed risk assessment, bring the guard whatever reason is given."""
    if reason == vocab.ClosureReason.NON_ENGAGEMENT:
        return Guarded.REASON, None
    if NonEngagementFlag.objects.filter(case=case, lifted_at__isnull=True).exists():
        return Guarded.FLAG, None
    not_engaged = not_engaged_since_agreement(case, agreed_version_for_case(case))
    return (Guarded.NOT_ENGAGED if not_engaged else Guarded.NO), not_engaged


def non_engagement_guard(case: Case) -> GuardResult:
    """What is missing before the case may be closed for non-engagement, one line per item."""
    agencies = agencies_in_contact(case)
    version = agreed_version_for_case(case)
    risk_line = _risk_assessment_line(version)
    missing = ([risk_line] if risk_line else []) + [item.missing_line() for item in agencies if not item.checked]
    return GuardResult(
        agencies=agencies,
        risk_assessment=version,
        risk_assessment_current=risk_line is None,
        missing=missing,
    )
