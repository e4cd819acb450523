"""The chronology's URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import person

NAMESPACES = ("chronology",)

URLS = {
    "chronology:list": person(),
    # Auditors read; they record nothing.
    "chronology:add": person(auditor_a=403),
    # Only the agency that wrote an entry corrects it: the swept entry is agency A's.
    "chronology:correct": person(police_b=403, auditor_a=403),
}


def objects(shared):
    """chronology_entry_a, written by agency A."""
    return {"entry_id": shared["chronology_entry_a"].pk}
