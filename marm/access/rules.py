"""Named permissions, built from role predicates.

Record scope (which people and cases a user can see at all) is not decided
here: that is each domain app's ``visible_to(user)``. These rules say what a
user may do with what they can already see, or with the system itself.
"""

import rules

from marm.access.roles import Role, has_role


@rules.predicate
def is_manager(user):
    return has_role(user, Role.MANAGER)


@rules.predicate
def is_auditor(user):
    return has_role(user, Role.AUDITOR)


@rules.predicate
def is_administrator(user):
    return has_role(user, Role.ADMINISTRATOR)


@rules.predicate
def does_casework(user):
    """Roles that record about adults (auditors read; administrators and board officers see no one)."""
    return has_role(user, Role.PRACTITIONER, Role.MANAGER, Role.DUTY_OFFICER, Role.SUPERVISOR)


# Reading the access log of a person the user can already see.
rules.add_perm("audit.view_person_access_log", is_manager | is_auditor)
# Creating a person record (which makes the user's agency involved).
rules.add_perm("people.add_person", does_casework)
# Changing a person's details.
rules.add_perm("people.change_person", does_casework)


def require(user, perm: str, obj=None) -> None:
    """Refuse (403) unless the user holds the named permission, for the object if given."""
    from django.core.exceptions import PermissionDenied

    if not user.has_perm(perm, obj):
        raise PermissionDenied
