"""The closure guard (002): "DO NOT CLOSE CASE" for non-engagement unless a risk assessment
is recorded and every other agency known to be in contact with the adult has been checked
with ("a requirement to actively check with other agencies", A2 SCR 2012).

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
    # None while marm keeps no agreed risk assessment to ask about.
    risk_assessment_agreed: bool | None = None
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


def non_engagement_guard(case: Case) -> GuardResult:
    """What is missing before the case may be closed for non-engagement, one line per item."""
    agencies = agencies_in_contact(case)
    missing = [item.missing_line() for item in agencies if not item.checked]
    return GuardResult(agencies=agencies, missing=missing)
