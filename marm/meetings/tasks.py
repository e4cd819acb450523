"""Background jobs of meetings, run by the database-backed worker: e-mails to people who do not use marm.

Each job locks its row and records what it sent in the same transaction, so a
job enqueued twice, or run again after the worker stopped, sends once.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record

MEETING_EMAILS = SystemActor("meeting-emails")


@task()
def invitation_email_send(invitation_id: int, sequence: int) -> bool:
    """E-mail the calendar invitation (or its update) to a named person who does not use marm."""
    from marm.meetings.ics import ics_method, meeting_ics, meeting_title, meeting_url
    from marm.meetings.models import Invitation

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, emailed_sequence__lt=sequence)
            .exclude(email="")
            .first()
        )
        if invitation is None:
            return False
        meeting = invitation.meeting
        if meeting.sequence != sequence:
            return False  # a later change has its own job
        others = list(meeting.invitations.select_related("user"))
        if meeting.is_cancelled:
            subject = f"{settings.MARM_SERVICE_NAME}: cancelled: {meeting_title(meeting)}"
            body = (
                f"The {meeting_title(meeting)} you were invited to is cancelled.\n\n"
                "The attached cancellation takes it out of your calendar."
            )
        else:
            subject = f"{settings.MARM_SERVICE_NAME}: invitation to a {meeting_title(meeting)}"
            body = (
                f"You are invited to a {meeting_title(meeting)}.\n\n"
                f"The calendar invitation is attached. If you use {settings.MARM_SERVICE_NAME}, "
                f"the agenda is at {meeting_url(meeting)}."
            )
        message = EmailMessage(subject=subject, body=body, to=[invitation.email])
        message.attach(
            "invitation.ics",
            meeting_ics(meeting, others, recipient=invitation),
            f"text/calendar; method={ics_method(meeting)}",
        )
        message.send()
        invitation.emailed_sequence = sequence
        invitation.save(update_fields=["emailed_sequence"])
        audit_record(
            actor=MEETING_EMAILS,
            action=AuditAction.EXPORT,
            obj=invitation,
            person_id=meeting.case.person_id,
            purpose="Meeting invitation e-mailed",
            detail={"to": invitation.email, "sequence": sequence},
        )
    return True


@task()
def minutes_email_send(meeting_id: int, invitation_ids: list[int]) -> int:
    """E-mail the minutes PDF to attendees who do not use marm, each once."""
    from marm.meetings.minutes import minutes_pdf, minutes_record
    from marm.meetings.models import Invitation, Meeting

    sent = 0
    meeting = Meeting.objects.select_related("case").get(pk=meeting_id)
    pdf = None
    for invitation_id in invitation_ids:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update()
                .filter(pk=invitation_id, meeting=meeting, minutes_sent_at__isnull=True)
                .exclude(email="")
                .first()
            )
            if invitation is None:
                continue
            if pdf is None:
                pdf = minutes_pdf(minutes_record(meeting_id=meeting.pk))
            message = EmailMessage(
                subject=f"{settings.MARM_SERVICE_NAME}: minutes of the {meeting.get_kind_display().lower()} "
                f"on case {meeting.case.reference}",
                body="The minutes are attached. They are confidential: keep them only as your agency's policy allows.",
                to=[invitation.email],
            )
            message.attach(f"minutes-{meeting.case.reference}.pdf", pdf, "application/pdf")
            message.send()
            invitation.minutes_sent_at = timezone.now()
            invitation.save(update_fields=["minutes_sent_at"])
            sent += 1
    return sent
