"""Who reads the board's measures: figures only, never a person or a case."""

import rules

from marm.access.roles import Role, has_role


@rules.predicate
def reads_assurance(user):
    # The board officer keeps the board's assurance; managers and auditors check their agency's practice.
    return has_role(user, Role.BOARD_OFFICER, Role.MANAGER, Role.AUDITOR)


rules.add_perm("assurance.view_measures", reads_assurance)
