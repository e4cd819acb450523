"""Make each team's outage snapshot now (the "outage-snapshots" sweep makes them on a schedule)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marm.audit.services import SystemActor
from marm.continuity import crypto, selectors
from marm.continuity.services import snapshot_make


class Command(BaseCommand):
    help = "Seal a new outage snapshot of each team's register (or one team's), and write the files to --out."

    def add_arguments(self, parser):
        parser.add_argument("--team", type=int, help="Only this team (its id)")
        parser.add_argument("--out", type=Path, help="A folder to write the HTML files to (readable by you alone)")

    def handle(self, *args, team=None, out=None, **options):
        teams = selectors.teams_keeping_registers(team_ids=[team] if team is not None else None)
        if team is not None and not teams:
            raise CommandError(f"Team {team} does not exist or keeps no high-risk register.")
        if out is not None:
            out.mkdir(mode=0o700, parents=True, exist_ok=True)
        actor = SystemActor("outage_snapshot")
        for each in teams:
            snapshot = snapshot_make(team=each, actor=actor)
            line = f"Team {each.pk} ({each.name}): {snapshot.entry_count} on the register"
            if out is not None:
                path = out / f"marm-snapshot-team-{each.pk}-{snapshot.made_at:%Y%m%d-%H%M}.html"
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(bytes(snapshot.content))
                line += f", written to {path}"
            self.stdout.write(line)
        self.stdout.write(f"Signing key fingerprint: {crypto.fingerprint()}")
