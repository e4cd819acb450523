"""The one scoping rule for people and everything recorded about them.

A user sees a person only while the user's agency is involved with that
person (an active AgencyInvolvement) and the user holds a role whose work is
with adults. No role widens this: administrators and board officers manage
the partnership and read its figures, and see no adult at all.
"""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.access.roles import works_with_people


def _active_involvement(user, person_ref: str):
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


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(_active_involvement(user, "pk"))


class PersonRecordQuerySet(models.QuerySet):
    """For records that belong to one person (aliases, addresses, …)."""

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(_active_involvement(user, "person_id"))
