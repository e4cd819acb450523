import time

from django.core.management.base import BaseCommand

from marm.audit.services import SystemActor
from marm.linkage.services import duplicates_find


class Command(BaseCommand):
    help = "Find records that may be the same person (Splink on DuckDB) for the possible duplicates report."

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=0.9, help="Lowest match probability kept (0.9).")

    def handle(self, *args, threshold, **options):
        started = time.perf_counter()
        count = duplicates_find(actor=SystemActor("duplicates_find"), threshold=threshold)
        self.stdout.write(f"{count:,} possible duplicates found in {time.perf_counter() - started:.1f} s")
