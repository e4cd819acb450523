from django.shortcuts import render
from django.utils import timezone

from marm.access.roles import Role, has_role, roles_of
from marm.core.panels import panels_for
from marm.dashboards.presenters import stage_groups, supervision_rows
from marm.dashboards.selectors import your_work, your_work_listed
from marm.plans.presenters import action_rows


def home(request):
    """Your work: what each of the user's roles has to do, read through scoped selectors."""
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    role_labels = [Role(role).label for role in sorted(roles_of(user))]
    work = your_work(user=user, now=now)
    your_work_listed(user=user, work=work)
    return render(
        request,
        "dashboards/home.html",
        {
            "work": work,
            "cases": work.led,
            "shared": work.shared,
            "meetings": work.meetings,
            "actions": action_rows(work.actions, today=today),
            "stages": stage_groups(work.agency_cases, work.stage_counts) if work.manager else [],
            "overdue_actions": action_rows(work.overdue_actions, today=today),
            "supervision_due": supervision_rows(work.supervision_due, now),
            "is_administrator": has_role(user, Role.ADMINISTRATOR),
            "is_board_officer": has_role(user, Role.BOARD_OFFICER),
            "can_see_duplicates": user.has_perm("linkage.view_duplicates_report"),
            "role_labels": role_labels,
            "can_add_person": user.has_perm("people.add_person"),
            # The board's work for anyone: reviews a nominated contact reports on, surveys to answer.
            "panels": panels_for("home", user=user),
        },
    )
