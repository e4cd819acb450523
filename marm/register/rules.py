"""Named permissions of the register and the duty desk."""

import rules

from marm.access.roles import Role, has_role
from marm.access.rules import does_casework, is_manager


@rules.predicate
def is_supervisor(user):
    return has_role(user, Role.SUPERVISOR)


@rules.predicate
def is_duty_officer(user):
    return has_role(user, Role.DUTY_OFFICER)


@rules.predicate
def keeps_registers(user):
    # 000 Appendix C: the team reviews its register; duty officers and auditors do not.
    return has_role(user, Role.PRACTITIONER, Role.MANAGER, Role.SUPERVISOR)


@rules.predicate
def may_acknowledge(user, alert):
    """The named professional it went to, or a supervisor of the team that keeps the register."""
    if alert is None:
        return False
    if alert.recipient_id == user.pk:
        return True
    return (
        has_role(user, Role.SUPERVISOR)
        and user.memberships.filter(team_id=alert.entry.team_id, role=Role.SUPERVISOR).exists()
    )


# 000 Appendix C: managers put people on the register and "ensure that the alert is taken off".
rules.add_perm("register.manage_entry", is_manager | is_supervisor)
rules.add_perm("register.review_entry", keeps_registers)
rules.add_perm("register.record_process", keeps_registers)
rules.add_perm("register.report_support_not_delivered", does_casework)
# 000 Appendix C: "The Register will be available to duty officers to assist in triaging calls."
rules.add_perm("register.use_duty_desk", is_duty_officer)
rules.add_perm("register.acknowledge_alert", may_acknowledge)
