"""Scoping for the closure app's records.

Everything here sits under a case and needs full access to it (CaseRecordQuerySet).
Reflective reviews are narrower still (002): only their author and the managers
and supervisors of the author's own agency read them, never another agency.
"""

from django.db.models import Q

from marm.access.roles import Role, has_role
from marm.cases.querysets import CaseRecordQuerySet

REFLECTION_READERS = (Role.MANAGER, Role.SUPERVISOR)


class ReflectiveReviewQuerySet(CaseRecordQuerySet):
    def readable_within_case(self, user):
        if not user.is_authenticated:
            return self.none()
        if has_role(user, *REFLECTION_READERS):
            return self.filter(Q(author=user) | Q(author_agency_id=user.agency_id))
        return self.filter(author=user)
