"""Reads for the outage snapshot.

The snapshot job is a named system job: it reads a team's whole register as the register's own sweeps
do (``register.reminders``), outside any request, so on PostgreSQL the connection's row-level security
scope is the whole partnership (``marm.core.row_security``) and the rule is the app's: one team's
active entries, nothing else. The pages read only the user's own teams' snapshots.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from marm.access.roles import Role
from marm.continuity.models import PassphraseChange, Snapshot
from marm.organisations.models import Membership, Team
from marm.people.models import Address
from marm.plans.models import ContingencyPlan, ContingencyTrigger
from marm.register.models import RegisterEntry, RegisterSettings

# Who downloads a team's snapshot: its duty officers (who use it) and managers (who hand out the passphrase).
SNAPSHOT_ROLES = (Role.DUTY_OFFICER, Role.MANAGER)


def teams_keeping_registers(*, team_ids=None) -> list[Team]:
    """Teams that keep a register: with its settings, or with anyone on it now or before. A team whose
    register has emptied still gets snapshots, so the duty desk's copy does not list people removed."""
    teams = Team.objects.filter(
        Exists(RegisterSettings.objects.filter(team=OuterRef("pk")))
        | Exists(RegisterEntry.objects.filter(team=OuterRef("pk")))
    ).select_related("agency")
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    return list(teams.order_by("pk"))


def register_of_team(*, team) -> list[RegisterEntry]:
    """The team's active entries, each with the person's current addresses (``current_addresses``, latest
    first, as the person's page lists them), the named professional, and the case's contingency plans
    (``plans_list``, newest first, each with ``triggers_list``). A fixed number of queries."""
    return list(
        RegisterEntry.objects.active()
        .filter(team=team)
        .select_related("person", "named_professional", "case")
        .prefetch_related(
            Prefetch(
                "person__addresses",
                queryset=Address.objects.filter(lived_until__isnull=True),
                to_attr="current_addresses",
            ),
            Prefetch(
                "case__contingency_plans",
                queryset=ContingencyPlan.objects.prefetch_related(
                    Prefetch(
                        "triggers", queryset=ContingencyTrigger.objects.order_by("position"), to_attr="triggers_list"
                    )
                ),
                to_attr="plans_list",
            ),
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )


def active_entry_count(*, team) -> int:
    """How many people are on the team's register, counted on the register's own table alone: the check
    that the read above, which joins people and cases (tables under row-level security), missed no one."""
    return RegisterEntry.objects.active().filter(team=team).count()


def passphrase_version(*, team_id) -> int:
    """The team's passphrase version: 1 until a manager first changes it."""
    latest = PassphraseChange.objects.filter(team_id=team_id).values_list("version", flat=True).first()
    return latest or 1


def latest_snapshots(*, team_ids) -> dict[int, Snapshot]:
    """Each team's newest snapshot, without the file."""
    latest = {}
    for snapshot in Snapshot.objects.filter(team_id__in=list(team_ids)).defer("content").order_by("team", "-made_at"):
        latest.setdefault(snapshot.team_id, snapshot)
    return latest


def snapshot_teams_of(*, user) -> list[Team]:
    """The teams of the user's own agency, keeping a register, where the user is a duty officer or a manager,
    each with ``user_roles`` (the user's roles in it)."""
    memberships = Membership.objects.filter(
        user=user, team__agency_id=user.agency_id, role__in=SNAPSHOT_ROLES
    ).select_related("team__agency")
    teams: dict[int, Team] = {}
    for membership in memberships.order_by("team__name", "role"):
        team = teams.setdefault(membership.team_id, membership.team)
        team.user_roles = {*getattr(team, "user_roles", set()), membership.role}
    keeping = {team.pk for team in teams_keeping_registers(team_ids=teams)} if teams else set()
    return [team for team in teams.values() if team.pk in keeping]


def snapshot_team_of_user(*, user, team_id) -> Team:
    """One of the user's snapshot teams; 404 for any other team, another agency's above all."""
    for team in snapshot_teams_of(user=user):
        if str(team.pk) == str(team_id):
            return team
    raise Http404("No such team")


def latest_snapshot_file(*, team) -> Snapshot:
    """The team's newest snapshot with its file; 404 if none has been made yet."""
    snapshot = Snapshot.objects.filter(team=team).order_by("-made_at", "-pk").first()
    if snapshot is None:
        raise Http404("No snapshot yet")
    return snapshot


def team_passphrase_for_user(*, user, team) -> str:
    """The team's current passphrase, for a manager to hand to the duty desk. Audited: who read it, when."""
    from marm.audit.models import AuditAction
    from marm.audit.services import audit_record
    from marm.continuity.crypto import team_passphrase

    version = passphrase_version(team_id=team.pk)
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        object_type="continuity.passphrase",
        object_id=str(team.pk),
        detail={"team": team.pk, "passphrase_version": version},
    )
    return team_passphrase(team.pk, version)
