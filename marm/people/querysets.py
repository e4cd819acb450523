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
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from marm.access.roles import Role, has_role, works_with_people


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

    def visible_in_emergency_to(self, user):
        """People whose minimal record the user opened in an emergency, while that access lasts
        (ADR 0026). Only the minimal record page reads through this scope; every other page keeps
        ``visible_to``, so the full record stays hidden."""
        if not may_see_people(user):
            return self.none()
        from marm.people.models import EmergencyAccess

        live = EmergencyAccess.objects.live().filter(person=OuterRef("pk"), user=user, agency_id=user.agency_id)
        return self.filter(Exists(live))


def reviews_emergency_access(user) -> bool:
    """Managers review the emergency accesses of their agency's users and to their agency's people."""
    return may_see_people(user) and has_role(user, Role.MANAGER)


class EmergencyAccessQuerySet(models.QuerySet):
    """Emergency accesses are seen by the managers who review them: of the user's agency and of the
    lead agency. The user who opened one reads the person through ``visible_in_emergency_to``."""

    person_path = "person_id"

    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(started_at__lte=now, expires_at__gt=now, ended_at__isnull=True)

    def visible_to(self, user):
        if not reviews_emergency_access(user):
            return self.none()
        return self.filter(Q(agency_id=user.agency_id) | Q(lead_agency_id=user.agency_id))


class EmergencyAccessReviewQuerySet(models.QuerySet):
    person_path = "access__person_id"

    def visible_to(self, user):
        from marm.people.models import EmergencyAccess

        return self.filter(access__in=EmergencyAccess.objects.visible_to(user))
