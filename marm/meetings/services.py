"""Writes on meetings: scheduling and changing them, invitations, attendance, the adult's
participation, the minutes, decisions taken in the meeting, finishing and sending the minutes.

Each service is one transaction with its audit rows. Invited users are told
through marm.notifications; people who do not use marm are e-mailed the
calendar file by a background job written in the same transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.lifecycle import CaseStatus, MoveNotAllowed
from marm.cases.models import Case, CaseAgency, KeyAction
from marm.cases.services import case_transition
from marm.core.locking import save_if_current
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.meetings.ics import meeting_title
from marm.meetings.models import (
    AdultParticipation,
    Attendance,
    Invitation,
    Meeting,
    MeetingChange,
    MeetingDecision,
    MinutesItem,
)
from marm.meetings.tasks import invitation_email_send, minutes_email_send
from marm.meetings.vocab import (
    KEY_ACTIONS,
    AttendanceStatus,
    CommitResources,
    MeetingKind,
    MeetingOutcome,
    MinutesItemStatus,
)
from marm.notifications.services import notify
from marm.plans.models import Action

# 000 6.1: a planning meeting follows acceptance; reviews follow the planning meeting.
SCHEDULABLE = {
    MeetingKind.PLANNING: {CaseStatus.ACCEPTED, CaseStatus.PLANNING, CaseStatus.ESCALATED},
    MeetingKind.REVIEW: {CaseStatus.PLANNING, CaseStatus.REVIEW, CaseStatus.ESCALATED},
}
# Finishing a meeting moves the case to the stage it belongs to.
STAGE_OF = {MeetingKind.PLANNING: CaseStatus.PLANNING, MeetingKind.REVIEW: CaseStatus.REVIEW}
ATTENDED = {AttendanceStatus.ATTENDED}


def _meeting_link(meeting) -> str:
    return reverse("meetings:detail", kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk})


def _when(meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _check_case(acting_user, case) -> None:
    if not Case.objects.fully_visible_to(acting_user).filter(pk=case.pk).exists():
        raise PermissionDenied


def _check_open(meeting) -> None:
    if meeting.is_finished:
        raise ValidationError("This meeting is finished: its record can no longer change")
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: its record can no longer change")


def _has_full_access(case, agency_id) -> bool:
    return CaseAgency.objects.filter(case=case, agency_id=agency_id, access="full", ended_at__isnull=True).exists()


def _check_times(starts_at, ends_at, place, virtual_link) -> dict:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Enter the date and time the meeting starts"
    if ends_at is None:
        errors["ends_at"] = "Enter the time the meeting ends"
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The meeting must end after it starts"
    if not (place or "").strip() and not (virtual_link or "").strip():
        errors["place"] = "Enter where the meeting is, or a link to join it online"
    return errors


def _invite(*, acting_user, meeting, agency, user=None, name="", email="", role_title="") -> Invitation:
    invitation = Invitation(
        meeting=meeting,
        agency=agency,
        user=user,
        name="" if user else name.strip(),
        email="" if user else email.strip(),
        role_title=role_title.strip(),
        invited_by=acting_user,
    )
    invitation.full_clean()
    invitation.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=invitation,
        person_id=meeting.case.person_id,
        detail={"meeting": meeting.pk, "agency": agency.pk, "user": user.pk if user else None},
    )
    if user is not None:
        if user.pk != acting_user.pk:
            notify(
                recipient=user,
                kind="meeting_invitation",
                key=f"meeting-invite:{meeting.pk}:{user.pk}",
                title=f"You are invited to a {meeting_title(meeting)}, {_when(meeting)}",
                link=_meeting_link(meeting),
                actor=acting_user,
            )
    elif invitation.email:
        invitation_email_send.enqueue(invitation.pk, meeting.sequence)
    return invitation


@transaction.atomic
def meeting_schedule(
    *,
    acting_user,
    case: Case,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    chair,
    place: str = "",
    virtual_link: str = "",
    agenda: str = "",
) -> Meeting:
    """Schedule a planning (stage 2) or review (stage 3) meeting; its minutes follow the stage's key actions."""
    require(acting_user, "meetings.schedule_meeting")
    _check_case(acting_user, case)
    errors = _check_times(starts_at, ends_at, place, virtual_link)
    if kind not in MeetingKind.values:
        errors["kind"] = "Select planning or review meeting"
    elif case.status not in SCHEDULABLE[kind]:
        errors["kind"] = (
            f"A {MeetingKind(kind).label.lower()} cannot be scheduled while the case is at "
            f"'{CaseStatus(case.status).label}'"
        )
    if chair is None:
        errors["chair"] = "Select who will chair the meeting"
    elif not _has_full_access(case, chair.agency_id):
        errors["chair"] = "The chair must work for an agency that takes part in the case in full"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        chair=chair,
        place=place.strip(),
        virtual_link=virtual_link.strip(),
        agenda=agenda.strip(),
        scheduled_by=acting_user,
    )
    meeting.full_clean()
    meeting.save(force_insert=True)
    MinutesItem.objects.bulk_create(
        MinutesItem(meeting=meeting, code=code, label=label, position=position)
        for position, (code, label) in enumerate(KEY_ACTIONS[kind], start=1)
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=meeting,
        person_id=case.person_id,
        detail={"kind": kind, "starts_at": starts_at.isoformat(), "chair": chair.pk},
    )
    # The chair is invited, so their attendance is recorded like everyone's.
    _invite(acting_user=acting_user, meeting=meeting, agency=chair.agency, user=chair, role_title="Chair")
    if kind == MeetingKind.PLANNING:
        # 000 Appendix A stage 1: "Set up a multi-agency risk planning meeting".
        KeyAction.objects.filter(case=case, stage=1, code="planning_meeting", status="outstanding").update(
            status="done", updated_by=acting_user, updated_at=timezone.now(), version=F("version") + 1
        )
    return meeting


@transaction.atomic
def meeting_change(
    *,
    acting_user,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    virtual_link: str = "",
    agenda: str = "",
    reason: str,
) -> Meeting:
    """Move the meeting or change where it is: the calendar SEQUENCE rises and everyone invited is told."""
    require(acting_user, "meetings.schedule_meeting")
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    errors = _check_times(starts_at, ends_at, place, virtual_link)
    if not reason.strip():
        errors["reason"] = "Say why the meeting is changing"
    if errors:
        raise ValidationError(errors)
    before = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "virtual_link": meeting.virtual_link,
        "agenda": meeting.agenda,
    }
    after = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place.strip(),
        "virtual_link": virtual_link.strip(),
        "agenda": agenda.strip(),
    }
    changed = {field: [str(before[field]), str(after[field])] for field in before if before[field] != after[field]}
    if not changed:
        raise ValidationError("Nothing has changed")
    for field, value in after.items():
        setattr(meeting, field, value)
    meeting.sequence += 1
    meeting.full_clean()
    save_if_current(meeting, expected_version=expected_version, fields=[*after, "sequence"])
    MeetingChange.objects.create(
        meeting=meeting, sequence=meeting.sequence, changes=changed, reason=reason.strip(), changed_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=meeting.case.person_id,
        detail={"changes": changed, "sequence": meeting.sequence},
    )
    _tell_invited(
        meeting,
        acting_user=acting_user,
        kind="meeting_changed",
        key=f"meeting-changed:{meeting.pk}:{meeting.sequence}",
        title=f"The {meeting_title(meeting)} has changed: now {_when(meeting)}",
    )
    return meeting


def _tell_invited(meeting, *, acting_user, kind: str, key: str, title: str) -> None:
    """After a change: a notification to each invited marm user but the one who made it, and the
    calendar file of the meeting's new SEQUENCE e-mailed to each named person who does not use marm."""
    for invitation in meeting.invitations.select_related("user"):
        if invitation.user_id:
            if invitation.user_id != acting_user.pk:
                notify(
                    recipient=invitation.user,
                    kind=kind,
                    key=key,
                    title=title,
                    link=_meeting_link(meeting),
                    actor=acting_user,
                )
        elif invitation.email:
            invitation_email_send.enqueue(invitation.pk, meeting.sequence)


@transaction.atomic
def meeting_cancel(*, acting_user, meeting: Meeting, expected_version: int, reason: str) -> Meeting:
    """Call the meeting off before it is held, with why: the calendar SEQUENCE rises and everyone
    invited is sent the cancellation (METHOD:CANCEL), so it leaves their calendars."""
    require(acting_user, "meetings.schedule_meeting")
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled"})
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = acting_user
    meeting.cancellation_reason = reason.strip()
    meeting.sequence += 1
    meeting.full_clean()
    save_if_current(
        meeting,
        expected_version=expected_version,
        fields=["cancelled_at", "cancelled_by", "cancellation_reason", "sequence"],
    )
    MeetingChange.objects.create(
        meeting=meeting,
        sequence=meeting.sequence,
        changes={"cancelled": [str(meeting.starts_at), "cancelled"]},
        reason=f"Cancelled: {reason.strip()}",
        changed_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=meeting.case.person_id,
        detail={"cancelled": True, "sequence": meeting.sequence},
    )
    if (
        meeting.kind == MeetingKind.PLANNING
        and not Meeting.objects.filter(case=meeting.case, kind=MeetingKind.PLANNING, cancelled_at__isnull=True)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        # No planning meeting is set up any more: 000 Appendix A stage 1 is outstanding again.
        KeyAction.objects.filter(case=meeting.case, stage=1, code="planning_meeting", status="done").update(
            status="outstanding", updated_by=acting_user, updated_at=timezone.now(), version=F("version") + 1
        )
    _tell_invited(
        meeting,
        acting_user=acting_user,
        kind="meeting_cancelled",
        key=f"meeting-cancelled:{meeting.pk}",
        title=f"The {meeting_title(meeting)} of {_when(meeting)} is cancelled",
    )
    return meeting


@transaction.atomic
def invitation_add(
    *, acting_user, meeting: Meeting, agency, user=None, name: str = "", email: str = "", role_title: str = ""
) -> Invitation:
    """Invite an agency to the meeting, through a marm user or a named person who does not use marm."""
    require(acting_user, "meetings.record_meeting")
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    errors = {}
    # 001 3.3: an agency joins a case only through a recorded sharing decision, so invitations go to
    # agencies already taking part.
    if not CaseAgency.objects.filter(case=meeting.case, agency=agency, ended_at__isnull=True).exists():
        errors["agency"] = f"{agency} does not take part in this case: share the case with it first"
    if user is not None:
        if user.agency_id != agency.pk:
            errors["user"] = f"{user.full_name} does not work for {agency}"
        elif not _has_full_access(meeting.case, agency.pk):
            errors["user"] = f"{agency} sees only the name on this case: invite a named person by e-mail instead"
        elif meeting.invitations.filter(user=user).exists():
            errors["user"] = f"{user.full_name} is already invited"
    elif not name.strip():
        errors["name"] = "Choose someone in marm, or enter the name of the person invited"
    if errors:
        raise ValidationError(errors)
    return _invite(
        acting_user=acting_user,
        meeting=meeting,
        agency=agency,
        user=user,
        name=name,
        email=email,
        role_title=role_title,
    )


@transaction.atomic
def attendance_record(*, acting_user, meeting: Meeting, entries) -> list[Attendance]:
    """Who came: ``entries`` is a list of (invitation, status, can_commit_resources), one per invitation."""
    require(acting_user, "meetings.record_meeting")
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    rows = []
    for invitation, status, can_commit in entries:
        if invitation.meeting_id != meeting.pk:
            raise ValidationError("That invitation is for another meeting")
        if status not in AttendanceStatus.values:
            raise ValidationError(f"Select whether {invitation.person_label} attended")
        if can_commit not in CommitResources.values:
            raise ValidationError(f"Select whether {invitation.person_label} could commit resources")
        row, _ = Attendance.objects.update_or_create(
            invitation=invitation,
            defaults={
                "meeting": meeting,
                "status": status,
                "can_commit_resources": can_commit if status in ATTENDED else CommitResources.NOT_ASKED,
                "recorded_by": acting_user,
            },
        )
        rows.append(row)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=meeting.case.person_id,
        detail={"attendance": {str(row.invitation_id): row.status for row in rows}},
    )
    return rows


@transaction.atomic
def adult_participation_record(
    *,
    acting_user,
    meeting: Meeting,
    attended: bool,
    advocate_offered: bool,
    views: str = "",
    views_gathered_by: str = "",
    views_not_gathered_reason: str = "",
    advocate_accepted: bool = False,
    advocate_present: bool = False,
    family_or_carers_present: bool = False,
    family_or_carers_details: str = "",
    expected_version: int | None = None,
) -> AdultParticipation:
    """The adult at the centre (001 3.2): there in person, or their views (and who gathered them), or why not."""
    require(acting_user, "meetings.record_meeting")
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    errors = {}
    views, gathered, reason = views.strip(), views_gathered_by.strip(), views_not_gathered_reason.strip()
    if not attended:
        if not views and not reason:
            errors["views"] = "Record the adult's views, or why they could not be gathered"
        if views and not gathered:
            errors["views_gathered_by"] = "Say who gathered the adult's views"
    if not advocate_offered and (advocate_accepted or advocate_present):
        errors["advocate_offered"] = "An advocate can only be accepted or present if one was offered"
    if family_or_carers_present and not family_or_carers_details.strip():
        errors["family_or_carers_details"] = "Say who from the family or carers was there"
    if errors:
        raise ValidationError(errors)
    values = {
        "attended": attended,
        "views": views,
        "views_gathered_by": gathered,
        "views_not_gathered_reason": "" if views or attended else reason,
        "advocate_offered": advocate_offered,
        "advocate_accepted": advocate_accepted,
        "advocate_present": advocate_present,
        "family_or_carers_present": family_or_carers_present,
        "family_or_carers_details": family_or_carers_details.strip() if family_or_carers_present else "",
        "recorded_by": acting_user,
    }
    existing = AdultParticipation.objects.filter(meeting=meeting).first()
    if existing is None:
        participation = AdultParticipation(meeting=meeting, **values)
        participation.full_clean()
        participation.save(force_insert=True)
        action = AuditAction.CREATE
    else:
        participation = existing
        for field, value in values.items():
            setattr(participation, field, value)
        participation.full_clean()
        save_if_current(
            participation,
            expected_version=existing.version if expected_version is None else expected_version,
            fields=list(values),
        )
        action = AuditAction.UPDATE
    audit_record(
        actor=acting_user,
        action=action,
        obj=participation,
        person_id=meeting.case.person_id,
        detail={"attended": attended, "views_heard": participation.views_heard, "advocate_offered": advocate_offered},
    )
    return participation


@transaction.atomic
def minutes_item_record(
    *, acting_user, item: MinutesItem, expected_version: int, status: str, notes: str = "", reason: str = ""
) -> MinutesItem:
    """A key action of the stage: addressed, with notes, or not addressed, with the reason."""
    require(acting_user, "meetings.record_meeting")
    meeting = item.meeting
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    if status == MinutesItemStatus.ADDRESSED and not notes.strip():
        raise ValidationError({"notes": "Record what the meeting said or agreed"})
    if status == MinutesItemStatus.NOT_ADDRESSED and not reason.strip():
        raise ValidationError({"reason": "Say why this was not addressed"})
    if status not in MinutesItemStatus.values:
        raise ValidationError({"status": "Select whether this was addressed"})
    item.status = status
    item.notes = notes.strip()
    item.reason_not_addressed = reason.strip() if status == MinutesItemStatus.NOT_ADDRESSED else ""
    item.updated_by = acting_user
    item.updated_at = timezone.now()
    item.full_clean()
    save_if_current(
        item,
        expected_version=expected_version,
        fields=["status", "notes", "reason_not_addressed", "updated_by", "updated_at"],
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=item,
        person_id=meeting.case.person_id,
        detail={"code": item.code, "status": status},
    )
    return item


def _attendees(meeting):
    invitations = list(meeting.invitations.select_related("user", "attendance", "agency"))
    present = [i for i in invitations if getattr(i, "attendance", None) and i.attendance.status in ATTENDED]
    return invitations, present


@transaction.atomic
def meeting_decision_record(
    *, acting_user, meeting: Meeting, summary: str, rationale: str, options_considered: str = "", legislation=()
):
    """A decision taken in the meeting, in the decision log with everyone who attended as participants."""
    require(acting_user, "meetings.record_meeting")
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale, tied to the circumstances of this case"})
    _, present = _attendees(meeting)
    decision = decision_record(
        acting_user=acting_user,
        person=meeting.case.person,
        case=meeting.case,
        kind=DecisionKind.OTHER,
        summary=f"{meeting.get_kind_display()} {timezone.localdate(meeting.starts_at):%d/%m/%Y}: {summary.strip()}",
        rationale=rationale,
        options_considered=options_considered,
        participants=[acting_user, *(i.user for i in present if i.user_id)],
        other_participants="; ".join(
            f"{i.name}{f', {i.role_title}' if i.role_title else ''} ({i.agency})" for i in present if not i.user_id
        ),
        legislation=legislation,
    )
    MeetingDecision.objects.create(meeting=meeting, decision=decision)
    return decision


def finish_problems(meeting: Meeting, *, outcome: str = "", next_review_date=None, now=None) -> dict:
    """What stops the meeting being finished, by field (shown on the meeting page before anyone tries)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if meeting.starts_at > now:
        errors["outcome"] = "The meeting has not started yet"
    invitations, _ = _attendees(meeting)
    missing = [i.person_label for i in invitations if getattr(i, "attendance", None) is None]
    if missing:
        errors["attendance"] = f"Record whether these people attended: {', '.join(missing)}"
    if not AdultParticipation.objects.filter(meeting=meeting).exists():
        errors["adult"] = "Record whether the adult attended, and their views"
    outstanding = meeting.minutes_items.filter(status=MinutesItemStatus.OUTSTANDING).count()
    if outstanding:
        errors["minutes"] = f"{outstanding} key action(s) not yet marked addressed or not addressed"
    if meeting.kind == MeetingKind.PLANNING and not Action.objects.filter(case=meeting.case).live().exists():
        errors["actions"] = "Agree a SMART action plan: add at least one action with a named lead and a due date"
    if outcome == MeetingOutcome.REVIEW:
        if next_review_date is None:
            errors["next_review_date"] = "Set the date of the next review meeting"
        elif next_review_date <= timezone.localdate(meeting.starts_at):
            errors["next_review_date"] = "The next review must be after this meeting"
    return errors


@transaction.atomic
def meeting_finish(
    *,
    acting_user,
    meeting: Meeting,
    expected_version: int,
    outcome: str,
    next_review_date: datetime.date | None = None,
    rationale: str = "",
) -> Meeting:
    """Finish the meeting: its record is complete, the case moves to the meeting's stage, and
    the next review is set (000 6.1), unless the meeting recommends closure or escalation."""
    require(acting_user, "meetings.finish_meeting", meeting)
    _check_case(acting_user, meeting.case)
    _check_open(meeting)
    if outcome not in MeetingOutcome.values:
        raise ValidationError({"outcome": "Select the outcome of the meeting"})
    errors = finish_problems(meeting, outcome=outcome, next_review_date=next_review_date)
    if outcome != MeetingOutcome.REVIEW and not rationale.strip():
        errors["rationale"] = "Give the rationale for recommending this"
    if errors:
        raise ValidationError(errors)
    meeting.outcome = outcome
    meeting.next_review_date = next_review_date if outcome == MeetingOutcome.REVIEW else None
    meeting.finished_at = timezone.now()
    meeting.finished_by = acting_user
    meeting.full_clean()
    save_if_current(
        meeting, expected_version=expected_version, fields=["outcome", "next_review_date", "finished_at", "finished_by"]
    )
    case = meeting.case
    target = STAGE_OF[meeting.kind]
    held = f"{meeting.get_kind_display()} held on {timezone.localdate(meeting.starts_at):%d/%m/%Y}"
    if not (case.status == target == CaseStatus.PLANNING):
        try:
            case_transition(acting_user=acting_user, case=case, to_status=target, reason=held)
        except MoveNotAllowed as error:
            raise ValidationError(str(error)) from None
    _, present = _attendees(meeting)
    summary = {
        MeetingOutcome.REVIEW: f"{held}; next review by {meeting.next_review_date:%d/%m/%Y}"
        if next_review_date
        else "",
        MeetingOutcome.CLOSE: f"{held}; the meeting recommends closing the case",
        MeetingOutcome.ESCALATE: f"{held}; the meeting recommends escalation to a section 42 enquiry",
    }[outcome]
    decision = decision_record(
        acting_user=acting_user,
        person=case.person,
        case=case,
        kind=DecisionKind.OTHER,
        summary=summary,
        rationale=rationale or "The stage's key actions were worked through and the plan agreed (000 Appendix A).",
        participants=[acting_user, *(i.user for i in present if i.user_id)],
        other_participants="; ".join(f"{i.name} ({i.agency})" for i in present if not i.user_id),
    )
    MeetingDecision.objects.create(meeting=meeting, decision=decision)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=case.person_id,
        detail={"finished": True, "outcome": outcome, "next_review_date": str(meeting.next_review_date or "")},
    )
    return meeting


@transaction.atomic
def minutes_send(*, acting_user, meeting: Meeting) -> list[str]:
    """Send the minutes to those who attended: an audited disclosure.

    marm users are told in marm (the minutes stay behind sign-in); people who
    do not use marm are e-mailed the PDF by a background job. Returns who was sent them.
    """
    require(acting_user, "meetings.record_meeting")
    _check_case(acting_user, meeting.case)
    if not meeting.is_finished:
        raise ValidationError("Finish the meeting before sending its minutes")
    _, present = _attendees(meeting)
    users = [i for i in present if i.user_id and i.user_id != acting_user.pk]
    by_email = [i for i in present if not i.user_id and i.email]
    if not users and not by_email:
        raise ValidationError("Nobody who attended can be sent the minutes: record an e-mail address for them")
    for invitation in users:
        notify(
            recipient=invitation.user,
            kind="meeting_minutes",
            key=f"meeting-minutes:{meeting.pk}:{invitation.user_id}",
            title=f"The minutes of the {meeting_title(meeting)} are ready",
            link=_meeting_link(meeting),
            actor=acting_user,
        )
    if by_email:
        minutes_email_send.enqueue(meeting.pk, [i.pk for i in by_email])
    recipients = [i.user.email for i in users] + [i.email for i in by_email]
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        obj=meeting,
        person_id=meeting.case.person_id,
        purpose="Minutes sent to the meeting's attendees",
        detail={"document": "minutes", "recipients": recipients},
    )
    return recipients
