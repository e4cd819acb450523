"""Reminder sweep for capacity: an assessment's "look again by" date reached or passed.

000 3.5: decisions are "kept under constant review and re-evaluated"; capacity is
reconsidered at every review. Each assessment is reminded of once per recipient and
"look again by" date (the notification's key), to the assessor and the case's lead
professional, if their agency still sees the case in full. The notification names no
adult: it gives the case reference and links to the assessment.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from marm.cases.lifecycle import OPEN_STATUSES
from marm.cases.models import CaseAgency, LeadProfessional
from marm.notifications.services import notify
from marm.risk.models import CapacityAssessment


def sweep_capacity_review_due(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    assessments = list(
        CapacityAssessment.objects.filter(review_by__lte=today, case__status__in=OPEN_STATUSES)
        .select_related("case", "assessor")
        .order_by("review_by", "pk")
    )
    case_ids = {assessment.case_id for assessment in assessments}
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
    for assessment in assessments:
        case = assessment.case
        link = reverse("risk:capacity-detail", kwargs={"case_pk": case.pk, "assessment_id": assessment.pk})
        due = date_format(assessment.review_by, "j F Y")
        title = (
            f"Capacity assessment on case {case.reference} is due to be looked at again"
            if assessment.review_by == today
            else f"Capacity assessment on case {case.reference} was due to be looked at again by {due}"
        )
        key = f"capacity-review:{assessment.pk}:{assessment.review_by.isoformat()}"
        people = {}
        for user in (assessment.assessor, leads.get(case.pk)):
            if user is not None and user.is_active and (case.pk, user.agency_id) in full_access:
                people[user.pk] = user
        for user in people.values():
            if notify(recipient=user, kind="capacity_review_due", key=key, title=title, link=link) is not None:
                created += 1
    return created
