"""Cancelling a meeting before it is held: kept with why, taken out of everyone's calendar."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import KeyAction
from marm.core.locking import StaleEditError
from marm.meetings import services
from marm.meetings.ics import meeting_ics
from marm.meetings.models import Meeting
from marm.notifications.models import Notification
from tests.meetings.test_meeting_services import run_through

pytestmark = pytest.mark.django_db


def _invite_both(meeting, practitioner_a, police_b, agency_b):
    services.invitation_add(acting_user=practitioner_a, meeting=meeting, agency=agency_b, user=police_b)
    services.invitation_add(
        acting_user=practitioner_a, meeting=meeting, agency=agency_b, name="Alan", email="alan@p.example.org"
    )


def _cancel(meeting, by, reason="The adult is in hospital until next month"):
    return services.meeting_cancel(acting_user=by, meeting=meeting, expected_version=meeting.version, reason=reason)


def test_cancelling_tells_everyone_and_sends_a_calendar_cancellation(
    planning_meeting, practitioner_a, police_b, agency_b
):
    _invite_both(planning_meeting, practitioner_a, police_b, agency_b)
    mail.outbox.clear()
    _cancel(planning_meeting, practitioner_a)
    planning_meeting.refresh_from_db()
    assert planning_meeting.is_cancelled and planning_meeting.sequence == 1
    assert planning_meeting.cancellation_reason == "The adult is in hospital until next month"
    told = Notification.objects.get(recipient=police_b, kind="meeting_cancelled")
    assert "cancelled" in told.title and "Thornbury" not in told.title
    [cancellation] = [m for m in mail.outbox if m.to == ["alan@p.example.org"]]
    assert "cancelled" in cancellation.subject
    name, content, mimetype = cancellation.attachments[0]
    assert mimetype == "text/calendar; method=CANCEL"
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.events[0]
    # The same UID with a higher SEQUENCE: calendars remove the meeting they hold.
    assert str(event["UID"]) == f"{planning_meeting.uid}@marm"
    assert event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="meetings.meeting", object_id=str(planning_meeting.pk)
    ).exists()


def test_the_downloaded_invitation_of_a_cancelled_meeting_is_a_cancellation(planning_meeting, practitioner_a):
    assert icalendar.Calendar.from_ical(meeting_ics(planning_meeting))["METHOD"] == "REQUEST"
    _cancel(planning_meeting, practitioner_a)
    planning_meeting.refresh_from_db()
    assert icalendar.Calendar.from_ical(meeting_ics(planning_meeting))["METHOD"] == "CANCEL"


def test_with_no_planning_meeting_left_stage_1_asks_for_one_again(planning_meeting, practitioner_a):
    key_action = KeyAction.objects.get(case=planning_meeting.case, code="planning_meeting")
    assert key_action.status == "done"
    _cancel(planning_meeting, practitioner_a)
    key_action.refresh_from_db()
    assert key_action.status == "outstanding"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_cancellation_needs_a_reason_and_a_refusal_changes_nothing(planning_meeting, practitioner_a, reason):
    with pytest.raises(ValidationError) as refused:
        _cancel(planning_meeting, practitioner_a, reason=reason)
    assert "Say why the meeting is cancelled" in refused.value.message_dict["reason"]
    stored = Meeting.objects.get(pk=planning_meeting.pk)
    assert not stored.is_cancelled and stored.sequence == 0


def test_a_cancelled_meeting_takes_no_more_record(planning_meeting, practitioner_a, manager_a):
    _cancel(planning_meeting, practitioner_a)
    planning_meeting.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        run_through(planning_meeting, by=manager_a)
    assert "cancelled" in str(refused.value)
    with pytest.raises(ValidationError):
        _cancel(planning_meeting, practitioner_a)


def test_a_held_meeting_cannot_be_cancelled(planning_meeting, manager_a):
    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    services.meeting_finish(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        outcome="review",
        next_review_date=planning_meeting.starts_at.date() + datetime.timedelta(days=42),
    )
    planning_meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        _cancel(planning_meeting, manager_a)


def test_a_cancellation_on_a_stale_page_is_refused(planning_meeting, practitioner_a):
    stale = planning_meeting.version
    services.meeting_change(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        expected_version=stale,
        starts_at=planning_meeting.starts_at,
        ends_at=planning_meeting.ends_at,
        place="Another room",
        reason="Room change",
    )
    fresh = Meeting.objects.get(pk=planning_meeting.pk)
    with pytest.raises(StaleEditError):
        services.meeting_cancel(acting_user=practitioner_a, meeting=fresh, expected_version=stale, reason="x")
    assert not Meeting.objects.get(pk=planning_meeting.pk).is_cancelled


def test_the_meeting_page_cancels_with_an_error_summary_first(client_for, planning_meeting, practitioner_a):
    client = client_for(practitioner_a)
    kwargs = {"case_pk": planning_meeting.case_id, "meeting_id": planning_meeting.pk}
    detail = reverse("meetings:detail", kwargs=kwargs)
    cancel = reverse("meetings:cancel", kwargs=kwargs)
    assert cancel in client.get(detail).content.decode()
    refused = client.post(cancel, {"reason": "", "version": planning_meeting.version})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    done = client.post(cancel, {"reason": "Chair unwell", "version": planning_meeting.version})
    assert done.status_code == 302
    page = client.get(detail).content.decode()
    assert "Cancelled" in page and "Chair unwell" in page
    assert cancel not in page
    download = client.get(reverse("meetings:ics", kwargs=kwargs))
    assert download["Content-Type"].endswith("method=CANCEL")
    assert icalendar.Calendar.from_ical(download.content)["METHOD"] == "CANCEL"
