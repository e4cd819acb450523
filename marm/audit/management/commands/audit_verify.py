from django.core.management.base import BaseCommand, CommandError

from marm.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain and report the first broken row."

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit trail broken at row {result.broken_seq}: {result.reason}. "
                f"{result.checked} rows before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.checked} rows checked."))
