"""What the meetings services share: the link and time a message gives, the open-record rule,
and telling everyone invited that the meeting changed."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.meetings.tasks import invitation_email_send
from marm.notifications.services import notify


def meeting_link(meeting) -> str:
    return reverse("meetings:detail", kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk})


def when(meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def check_open(meeting) -> None:
    if meeting.is_finished:
        raise ValidationError("This meeting is finished: its record can no longer change")
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: its record can no longer change")


def tell_invited(meeting, *, acting_user, kind: str, key: str, title: str) -> None:
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
                    link=meeting_link(meeting),
                    actor=acting_user,
                )
        elif invitation.email:
            invitation_email_send.enqueue(invitation.pk, meeting.sequence)
