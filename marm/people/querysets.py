"""The one scoping rule for people and everything recorded about them.

A user sees a person only while the user's agency is involved with that
person (an active AgencyInvolvement). No role widens this: administrators
manage agencies and users but do not see adults by virtue of the role.
"""

from django.db import models
from django.db.models import Exists, OuterRef


def _active_involvement(user, person_ref: str):
    from marm.people.models import AgencyInvolvement

    return Exists(
        AgencyInvolvement.objects.filter(person=OuterRef(person_ref), agency_id=user.agency_id, ended_at__isnull=True)
    )


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.agency_id or not user.is_active:
            return self.none()
        return self.filter(_active_involvement(user, "pk"))


class PersonRecordQuerySet(models.QuerySet):
    """For records that belong to one person (aliases, addresses, …)."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.agency_id or not user.is_active:
            return self.none()
        return self.filter(_active_involvement(user, "person_id"))
