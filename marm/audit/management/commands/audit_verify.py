from django.core.management.base import BaseCommand, CommandError

from marm.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain and report the first broken row. The chain must also reach "
        "every signed checkpoint in AUDIT_CHECKPOINT_FILE. Exits non-zero when it does not."
    )

    def handle(self, *args, **options):
        result = verify_chain()
        if result.broken_seq is not None:
            raise CommandError(
                f"Audit trail broken at row {result.broken_seq}: {result.reason}. "
                f"{result.checked} rows before it are intact."
            )
        if not result.ok:
            raise CommandError(
                f"Audit checkpoints cannot be trusted: {result.reason}. "
                f"The chain itself is intact: {result.checked} rows checked."
            )
        against = ""
        if result.checkpoints:
            against = f", against {result.checkpoints} checkpoint{'' if result.checkpoints == 1 else 's'}"
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.checked} rows checked{against}."))
