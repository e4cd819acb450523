"""django-tasks-db's worker, which first puts back in the queue the jobs its id left running, and
waits for the database when it goes away instead of exiting.

It takes the library's command name (marm.notifications comes before django_tasks_db in
INSTALLED_APPS), so the service, the demo and the production check start it unchanged.
"""

import time

from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from marm.notifications.jobs import jobs_requeue

# Seconds between attempts while the database cannot be reached (a restart takes a few).
RETRY_SECONDS = 2.0


class Command(LibraryWorkerCommand):
    help = (
        "Run the database job worker. It first puts back in the queue the jobs left running by a worker "
        "with the same --worker-id, and any job running for longer than MARM_JOB_STALE_MINUTES; when the "
        "database goes away it waits for it, then does the same."
    )

    def handle(self, *args, worker_id: str, **options):
        while True:
            try:
                count = jobs_requeue(now=timezone.now(), worker_id=worker_id)
                if count:
                    self.stdout.write(f"Put {count} job(s) left running back in the queue.")
                super().handle(*args, worker_id=worker_id, **options)
                return
            except (OperationalError, InterfaceError) as error:
                # The library's worker exits on these. A job cut off by them is still RUNNING under
                # this id, and is put back in the queue on the next round.
                first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                self.stderr.write(f"The database cannot be reached ({first_line}); trying again in {RETRY_SECONDS} s")
                connections.close_all()
                time.sleep(RETRY_SECONDS)
