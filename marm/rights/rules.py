"""Who works subject access requests: information governance, the auditor role (domain.md)."""

import rules

from marm.access.rules import is_auditor

# Registering and working a request about a person the user's agency can see.
WORK_SUBJECT_ACCESS = "rights.work_subject_access"
rules.add_perm(WORK_SUBJECT_ACCESS, is_auditor)
