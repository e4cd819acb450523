from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from marm.accounts.two_factor import code_now


class Command(BaseCommand):
    help = "Print the code a demo user's authenticator app shows now (demo data only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"No demo user {email} with an authenticator: run the demo first")
        self.stdout.write(code_now(device.key, step=device.step, digits=device.digits))
