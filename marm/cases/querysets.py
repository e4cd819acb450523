"""The one scoping rule for cases: an agency sees a case only while it has an
active part in it (CaseAgency), and only users whose roles work with adults.

Records under a case reuse ``case_part`` through ``case_path``; none writes the
rule out again. ``person_path`` (for the guarded path) follows from ``case_path``.
"""

from django.db import models
from django.db.models import Exists, OuterRef

from marm.people.querysets import may_see_people

# A case read through the guarded path carries, for the rest of the request, the user it was read
# for and the access level it was read with. Marked only by marm/cases/selectors.py once the read
# has passed; the rest asks through ``access_read``.
_ACCESS_READ = "_marm_access_read"
NOT_READ = object()


def mark_read(case, user, access: str | None) -> None:
    """Keep on ``case`` that it was read for ``user`` with ``access`` ("full", "limited" or None)."""
    setattr(case, _ACCESS_READ, (user.pk, access))


def access_read(case, user):
    """The access level ``case`` was read with for ``user``, or ``NOT_READ`` if it was not read for them."""
    known = getattr(case, _ACCESS_READ, None)
    pk = getattr(user, "pk", None)
    return known[1] if known is not None and pk is not None and known[0] == pk else NOT_READ


def read_in_full(case, user) -> bool:
    """True when ``case`` is a Case this request read through the guarded path with full access for ``user``."""
    return access_read(case, user) == "full"


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
        return self.readable_within_case(user).filter(case_part(user, self.case_path, access="full"))

    def readable_within_case(self, user):
        """Of the records of a case the user sees in full, those they may read: all of them. A kind
        read by fewer people (reflective reviews) narrows this, never ``visible_to``."""
        return self

    def of_case(self, user, case):
        """The records of one case that ``user`` may read. A case this request has read in full for
        the user (``read_in_full``) has passed the case's part of the rule already: its records are
        then found by the case alone, without asking again which agencies take part in it."""
        records = self.filter(**{self.case_path: case.pk})
        if read_in_full(case, user):
            return records.readable_within_case(user)
        return records.visible_to(user)
