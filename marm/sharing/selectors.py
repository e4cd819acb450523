from django.db.models import Exists, OuterRef, Q, QuerySet

from marm.access.roles import PEOPLE_ROLES
from marm.cases.models import Case
from marm.cases.vocab import YesNoUnknown
from marm.organisations.models import Agency, AgencyKind, Membership, Role
from marm.sharing.models import SharingDecision
from marm.sharing.presenters import WITHOUT_CONSENT, adult_told_text, quality_results, quality_tests_text


def _members_with(roles) -> Exists:
    return Exists(Membership.objects.filter(user__agency=OuterRef("pk"), user__is_active=True, role__in=roles))


def board_agencies() -> QuerySet:
    """The Safeguarding Adults Board: agencies of its kind, and any agency of board officers only,
    with no one whose work is with adults.

    Its users can never open a case (their role sees no adults), so a case is
    never shared with it: the board reads the partnership's figures, not cases.
    """
    officers_only = Agency.objects.filter(_members_with([Role.BOARD_OFFICER])).exclude(_members_with(PEOPLE_ROLES))
    return Agency.objects.filter(Q(kind=AgencyKind.SAFEGUARDING_ADULTS_BOARD) | Q(pk__in=officers_only.values("pk")))


def agencies_to_share_with(*, case):
    """Agencies not currently taking part in the case, leaving out the board, which cannot read cases."""
    return (
        Agency.objects.exclude(case_roles__case=case, case_roles__ended_at__isnull=True)
        .exclude(pk__in=board_agencies().values("pk"))
        .order_by("name")
    )


def agencies_the_adult_agreed_to(*, case) -> list[Agency]:
    """The agencies the adult agreed their information may be shared with; none unless they were asked."""
    if case.asked_about_sharing != YesNoUnknown.YES:
        return []
    return list(case.sharing_agreed_agencies.order_by("name"))


def adult_agreed_to_share_with(*, case, agency) -> bool:
    """Whether the adult was asked and agreed to share with ``agency`` (001 3.3)."""
    return (
        case.asked_about_sharing == YesNoUnknown.YES
        and agency is not None
        and case.sharing_agreed_agencies.filter(pk=agency.pk).exists()
    )


def agency_offered(*, agencies, pk):
    """The agency with ``pk`` among those offered to share with, or None (a missing or stale choice)."""
    if not pk or not str(pk).isdigit():
        return None
    return agencies.filter(pk=int(pk)).first()


def agencies_for_agreement():
    """The agencies an adult may agree to share with: any but the board, which never reads a case."""
    return Agency.objects.exclude(pk__in=board_agencies().values("pk")).order_by("name")


def _with_quality_text(disclosures) -> list[SharingDecision]:
    """Each disclosure with what the log shows of it: ``quality_text`` and ``quality_results`` (the
    six tests, met or not), ``without_consent`` and ``told_text`` (whether the adult was told)."""
    disclosures = list(disclosures)
    for item in disclosures:
        item.quality_text = quality_tests_text(item.quality_tests)
        item.quality_results = quality_results(item.quality_tests)
        item.without_consent = WITHOUT_CONSENT if item.basis != "consent" else ""
        item.told_text = adult_told_text(item)
    return disclosures


def disclosures_for_case(*, case) -> list[SharingDecision]:
    """The case's disclosure log, oldest first (the caller has checked full access)."""
    return _with_quality_text(
        SharingDecision.objects.filter(case=case)
        .select_related("agency", "decided_by", "decision")
        .order_by("decided_at", "pk")
    )


def disclosures_for_person(*, user, person) -> list[SharingDecision]:
    """Disclosures about a person across the cases the user's agency fully sees (the caller
    has checked the person is visible). Other cases' disclosures stay hidden, like the cases."""
    return _with_quality_text(
        SharingDecision.objects.filter(person=person, case__in=Case.objects.fully_visible_to(user))
        .select_related("agency", "decided_by", "case")
        .order_by("decided_at", "pk")
    )
