"""The cases app's part in emergency ("break-glass") access (ADR 0026): the lead agency of the
person's open case, which reviews the access, and the lead professional to contact, shown on the
minimal record page. Registered in CasesConfig.ready."""

from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import Case, LeadProfessional
from marm.core.panels import register_panel
from marm.people.emergency import EMERGENCY_PAGE, register_lead_agency_finder
from marm.people.models import Person


def _open_cases(person):
    return Case.objects.filter(person=person, status__in=OPEN_STATUSES).order_by("-raised_at", "pk")


def lead_agency_of_open_case(person) -> int | None:
    """000 2.1, 4.2: the agency leading the person's open case (the latest raised, if several)."""
    return _open_cases(person).values_list("lead_agency_id", flat=True).first()


def _contact(*, user, person):
    """Who leads the open case and how to reach them: nothing else of the case. Read only while
    the user's emergency access lasts (the page has read the person through that scope)."""
    if not Person.objects.visible_in_emergency_to(user).filter(pk=person.pk).exists():
        return None
    case = _open_cases(person).select_related("lead_agency").first()
    if case is None:
        return None
    lead = LeadProfessional.objects.filter(case=case, ended_at__isnull=True).select_related("user").first()
    return {"lead_agency": case.lead_agency, "lead_professional": lead.user if lead else None}


def register() -> None:
    register_lead_agency_finder("open-case", lead_agency_of_open_case)
    register_panel(
        page=EMERGENCY_PAGE,
        name="lead-professional",
        template="cases/_emergency_contact.html",
        context=_contact,
        region="main",
    )
