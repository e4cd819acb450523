"""Reminder sweep for concerns: a concern waiting for screening more than 2 working days.

000 6.1 stage 1: the responsible manager of the lead coordinating agency decides
whether the case enters the process. A concern still waiting after 2 working days
(Monday to Friday) reminds that agency's managers, once per manager and concern.
The notification names no adult: it gives the case reference and links to the case.
"""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.notifications.services import notify
from marm.organisations.models import Role

WAITING_WORKING_DAYS = 2


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Whole working days (Monday to Friday) after ``start`` up to and including ``end``."""
    days = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def sweep_concerns_waiting(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    # Nothing raised in the last 2 days can be 2 working days old: only older concerns are read.
    cases = [
        case
        for case in Case.objects.filter(
            status=CaseStatus.CONCERN, raised_at__lt=now - datetime.timedelta(days=WAITING_WORKING_DAYS)
        )
        .select_related("lead_agency")
        .order_by("raised_at", "pk")
        if working_days_between(timezone.localdate(case.raised_at), today) > WAITING_WORKING_DAYS
    ]
    managers: dict[int, list] = {}
    for user in (
        get_user_model()
        .objects.filter(
            agency_id__in={case.lead_agency_id for case in cases},
            is_active=True,
            memberships__role=Role.MANAGER,
        )
        .distinct()
        .order_by("pk")
    ):
        managers.setdefault(user.agency_id, []).append(user)
    created = 0
    for case in cases:
        link = reverse("cases:detail", kwargs={"case_pk": case.pk})
        title = f"Concern {case.reference} has been waiting for screening for more than 2 working days"
        for user in managers.get(case.lead_agency_id, []):
            key = f"concern-waiting:{case.pk}"
            if notify(recipient=user, kind="concern_waiting", key=key, title=title, link=link) is not None:
                created += 1
    return created
