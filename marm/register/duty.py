"""Writes of the duty desk: a contact logged about a person, the alert to the
named professional, and its acknowledgement (000 Appendix C: "The duty
officer will alert the named professional of any contact from or about a
person on the Register")."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.notifications.services import notify
from marm.people.events import contact_logged
from marm.people.models import Person
from marm.register.models import ContactAlert, DutyContact, RegisterEntry

# E-mails never name the person: they say what happened and link into marm.
CONTACT_ALERT_TITLE = "A contact was logged about someone on your register"


def acknowledge_within():
    """How long the named professional has to acknowledge before the supervisor is told, for
    a team that has not set its own (``acknowledge_within_by_team``)."""
    return datetime.timedelta(minutes=settings.MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES)


def acknowledge_within_by_team(team_ids) -> dict:
    """{team id: wait} for the teams that set their own; one query."""
    from marm.register.models import RegisterSettings

    rows = RegisterSettings.objects.filter(team_id__in=[t for t in team_ids if t is not None])
    return {
        team_id: datetime.timedelta(minutes=minutes)
        for team_id, minutes in rows.values_list("team_id", "acknowledge_within_minutes")
    }


def contact_alert_body(entry: RegisterEntry, contact: DutyContact) -> str:
    """What happened and which case, naming no one: the alert itself says who called and why."""
    when = timezone.localtime(contact.logged_at).strftime("%H:%M on %d %B %Y").lstrip("0")
    where = f"on case {entry.case.reference}" if entry.case_id else f"on the {entry.team.name} register"
    return f"The duty desk logged a contact at {when} about someone {where}. Open the alert to respond."


def duty_contact_log(*, acting_user, person: Person, caller: str, about: str) -> DutyContact:
    """Log a contact about a person; alert at once the named professional of each of the
    agency's registers the person is on, in the same transaction."""
    with transaction.atomic():
        require(acting_user, "register.use_duty_desk")
        if not Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
            raise PermissionDenied
        contact = DutyContact(
            person=person,
            agency_id=acting_user.agency_id,
            caller=caller.strip(),
            about=about.strip(),
            logged_by=acting_user,
            logged_at=timezone.now(),
        )
        contact.full_clean()
        contact.save(force_insert=True)
        audit_record(actor=acting_user, action=AuditAction.CREATE, obj=contact, person_id=person.pk)
        entries = list(
            RegisterEntry.objects.visible_to(acting_user)
            .active()
            .filter(person=person)
            .select_related("named_professional", "case", "team")
        )
        # A key event in the person's chronology (the chronology app records it).
        contact_logged.send(
            sender="register",
            person=person,
            agency_id=acting_user.agency_id,
            author=acting_user,
            occurred_at=contact.logged_at,
            summary=f"Duty desk contact from {contact.caller}: {contact.about}",
            significance="significant" if entries else "routine",
        )
        for entry in entries:
            alert = ContactAlert.objects.create(
                contact=contact, entry=entry, recipient=entry.named_professional, created_at=contact.logged_at
            )
            audit_record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=alert,
                person_id=person.pk,
                detail={"recipient": str(entry.named_professional_id)},
            )
            notify(
                recipient=entry.named_professional,
                kind="register_contact",
                key=f"register-contact:{alert.pk}",
                title=CONTACT_ALERT_TITLE,
                body=contact_alert_body(entry, contact),
                link=reverse("register:alert", kwargs={"alert_pk": alert.pk}),
                actor=acting_user,
            )
    return contact


def contact_alert_acknowledge(*, acting_user, alert: ContactAlert) -> ContactAlert:
    """Record who acknowledged the alert, and when. A second acknowledgement changes nothing."""
    with transaction.atomic():
        locked = (
            ContactAlert.objects.visible_to(acting_user)
            .select_for_update()
            .select_related("entry")
            .filter(pk=alert.pk)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        require(acting_user, "register.acknowledge_alert", locked)
        if locked.acknowledged_at is not None:
            return locked
        locked.acknowledged_by = acting_user
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            person_id=locked.entry.person_id,
            detail={"acknowledged": True, "escalated": locked.escalated_at is not None},
        )
    return locked
