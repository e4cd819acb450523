from django.core.management.base import BaseCommand

from marm.audit.checkpoint import audit_checkpoint, checkpoint_path


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain's last row to AUDIT_CHECKPOINT_FILE, "
        "unless the chain has not grown since the last one. The sweep 'audit-checkpoint' runs this every minute."
    )

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint()
        if checkpoint is None:
            self.stdout.write(f"No checkpoint written: nothing new since the last one in {checkpoint_path()}.")
            return
        self.stdout.write(self.style.SUCCESS(f"Checkpoint of row {checkpoint.seq:,} written to {checkpoint_path()}."))
