"""Signing in with both factors in tests: the password and a code from the user's authenticator."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from marm.accounts.two_factor import AUTHENTICATED_AT_KEY, authenticator_create, code_now
from marm.core.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY


def authenticator_of(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or authenticator_create(user=user)


def next_code(user) -> str:
    """A code the app would show that marm has not yet accepted (a code works once: a second sign-in
    within the same 30 seconds takes the next step's code, which marm accepts one step early).
    marm follows the app's clock: a code accepted a step early or late moves its window (the
    device's drift), so the step is counted as marm counts it."""
    device = authenticator_of(user)
    device.refresh_from_db()
    step = device.step
    now_t = int(time.time() - device.t0) // step + device.drift
    t = max(now_t, (device.last_t if device.last_t is not None else -1) + 1)
    return code_now(device.key, at=device.t0 + t * step + 1, step=step, digits=device.digits)


def force_sign_in(client, user):
    """As ``Client.force_login``, with the second factor given and the identity just confirmed."""
    client.force_login(user, backend="marm.accounts.backends.EmailBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
    session[AUTHENTICATED_AT_KEY] = time.time()
    session[SESSION_RENEWED_KEY] = time.time()  # as at a real sign-in: the session was just saved
    session.setdefault(SESSION_STARTED_KEY, time.time())
    session.save()
    return client
