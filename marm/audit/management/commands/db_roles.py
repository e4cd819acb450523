from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from marm.audit.db_roles import RolesRefused, roles_set_up


class Command(BaseCommand):
    help = (
        "PostgreSQL only: create (or correct) the owner role, which owns the tables and runs migrations, and "
        "the application role, which owns nothing and cannot change or remove audit rows. Run it as a "
        "superuser, and again after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default=None, help="The owner role (default: MARM_DB_OWNER).")
        parser.add_argument("--app-role", default=None, help="The application role (default: MARM_DB_APP_ROLE).")
        parser.add_argument(
            "--reassign",
            action="store_true",
            help="Give every table, sequence and function in marm's schema to the owner role.",
        )
        parser.add_argument("--database", default="default", help="The database connection to use.")

    def handle(self, *args, owner, app_role, reassign, database, **options):
        owner = owner or settings.MARM_DB_OWNER
        app_role = app_role or settings.MARM_DB_APP_ROLE
        try:
            report = roles_set_up(connection=connections[database], owner=owner, app_role=app_role, reassign=reassign)
        except RolesRefused as refusal:
            raise CommandError(str(refusal)) from None
        except DatabaseError as error:
            raise CommandError(
                f"The database refused: {error}. Run db_roles as a superuser (or a role that may create roles "
                f"and is a member of {owner}). Nothing was changed."
            ) from None
        if options["verbosity"] > 1:
            for statement in report.statements:
                self.stdout.write(f"  {statement};")
        for line in report.done:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done. marm connects as {app_role} (DATABASE_URL); migrate runs as {owner}. "
                "Run db_roles again after every migrate."
            )
        )
