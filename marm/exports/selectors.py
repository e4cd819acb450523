"""Reads of a user's own exports and calendar feed; and what the feed lists, read as its owner."""

from django.http import Http404

from marm.exports.models import CalendarFeed, Export
from marm.meetings.selectors import meetings_for_calendar_feed

RECENT = 20


def exports_of(*, user) -> list[Export]:
    """The user's latest exports (never the file itself)."""
    return list(Export.objects.filter(requested_by=user).defer("content", "person_ids")[:RECENT])


def export_of(*, user, export_id) -> Export:
    """One of the user's own exports; anyone else's is a 404."""
    export = Export.objects.filter(requested_by=user, pk=export_id).defer("content", "person_ids").first()
    if export is None:
        raise Http404("No such export")
    return export


def calendar_feed_of(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def meetings_in_feed(*, user) -> list:
    return meetings_for_calendar_feed(user=user)
