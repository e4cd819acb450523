"""Reads of meetings. The case is read first through marm.cases.selectors.case_get_for_user
(scoped to full access, and audited, refusals included); these read what is under it."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from marm.access.guard import fetch_for_user
from marm.cases.key_action_checks import Since, has_check, key_actions_not_borne_out, where_to_record
from marm.cases.models import CaseAgency
from marm.meetings.models import AdultParticipation, Invitation, Meeting, MeetingChange, MeetingDecision, MinutesItem
from marm.meetings.vocab import ATTENDED, MeetingKind, MeetingOutcome, MinutesItemStatus
from marm.plans.models import Action


def meetings_for_case(*, case) -> list[Meeting]:
    return list(Meeting.objects.filter(case=case).select_related("chair").order_by("-starts_at", "-pk"))


def _meeting(*, user, case, meeting_id, queryset) -> Meeting:
    meeting = fetch_for_user(
        user=user,
        model=Meeting,
        pk=meeting_id,
        queryset=queryset.filter(case=case),
        audit_view=False,
        not_found="No such meeting",
    )
    meeting.case = case
    return meeting


def meeting_of_case(*, user, case, meeting_id) -> Meeting:
    """One meeting of a case the caller has read (and audited) in full, or a 404."""
    return _meeting(
        user=user,
        case=case,
        meeting_id=meeting_id,
        queryset=Meeting.objects.select_related("chair__agency", "finished_by"),
    )


def meeting_page_queryset():
    """Meetings with everything their page and their minutes show, in a fixed number of queries."""
    return Meeting.objects.select_related(
        "chair__agency", "finished_by", "cancelled_by", "adult__recorded_by"
    ).prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.select_related("user__agency", "agency", "attendance")),
        Prefetch(
            "minutes_items", queryset=MinutesItem.objects.select_related("updated_by"), to_attr="minutes_items_list"
        ),
        Prefetch(
            "decision_links",
            queryset=MeetingDecision.objects.select_related("decision__recorded_by"),
            to_attr="decision_links_list",
        ),
        Prefetch("actions", queryset=Action.objects.select_related("lead_user", "agency")),
        Prefetch("changes", queryset=MeetingChange.objects.select_related("changed_by"), to_attr="changes_list"),
    )


def with_invitations_list(meeting: Meeting) -> Meeting:
    """The page reads the named list; the attendance summary, the attendance form and the calendar
    file read meeting.invitations.all(), which the prefetch has already filled."""
    meeting.invitations_list = list(meeting.invitations.all())
    return meeting


def meeting_page(*, user, case, meeting_id) -> Meeting:
    """The meeting with everything its page shows, in a fixed number of queries."""
    return with_minutes_checked(
        with_invitations_list(_meeting(user=user, case=case, meeting_id=meeting_id, queryset=meeting_page_queryset()))
    )


def previous_meeting(*, meeting) -> Since | None:
    """The case's last meeting held before this one (for the first review, the planning meeting):
    its day and when its record was closed, or None."""
    held = (
        Meeting.objects.filter(
            case_id=meeting.case_id,
            finished_at__isnull=False,
            cancelled_at__isnull=True,
            starts_at__lt=meeting.starts_at,
        )
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .values_list("starts_at", "finished_at")
        .first()
    )
    return Since(day=timezone.localdate(held[0]), closed_at=held[1]) if held else None


def minutes_not_borne_out(*, meeting, items) -> dict[str, str]:
    """Of the items marked addressed, those the records contradict (a key action registered with
    marm.cases.key_action_checks), by code, with why. No query unless such an item is addressed."""
    codes = [item.code for item in items if item.status == MinutesItemStatus.ADDRESSED and has_check(item.code)]
    if not codes:
        return {}
    return key_actions_not_borne_out(case=meeting.case, codes=codes, since=previous_meeting(meeting=meeting))


def minutes_item_still_to_record(*, meeting, item) -> dict | None:
    """For a key action that needs a record (a key action check) the records do not show yet, while
    the meeting is open: why not, and the page that makes the record, so the meeting can make it and
    then minute the item addressed. None otherwise. One query for a checked item, none for the rest."""
    if meeting.finished_at or item.status == MinutesItemStatus.ADDRESSED or not has_check(item.code):
        return None
    why = key_actions_not_borne_out(case=meeting.case, codes=[item.code], since=previous_meeting(meeting=meeting))
    if not why:
        return None
    where = where_to_record(item.code, meeting.case)
    return {"why": why[item.code], "action": where[0] if where else "", "url": where[1] if where else ""}


def with_minutes_checked(meeting: Meeting) -> Meeting:
    """Each minutes item gets ``not_borne_out``: why the records say it is not done, or ''. The page
    and the minutes show such an item as not done, whatever was ticked."""
    problems = minutes_not_borne_out(meeting=meeting, items=meeting.minutes_items_list)
    for item in meeting.minutes_items_list:
        item.not_borne_out = problems.get(item.code, "")
    return meeting


def minutes_item_of_meeting(*, user, meeting, item_id) -> MinutesItem:
    """One minutes item of a meeting the caller has read, or a 404."""
    item = fetch_for_user(
        user=user,
        model=MinutesItem,
        pk=item_id,
        queryset=MinutesItem.objects.filter(meeting=meeting),
        audit_view=False,
        not_found="No such item",
    )
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


def agency_has_full_access(*, case, agency_id) -> bool:
    """The agency takes part in the case in full (not only the name-only share)."""
    return CaseAgency.objects.filter(case=case, agency_id=agency_id, access="full", ended_at__isnull=True).exists()


def meeting_attendees(*, meeting) -> tuple[list[Invitation], list[Invitation]]:
    """Everyone invited, and those of them recorded as present."""
    invitations = list(meeting.invitations.select_related("user", "attendance", "agency"))
    present = [i for i in invitations if getattr(i, "attendance", None) and i.attendance.status in ATTENDED]
    return invitations, present


def finish_problems(*, meeting, outcome: str = "", next_review_date=None, now=None) -> dict[str, str]:
    """What stops the meeting being finished, by field (shown on the meeting page before anyone tries)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if meeting.starts_at > now:
        errors["outcome"] = "The meeting has not started yet"
    invitations, _ = meeting_attendees(meeting=meeting)
    missing = [i.person_label for i in invitations if getattr(i, "attendance", None) is None]
    if missing:
        errors["attendance"] = f"Record whether these people attended: {', '.join(missing)}"
    if not AdultParticipation.objects.filter(meeting=meeting).exists():
        errors["adult"] = "Record whether the adult attended, and their views"
    items = getattr(meeting, "minutes_items_list", None)
    if items is None:
        items = list(meeting.minutes_items.all())
    outstanding = sum(1 for item in items if item.status == MinutesItemStatus.OUTSTANDING)
    if all(hasattr(item, "not_borne_out") for item in items):  # already checked for the page
        contradicted = {item.code: item.not_borne_out for item in items if item.not_borne_out}
    else:
        contradicted = minutes_not_borne_out(meeting=meeting, items=items)
    if outstanding or contradicted:
        errors["minutes"] = " ".join(
            [f"{outstanding} key action(s) not yet marked addressed or not addressed." if outstanding else ""]
            + [f"{reason}." for reason in contradicted.values()]
        ).strip()
    if meeting.kind == MeetingKind.PLANNING and not Action.objects.filter(case=meeting.case).live().exists():
        errors["actions"] = "Agree a SMART action plan: add at least one action with a named lead and a due date"
    if outcome == MeetingOutcome.REVIEW:
        if next_review_date is None:
            errors["next_review_date"] = "Set the date of the next review meeting"
        elif next_review_date <= timezone.localdate(meeting.starts_at):
            errors["next_review_date"] = "The next review must be after this meeting"
    return errors


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


def meetings_invited_to(*, user, now=None, limit: int = 50) -> list[Meeting]:
    """Meetings to come, not cancelled, that the user chairs or that they or their agency are
    invited to, soonest first; ``you_are_invited`` says whether the invitation names the user."""
    now = now or timezone.now()
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), agency_id=user.agency_id)
    return list(
        Meeting.objects.visible_to(user)
        .filter(cancelled_at__isnull=True, finished_at__isnull=True, ends_at__gte=now)
        .annotate(agency_invited=Exists(invited), you_are_invited=Exists(invited.filter(user=user)))
        .filter(Q(agency_invited=True) | Q(chair=user))
        .select_related("case__person")
        .order_by("starts_at", "pk")[:limit]
    )


# The calendar feed shows meetings from this long ago onwards, and at most this many.
FEED_SINCE = datetime.timedelta(days=90)
FEED_LIMIT = 500


def meetings_for_calendar_feed(*, user, now=None) -> list[Meeting]:
    """The meetings whose invitation names the user, or that they chair, from three months ago on,
    cancelled ones included (so a calendar takes them out). Scoped as the user's own pages are."""
    now = now or timezone.now()
    named = Invitation.objects.filter(meeting=OuterRef("pk"), user=user)
    return list(
        Meeting.objects.visible_to(user)
        .filter(ends_at__gte=now - FEED_SINCE)
        .filter(Q(Exists(named)) | Q(chair=user))
        .select_related("case")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )
