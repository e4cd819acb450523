"""Reads of meetings. The case is read first through marm.cases.selectors.case_get_for_user
(scoped to full access, and audited, refusals included); these read what is under it."""

import datetime

from django.db.models import Prefetch
from django.http import Http404

from marm.meetings.models import Invitation, Meeting, MeetingDecision, MinutesItem
from marm.plans.models import Action


def meetings_for_case(*, case) -> list[Meeting]:
    return list(Meeting.objects.filter(case=case).select_related("chair").order_by("-starts_at", "-pk"))


def meeting_of_case(*, case, meeting_id) -> Meeting:
    """One meeting of a case the caller has read in full, or a 404."""
    meeting = Meeting.objects.filter(pk=meeting_id, case=case).select_related("chair__agency", "finished_by").first()
    if meeting is None:
        raise Http404("No such meeting")
    meeting.case = case
    return meeting


def meeting_page(*, case, meeting_id) -> Meeting:
    """The meeting with everything its page shows, in a fixed number of queries."""
    meeting = (
        Meeting.objects.filter(pk=meeting_id, case=case)
        .select_related("chair__agency", "finished_by", "cancelled_by", "adult__recorded_by")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("user__agency", "agency", "attendance"),
            ),
            Prefetch("minutes_items", queryset=MinutesItem.objects.select_related("updated_by")),
            Prefetch(
                "decision_links",
                queryset=MeetingDecision.objects.select_related("decision__recorded_by"),
            ),
            Prefetch("actions", queryset=Action.objects.select_related("lead_user", "agency")),
            "changes__changed_by",
        )
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    meeting.case = case
    return meeting


def minutes_item_of_meeting(*, meeting, item_id) -> MinutesItem:
    item = MinutesItem.objects.filter(pk=item_id, meeting=meeting).first()
    if item is None:
        raise Http404("No such item")
    item.meeting = meeting
    return item


def next_review_date(*, case) -> datetime.date | None:
    """The review date set by the latest finished meeting, if any."""
    return (
        Meeting.objects.filter(case=case, finished_at__isnull=False)
        .order_by("-starts_at")
        .values_list("next_review_date", flat=True)
        .first()
    )


def meeting_exported(*, user, meeting, document: str) -> None:
    """A document about the meeting leaves marm (a download): audited as an export."""
    from marm.audit.models import AuditAction
    from marm.audit.services import audit_record

    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        obj=meeting,
        person_id=meeting.case.person_id,
        purpose=f"Downloaded the {document}",
        detail={"document": document},
    )
