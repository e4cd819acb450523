"""The meetings' URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import person

NAMESPACES = ("meetings",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)

URLS = {
    "meetings:schedule": RECORD,
    "meetings:detail": person(),
    "meetings:change": RECORD,
    "meetings:cancel": RECORD,
    "meetings:invite": RECORD,
    # The adult, their advocate or family, or someone from an organisation outside marm.
    "meetings:invite-person": RECORD,
    "meetings:attendance": RECORD,
    "meetings:adult": RECORD,
    "meetings:minutes-item": RECORD,
    "meetings:decision": RECORD,
    # Only a manager of the lead agency finishes a meeting.
    "meetings:finish": person(practitioner_a=403, police_b=403, auditor_a=403),
    "meetings:ics": person(),
    "meetings:minutes-pdf": person(),
    # Sending the minutes is a POST.
    "meetings:send-minutes": person(practitioner_a=405, police_b=405, manager_a=405, auditor_a=405),
}


def objects(shared):
    """A planning meeting in three days, chaired by practitioner_a."""
    import datetime

    from django.utils import timezone

    from marm.meetings.services import meeting_schedule

    practitioner = shared["practitioner_a"]
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = meeting_schedule(
        acting_user=practitioner,
        case=shared["accepted_case"],
        kind="planning",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        chair=practitioner,
        place="Civic Centre",
    )
    return {"meeting_id": meeting.pk, "minutes_item_id": meeting.minutes_items.first().pk}
