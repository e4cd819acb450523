"""The infrastructure's URLs in the URL sweep (tests/sweep.py): signing in and out, the
home page, notifications and the health check. None is about a person."""

from tests.sweep import GENERAL, OWN_RECORD, PUBLIC

# "" holds the URLs outside any namespace.
NAMESPACES = ("accounts", "dashboards", "notifications", "otp_webauthn", "")

URLS = {
    "accounts:sign-in": PUBLIC,
    "accounts:sign-out": GENERAL,
    "accounts:two-factor": GENERAL,
    "accounts:two-factor-setup": GENERAL,
    "accounts:account": GENERAL,
    "accounts:confirm": GENERAL,
    "accounts:password-change": GENERAL,
    "accounts:recovery-codes": GENERAL,
    # practitioner_a's signed-in session: anyone else is refused.
    "accounts:session-end": OWN_RECORD,
    "accounts:passkey-add": GENERAL,
    # practitioner_a's passkey: anyone else gets 404.
    "accounts:passkey-remove": OWN_RECORD,
    # django-otp-webauthn's JSON endpoints (passkeys) and the words of its script.
    "otp_webauthn:credential-registration-begin": GENERAL,
    "otp_webauthn:credential-registration-complete": GENERAL,
    "otp_webauthn:credential-authentication-begin": GENERAL,
    "otp_webauthn:credential-authentication-complete": GENERAL,
    "otp_webauthn:js-i18n-catalog": GENERAL,
    "dashboards:home": GENERAL,
    "notifications:list": GENERAL,
    "notifications:read-all": GENERAL,
    # practitioner_a's notification: anyone else gets 404.
    "notifications:open": OWN_RECORD,
    "health": PUBLIC,
    # The administration site signs in and out through marm's own pages.
    "admin-sign-in": GENERAL,
    "admin-sign-out": GENERAL,
}


def objects(shared):
    """A notification to practitioner_a, a session of theirs and a passkey."""
    from django_otp_webauthn.models import WebAuthnCredential

    from marm.accounts.models import UserSession
    from marm.notifications.services import notify

    notification = notify(
        recipient=shared["practitioner_a"], kind="test", key="sweep", title="A notification for the sweep"
    )
    session = UserSession.objects.create(user=shared["practitioner_a"], session_key="sweep-session")
    passkey = WebAuthnCredential.objects.create(
        user=shared["practitioner_a"], name="Passkey 1", credential_id=b"sweep", public_key=b"sweep"
    )
    return {"notification_id": notification.pk, "session_id": session.pk, "passkey_id": passkey.pk}
