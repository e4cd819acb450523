"""A contact logged at the duty desk: it enters the person's chronology, its alert links to the case
and shows what the contingency plan says to do and who to call, and its notification says which
case without naming the adult."""

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.chronology import receivers
from marm.chronology.models import ChronologyEntry
from marm.notifications.models import Notification
from marm.plans.services import contingency_plan_agree
from marm.register.duty import duty_contact_log
from marm.register.models import DutyContact
from marm.register.services import register_entry_add

pytestmark = pytest.mark.django_db

CALLER = "Neighbour, Mrs Patel"
ABOUT = "Smoke smell from the flat since this morning; no answer at the door."


@pytest.fixture
def entry_with_case(manager_a, team_a, person_a, practitioner_a, accepted_case):
    return register_entry_add(
        acting_user=manager_a,
        team=team_a,
        person=person_a,
        criteria=["b", "c"],
        named_professional=practitioner_a,
        reason="Hoarding blocks the exits; refuses homecare most days.",
        case=accepted_case,
    )


def _log(duty_a, person_a):
    return duty_contact_log(acting_user=duty_a, person=person_a, caller=CALLER, about=ABOUT)


def test_a_logged_contact_enters_the_persons_chronology(entry_a, duty_a, person_a):
    contact = _log(duty_a, person_a)
    entry = ChronologyEntry.objects.get(person=person_a)
    assert entry.entry_type == "contact"
    assert entry.significance == "significant"  # the person is on a register
    assert entry.summary == f"Duty desk contact from {CALLER}: {ABOUT}"
    assert entry.author == duty_a and entry.agency_id == duty_a.agency_id
    assert entry.occurred_on == timezone.localdate(contact.logged_at)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="chronology.chronologyentry").exists()


def test_a_contact_about_someone_on_no_register_is_routine(duty_a, person_a):
    _log(duty_a, person_a)
    assert ChronologyEntry.objects.get(person=person_a).significance == "routine"


def test_when_the_chronology_cannot_record_it_nothing_of_the_contact_is_kept(monkeypatch, entry_a, duty_a, person_a):
    def broken(**kwargs):
        raise RuntimeError("the chronology is unavailable")

    monkeypatch.setattr(receivers.ChronologyEntry, "save", lambda self, **kwargs: broken())
    with pytest.raises(RuntimeError):
        _log(duty_a, person_a)
    assert not DutyContact.objects.exists()
    assert not ChronologyEntry.objects.exists()
    assert not Notification.objects.filter(kind="register_contact").exists()


def test_the_alert_links_to_the_case_and_shows_the_contingency_plan(
    entry_with_case, duty_a, person_a, practitioner_a, manager_a, client_for
):
    contingency_plan_agree(
        acting_user=manager_a,
        case=entry_with_case.case,
        triggers=[
            {
                "kind": "missed_contacts",
                "threshold": "Two missed visits in a week",
                "what_to_do": "Joint visit with the police within 48 hours",
                "who_to_contact": "Out of hours: the emergency duty team on 0300 555 0101",
                "escalation_route": "senior_manager",
            }
        ],
    )
    alert = _log(duty_a, person_a).alerts.get()
    page = client_for(practitioner_a).get(reverse("register:alert", kwargs={"alert_pk": alert.pk}))
    html = page.content.decode()
    assert f'href="{reverse("cases:detail", kwargs={"case_pk": entry_with_case.case.pk})}"' in html
    assert "What the contingency plan says to do" in html
    assert "Joint visit with the police within 48 hours" in html
    assert "the emergency duty team on 0300 555 0101" in html


def test_an_alert_with_no_case_shows_no_case_or_plan(alert_a, practitioner_a, client_for):
    html = client_for(practitioner_a).get(reverse("register:alert", kwargs={"alert_pk": alert_a.pk})).content.decode()
    assert "Open the case" not in html
    assert "What the contingency plan says to do" not in html


def test_the_notification_says_which_case_and_names_no_one(entry_with_case, duty_a, person_a, practitioner_a):
    _log(duty_a, person_a)
    notification = Notification.objects.get(recipient=practitioner_a, kind="register_contact")
    assert entry_with_case.case.reference in notification.body
    for name in (person_a.given_name, person_a.family_name, "Patel"):
        assert name not in notification.title and name not in notification.body
