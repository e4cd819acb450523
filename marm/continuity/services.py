"""Making outage snapshots, downloading them, and changing a team's passphrase (ADR 0030)."""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.continuity import crypto, selectors
from marm.continuity.models import PassphraseChange, Snapshot
from marm.continuity.presenters import snapshot_content

logger = logging.getLogger("marm.continuity")

# The named system job that reads each team's register for its snapshot.
SNAPSHOTS = SystemActor("outage-snapshots")


class SnapshotIncomplete(Exception):
    """The read found fewer entries, or cases, than the register holds: sealing it would hand the duty desk
    a register that looks complete and is not (a connection without the system job's scope, ADR 0028)."""


def period() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.MARM_SNAPSHOT_PERIOD_HOURS)


def render_file(*, team, envelope: dict, made_at, entry_count: int) -> bytes:
    """The one self-contained HTML file: the sealed snapshot and the page's own style and script."""
    return render_to_string(
        "continuity/snapshot_file.html",
        {"team": team, "envelope": envelope, "made_at": made_at, "entry_count": entry_count},
    ).encode("utf-8")


def snapshot_make(*, team, now: datetime.datetime | None = None, actor: SystemActor = SNAPSHOTS) -> Snapshot:
    """Seal the team's register and plans into a new snapshot, keep it (pruning the oldest), and audit
    it as one EXPORT listing the people in it. Either all of that happens or none of it."""
    made_at = now or timezone.now()
    entries = selectors.register_of_team(team=team)
    expected = selectors.active_entry_count(team=team)
    if len(entries) != expected or any(entry.case_id and entry.case is None for entry in entries):
        raise SnapshotIncomplete(
            f"The register of team {team.pk} holds {expected} people but {len(entries)} could be read with their "
            "cases: no snapshot made. Is the job reading with the system scope?"
        )
    content = snapshot_content(team=team, entries=entries, made_at=made_at)
    version = selectors.passphrase_version(team_id=team.pk)
    envelope = crypto.seal(
        json.dumps(content, separators=(",", ":")).encode("utf-8"),
        passphrase=crypto.team_passphrase(team.pk, version),
        header={
            "team": team.name,
            "agency": team.agency.name,
            "made_at": made_at.isoformat(),
            "period_hours": settings.MARM_SNAPSHOT_PERIOD_HOURS,
            "entry_count": len(entries),
        },
    )
    file_bytes = render_file(team=team, envelope=envelope, made_at=made_at, entry_count=len(entries))
    with transaction.atomic():
        snapshot = Snapshot(
            team=team,
            made_at=made_at,
            content=file_bytes,
            sha256=hashlib.sha256(file_bytes).hexdigest(),
            key_fingerprint=crypto.fingerprint(crypto._unb64(envelope["public_key"])),
            entry_count=len(entries),
            passphrase_version=version,
        )
        snapshot.full_clean()
        snapshot.save()
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=snapshot,
            purpose="Outage snapshot of the team's register",
            detail={
                "team": team.pk,
                "people": [str(entry.person_id) for entry in entries],
                "entries": [str(entry.pk) for entry in entries],
                "sha256": snapshot.sha256,
            },
        )
        _prune(team)
    return snapshot


def _prune(team) -> None:
    keep = Snapshot.objects.filter(team=team).order_by("-made_at", "-pk").values_list("pk", flat=True)
    Snapshot.objects.filter(team=team).exclude(pk__in=list(keep[: settings.MARM_SNAPSHOT_KEEP])).delete()


def snapshots_due(now: datetime.datetime) -> list:
    """Teams whose newest snapshot is older than the period, or sealed with a passphrase since changed."""
    teams = selectors.teams_keeping_registers()
    latest = selectors.latest_snapshots(team_ids=[team.pk for team in teams])
    due = []
    for team in teams:
        snapshot = latest.get(team.pk)
        if (
            snapshot is None
            or snapshot.made_at <= now - period()
            or snapshot.passphrase_version != selectors.passphrase_version(team_id=team.pk)
        ):
            due.append(team)
    return due


def sweep_outage_snapshots(now: datetime.datetime) -> int:
    """The "outage-snapshots" sweep: a new snapshot for each team that is due one; how many it made.
    A team whose snapshot fails is logged and tried again at the next run; the others still get theirs."""
    made = 0
    for team in snapshots_due(now):
        try:
            snapshot_make(team=team, now=now)
        except Exception:
            logger.exception("The outage snapshot of team %s could not be made", team.pk)
            continue
        made += 1
    return made


def snapshot_download(*, acting_user, team) -> Snapshot:
    """The team's newest snapshot, for a duty officer or manager of the team: one EXPORT row."""
    require(acting_user, "continuity.download_snapshot", team)
    snapshot = selectors.latest_snapshot_file(team=team)
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        obj=snapshot,
        purpose="Outage snapshot downloaded",
        detail={"team": team.pk, "sha256": snapshot.sha256, "made_at": snapshot.made_at.isoformat()},
    )
    return snapshot


def snapshot_passphrase_change(*, acting_user, team, reason: str) -> PassphraseChange:
    """A new passphrase for the team (when it may have been seen by someone who should not have it, or a
    holder leaves). The next sweep seals a new snapshot with it; older files keep the old one."""
    require(acting_user, "continuity.change_passphrase", team)
    with transaction.atomic():
        type(team).objects.select_for_update().filter(pk=team.pk).first()  # one change at a time per team
        version = selectors.passphrase_version(team_id=team.pk) + 1
        change = PassphraseChange(
            team=team, version=version, reason=(reason or "").strip(), changed_by=acting_user, changed_at=timezone.now()
        )
        try:
            change.full_clean()
        except ValidationError as error:
            if "reason" in error.message_dict:
                raise ValidationError({"reason": "Say why the passphrase is changing"}) from None
            raise
        change.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.CREDENTIALS,
            obj=change,
            detail={"team": team.pk, "passphrase_version": version, "reason": change.reason},
        )
    return change
