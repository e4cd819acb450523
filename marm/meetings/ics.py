"""The meeting as an iCalendar invitation (RFC 5545), built with the icalendar package (ADR 0016).

Times are in Europe/London with its VTIMEZONE, so a calendar shows the
meeting at the time the chair set, either side of a clock change. The UID
is stable per meeting and SEQUENCE rises with every change, so a calendar
updates the event rather than adding another. The invitation names no one:
it gives the case reference and a link into marm, because e-mail and
calendars are not the place for the adult's name.
"""

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from marm.meetings.vocab import ADULT_SIDE

LONDON = zoneinfo.ZoneInfo("Europe/London")


def meeting_title(meeting) -> str:
    return f"MARM {meeting.get_kind_display().lower()}: case {meeting.case.reference}"


def meeting_url(meeting) -> str:
    path = reverse("meetings:detail", kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk})
    return f"{settings.MARM_BASE_URL.rstrip('/')}{path}"


def _address(email: str, name: str, role: str = "REQ-PARTICIPANT") -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["CN"] = icalendar.vText(name)
    address.params["ROLE"] = icalendar.vText(role)
    return address


def ics_method(meeting) -> str:
    return "CANCEL" if meeting.is_cancelled else "REQUEST"


def _event(meeting, now) -> icalendar.Event:
    """What every copy of the meeting says: when, which case, where the record is, and whether it stands."""
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@marm")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(LONDON))
    event.add("dtend", meeting.ends_at.astimezone(LONDON))
    event.add("summary", meeting_title(meeting))
    event.add("url", meeting_url(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def meeting_ics(meeting, invitations=(), *, now: datetime.datetime | None = None, recipient=None) -> bytes:
    """The meeting as an iCalendar file: METHOD:REQUEST, or METHOD:CANCEL once it is cancelled (RFC 5546).

    The adult and those invited for them (advocate, family, carers) would name the adult: they are
    listed only in the file sent to themselves (``recipient``), never in anyone else's."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.MARM_SERVICE_NAME}//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", ics_method(meeting))
    event = _event(meeting, now)
    location = meeting.place or meeting.virtual_link
    if location:
        event.add("location", location)
    description = [f"The agenda and the record are in {settings.MARM_SERVICE_NAME}: {meeting_url(meeting)}"]
    if meeting.virtual_link:
        description.insert(0, f"Join online: {meeting.virtual_link}")
    event.add("description", "\n".join(description))
    if meeting.chair.email:
        event.add("organizer", _address(meeting.chair.email, meeting.chair.full_name, "CHAIR"), encode=0)
    for invitation in invitations:
        if invitation.kind in ADULT_SIDE and (recipient is None or invitation.pk != recipient.pk):
            continue
        email = invitation.user.email if invitation.user_id else invitation.email
        if email:
            event.add("attendee", _address(email, invitation.person_label), encode=0)
    calendar.add_component(event)
    start = timezone.localdate(meeting.starts_at)
    calendar.add_missing_timezones(
        first_date=start - datetime.timedelta(days=366), last_date=start + datetime.timedelta(days=366)
    )
    return calendar.to_ical()


def meetings_feed_ics(meetings, *, now: datetime.datetime | None = None) -> bytes:
    """A user's meetings as one calendar (their calendar feed, ADR 0036): the same events, UIDs and
    sequences as the invitations, so a calendar that has both shows each meeting once. The feed is
    fetched without signing in, so it says less than an invitation: the case reference, the kind of
    meeting and the link into marm; no place (it may be the adult's home), no online link and no
    one's name."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.MARM_SERVICE_NAME}//meetings feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.MARM_SERVICE_NAME} meetings")
    first = None
    for meeting in meetings:
        event = _event(meeting, now)
        event.add(
            "description", f"The agenda and the record are in {settings.MARM_SERVICE_NAME}: {meeting_url(meeting)}"
        )
        calendar.add_component(event)
        start = timezone.localdate(meeting.starts_at)
        first = start if first is None or start < first else first
    if first is not None:
        calendar.add_missing_timezones(
            first_date=first - datetime.timedelta(days=366), last_date=first + datetime.timedelta(days=3 * 366)
        )
    return calendar.to_ical()
