"""The one scoping rule for people and everything recorded about them.

A user sees a person only while the user's agency is involved with that
person (an active AgencyInvolvement) and the user holds a role whose work is
with adults. No role widens this: administrators and board officers manage
the partnership and read its figures, and see no adult at all.

Every other scope about a person is built from ``involved`` and
``may_see_people``; none writes the rule out again. Each queryset declares
``person_path``, how its rows reach the person, for the guarded path
(``marm.access.guard``).
"""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.access.roles import works_with_people


def involved(user, person_ref: str):
    """True where the user's agency is involved with the person at ``person_ref`` (an outer reference)."""
    from marm.people.models import AgencyInvolvement

    return Exists(
        AgencyInvolvement.objects.filter(person=OuterRef(person_ref), agency_id=user.agency_id, ended_at__isnull=True)
    )


def may_see_people(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id is not None
        and works_with_people(user)
    )


class PersonRecordQuerySet(models.QuerySet):
    """For records that belong to one person (aliases, addresses, …), through ``person_path``."""

    person_path = "person_id"

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(involved(user, self.person_path))


class PersonQuerySet(PersonRecordQuerySet):
    person_path = "pk"
