"""Reads of the register: every one through visible_to(user); reads are audited,
refusals included. The duty desk's reads are in ``duty_selectors.py``."""

import datetime

from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404

from marm.access.guard import fetch_for_user
from marm.access.roles import Role
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case, LeadProfessional, RoutedProcess
from marm.cases.querysets import case_part
from marm.organisations.models import Team
from marm.people.models import Person
from marm.register.models import (
    REVIEW_INTERVAL,
    ContactAlert,
    NamedProfessionalChange,
    RegisterEntry,
    RegisterProcess,
    RegisterReview,
    ReviewTask,
)


def _active_processes():
    return Prefetch(
        "processes", queryset=RegisterProcess.objects.filter(ended_on__isnull=True), to_attr="active_processes"
    )


def routed_processes(user, *, active_only: bool, path: str = "person__routed_processes") -> Prefetch:
    """000 Appendix C: the register shows the processes a screening routed the person to by reading
    the case layer's own record of them (``routed_process_list`` on the person), not copies kept here:
    one record, ended once, whichever entries the person has now or is added to later. ``case_seen``
    says whether the user's agency takes part in the case the routing came from."""
    queryset = RoutedProcess.objects.annotate(case_seen=case_part(user, "case_id")).select_related(
        "case__lead_agency", "started_by", "ended_by"
    )
    if active_only:
        queryset = queryset.filter(ended_on__isnull=True)
    return Prefetch(path, queryset=queryset.order_by("started_on", "pk"), to_attr="routed_process_list")


def entry_get_for_user(*, user, pk, purpose: str = "", queryset=None) -> RegisterEntry:
    """The entry if the user's agency keeps it and may see the person; otherwise a 404
    like any other. The read is audited, and so is a refused one of an entry that exists."""
    return fetch_for_user(
        user=user,
        model=RegisterEntry,
        pk=pk,
        purpose=purpose,
        queryset=queryset if queryset is not None else RegisterEntry.objects.select_related("person", "team"),
        not_found="No register entry found",
    )


def entry_page_for_user(*, user, pk) -> RegisterEntry:
    """An entry with its reviews, processes, review tasks, contact alerts and earlier named professionals,
    in a fixed number of queries."""
    return entry_get_for_user(
        user=user,
        pk=pk,
        queryset=RegisterEntry.objects.select_related(
            "person", "team", "case", "named_professional", "added_by", "removed_by"
        )
        .annotate(last_reviewed_at=Max("reviews__reviewed_at"))
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=RegisterReview.objects.select_related("reviewed_by", "with_lead_professional"),
                to_attr="reviews_list",
            ),
            Prefetch(
                "processes", queryset=RegisterProcess.objects.select_related("recorded_by"), to_attr="processes_list"
            ),
            routed_processes(user, active_only=False),
            Prefetch(
                "professional_changes",
                queryset=NamedProfessionalChange.objects.select_related("previous", "named_professional", "changed_by"),
                to_attr="professional_changes_list",
            ),
            Prefetch(
                "review_tasks",
                queryset=ReviewTask.objects.select_related("assigned_to", "done_by_review"),
                to_attr="review_tasks_list",
            ),
            Prefetch(
                "alerts",
                queryset=ContactAlert.objects.select_related("contact__logged_by", "recipient", "acknowledged_by"),
                to_attr="alerts_list",
            ),
        ),
    )


def register_for_user(*, user, team_id=None) -> list[RegisterEntry]:
    """The active entries of the registers the user's agency keeps, with what the register
    page shows (last review, active processes, case status), audited as one listing."""
    entries = (
        RegisterEntry.objects.visible_to(user)
        .active()
        .annotate(last_reviewed_at=Coalesce(Max("reviews__reviewed_at"), "added_at"))
        .select_related("person", "team", "case", "named_professional")
        .prefetch_related(_active_processes(), routed_processes(user, active_only=True))
        .order_by("team__name", "person__family_name", "person__given_name", "pk")
    )
    if team_id is not None:
        entries = entries.filter(team_id=team_id)
    found = list(entries[:500])
    if found:
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="register.registerentry",
            detail={"list": "register", "results": [str(entry.pk) for entry in found]},
        )
    return found


def teams_of(*, user):
    """The teams of the user's own agency that the user belongs to (a queryset, for a form's choices)."""
    return Team.objects.filter(agency_id=user.agency_id, memberships__user=user).distinct().order_by("name")


def team_of_user(*, user, team_id) -> Team:
    """One of the user's own teams, with its register settings; 404 for any other team."""
    team = teams_of(user=user).filter(pk=team_id).select_related("register_settings").first()
    if team is None:
        raise Http404("No such team")
    return team


def supervisors_team_ids(*, user) -> set[int]:
    return set(
        Team.objects.filter(
            agency_id=user.agency_id, memberships__user=user, memberships__role=Role.SUPERVISOR
        ).values_list("pk", flat=True)
    )


def register_flags_for_person(*, user, person) -> list[RegisterEntry]:
    """The alert banner on the person's record, for everyone who can see the person
    (000 Appendix C); only the keeping agency opens the entry itself."""
    entries = list(
        RegisterEntry.objects.active()
        .filter(person=person, person__in=Person.objects.visible_to(user))
        .select_related("team__agency", "named_professional")
        .order_by("added_at")
    )
    for entry in entries:
        entry.kept_by_users_agency = entry.team.agency_id == user.agency_id
    return entries


def cases_of_person_for_register(*, user, person):
    """The person's cases the user sees, to link an entry to one (a queryset, for a form's choices)."""
    return Case.objects.visible_to(user).filter(person=person).order_by("-raised_at")


def alert_get_for_user(*, user, pk, purpose: str = "") -> ContactAlert:
    """A contact alert with its contact, if the user's agency keeps the register; else a 404."""
    return fetch_for_user(
        user=user,
        model=ContactAlert,
        pk=pk,
        purpose=purpose,
        queryset=ContactAlert.objects.select_related(
            "contact__logged_by", "contact__person", "entry__team", "entry__person", "recipient", "acknowledged_by"
        ),
        # The duty desk's own record (the contact logged and who acknowledged it), not the full record.
        full_record=False,
        not_found="No alert found",
    )


def alert_case_for_user(*, user, alert: ContactAlert):
    """The case the alert's register entry is about, read in full (and audited) if the user's agency
    takes full part in it; else None, with nothing written: the alert itself was the user's to read."""
    from marm.cases.selectors import case_access_for_user, case_get_for_user

    if not alert.entry.case_id or case_access_for_user(user=user, case=alert.entry.case_id) != "full":
        return None
    return case_get_for_user(
        user=user, pk=alert.entry.case_id, purpose="Reading a contact alert: the case's contingency plan"
    )


def alerts_waiting_for(*, user) -> list[ContactAlert]:
    """Alerts not yet acknowledged that the user should act on: their own, and for a
    supervisor those of their teams' registers that have been escalated."""
    teams = supervisors_team_ids(user=user)
    return list(
        ContactAlert.objects.visible_to(user)
        .filter(acknowledged_at__isnull=True)
        .filter(Q(recipient=user) | Q(entry__team_id__in=teams, escalated_at__isnull=False))
        .select_related("entry__team", "contact")
        .order_by("created_at")[:50]
    )


def process_of_entry(*, user, entry, process_id) -> RegisterProcess:
    """One process of an entry the caller has read (and audited), or a 404."""
    return fetch_for_user(
        user=user,
        model=RegisterProcess,
        pk=process_id,
        queryset=RegisterProcess.objects.filter(entry=entry),
        audit_view=False,
        not_found="No such process",
    )


def lead_professional_of(entry: RegisterEntry):
    """Who holds a triggered review: the case's lead professional, or the named professional."""
    if entry.case_id:
        lead = (
            LeadProfessional.objects.filter(case_id=entry.case_id, ended_at__isnull=True).select_related("user").first()
        )
        if lead is not None and lead.user.is_active and lead.user.agency_id == entry.team.agency_id:
            return lead.user
    return entry.named_professional


def entries_due_supervision(
    *, user, now, within=datetime.timedelta(days=2), team_ids=None, limit: int = 100
) -> list[RegisterEntry]:
    """For a supervisor: active entries of their teams whose weekly supervision review (000 Appendix C)
    is overdue or falls due within ``within``, most overdue first. Each has ``supervision_due``.
    The week runs from the last supervision review, or from being added. Not audited: the page
    that lists them records one search. ``team_ids``: the user's supervised teams, if already read."""
    teams = supervisors_team_ids(user=user) if team_ids is None else team_ids
    if not teams:
        return []
    entries = list(
        RegisterEntry.objects.visible_to(user)
        .active()
        .filter(team_id__in=teams)
        .annotate(
            last_supervised_at=Coalesce(Max("reviews__reviewed_at", filter=Q(reviews__is_supervision=True)), "added_at")
        )
        .filter(last_supervised_at__lte=now + within - REVIEW_INTERVAL)
        .select_related("person", "team", "named_professional")
        .order_by("last_supervised_at", "pk")[:limit]
    )
    for entry in entries:
        entry.supervision_due = entry.last_supervised_at + REVIEW_INTERVAL
    return entries


def alerts_unacknowledged_in_teams(*, user, team_ids=None, limit: int = 50) -> list[ContactAlert]:
    """For a supervisor: every contact alert of their teams' registers not yet acknowledged,
    escalated or not, oldest first. ``team_ids``: the user's supervised teams, if already read."""
    teams = supervisors_team_ids(user=user) if team_ids is None else team_ids
    if not teams:
        return []
    return list(
        ContactAlert.objects.visible_to(user)
        .filter(acknowledged_at__isnull=True, entry__team_id__in=teams)
        .select_related("entry__team", "entry__person", "recipient", "contact")
        .order_by("created_at", "pk")[:limit]
    )


def contact_alerts_of_agency(*, user, since, limit: int = 50) -> list[ContactAlert]:
    """For a duty officer: the contact alerts of their agency's registers still waiting for an
    acknowledgement, and those raised since ``since`` whatever their state, newest first."""
    return list(
        ContactAlert.objects.visible_to(user)
        .filter(Q(acknowledged_at__isnull=True) | Q(created_at__gte=since))
        .select_related("entry__team", "entry__person", "recipient", "acknowledged_by", "contact")
        .order_by("-created_at", "pk")[:limit]
    )


def register_for_export(*, user):
    """The active entries of the registers of the user's own teams, as flat rows for a spreadsheet
    (values, so a long list streams with no query per row). Not audited here: the export's
    download is the disclosure (marm.exports)."""
    return (
        RegisterEntry.objects.visible_to(user)
        .active()
        .filter(team__in=teams_of(user=user))
        .order_by("team__name", "person__family_name", "person__given_name", "pk")
        .values_list(
            "team__name",
            "person__given_name",
            "person__middle_names",
            "person__family_name",
            "case__reference",
            "named_professional__full_name",
            "added_at",
            "person_id",
        )
    )
