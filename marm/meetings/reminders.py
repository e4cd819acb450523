"""Reminder sweep for reviews: a review meeting is due (000 6.1 stage 3; each meeting sets the next review).

For each case whose latest finished meeting set a review date within the
next week (or already past) and that has no meeting scheduled since, the lead
professional and that meeting's chair are told. Idempotent: the key names the
meeting and its review date, so the sweep notifies each person once.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import CaseAgency, LeadProfessional
from marm.meetings.models import Meeting
from marm.notifications.services import notify

REVIEW_DUE_DAYS = 7


def sweep_reviews_due(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    later = Meeting.objects.filter(
        case_id=OuterRef("case_id"), starts_at__gt=OuterRef("starts_at"), cancelled_at__isnull=True
    )
    due = list(
        Meeting.objects.filter(
            finished_at__isnull=False,
            next_review_date__lte=today + datetime.timedelta(days=REVIEW_DUE_DAYS),
            case__status__in=OPEN_STATUSES,
        )
        .exclude(Exists(later))
        .select_related("case", "chair")
    )
    case_ids = {meeting.case_id for meeting in due}
    leads = {
        row.case_id: row.user
        for row in LeadProfessional.objects.filter(case_id__in=case_ids, ended_at__isnull=True).select_related("user")
    }
    full_access = set(
        CaseAgency.objects.filter(case_id__in=case_ids, access="full", ended_at__isnull=True).values_list(
            "case_id", "agency_id"
        )
    )
    created = 0
    for meeting in due:
        when = meeting.next_review_date
        overdue = when < today
        title = (
            f"A review meeting on case {meeting.case.reference} was due {when.day} {when:%B %Y} and is not scheduled"
            if overdue
            else f"A review meeting on case {meeting.case.reference} is due by {when.day} {when:%B %Y}"
        )
        link = reverse("meetings:schedule", kwargs={"case_pk": meeting.case_id})
        people = {}
        for user in (leads.get(meeting.case_id), meeting.chair):
            if user is not None and (meeting.case_id, user.agency_id) in full_access:
                people[user.pk] = user
        for user in people.values():
            key = f"review-due:{meeting.pk}:{when.isoformat()}"
            if notify(recipient=user, kind="review_due", key=key, title=title, link=link) is not None:
                created += 1
    return created
