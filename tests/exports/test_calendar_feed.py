"""The calendar feed: a secret address per user, read without a session, listing the meetings they
are invited to or chair and naming no one; a reset makes the old address a 404."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.exports.models import CalendarFeed


def _make_address(client) -> str:
    page = client.post(reverse("exports:calendar")).content.decode()
    start = page.index("http://")
    return page[start : page.index("<", start)].strip()


def _path(address: str) -> str:
    return address[address.index("/calendar/") :]


@pytest.mark.django_db
def test_a_calendar_reads_the_meetings_the_user_is_invited_to_without_signing_in(
    practitioner_a, practitioner_a_client, future_meeting, person_a
):
    address = _make_address(practitioner_a_client)
    # Only a hash is kept.
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=practitioner_a).token_hash != token

    response = Client().get(_path(address))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(event["uid"]) for event in events] == [f"{future_meeting.uid}@marm"]
    assert str(events[0]["summary"]) == f"MARM planning meeting: case {future_meeting.case.reference}"
    text = response.content.decode()
    # No one is named, and not where the meeting is (the adult's home).
    for word in ("Margaret", "Thornbury", "Mill Lane", "ORGANIZER", "ATTENDEE", practitioner_a.full_name):
        assert word not in text

    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="exports.calendarfeed")
    assert event.actor_user == practitioner_a
    assert event.detail["meetings"] == [str(future_meeting.pk)]
    assert event.detail["people"] == [str(person_a.pk)]


@pytest.mark.django_db
def test_the_feed_lists_no_meeting_the_user_is_not_invited_to(gp_c, client_for, future_meeting, police_b):
    """The GP practice takes no part in the case; the police officer is not invited by name."""
    for user in (gp_c, police_b):
        address = _make_address(client_for(user))
        calendar = icalendar.Calendar.from_ical(Client().get(_path(address)).content)
        assert list(calendar.walk("VEVENT")) == []


@pytest.mark.django_db
def test_an_agency_invited_through_someone_else_puts_nothing_in_its_colleagues_feeds(
    client_for, future_meeting, practitioner_a, police_b, agency_b
):
    """An invitation names one person (a marm user, or someone reached by e-mail): the feed is of the
    meetings the user is invited to, not of those their agency or team is (ADR 0036). An invitation by
    e-mail to the user's own address reaches them by e-mail, not through the feed."""
    from marm.meetings.services import invitation_add
    from marm.organisations.models import Role
    from tests.factories import UserFactory

    colleague = UserFactory(agency=agency_b, roles=[Role.PRACTITIONER])
    invitation_add(acting_user=practitioner_a, meeting=future_meeting, agency=agency_b, user=colleague)
    invitation_add(
        acting_user=practitioner_a, meeting=future_meeting, agency=agency_b, name="Duty inspector", email=police_b.email
    )

    def uids(user):
        calendar = icalendar.Calendar.from_ical(Client().get(_path(_make_address(client_for(user)))).content)
        return [str(event["uid"]) for event in calendar.walk("VEVENT")]

    assert uids(colleague) == [f"{future_meeting.uid}@marm"]
    assert uids(police_b) == []


@pytest.mark.django_db
def test_a_reset_makes_the_old_address_a_404(practitioner_a_client, future_meeting):
    old = _make_address(practitioner_a_client)
    page = practitioner_a_client.get(reverse("exports:calendar")).content.decode()
    assert "Make a new address" in page
    assert _path(old) not in page  # shown once only
    new = _make_address(practitioner_a_client)
    assert new != old
    assert Client().get(_path(old)).status_code == 404
    assert Client().get(_path(new)).status_code == 200


@pytest.mark.django_db
def test_a_made_up_address_is_a_404_and_other_pages_still_need_signing_in(db):
    client = Client()
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    # The exemption is this one view: its neighbours still send a visitor to sign in.
    for url in (reverse("exports:calendar"), reverse("exports:index"), "/calendar/x.ics/"):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_the_feed_is_throttled_per_owner(practitioner_a, practitioner_a_client, settings):
    settings.MARM_LIMIT_CALENDAR_FEED_PER_MINUTE = 1
    path = _path(_make_address(practitioner_a_client))
    assert Client().get(path).status_code == 200
    assert Client().get(path).status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.THROTTLED, actor_user=practitioner_a).exists()


@pytest.mark.django_db
def test_an_inactive_users_address_finds_nothing(practitioner_a, practitioner_a_client):
    path = _path(_make_address(practitioner_a_client))
    practitioner_a.is_active = False
    practitioner_a.save(update_fields=["is_active"])
    assert Client().get(path).status_code == 404
