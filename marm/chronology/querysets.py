"""Scoping for chronology entries: the same rule as every record about a person.

An entry is readable by the users of every agency involved with the person,
whichever agency wrote it: the chronology is merged across agencies (000 4.1).
"""

from marm.people.querysets import PersonRecordQuerySet


class ChronologyEntryQuerySet(PersonRecordQuerySet):
    def current(self):
        """Entries not superseded by a correction."""
        return self.filter(correction__isnull=True)
