"""Who leads the work with a person, for emergency access (ADR 0026).

An emergency access is reviewed by a manager of the person's lead agency: the agency
leading the person's open case if there is one, otherwise the agency that recorded the
person. Cases live in an app above this one, so the cases app tells this module how to
find its lead agency, in its ``ready()``, as apps add read checks (``marm.access.guard``)
and page panels (``marm.core.panels``). This module names no app above it.

The minimal record page collects what other apps know about who to contact (the case's
lead professional, the register's alert and named professional) as panels of the page
``EMERGENCY_PAGE``; their context functions are called only once the page has read the
person through the emergency scope, and show only who to contact.
"""

from collections.abc import Callable

from marm.people.models import AgencyInvolvement, InvolvementBasis, Person

# The page name the minimal record's panels register under (marm.core.panels).
EMERGENCY_PAGE = "emergency-record"
# The start of the purpose of every read under emergency access, and the access log's flag for it.
EMERGENCY_PURPOSE = "Emergency access"

# Each returns the id of the agency leading the person's current work, or None.
_lead_agency_finders: dict[str, Callable[[Person], int | None]] = {}


def register_lead_agency_finder(name: str, finder: Callable[[Person], int | None]) -> None:
    """Add a way to find a person's lead agency; the same name again replaces it (``ready()`` may run twice)."""
    _lead_agency_finders[name] = finder


def recording_agency_id(person: Person) -> int | None:
    """The agency that recorded the person: the involvement made when the record was created,
    or, failing that, the agency of the user who created it."""
    involvement = (
        AgencyInvolvement.objects.filter(person=person, basis=InvolvementBasis.CREATED_RECORD)
        .order_by("started_at", "pk")
        .values_list("agency_id", flat=True)
        .first()
    )
    return involvement or person.created_by.agency_id


def lead_agency_id(person: Person) -> int | None:
    """The agency leading the person's open case if an app knows one, otherwise the recording agency."""
    for finder in _lead_agency_finders.values():
        found = finder(person)
        if found is not None:
            return found
    return recording_agency_id(person)
