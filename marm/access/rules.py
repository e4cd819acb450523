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
def works_with_people(user):
    """Roles whose work is about adults (administrators and board officers are not)."""
    return has_role(user, Role.PRACTITIONER, Role.MANAGER, Role.DUTY_OFFICER, Role.SUPERVISOR)


# Reading the access log of a person the user can already see.
rules.add_perm("audit.view_person_access_log", is_manager | is_auditor)
# Creating a person record (which makes the user's agency involved).
rules.add_perm("people.add_person", works_with_people)
# Changing a person's details.
rules.add_perm("people.change_person", works_with_people)
# Agencies, teams and users.
rules.add_perm("organisations.manage", is_administrator)
