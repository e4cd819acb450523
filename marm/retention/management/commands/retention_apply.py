from django.core.management.base import BaseCommand

from marm.retention import jobs
from marm.retention.models import RecordKind


class Command(BaseCommand):
    help = (
        "Delete or anonymise what the retention-due sweep listed and is still due (no legal hold, not "
        "reopened), as the named job 'retention', with an audit row for each record. Run it after the "
        "list has been reviewed. --dry-run says what would go and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; change nothing.")

    def handle(self, *args, dry_run, **options):
        outcome = jobs.retention_apply(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for row, counts in outcome.applied:
            what = f"case {row.case_id}" if row.case_id else f"person {row.person_id}"
            total = sum(counts.values())
            self.stdout.write(f"{verb} {what} ({RecordKind(row.kind).label}): {total} records under it")
        for row, reason in outcome.skipped:
            what = f"case {row.case_id}" if row.case_id else f"person {row.person_id}"
            self.stdout.write(f"Skipped {what}: {reason}")
        summary = f"{len(outcome.applied)} listed records {'would be ' if dry_run else ''}applied"
        self.stdout.write(self.style.SUCCESS(f"{summary}; {len(outcome.skipped)} skipped."))
