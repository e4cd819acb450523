"""The people app's URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import GENERAL, person

NAMESPACES = ("people",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)

URLS = {
    "people:search": GENERAL,
    "people:create": GENERAL,
    "people:detail": person(),
    "people:edit": RECORD,
    "people:add-alias": RECORD,
    "people:add-address": RECORD,
    "people:add-identifier": RECORD,
    "people:add-related-person": RECORD,
    # Open to managers and auditors who can see the person (ADR 0002).
    "people:access-log": person(practitioner_a=403, police_b=403),
}
