from marm.cases.models import Case
from marm.organisations.models import Agency
from marm.sharing.models import SharingDecision


def agencies_to_share_with(*, case):
    """Agencies not currently taking part in the case."""
    return Agency.objects.exclude(case_roles__case=case, case_roles__ended_at__isnull=True).order_by("name")


def disclosures_for_case(*, case) -> list[SharingDecision]:
    """The case's disclosure log, oldest first (the caller has checked full access)."""
    return list(
        SharingDecision.objects.filter(case=case)
        .select_related("agency", "decided_by", "decision")
        .order_by("decided_at", "pk")
    )


def disclosures_for_person(*, user, person) -> list[SharingDecision]:
    """Disclosures about a person across the cases the user's agency fully sees (the caller
    has checked the person is visible). Other cases' disclosures stay hidden, like the cases."""
    return list(
        SharingDecision.objects.filter(person=person, case__in=Case.objects.fully_visible_to(user))
        .select_related("agency", "decided_by", "case")
        .order_by("decided_at", "pk")
    )
