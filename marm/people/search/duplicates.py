"""Is this person already recorded? The same search, with a higher bar (ADR 0014)."""

from marm.people.search.contract import search_people

# A match must score at least this to be put to the user as possibly the same person.
SAME_PERSON_THRESHOLD = 0.8


def likely_same_person(queryset, *, given_name, family_name, middle_names="", date_of_birth=None, limit=5) -> list:
    name = " ".join(part for part in (given_name, middle_names, family_name) if part)
    return [
        match
        for match in search_people(queryset, name=name, date_of_birth=date_of_birth, limit=limit)
        if match.score >= SAME_PERSON_THRESHOLD
    ]
