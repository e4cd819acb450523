"""Who may do what with practitioner surveys.

The board officer runs surveys and reads their results (003 SAB1). Answering
needs no rule: only a user invited to a survey may answer it, once.
"""

import rules

from marm.access.roles import Role, has_role


@rules.predicate
def is_board_officer(user):
    return has_role(user, Role.BOARD_OFFICER)


# Creating, changing, opening and closing surveys, and reading their results.
rules.add_perm("surveys.manage_survey", is_board_officer)
