from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.utils import timezone

from marm.audit.backup_drill import DrillFailed, backup_drill


class Command(BaseCommand):
    help = (
        "PostgreSQL only: dump the database (pg_dump), restore it into a new database (pg_restore), run "
        "audit_verify and decisions_verify on the copy, time each step, print the recovery point and the "
        "recovery time, and drop the copy. Run it as a role that reads every row and may create databases "
        "(the superuser, as for db_roles). Exits non-zero when any step fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database connection to drill.")
        parser.add_argument("--keep-dump", type=Path, default=None, help="Keep the dump at this path.")
        parser.add_argument(
            "--no-owner",
            action="store_true",
            help="Restore without owners and grants (when the roles do not exist where the copy is made).",
        )
        parser.add_argument("--timeout", type=int, default=3600, help="Seconds any one step may take.")

    def handle(self, *args, database, keep_dump, no_owner, timeout, **options):
        connection = connections[database]
        self.stdout.write(f"Backup and restore drill of {connection.settings_dict['NAME']}")
        try:
            report = backup_drill(
                connection=connection,
                keep_dump=keep_dump,
                no_owner=no_owner,
                timeout=timeout,
                say=lambda line: self.stdout.write(f"  {line}"),
            )
        except DrillFailed as failure:
            raise CommandError(f"Backup drill failed: {failure}") from None
        except DatabaseError as error:
            raise CommandError(
                f"The database refused: {error}. Run backup_drill as a role that may create databases."
            ) from None
        local = timezone.localtime
        last_row = (
            f"row {report.copy_last_seq:,} of {local(report.copy_last_at):%d %b %Y %H:%M:%S %Z}"
            if report.copy_last_at
            else "no audit rows"
        )
        self.stdout.write(
            f"Recovery point: the dump's snapshot at {local(report.dump_started_at):%d %b %Y %H:%M:%S %Z}; "
            f"the copy's audit trail ends at {last_row}. "
            f"{report.rows_after_recovery_point:,} audit rows have been written since."
        )
        dump = report.seconds("dump")
        self.stdout.write(
            self.style.SUCCESS(
                f"Recovery time: {report.recovery_seconds:.1f}s from a dump at hand to a verified copy "
                f"(create, restore, audit_verify, decisions_verify); {dump + report.recovery_seconds:.1f}s "
                f"with the dump ({report.dump_bytes / 1_048_576:.1f} MB). The copy {report.copy} is dropped."
            )
        )
