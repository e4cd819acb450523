from django.shortcuts import render

from marm.access.roles import roles_of
from marm.cases.selectors import cases_led_by, cases_listed, concerns_awaiting_screening
from marm.organisations.models import Role


def home(request):
    """Your work: cases you lead, concerns waiting for your screening, and (later) your actions."""
    role_labels = [Role(role).label for role in sorted(roles_of(request.user))]
    led = cases_led_by(user=request.user)
    to_screen = concerns_awaiting_screening(user=request.user)
    cases_listed(user=request.user, cases=[*led, *to_screen], listing="your work")
    return render(
        request,
        "dashboards/home.html",
        {
            "cases": led,
            "to_screen": to_screen,
            "actions": [],
            "role_labels": role_labels,
            "can_add_person": request.user.has_perm("people.add_person"),
        },
    )
