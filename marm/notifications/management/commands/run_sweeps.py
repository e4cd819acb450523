import signal
import time

from django.core.management.base import BaseCommand, CommandError

from marm.notifications.sweeps import registered_sweeps, run_sweeps


class Command(BaseCommand):
    help = (
        "Run the reminder sweeps once (for cron or a systemd timer), or every N seconds with --every. "
        "Sweeps are idempotent: running them twice notifies once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every this many seconds until stopped.")
        parser.add_argument("--sweep", action="append", dest="names", help="Run only this sweep (repeatable).")

    def handle(self, *args, every, names, **options):
        known = registered_sweeps()
        for name in names or []:
            if name not in known:
                raise CommandError(f"No sweep called {name!r}. Known sweeps: {', '.join(sorted(known)) or 'none'}")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            self._loop(every, names, lambda: stopping)
        except KeyboardInterrupt:
            return

    def _loop(self, every, names, stopping):
        while True:
            try:
                created = run_sweeps(names=names)
            except Exception as error:
                if not every:
                    raise
                # Keep sweeping: sweeps are idempotent, so the next round picks up what this one missed.
                self.stderr.write(f"Reminder sweeps failed: {error!r}")
                created = {}
            summary = ", ".join(f"{name}: {count}" for name, count in created.items()) or "no sweeps registered"
            self.stdout.write(f"Reminder sweeps: {summary}")
            if not every:
                return
            for _ in range(every):
                if stopping():
                    return
                time.sleep(1)
