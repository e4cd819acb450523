"""Writes to the chronology: adding an entry and correcting one.

Entries are never changed or deleted (000 4.1): a correction is a new entry
that supersedes the old one. Each service is one transaction with its audit row.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.chronology.models import ChronologyEntry
from marm.govuk_forms.submission import first_submission, save_once
from marm.people.models import Person

# Stands for "as in the entry being corrected" in chronology_entry_correct.
UNCHANGED = object()

COMPARED_FIELDS = ["occurred_on", "occurred_at_time", "entry_type", "summary", "significance", "case_id"]


def _check_case(user, person: Person, case: Case | None):
    """A linked case must be about the same person, and open to the user's agency in full."""
    if case is None:
        return
    if not Case.objects.fully_visible_to(user).filter(pk=case.pk, person_id=person.pk).exists():
        raise ValidationError({"case": "Select a case about this person that your agency takes part in fully"})


def _save_new(entry: ChronologyEntry, earlier_from=None) -> tuple[ChronologyEntry, bool]:
    """Save a new entry: ``(entry, True)``, or ``(earlier, False)`` when a post with its token came first."""
    entry.summary = entry.summary.strip()
    entry.full_clean(validate_unique=False)
    try:
        return save_once(entry, earlier_from if earlier_from is not None else ChronologyEntry.objects.none())
    except IntegrityError:
        # Another correction of the same entry was saved in the meantime.
        raise _already_corrected() from None


def _already_corrected() -> ValidationError:
    return ValidationError("This entry has already been corrected: correct the latest version instead")


@acts_on("person", "case")
@transaction.atomic
def chronology_entry_add(
    *,
    acting_user,
    person: Person,
    occurred_on: datetime.date,
    occurred_at_time: datetime.time | None = None,
    entry_type: str,
    summary: str,
    significance: str,
    case: Case | None = None,
    submission_key: uuid.UUID | None = None,
) -> ChronologyEntry:
    """Add a key event to the person's chronology, for the acting user's agency.

    ``submission_key`` is the form's token: a second post of the same form gives
    back the entry the first one added, and adds nothing.
    """
    require(acting_user, "chronology.add_entry")
    added_before = ChronologyEntry.objects.filter(author=acting_user, person=person)
    earlier = first_submission(added_before, submission_key)
    if earlier is not None:
        return earlier
    _check_case(acting_user, person, case)
    entry, made = _save_new(
        ChronologyEntry(
            person=person,
            agency_id=acting_user.agency_id,
            author=acting_user,
            case=case,
            occurred_on=occurred_on,
            occurred_at_time=occurred_at_time,
            entry_type=entry_type,
            summary=summary,
            significance=significance,
            submission_key=submission_key,
        ),
        added_before,
    )
    if not made:
        # A concurrent post of the same form added it first.
        return entry
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=entry, person_id=person.pk)
    return entry


@acts_on("entry", "case")
@transaction.atomic
def chronology_entry_correct(
    *,
    acting_user,
    entry: ChronologyEntry,
    reason: str,
    occurred_on=UNCHANGED,
    occurred_at_time=UNCHANGED,
    entry_type=UNCHANGED,
    summary=UNCHANGED,
    significance=UNCHANGED,
    case=UNCHANGED,
) -> ChronologyEntry:
    """Record a correction: a new entry that supersedes ``entry``, which is kept as it was.

    Values not given are carried over from the entry. Only the agency that wrote
    the entry may correct it, and only its latest version.
    """
    # Locked, so two corrections of one entry cannot both pass the check below.
    original = ChronologyEntry.objects.select_for_update(of=("self",)).select_related("case").get(pk=entry.pk)
    person = original.person
    require(acting_user, "chronology.correct_entry", original)
    if ChronologyEntry.objects.filter(supersedes=original).exists():
        raise _already_corrected()
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are correcting the entry"})
    new_case = original.case if case is UNCHANGED else case
    if case is not UNCHANGED:
        _check_case(acting_user, person, new_case)
    correction = ChronologyEntry(
        person=person,
        agency_id=original.agency_id,
        author=acting_user,
        case=new_case,
        occurred_on=original.occurred_on if occurred_on is UNCHANGED else occurred_on,
        occurred_at_time=original.occurred_at_time if occurred_at_time is UNCHANGED else occurred_at_time,
        entry_type=original.entry_type if entry_type is UNCHANGED else entry_type,
        summary=original.summary if summary is UNCHANGED else summary.strip(),
        significance=original.significance if significance is UNCHANGED else significance,
        supersedes=original,
        correction_reason=reason.strip(),
    )
    changed = [name for name in COMPARED_FIELDS if getattr(correction, name) != getattr(original, name)]
    if not changed:
        raise ValidationError("The correction is the same as the entry: change what was wrong")
    _save_new(correction)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=correction,
        person_id=person.pk,
        detail={"corrects": original.pk, "fields": changed},
    )
    return correction
