import rules

from marm.access.rules import does_casework


@rules.predicate
def may_update_action(user, action):
    """The lead named on the action, their agency, or the lead coordinating agency."""
    if action is None:
        return False
    return (
        action.lead_user_id == user.pk
        or action.agency_id == user.agency_id
        or action.case.lead_agency_id == user.agency_id
    )


rules.add_perm("plans.add_action", does_casework)
rules.add_perm("plans.update_action", does_casework & may_update_action)
rules.add_perm("plans.agree_contingency", does_casework)
