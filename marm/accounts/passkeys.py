"""Passkeys (WebAuthn), a second factor beside the authenticator app (ADR 0022).

django-otp-webauthn keeps the passkeys as django-otp devices and checks each ceremony; this module
is marm's reads and writes over them: every change of a passkey is audited with it.
"""

from django.db import transaction
from django.http import Http404
from django_otp_webauthn.models import WebAuthnCredential

from marm.audit.models import AuditAction
from marm.audit.services import audit_record

PASSKEY = "Passkey"


def passkeys_of(user):
    """The user's passkeys, oldest first, for "Your account"."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_passkey(user) -> bool:
    return passkeys_of(user).exists()


def _next_name(passkey) -> str:
    """ "Passkey 1", "Passkey 2", ...: a name the user's other passkeys do not have."""
    others = WebAuthnCredential.objects.filter(user_id=passkey.user_id).exclude(pk=passkey.pk)
    taken = set(others.values_list("name", flat=True))
    number = len(taken) + 1
    while f"{PASSKEY} {number}" in taken:
        number += 1
    return f"{PASSKEY} {number}"


def passkey_register(*, acting_user, helper, state: dict, data: dict) -> WebAuthnCredential:
    """Check the browser's answer to the registration challenge and keep the new passkey.

    The caller has already checked that ``acting_user`` confirmed their identity recently (the
    package's views cannot know marm's rule).
    """
    with transaction.atomic():
        passkey = helper.register_complete(user=acting_user, state=state, data=data)
        passkey.name = _next_name(passkey)
        passkey.save(update_fields=["name"])
        audit_record(
            actor=acting_user,
            action=AuditAction.CREDENTIALS,
            obj=acting_user,
            detail={"change": "passkey added", "passkey": passkey.name},
        )
    return passkey


def passkey_remove(*, acting_user, passkey_id: int) -> str:
    """Remove one of the user's own passkeys; another user's is a 404. Returns its name."""
    with transaction.atomic():
        passkey = WebAuthnCredential.objects.select_for_update().filter(user=acting_user, pk=passkey_id).first()
        if passkey is None:
            raise Http404("No such passkey")
        name = passkey.name
        passkey.delete()
        audit_record(
            actor=acting_user,
            action=AuditAction.CREDENTIALS,
            obj=acting_user,
            detail={"change": "passkey removed", "passkey": name},
        )
    return name
