"""Sign-in pauses (ADR 0006).

axes pauses one account from one address after ``SIGN_IN_FAILURE_LIMIT`` failures. This
handler adds a second rule, which axes cannot express with a limit of its own: one address
that has failed ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` times within the cool-off, on any
accounts, is paused until the cool-off has passed, so guessing one password across many
accounts is slowed too. The failures are counted from the ``SIGN_IN_FAILED`` audit rows
of password sign-ins (marm.accounts.signals), which carry the address; refusals while
paused are not counted, so the pause ends one cool-off after the last password tried,
never later.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent

# The reasons a sign-in fails, as written in the audit row's detail.
WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a reason, not a password
UNKNOWN_ACCOUNT = "unknown_account"
INACTIVE_ACCOUNT = "inactive_account"
PAUSED = "paused"  # this account from this address (axes)
ADDRESS_PAUSED = "address_paused"  # this address, whatever the account
PASSWORD_FAILURES = (WRONG_PASSWORD, UNKNOWN_ACCOUNT, INACTIVE_ACCOUNT)

# The named actor of these rows: nobody is signed in yet.
SIGN_IN_ACTOR_NAME = "sign-in"

# Set on the request when a pause refused the sign-in before the password was checked.
REFUSED_ATTRIBUTE = "marm_sign_in_refused"


def address_failure_count(ip_address) -> int:
    """Failed sign-ins from the address within the cool-off, on any account, refusals left out."""
    if not ip_address:
        return 0
    return AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED,
        system_actor=SIGN_IN_ACTOR_NAME,
        source_ip=ip_address,
        occurred_at__gt=timezone.now() - get_cool_off(),
        detail__reason__in=PASSWORD_FAILURES,
    ).count()


class SignInLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with the pause by address added to its lockout check."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            setattr(request, REFUSED_ATTRIBUTE, PAUSED)
            return True
        if address_failure_count(request.axes_ip_address) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            setattr(request, REFUSED_ATTRIBUTE, ADDRESS_PAUSED)
            # axes' middleware turns this flag into the paused page (429).
            request.axes_locked_out = True
            return True
        return False
