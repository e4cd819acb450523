import rules

from marm.access.rules import does_casework, is_manager


@rules.predicate
def in_lead_agency(user, case):
    return case is not None and user.agency_id == case.lead_agency_id


# 000 2.1, 4.2: a responsible manager of the raising agency takes the decisions on entry.
rules.add_perm("cases.raise_concern", does_casework)
rules.add_perm("cases.screen_case", is_manager & in_lead_agency)
rules.add_perm("cases.allocate_lead", is_manager & in_lead_agency)
rules.add_perm("cases.reopen_case", is_manager & in_lead_agency)
rules.add_perm("cases.move_case", is_manager & in_lead_agency)
rules.add_perm("cases.update_key_action", does_casework)
rules.add_perm("sharing.decide", does_casework)
rules.add_perm("decisions.add_decision", does_casework)
