from django.core.management.base import BaseCommand, CommandError

from marm.decisions import integrity
from marm.decisions.models import Decision


class Command(BaseCommand):
    help = (
        "Check that every decision is unchanged since it was recorded (its hash, and the hash in its audit row). "
        "Run audit_verify too: it proves the audit rows themselves are intact."
    )

    def handle(self, *args, **options):
        changed = []
        checked = 0
        decisions = Decision.objects.order_by("pk").prefetch_related("participants", "legislation")
        for start in range(0, decisions.count(), 500):
            batch = list(decisions[start : start + 500])
            results = integrity.check_many(batch)
            for decision in batch:
                checked += 1
                if not results[decision.pk].untouched:
                    reason = results[decision.pk].reason
                    changed.append(f"decision {decision.pk} ({decision.recorded_at:%d %b %Y}): {reason}")
        if changed:
            raise CommandError(
                f"{len(changed)} of {checked} decisions changed after they were recorded:\n" + "\n".join(changed)
            )
        self.stdout.write(self.style.SUCCESS(f"All {checked} decisions are unchanged since they were recorded."))
