from django.shortcuts import render
from django.utils import timezone

from marm.access.roles import roles_of
from marm.cases.selectors import cases_led_by, cases_listed, concerns_awaiting_screening
from marm.organisations.models import Role
from marm.plans.presenters import action_rows
from marm.plans.selectors import actions_owned_by


def home(request):
    """Your work: cases you lead, concerns waiting for your screening, and (later) your actions."""
    role_labels = [Role(role).label for role in sorted(roles_of(request.user))]
    led = cases_led_by(user=request.user)
    to_screen = concerns_awaiting_screening(user=request.user)
    actions = actions_owned_by(user=request.user)
    cases_listed(user=request.user, cases=[*led, *to_screen, *(a.case for a in actions)], listing="your work")
    return render(
        request,
        "dashboards/home.html",
        {
            "cases": led,
            "to_screen": to_screen,
            "actions": action_rows(actions, today=timezone.localdate()),
            "role_labels": role_labels,
            "can_add_person": request.user.has_perm("people.add_person"),
        },
    )
