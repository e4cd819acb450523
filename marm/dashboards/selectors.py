"""What "Your work" lists, read through the domain apps' selectors (each scoped to the user),
and the one audit row for the names the page shows."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from marm.access.roles import Role, has_role, works_with_people
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.selectors import cases_led_by, cases_shared_with, open_cases_led_by_agency
from marm.meetings.selectors import meetings_invited_to
from marm.plans.selectors import actions_owned_by, overdue_actions_on_agency_cases
from marm.register.selectors import (
    alerts_unacknowledged_in_teams,
    contact_alerts_of_agency,
    entries_due_supervision,
    supervisors_team_ids,
)

# The duty desk sees the alerts it raised over the last day, acknowledged or not.
DUTY_ALERTS_SINCE = datetime.timedelta(hours=24)


@dataclass
class YourWork:
    casework: bool = False
    led: list = field(default_factory=list)
    shared: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    manager: bool = False
    agency_cases: list = field(default_factory=list)
    stage_counts: dict = field(default_factory=dict)
    overdue_actions: list = field(default_factory=list)
    supervisor: bool = False
    supervision_due: list = field(default_factory=list)
    team_alerts: list = field(default_factory=list)
    duty_officer: bool = False
    duty_alerts: list = field(default_factory=list)

    def cases(self) -> list:
        return [
            *self.led,
            *self.shared,
            *self.agency_cases,
            *(meeting.case for meeting in self.meetings),
            *(action.case for action in [*self.actions, *self.overdue_actions]),
        ]

    def entries(self) -> list:
        return [*self.supervision_due, *(alert.entry for alert in [*self.team_alerts, *self.duty_alerts])]


def your_work(*, user, now=None) -> YourWork:
    """Each role's lists; users whose roles see no adult get none of them."""
    now = now or timezone.now()
    work = YourWork()
    if not works_with_people(user):
        return work
    work.casework = True
    work.led = cases_led_by(user=user)
    work.shared = cases_shared_with(user=user)
    work.meetings = meetings_invited_to(user=user, now=now)
    work.actions = actions_owned_by(user=user)
    if has_role(user, Role.MANAGER):
        work.manager = True
        work.agency_cases, work.stage_counts = open_cases_led_by_agency(user=user)
        work.overdue_actions = overdue_actions_on_agency_cases(user=user, today=timezone.localdate(now))
    if has_role(user, Role.SUPERVISOR):
        work.supervisor = True
        teams = supervisors_team_ids(user=user)
        work.supervision_due = entries_due_supervision(user=user, now=now, team_ids=teams)
        work.team_alerts = alerts_unacknowledged_in_teams(user=user, team_ids=teams)
    if has_role(user, Role.DUTY_OFFICER):
        work.duty_officer = True
        work.duty_alerts = contact_alerts_of_agency(user=user, since=now - DUTY_ALERTS_SINCE)
    return work


def your_work_listed(*, user, work: YourWork) -> None:
    """The page shows people's names: one search row with every person, case and register entry listed."""
    cases = {str(case.pk): case.person_id for case in work.cases()}
    entries = {str(entry.pk): entry.person_id for entry in work.entries()}
    people = sorted({str(pk) for pk in [*cases.values(), *entries.values()]})
    if people:
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="people.person",
            detail={
                "list": "your work",
                "results": people,
                "cases": sorted(cases),
                "register_entries": sorted(entries),
            },
        )
