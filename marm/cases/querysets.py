"""The one scoping rule for cases: an agency sees a case only while it has an
active part in it (CaseAgency), and only users whose roles work with adults.

Records under a case reuse ``case_part`` through ``case_path``; none writes the
rule out again. ``person_path`` (for the guarded path) follows from ``case_path``.
"""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.people.querysets import may_see_people


def case_part(user, case_ref: str, **extra):
    """True where the user's agency has an active part in the case at ``case_ref`` (an outer reference)."""
    from marm.cases.models import CaseAgency

    return Exists(
        CaseAgency.objects.filter(case=OuterRef(case_ref), agency_id=user.agency_id, ended_at__isnull=True, **extra)
    )


class CaseQuerySet(models.QuerySet):
    person_path = "person_id"

    def visible_to(self, user):
        """Cases the user can open at any level (full or limited)."""
        if not may_see_people(user):
            return self.none()
        return self.filter(case_part(user, "pk"))

    def fully_visible_to(self, user):
        """Cases whose whole record the user may read."""
        if not may_see_people(user):
            return self.none()
        return self.filter(case_part(user, "pk", access="full"))


class CaseRecordQuerySet(models.QuerySet):
    """Records under a case: readable only with full access to it. Subclasses set ``case_path``
    for records further down (a risk assessment's version: ``assessment__case_id``)."""

    case_path = "case_id"

    @property
    def person_path(self) -> str:
        return self.case_path.removesuffix("_id") + "__person_id"

    def visible_to(self, user):
        if not may_see_people(user):
            return self.none()
        return self.filter(case_part(user, self.case_path, access="full"))
