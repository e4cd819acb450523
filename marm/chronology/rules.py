import rules

from marm.access.rules import does_casework


@rules.predicate
def in_entry_agency(user, entry):
    return entry is not None and user.agency_id == entry.agency_id


# Any agency involved with the adult adds to the chronology for itself; only the
# agency that wrote an entry corrects it (000 4.1: each agency keeps its chronology).
rules.add_perm("chronology.add_entry", does_casework)
rules.add_perm("chronology.correct_entry", does_casework & in_entry_agency)
