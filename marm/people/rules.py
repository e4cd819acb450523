"""Named permissions of the people app that the shared vocabulary (``marm.access.rules``) does not hold.

Emergency ("break-glass") access (ADR 0026): the roles that give care or support in an
emergency may ask for it; auditors read after the fact, and administrators and board
officers see no adult. Managers review it.
"""

import rules

from marm.access.rules import does_casework, is_manager

# Opening a person's minimal record in an emergency, outside the agency's involvement.
rules.add_perm("people.open_emergency_access", does_casework)
# Reviewing the emergency accesses of the manager's agency (by its users, or to its people).
rules.add_perm("people.review_emergency_access", is_manager)
