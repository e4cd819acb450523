"""Who uses the board's pages: the board officer keeps the business plan (003).

The plan holds no person, so the rules do not depend on any record: a user who
may not use the board gets 403 on every board page, never 404.
"""

import rules

from marm.access.roles import Role, has_role


@rules.predicate
def is_board_officer(user):
    return has_role(user, Role.BOARD_OFFICER)


rules.add_perm("board.view_board", is_board_officer)
rules.add_perm("board.manage_board", is_board_officer)
