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
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from marm.cases.models import Case, CaseAgency
from marm.chronology.models import ChronologyEntry
from marm.closure.models import AgencyCheck, SupportProvider
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
