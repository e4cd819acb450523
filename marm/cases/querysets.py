"""The one scoping rule for cases: an agency sees a case only while it has an
active part in it (CaseAgency), and only users whose roles work with adults."""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.people.querysets import may_see_people


def _active_part(user, case_ref: str, **extra):
    from marm.cases.models import CaseAgency

    return Exists(
        CaseAgency.objects.filter(case=OuterRef(case_ref), agency_id=user.agency_id, ended_at__isnull=True, **extra)
    )


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases the user can open at any level (full or limited)."""
        if not may_see_people(user):
            return self.none()
        return self.filter(_active_part(user, "pk"))

    def fully_visible_to(self, user):
        """Cases whose whole record the user may read."""
        if not may_see_people(user):
            return self.none()
        return self.filter(_active_part(user, "pk", access="full"))


class CaseRecordQuerySet(models.QuerySet):
    """Records under a case: readable only with full access to it."""

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(_active_part(user, "case_id", access="full"))
