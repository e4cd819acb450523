"""The chronology's part in events other apps send (connected in ChronologyConfig.ready)."""

from django.utils import timezone

from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.chronology.models import ChronologyEntry, EntryType


def record_contact(*, sender, person, agency_id, author, occurred_at, summary, significance, **_kwargs):
    """A contact logged about the person (by the duty desk) is a key event in their chronology,
    recorded for the logging agency, as its author's, in the same transaction."""
    local = timezone.localtime(occurred_at)
    entry = ChronologyEntry(
        person=person,
        agency_id=agency_id,
        author=author,
        occurred_on=local.date(),
        occurred_at_time=local.time().replace(second=0, microsecond=0),
        entry_type=EntryType.CONTACT,
        summary=summary,
        significance=significance,
    )
    entry.full_clean()
    entry.save(force_insert=True)
    audit_record(actor=author, action=AuditAction.CREATE, obj=entry, person_id=person.pk, detail={"from": sender})
    return entry
