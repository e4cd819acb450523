"""How a meeting reads: the chair check, attendance by agency, the adult's voice, and form-page context."""

from django.urls import reverse

from marm.access.roles import Role, has_role
from marm.meetings.vocab import ATTENDED, AttendanceStatus, InviteeKind


def chair_warning(meeting) -> str:
    """000 6.1; 001 3.2: chaired by a manager of the lead coordinating agency. Warned, not enforced:
    a meeting goes ahead when the manager is away, and the record shows who chaired."""
    chair = meeting.chair
    if chair.agency_id != meeting.case.lead_agency_id:
        return f"{chair.full_name} does not work for the lead coordinating agency, {meeting.case.lead_agency}."
    if not has_role(chair, Role.MANAGER):
        return f"{chair.full_name} is not a manager. The guidance asks for a manager of the lead agency to chair."
    return ""


def attendance_summary(meeting) -> dict:
    invitations = list(meeting.invitations.all())
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    recorded = 0
    for invitation in invitations:
        attendance = getattr(invitation, "attendance", None)
        if attendance is not None:
            counts[attendance.status] += 1
            recorded += 1
    # People who are not agencies (the adult, their family, an organisation outside marm) are not counted here.
    agencies_invited = {i.agency_id for i in invitations if i.agency_id}
    agencies_present = {
        i.agency_id
        for i in invitations
        if i.agency_id and getattr(i, "attendance", None) and i.attendance.status == AttendanceStatus.ATTENDED
    }
    return {
        "invited": len(invitations),
        "recorded": recorded,
        "attended": counts[AttendanceStatus.ATTENDED],
        "agencies_invited": len(agencies_invited),
        "agencies_present": len(agencies_present),
    }


def meeting_form_page(meeting, form, heading, button="Save", *, warning=False) -> dict:
    return {
        "button_class": "govuk-button--warning" if warning else "",
        "form": form,
        "meeting": meeting,
        "case": meeting.case,
        "heading": heading,
        "button": button,
        "caption": f"{meeting.get_kind_display()} on {meeting.starts_at:%d/%m/%Y}: {meeting.case.reference}",
        "back_url": reverse("meetings:detail", kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk}),
    }


def participation_from_attendance(invitations) -> dict:
    """What the attendance already says about the adult's part, to start their participation from:
    whether the adult came, whether their advocate came (so one was offered), and which family
    members or carers came. The person recording checks it and adds the adult's views."""
    came = [i for i in invitations if getattr(i, "attendance", None) and i.attendance.status in ATTENDED]
    recorded = {i.kind for i in invitations if getattr(i, "attendance", None)}
    initial = {}
    if InviteeKind.ADULT in recorded:
        initial["attended"] = "yes" if any(i.kind == InviteeKind.ADULT for i in came) else "no"
    if any(i.kind == InviteeKind.ADVOCATE for i in came):
        initial.update(advocate_offered="yes", advocate_accepted=True, advocate_present=True)
    family = [i for i in came if i.kind == InviteeKind.FAMILY]
    if family:
        initial["family_or_carers_present"] = True
        initial["family_or_carers_details"] = "; ".join(
            f"{i.name} ({i.relationship})" if i.relationship else i.name for i in family
        )[:300]
    return initial
