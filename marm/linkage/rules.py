"""Who may say that two records are the same person (ADR 0014)."""

import rules

from marm.access.rules import does_casework, is_administrator, is_manager

# A caseworker who can see both records links them from the person page; an
# administrator links them from the possible-duplicates report.
rules.add_perm("linkage.link_people", does_casework | is_administrator)
# The possible-duplicates report across the partnership.
rules.add_perm("linkage.view_duplicates_report", is_administrator)
# Importing people from the agency's own system: a manager decides, row by row, what is
# created and what linked (ADR 0037).
rules.add_perm("linkage.import_people", is_manager)
