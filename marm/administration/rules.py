"""Who may administer: administrators run the pages; a manager decides requests for their agency."""

import rules

from marm.access.rules import is_administrator, is_manager

# Accounts, roles, credentials and sessions (the services check again, and refuse one's own).
rules.add_perm("administration.administer", is_administrator)
# Agreeing to or declining a request for a role that sees adults, in the manager's own agency.
rules.add_perm("administration.decide_role_request", is_manager)
