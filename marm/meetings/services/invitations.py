"""Who is asked and who came: invitations, attendance, and the adult's participation (001 3.2, 3.3)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import CaseAgency
from marm.core.locking import save_if_current
from marm.meetings.ics import meeting_title
from marm.meetings.models import AdultParticipation, Attendance, Invitation, Meeting
from marm.meetings.selectors import agency_has_full_access
from marm.meetings.services._common import check_open, meeting_link, when
from marm.meetings.tasks import invitation_email_send
from marm.meetings.vocab import ADULT_SIDE, ATTENDED, AttendanceStatus, CommitResources, InviteeKind
from marm.notifications.services import notify


def _invite(
    *,
    acting_user,
    meeting,
    agency,
    user=None,
    name="",
    email="",
    role_title="",
    kind=InviteeKind.AGENCY,
    organisation_name="",
    relationship="",
) -> Invitation:
    """Write one invitation and tell the person: in marm, or by the calendar file e-mailed to them."""
    invitation = Invitation(
        meeting=meeting,
        kind=kind,
        agency=agency,
        user=user,
        name="" if user else name.strip(),
        email="" if user else email.strip(),
        role_title=role_title.strip(),
        organisation_name=organisation_name.strip(),
        relationship=relationship.strip(),
        invited_by=acting_user,
    )
    invitation.full_clean()
    invitation.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=invitation,
        person_id=meeting.case.person_id,
        detail={
            "meeting": meeting.pk,
            "kind": kind,
            "agency": agency.pk if agency else None,
            "user": user.pk if user else None,
        },
    )
    if user is not None:
        if user.pk != acting_user.pk:
            notify(
                recipient=user,
                kind="meeting_invitation",
                key=f"meeting-invite:{meeting.pk}:{user.pk}",
                title=f"You are invited to a {meeting_title(meeting)}, {when(meeting)}",
                link=meeting_link(meeting),
                actor=acting_user,
            )
    elif invitation.email:
        invitation_email_send.enqueue(invitation.pk, meeting.sequence)
    return invitation


@acts_on(meeting="case")
@transaction.atomic
def invitation_add(
    *, acting_user, meeting: Meeting, agency, user=None, name: str = "", email: str = "", role_title: str = ""
) -> Invitation:
    """Invite an agency to the meeting, through a marm user or a named person who does not use marm."""
    require(acting_user, "meetings.record_meeting")
    check_open(meeting)
    errors = {}
    # 001 3.3: an agency joins a case only through a recorded sharing decision, so invitations go to
    # agencies already taking part.
    if not CaseAgency.objects.filter(case=meeting.case, agency=agency, ended_at__isnull=True).exists():
        errors["agency"] = f"{agency} does not take part in this case: share the case with it first"
    if user is not None:
        if user.agency_id != agency.pk:
            errors["user"] = f"{user.full_name} does not work for {agency}"
        elif not agency_has_full_access(case=meeting.case, agency_id=agency.pk):
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


@acts_on(meeting="case")
@transaction.atomic
def invitation_add_person(
    *,
    acting_user,
    meeting: Meeting,
    kind: str,
    name: str,
    email: str = "",
    organisation_name: str = "",
    relationship: str = "",
    role_title: str = "",
) -> Invitation:
    """Invite someone who is not an agency in marm: someone from an organisation that does not use marm
    (environmental health, say), by name, e-mail and organisation; or the adult, their advocate, a
    family member or carer (001 3.2), by name, with an e-mail address if they want the calendar file.

    They are e-mailed the calendar invitation, as other people who do not use marm are, only when an
    address is given. They are not agencies: the board's attendance by agency (MEET1) leaves them out.
    """
    require(acting_user, "meetings.record_meeting")
    check_open(meeting)
    errors = {}
    name, email, organisation_name = name.strip(), email.strip(), organisation_name.strip()
    if kind not in (InviteeKind.OUTSIDE, *ADULT_SIDE):
        errors["kind"] = "Select who you are inviting"
    if not name:
        errors["name"] = "Enter the name of the person invited"
    if kind == InviteeKind.OUTSIDE:
        if not organisation_name:
            errors["organisation_name"] = "Enter the organisation they work for"
        if not email:
            errors["email"] = "Enter their e-mail address: the calendar invitation is sent to it"
    if kind == InviteeKind.FAMILY and not relationship.strip():
        errors["relationship"] = "Say how they are related to the adult, or that they are a carer"
    if errors:
        raise ValidationError(errors)
    return _invite(
        acting_user=acting_user,
        meeting=meeting,
        agency=None,
        kind=kind,
        name=name,
        email=email,
        organisation_name=organisation_name if kind == InviteeKind.OUTSIDE else "",
        relationship=relationship if kind in ADULT_SIDE else "",
        role_title=role_title if kind == InviteeKind.OUTSIDE else "",
    )


@acts_on(meeting="case")
@transaction.atomic
def attendance_record(*, acting_user, meeting: Meeting, entries) -> list[Attendance]:
    """Who came: ``entries`` is a list of (invitation, status, can_commit_resources), one per invitation."""
    require(acting_user, "meetings.record_meeting")
    check_open(meeting)
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
    # One row for the whole register of attendance, keyed by invitation: it is recorded as one list.
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=meeting,
        person_id=meeting.case.person_id,
        detail={"attendance": {str(row.invitation_id): row.status for row in rows}},
    )
    return rows


@acts_on(meeting="case")
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
    check_open(meeting)
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
