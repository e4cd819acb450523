"""Who holds which role. Roles come from team memberships in the user's own agency."""

from marm.organisations.models import Membership, Role

_CACHE_ATTR = "_marm_roles"


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user, team__agency_id=user.agency_id).values_list("role", flat=True)
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


# Roles whose work is with adults. Only these see people, and then only where
# the user's agency is involved; administrators and board officers never do.
PEOPLE_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.DUTY_OFFICER, Role.SUPERVISOR, Role.AUDITOR})


def works_with_people(user) -> bool:
    return bool(roles_of(user) & PEOPLE_ROLES)


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


__all__ = ["PEOPLE_ROLES", "Role", "has_role", "roles_of", "works_with_people"]
