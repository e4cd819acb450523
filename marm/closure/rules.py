import rules

from marm.access.rules import does_casework, is_manager
from marm.cases.rules import in_lead_agency

# 002: every agency taking part logs its own attempts, raises the flag, reflects and checks.
rules.add_perm("closure.log_engagement", does_casework)
rules.add_perm("closure.flag_non_engagement", does_casework)
rules.add_perm("closure.reflect", does_casework)
rules.add_perm("closure.check_agency", does_casework)
# 000 2.1, 6.1: the responsible manager of the lead agency signs off escalation and closure.
rules.add_perm("closure.escalate", is_manager & in_lead_agency)
rules.add_perm("closure.close_case", is_manager & in_lead_agency)
