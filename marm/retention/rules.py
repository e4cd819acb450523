"""Who may do what with retention: auditors and administrators review what is due; only an
administrator changes a rule; a manager or an auditor places and lifts a legal hold on a record
their agency can see (the scope is the guarded read's, not this rule's)."""

import rules

from marm.access.rules import is_administrator, is_auditor, is_manager

rules.add_perm("retention.view_due", is_auditor | is_administrator)
rules.add_perm("retention.change_rule", is_administrator)
rules.add_perm("retention.hold", is_manager | is_auditor)
