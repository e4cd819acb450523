"""The second factor (ADR 0022): codes from an authenticator app (TOTP), recovery codes, and passkeys.

django-otp keeps the devices and checks the codes (each code once, within its 30-second step, with
a growing delay after wrong ones); this module is marm's small vocabulary over it.
"""

import base64
import time
from binascii import unhexlify
from urllib.parse import quote

import segno
from django.conf import settings
from django_otp import devices_for_user, match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn.models import WebAuthnCredential

AUTHENTICATOR = "Authenticator app"
RECOVERY_CODES = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Where the time of the last full sign-in (password and code) is kept in the session.
AUTHENTICATED_AT_KEY = "marm_authenticated_at"


def has_second_factor(user) -> bool:
    """An authenticator app or a passkey (recovery codes alone do not count: they back up the app)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per user, reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in: base32, no padding."""
    return base64.b32encode(unhexlify(device.key)).decode().rstrip("=")


def secret_in_groups(device: TOTPDevice) -> str:
    secret = secret_of(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device: TOTPDevice) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{device.user.email}")
    return (
        f"otpauth://totp/{label}?secret={secret_of(device)}&issuer={quote(issuer)}"
        f"&digits={device.digits}&period={device.step}"
    )


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The set-up QR code as an SVG data URI: drawn here, no network, no script, allowed by the CSP."""
    return segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=4, dark="#0b0c0c")


def authenticator_create(*, user, key: str | None = None) -> TOTPDevice:
    """A confirmed authenticator with a known secret (demo personas and tests); the usual way is
    set-up at first sign-in."""
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, key=key or default_key(), confirmed=True)


def recovery_codes_issue(user) -> list[str]:
    """A fresh set of recovery codes (the old set stops working). Each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_CODES).count()


def check_code(user, code: str):
    """The device the code belongs to if it is right (and not used before), else None."""
    code = "".join(code.split())
    if not code or len(code) > 16:
        return None
    return match_token(user, code)


def remove_all(user) -> int:
    """Every second factor of the user (an administrator's reset): they set one up at next sign-in."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed


def factor_name(device) -> str:
    if isinstance(device, WebAuthnCredential):
        return "passkey"
    return "recovery code" if isinstance(device, StaticDevice) else "authenticator app"


def code_now(key_hex: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows for a secret (the demo's command and the tests use it)."""
    totp = TOTP(unhexlify(key_hex), step=step, digits=digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{digits}d}"
