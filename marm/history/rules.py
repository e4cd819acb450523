"""Who may rectify a person's details (ADR 0032). Those who may see a record see its history."""

import rules

from marm.access.rules import does_casework

# Those who may change a person's details may correct them, with a reason.
rules.add_perm("history.rectify_person", does_casework)
