"""django-tasks-db's worker, which first puts back in the queue the jobs its id left running.

It takes the library's command name (marm.notifications comes before django_tasks_db in
INSTALLED_APPS), so the service, the demo and the production check start it unchanged.
"""

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from marm.notifications.jobs import jobs_requeue


class Command(LibraryWorkerCommand):
    help = (
        "Run the database job worker. It first puts back in the queue the jobs left running by a worker "
        "with the same --worker-id, and any job running for longer than MARM_JOB_STALE_MINUTES."
    )

    def handle(self, *args, worker_id: str, **options):
        count = jobs_requeue(now=timezone.now(), worker_id=worker_id)
        if count:
            self.stdout.write(f"Put {count} job(s) left running back in the queue.")
        super().handle(*args, worker_id=worker_id, **options)
