import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from marm.demo.seed import DEMO_PASSWORD, PERSONAS, authenticator_keys


class Command(BaseCommand):
    help = "Migrate, load demo data, start the background worker and the web server on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and stop.")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        if no_serve:
            return
        # The worker runs queued jobs (e-mails); the sweeper finds what is due
        # (reminders) every minute. Production runs the same two commands.
        # Their output (the demo's e-mails among it) goes to a log, so the
        # sign-ins stay on screen.
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        log_path = settings.DATA_DIR / "background.log"
        log = open(log_path, "a")  # noqa: SIM115 (open while the processes run)
        background = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "db_worker", "--interval", "2"], stdout=log, stderr=subprocess.STDOUT
            ),
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "run_sweeps", "--every", "60"], stdout=log, stderr=subprocess.STDOUT
            ),
        ]
        self._print_sign_ins(addrport)
        self.stdout.write(
            f"The worker's and the reminder sweeps' output, with the e-mails marm sends, is in {log_path}\n"
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for process in background:
                process.send_signal(signal.SIGINT if process is background[0] else signal.SIGTERM)
            for process in background:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()

    def _print_sign_ins(self, addrport):
        width = max(len(p.email) for p in PERSONAS)
        lines = [
            "",
            f"marm is running at http://{addrport}/",
            "(the background worker and the reminder sweeps run beside it; press Ctrl-C to stop all three)",
            "",
            f"Sign in as any of these demo users, password: {DEMO_PASSWORD}",
            "Then marm asks for a code: add the user's authenticator key below to an authenticator app",
            "(as a time-based key), or print the code now with:",
            "  .venv/bin/python manage.py demo_code <email address>",
            "",
        ]
        keys = authenticator_keys()
        lines += [
            f"  {p.email.ljust(width)}  {p.description}\n  {'':{width}}  key {keys.get(p.email, '')}" for p in PERSONAS
        ]
        lines.append("")
        self.stdout.write("\n".join(lines))
