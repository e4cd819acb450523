from django.shortcuts import render

from marm.access.roles import roles_of
from marm.organisations.models import Role


def home(request):
    """Your work: cases you lead or contribute to, and actions you own.

    Cases and actions arrive with later capabilities; until then the page says so plainly.
    """
    role_labels = [Role(role).label for role in sorted(roles_of(request.user))]
    return render(
        request,
        "dashboards/home.html",
        {
            "cases": [],
            "actions": [],
            "role_labels": role_labels,
            "can_add_person": request.user.has_perm("people.add_person"),
        },
    )
