"""How a meeting reads: the chair check, attendance by agency, the adult's voice, and form-page context."""

from django.urls import reverse

from marm.access.roles import Role, has_role
from marm.meetings.vocab import AttendanceStatus


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
    agencies_invited = {i.agency_id for i in invitations}
    agencies_present = {
        i.agency_id
        for i in invitations
        if getattr(i, "attendance", None) and i.attendance.status == AttendanceStatus.ATTENDED
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
