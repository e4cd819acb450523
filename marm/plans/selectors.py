"""Reads of the plan. The case is fetched first through marm.cases.selectors (scoped and audited);
these read what is under it, and the user's own actions through Action.objects.visible_to(user)."""

from django.db.models import Prefetch

from marm.access.guard import fetch_for_user
from marm.cases.lifecycle import OPEN_STATUSES
from marm.plans.models import Action, ActionUpdate, ContingencyPlan, ContingencyTrigger


def actions_for_case(*, case) -> list[Action]:
    """Every action on a case the caller has read with full access, soonest due first."""
    return list(Action.objects.filter(case=case).select_related("lead_user", "agency", "meeting"))


def action_of_case(*, user, case, action_id) -> Action:
    """One action of a case the caller has read (and audited) in full, or a 404."""
    return fetch_for_user(
        user=user,
        model=Action,
        pk=action_id,
        queryset=Action.objects.filter(case=case)
        .select_related("lead_user", "agency", "meeting", "case")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.select_related("created_by__agency", "meeting"),
                to_attr="updates_list",
            )
        ),
        audit_view=False,
        not_found="No such action",
    )


def meeting_agreed_at(*, user, case, meeting_id):
    """The meeting of the case an action or plan is agreed at, or a 404. The plan names meetings
    through its own foreign key, so it reads them without importing the meetings app above it."""
    meeting_model = Action._meta.get_field("meeting").related_model
    return fetch_for_user(
        user=user,
        model=meeting_model,
        pk=meeting_id,
        queryset=meeting_model.objects.filter(case=case),
        audit_view=False,
        not_found="No such meeting",
    )


def actions_owned_by(*, user, limit: int = 50) -> list[Action]:
    """'Your actions': live actions the user leads on open cases their agency fully sees, soonest first."""
    return list(
        Action.objects.visible_to(user)
        .live()
        .filter(lead_user=user, case__status__in=OPEN_STATUSES)
        .select_related("case__person", "agency")
        .order_by("due_date", "pk")[:limit]
    )


def contingency_plans(*, case) -> list[ContingencyPlan]:
    """Every version, newest first, each with its triggers (the caller has read the case in full)."""
    return list(
        ContingencyPlan.objects.filter(case=case)
        .select_related("created_by", "agreed_at_meeting")
        .prefetch_related(
            Prefetch("triggers", queryset=ContingencyTrigger.objects.order_by("position"), to_attr="triggers_list")
        )
    )


def agencies_of_case(*, case):
    """The agencies taking part in the case (a case the caller has read in full), by name."""
    from marm.organisations.models import Agency

    return Agency.objects.filter(case_roles__case=case, case_roles__ended_at__isnull=True).order_by("name")


def overdue_actions_on_agency_cases(*, user, today, limit: int = 50) -> list[Action]:
    """For a manager: actions past their due date on the open cases their agency leads, longest
    overdue first (whichever agency owns them)."""
    return list(
        Action.objects.visible_to(user)
        .overdue(today)
        .filter(case__lead_agency_id=user.agency_id, case__status__in=OPEN_STATUSES)
        .select_related("case__person", "agency", "lead_user")
        .order_by("due_date", "pk")[:limit]
    )


def actions_for_export(*, user):
    """The actions on every case the user's agency sees in full, as flat rows for a spreadsheet
    (values, so a long list streams with no query per row). Not audited here: the export's
    download is the disclosure (marm.exports)."""
    return (
        Action.objects.visible_to(user)
        .order_by("case__reference", "due_date", "pk")
        .values_list(
            "case__reference",
            "case__person__given_name",
            "case__person__middle_names",
            "case__person__family_name",
            "what",
            "lead_user__full_name",
            "lead_name",
            "agency__name",
            "due_date",
            "status",
            "case__person_id",
        )
    )
