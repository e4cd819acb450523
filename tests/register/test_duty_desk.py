"""The duty desk: the minimal card, the contact logged, the named professional alerted
at once, the acknowledgement, and escalation to the supervisor with time travel."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.notifications.models import Notification
from marm.notifications.sweeps import registered_sweeps, run_sweeps
from marm.register.duty import contact_alert_acknowledge, duty_contact_log
from marm.register.duty_selectors import duty_card_for_user, duty_search
from marm.register.models import ContactAlert, DutyContact
from marm.register.reminders import sweep_alerts_unacknowledged, sweep_reviews_overdue
from marm.register.services import register_review_record

pytestmark = pytest.mark.django_db


def test_logging_a_contact_alerts_the_named_professional_at_once_without_naming_the_person(
    alert_a, practitioner_a, person_a, duty_a
):
    assert alert_a.recipient == practitioner_a and alert_a.acknowledged_at is None
    notification = Notification.objects.get(recipient=practitioner_a, kind="register_contact")
    assert notification.link == f"/register/alerts/{alert_a.pk}/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [practitioner_a.email]
    assert "A contact was logged about someone on your register" in message.subject
    for name in (person_a.given_name, person_a.family_name):
        assert name not in message.subject and name not in message.body
    assert AuditEvent.objects.filter(
        actor_user=duty_a, object_type="register.dutycontact", action=AuditAction.CREATE
    ).exists()


def test_a_contact_about_someone_not_on_the_register_alerts_no_one(duty_a, person_a):
    contact = duty_contact_log(
        acting_user=duty_a, person=person_a, caller="GP receptionist", about="Missed an appointment"
    )
    assert not contact.alerts.exists()
    assert not Notification.objects.exists()


def test_only_duty_officers_log_contacts_and_a_refusal_leaves_nothing(practitioner_a, person_a, entry_a):
    with pytest.raises(PermissionDenied):
        duty_contact_log(acting_user=practitioner_a, person=person_a, caller="x", about="y")
    assert not DutyContact.objects.exists() and not ContactAlert.objects.exists()


def test_a_duty_officer_cannot_log_about_a_person_their_agency_does_not_see(duty_a, person_c):
    with pytest.raises(PermissionDenied):
        duty_contact_log(acting_user=duty_a, person=person_c, caller="x", about="y")


def test_the_named_professional_acknowledges_recording_who_and_when(alert_a, practitioner_a):
    acknowledged = contact_alert_acknowledge(acting_user=practitioner_a, alert=alert_a)
    assert acknowledged.acknowledged_by == practitioner_a and acknowledged.acknowledged_at is not None
    again = contact_alert_acknowledge(acting_user=practitioner_a, alert=alert_a)
    assert again.acknowledged_at == acknowledged.acknowledged_at


def test_a_duty_officer_or_colleague_cannot_acknowledge_for_the_named_professional(alert_a, duty_a, manager_a):
    for user in (duty_a, manager_a):
        with pytest.raises(PermissionDenied):
            contact_alert_acknowledge(acting_user=user, alert=alert_a)
    alert_a.refresh_from_db()
    assert alert_a.acknowledged_at is None


@override_settings(MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES=60)
def test_an_alert_not_acknowledged_in_time_goes_to_the_supervisor_once(alert_a, supervisor_a, practitioner_a):
    assert "register-alerts-unacknowledged" in registered_sweeps()
    soon = alert_a.created_at + datetime.timedelta(minutes=59)
    assert sweep_alerts_unacknowledged(soon) == 0

    later = alert_a.created_at + datetime.timedelta(minutes=61)
    assert sweep_alerts_unacknowledged(later) == 1
    assert sweep_alerts_unacknowledged(later + datetime.timedelta(hours=1)) == 0, "escalated once"
    alert_a.refresh_from_db()
    assert alert_a.escalated_at == later
    escalation = Notification.objects.get(recipient=supervisor_a, kind="register_contact_escalated")
    assert escalation.link == f"/register/alerts/{alert_a.pk}/"

    # The supervisor may now acknowledge it; the record says who did.
    acknowledged = contact_alert_acknowledge(acting_user=supervisor_a, alert=alert_a)
    assert acknowledged.acknowledged_by == supervisor_a


def test_an_acknowledged_alert_is_not_escalated(alert_a, practitioner_a, supervisor_a):
    contact_alert_acknowledge(acting_user=practitioner_a, alert=alert_a)
    assert sweep_alerts_unacknowledged(alert_a.created_at + datetime.timedelta(days=1)) == 0
    assert not Notification.objects.filter(recipient=supervisor_a).exists()


def test_weekly_reviews_overdue_remind_the_named_professional_and_supervisor_once_per_week(
    entry_a, practitioner_a, supervisor_a
):
    assert run_sweeps(entry_a.added_at + datetime.timedelta(days=6), names=["register-reviews-overdue"]) == {
        "register-reviews-overdue": 0
    }
    day_eight = entry_a.added_at + datetime.timedelta(days=8)
    assert sweep_reviews_overdue(day_eight) == 2
    assert sweep_reviews_overdue(day_eight + datetime.timedelta(hours=3)) == 0
    recipients = set(
        Notification.objects.filter(kind="register_review_overdue").values_list("recipient__email", flat=True)
    )
    assert recipients == {practitioner_a.email, supervisor_a.email}

    register_review_record(acting_user=practitioner_a, entry=entry_a, outcome="stays", notes="Reviewed")
    assert sweep_reviews_overdue(timezone.now() + datetime.timedelta(days=6)) == 0
    assert sweep_reviews_overdue(timezone.now() + datetime.timedelta(days=8)) == 2, "a new week, a new reminder"


def test_the_card_shows_the_minimum(entry_a, process_a, duty_a, person_a, practitioner_a):
    card = duty_card_for_user(user=duty_a, pk=person_a.pk)
    assert card.person == person_a
    assert card.year_of_birth == person_a.date_of_birth.year
    assert [entry.named_professional for entry in card.entries] == [practitioner_a]
    assert [p.get_kind_display() for p in card.entries[0].active_processes] == ["MARAC"]
    view = AuditEvent.objects.filter(actor_user=duty_a, action=AuditAction.VIEW, person_id=str(person_a.pk)).get()
    assert view.purpose == "Duty desk: minimal card"


def test_the_search_puts_people_on_the_register_first(entry_a, duty_a, person_a, practitioner_a):
    from tests.factories import PersonFactory

    PersonFactory(created_by=practitioner_a, given_name="Margaret", family_name="Thornton")
    cards = duty_search(user=duty_a, name="Margaret")
    assert cards[0].person == person_a and cards[0].on_register
    assert len(cards) == 2
    only = duty_search(user=duty_a, name="Margaret", register_only=True)
    assert [card.person for card in only] == [person_a]


def test_the_search_finds_no_one_for_other_roles_or_agencies(entry_a, practitioner_a, duty_a, person_c):
    assert duty_search(user=practitioner_a, name="Margaret") == []
    assert duty_search(user=duty_a, name=person_c.family_name) == []
