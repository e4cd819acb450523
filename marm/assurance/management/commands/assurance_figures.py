from django.core.management.base import BaseCommand
from django.utils import timezone

from marm.assurance.store import FIGURES, count_finished_quarters
from marm.audit.models import AuditAction
from marm.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Store the board's figures for finished quarters that have none current (what the daily "
        "assurance-figures sweep does), or with --recount count every finished quarter again: after records "
        "were written into a quarter that had already settled."
    )

    def add_arguments(self, parser):
        parser.add_argument("--recount", action="store_true", help="Count every finished quarter again.")

    def handle(self, *args, recount, **options):
        now = timezone.now()
        stored = count_finished_quarters(now, recount=recount)
        if stored:
            audit_record(
                actor=FIGURES,
                action=AuditAction.UPDATE,
                object_type="quarter_figures",
                detail={"stored": stored, "as_at": now.isoformat(), "recount": recount},
            )
        self.stdout.write(f"Stored the figures of {stored} quarters.")
