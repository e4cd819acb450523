from django.core.management.base import BaseCommand

from marm.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create the demo partnership, its users and about fifty synthetic adults (safe to run again)."

    def handle(self, *args, **options):
        result = seed_demo()
        self.stdout.write(
            f"Demo data ready: {result['agencies']} agencies, {result['users']} users, "
            f"{result['people_created']} people added this time."
        )
