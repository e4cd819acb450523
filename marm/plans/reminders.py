"""Reminder sweep for actions: due soon and overdue, to the action's lead and the lead professional.

Run by ``manage.py run_sweeps`` (marm.notifications.sweeps). Idempotent: each
notification's key names the action and its due date, so a second run, or a
run after a crash half-way, notifies each person once. Revising the due date
makes a new event, and so a new reminder.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import CaseAgency, LeadProfessional
from marm.notifications.services import notify
from marm.plans.models import Action
from marm.plans.presenters import long_date

# How far ahead "due soon" looks.
DUE_SOON_DAYS = 3


def _recipients(actions) -> dict:
    """Per action, who to tell: its lead and the case's lead professional, if their agency still sees the case."""
    case_ids = {action.case_id for action in actions}
    leads = {
        row.case_id: row.user
        for row in LeadProfessional.objects.filter(case_id__in=case_ids, ended_at__isnull=True).select_related("user")
    }
    full_access = set(
        CaseAgency.objects.filter(case_id__in=case_ids, access="full", ended_at__isnull=True).values_list(
            "case_id", "agency_id"
        )
    )
    recipients = {}
    for action in actions:
        people = {}
        for user in (action.lead_user, leads.get(action.case_id)):
            if user is not None and (action.case_id, user.agency_id) in full_access:
                people[user.pk] = user
        recipients[action.pk] = list(people.values())
    return recipients


def sweep_actions_due(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    actions = list(
        Action.objects.live()
        .filter(due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS), case__status__in=OPEN_STATUSES)
        .select_related("case", "lead_user")
        .order_by("due_date", "pk")
    )
    recipients = _recipients(actions)
    created = 0
    for action in actions:
        link = reverse("plans:action", kwargs={"case_pk": action.case_id, "action_id": action.pk})
        if action.due_date < today:
            kind, key = "action_overdue", f"action-overdue:{action.pk}:{action.due_date.isoformat()}"
            title = f"Action overdue on case {action.case.reference}: it was due {long_date(action.due_date)}"
        else:
            kind, key = "action_due_soon", f"action-due:{action.pk}:{action.due_date.isoformat()}"
            title = f"Action due {long_date(action.due_date)} on case {action.case.reference}"
        for user in recipients[action.pk]:
            if notify(recipient=user, kind=kind, key=key, title=title, link=link) is not None:
                created += 1
    return created
