"""Reads about cases: every one through visible_to(user); reads are audited, refusals included."""

from django.db.models import Count, OuterRef, Prefetch, Subquery

from marm.access.guard import fetch_for_user, parse_pk
from marm.access.rules import is_manager
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import (
    Case,
    CaseAgency,
    CaseTheme,
    CaseTransition,
    KeyAction,
    LeadProfessional,
    RoutedProcess,
    Screening,
)
from marm.cases.querysets import NOT_READ, access_read, case_part, mark_read
from marm.decisions.models import Decision
from marm.people.querysets import may_see_people


def case_get_for_user(*, user, pk, purpose: str = "", full: bool = True, queryset=None) -> Case:
    """The case if the user may see it (with the full record when ``full``); otherwise a 404
    like any other. Views are audited, and so is a refused attempt on a case that exists."""
    case = fetch_for_user(
        user=user,
        model=Case,
        pk=pk,
        purpose=purpose,
        queryset=queryset if queryset is not None else Case.objects.select_related("person", "lead_agency"),
        scope="fully_visible_to" if full else "visible_to",
        not_found="No case found",
    )
    if full and getattr(user, "pk", None) is not None:
        mark_read(case, user, "full")
    return case


def case_access_for_user(*, user, case) -> str | None:
    """'full', 'limited', or None: what the user's agency may see of the case.

    A case read by case_page_for_user carries the level it was read with, for that user: the
    page's panels ask again without a query."""
    known = access_read(case, user)
    if known is not NOT_READ:
        return known
    return (
        CaseAgency.objects.filter(case=case, agency_id=user.agency_id, ended_at__isnull=True)
        .values_list("access", flat=True)
        .first()
    )


def _active_agencies(*related):
    return Prefetch(
        "agencies",
        queryset=CaseAgency.objects.filter(ended_at__isnull=True).select_related("agency", *related),
        to_attr="active_agencies",
    )


def case_page_for_user(*, user, pk) -> tuple[Case, str | None]:
    """The case page: the whole record for full access, the name and agencies for limited.

    One small query finds the user's access level; the case is then read once, with
    what that level shows, through case_get_for_user (so the view or refusal is audited).
    """
    case_id = parse_pk(Case, pk)
    access = None
    if case_id and may_see_people(user):
        access = case_access_for_user(user=user, case=case_id)
    if access == "full":
        queryset = Case.objects.select_related("person", "lead_agency", "raised_by").prefetch_related(
            _active_agencies("lead_worker", "sharing_decision"),
            Prefetch(
                "transitions", queryset=CaseTransition.objects.select_related("created_by"), to_attr="transition_list"
            ),
            Prefetch("screenings", queryset=Screening.objects.select_related("screened_by"), to_attr="screening_list"),
            Prefetch(
                "lead_professionals",
                queryset=LeadProfessional.objects.filter(ended_at__isnull=True).select_related("user__agency"),
                to_attr="current_leads",
            ),
            Prefetch("key_actions", queryset=KeyAction.objects.select_related("updated_by"), to_attr="key_action_list"),
            Prefetch("themes", queryset=CaseTheme.objects.all(), to_attr="theme_list"),
            Prefetch(
                "routed_processes",
                queryset=RoutedProcess.objects.select_related("started_by", "ended_by"),
                to_attr="routed_process_list",
            ),
        )
    else:
        queryset = Case.objects.select_related("person", "lead_agency").prefetch_related(_active_agencies())
    case = case_get_for_user(user=user, pk=pk, full=False, queryset=queryset)
    mark_read(case, user, access)
    return case, access


def cases_for_person(*, user, person) -> list[Case]:
    """Cases about a person that the user's agency takes part in (the person is already visible)."""
    return list(Case.objects.visible_to(user).filter(person=person).select_related("lead_agency"))


def cases_listed(*, user, cases: list[Case], listing: str) -> list[Case]:
    """A list that shows people's names is a read of them: record which cases it showed."""
    if cases:
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="cases.case",
            detail={"list": listing, "results": [str(case.pk) for case in cases]},
        )
    return cases


def cases_led_by(*, user) -> list[Case]:
    """Open cases where the user is the current lead professional (not audited: see cases_listed)."""
    return list(
        Case.objects.fully_visible_to(user)
        .filter(lead_professionals__user=user, lead_professionals__ended_at__isnull=True, status__in=OPEN_STATUSES)
        .select_related("person")
        .order_by("-raised_at")[:50]
    )


def concerns_awaiting_screening(*, user) -> list[Case]:
    """For a manager: concerns raised by their agency not screened yet (not audited: see cases_listed)."""
    if not is_manager(user):
        return []
    return list(
        Case.objects.fully_visible_to(user)
        .filter(lead_agency_id=user.agency_id, status__in=["concern", "screening", "reopened"])
        .select_related("person")
        .order_by("raised_at")[:50]
    )


def decisions_for_case(*, user, case) -> list[Decision]:
    """Every decision on a case the user fully sees (the caller has checked that), oldest first."""
    decisions = list(
        Decision.objects.filter(case=case)
        .select_related("recorded_by", "recorded_by_agency", "amends")
        .prefetch_related("participants", "legislation", Prefetch("amendments", to_attr="amendments_list"))
        .order_by("recorded_at", "pk")
    )
    # The log page reads the named lists; the integrity check reads the same relations, already prefetched.
    for decision in decisions:
        decision.participants_list = list(decision.participants.all())
        decision.legislation_list = list(decision.legislation.all())
    return decisions


def decision_of_case(*, user, case, decision_id) -> Decision:
    """One decision on a case the caller has read (and audited) in full, or a 404."""
    return fetch_for_user(
        user=user,
        model=Decision,
        pk=decision_id,
        queryset=Decision.objects.filter(case=case).prefetch_related("legislation"),
        audit_view=False,
        not_found="No such decision",
    )


def active_roles(*, case) -> list[CaseAgency]:
    """The agencies taking part in a case the caller has already fetched through case_get_for_user."""
    return list(CaseAgency.objects.filter(case=case, ended_at__isnull=True).select_related("agency"))


def role_of_own_agency(*, user, case, role_id) -> CaseAgency:
    """The user's own agency's part in the case; a 404 for any other agency's."""
    return role_of_case(
        user=user, case=case, role_id=role_id, queryset=CaseAgency.objects.filter(agency_id=user.agency_id)
    )


def key_action_of_case(*, user, case, item_id) -> KeyAction:
    """One key action of a case the caller has read (and audited) in full, or a 404."""
    return fetch_for_user(
        user=user,
        model=KeyAction,
        pk=item_id,
        queryset=KeyAction.objects.filter(case=case),
        audit_view=False,
        not_found="No such key action",
    )


def role_of_case(*, user, case, role_id, queryset=None) -> CaseAgency:
    """An active agency part in a case the caller has read (and audited) in full, or a 404."""
    base = queryset if queryset is not None else CaseAgency.objects.all()
    return fetch_for_user(
        user=user,
        model=CaseAgency,
        pk=role_id,
        queryset=base.filter(case=case, ended_at__isnull=True).select_related("agency"),
        audit_view=False,
        not_found="No such agency role",
    )


def cases_shared_with(*, user, limit: int = 50) -> list[Case]:
    """Open cases another agency leads in which the user's agency takes part, in full or by name
    only, each with ``access`` (the agency's level). Not audited: see cases_listed."""
    access = CaseAgency.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id, ended_at__isnull=True)
    return list(
        Case.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .exclude(lead_agency_id=user.agency_id)
        .annotate(access=Subquery(access.values("access")[:1]))
        .select_related("person", "lead_agency")
        .order_by("-raised_at", "pk")[:limit]
    )


def open_cases_led_by_agency(*, user, limit: int = 200) -> tuple[list[Case], dict[str, int]]:
    """For a manager: the open cases their agency leads, oldest first, and how many there are at
    each stage (counted in full, whatever the list's limit). Not audited: see cases_listed."""
    if not is_manager(user):
        return [], {}
    cases = Case.objects.fully_visible_to(user).filter(lead_agency_id=user.agency_id, status__in=OPEN_STATUSES)
    counts = dict(cases.order_by().values_list("status").annotate(how_many=Count("pk")))
    return list(cases.select_related("person").order_by("raised_at", "pk")[:limit]), counts


def with_themes():
    """The case with its review themes (``theme_list``)."""
    return Case.objects.select_related("person", "lead_agency").prefetch_related(
        Prefetch("themes", queryset=CaseTheme.objects.all(), to_attr="theme_list")
    )


def routed_processes_for_person(*, user, person) -> list[RoutedProcess]:
    """The other processes a screening routed the person to (the person is already visible), oldest
    first, each with the case it came from; ``case_seen`` says whether the user's agency takes part
    in that case, so its reference is shown only to those who may know of it."""
    return list(
        RoutedProcess.objects.visible_to(user)
        .filter(person=person)
        .annotate(case_seen=case_part(user, "case_id"))
        .select_related("case__lead_agency", "started_by", "ended_by")
        .order_by("started_on", "pk")
    )


def running_processes_for_case(*, case) -> list[RoutedProcess]:
    """The other processes still running for the person of a case the caller has read in full."""
    return list(
        RoutedProcess.objects.filter(person_id=case.person_id, ended_on__isnull=True)
        .select_related("case")
        .order_by("started_on", "pk")
    )


def routed_process_of_case(*, user, case, process_id) -> RoutedProcess:
    """One process a screening of the case routed to, for a case the caller has read in full, or a 404."""
    return fetch_for_user(
        user=user,
        model=RoutedProcess,
        pk=process_id,
        queryset=RoutedProcess.objects.filter(case=case).select_related("case"),
        audit_view=False,
        not_found="No such process",
    )


def cases_for_export(*, user):
    """Every case the user's agency takes part in (in full or by name only), as flat rows for a
    spreadsheet: what a limited part may see and no more (the person's name, the reference, the
    lead agency, the status). Values, not models, so a long list streams with no query per row.
    Not audited here: the export's download is the disclosure (marm.exports)."""
    access = CaseAgency.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id, ended_at__isnull=True)
    return (
        Case.objects.visible_to(user)
        .annotate(access=Subquery(access.values("access")[:1]))
        .order_by("-raised_at", "pk")
        .values_list(
            "reference",
            "person__given_name",
            "person__middle_names",
            "person__family_name",
            "status",
            "lead_agency__name",
            "access",
            "raised_at",
            "person_id",
        )
    )
