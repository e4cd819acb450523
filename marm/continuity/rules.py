"""Named permissions of the outage snapshot: per team, from the user's roles in that team."""

import rules

from marm.access.roles import Role, has_role


def _holds(user, team, *roles) -> bool:
    if team is None or not getattr(user, "is_authenticated", False) or team.agency_id != user.agency_id:
        return False
    return user.memberships.filter(team_id=team.pk, role__in=roles).exists()


@rules.predicate
def downloads_team_snapshot(user, team):
    return _holds(user, team, Role.DUTY_OFFICER, Role.MANAGER)


@rules.predicate
def manages_team(user, team):
    return _holds(user, team, Role.MANAGER)


@rules.predicate
def keeps_duty_or_manages(user):
    return has_role(user, Role.DUTY_OFFICER, Role.MANAGER)


# The menu's link: duty officers and managers; which teams' snapshots is decided per team.
rules.add_perm("continuity.view_snapshots", keeps_duty_or_manages)
rules.add_perm("continuity.download_snapshot", downloads_team_snapshot)
# The manager hands the passphrase to the duty desk and changes it.
rules.add_perm("continuity.see_passphrase", manages_team)
rules.add_perm("continuity.change_passphrase", manages_team)
