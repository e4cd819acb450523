"""Tolerant person search: one contract, an engine per database (ADR 0013).

    search_people(queryset, *, name, date_of_birth=None, limit=20) -> list[PersonMatch]

``queryset`` is already scoped by the caller (``Person.objects.visible_to(user)``
or narrower): search never widens who may see whom, and never audits; the
caller's selector does both.
"""

from marm.people.search.contract import PersonMatch, search_people
from marm.people.search.dates import PartialDate

__all__ = ["PartialDate", "PersonMatch", "search_people"]
