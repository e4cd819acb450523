"""Audit rows written for the layers below the auditor.

- Failed sign-ins, on every path that signs in with a password (the sign-in page and the
  administration site alike: both go through ``authenticate``, which sends
  ``user_login_failed``). Nobody is signed in yet, so the actor is a named system actor.
- Requests refused by the per-user limits (marm.core.throttle), which cannot import the auditor.
- Sign-outs, on every path: the sign-out button (marm's pages and the administration site), the
  12-hour limit, too many wrong codes, ending one's own session. ``user_logged_out`` is sent by
  ``logout`` wherever it is called; the caller may say why in ``request.marm_sign_out_reason``.
"""

import unicodedata

from django.contrib.auth import get_user_model

from marm.accounts import lockout
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record

ACTOR = SystemActor(lockout.SIGN_IN_ACTOR_NAME)
USERNAME_LENGTH = 254


def clean_username(value) -> str:
    """The first 254 characters of what was typed, without control or formatting characters,
    so the audit trail never holds a huge value or one that rewrites a log line."""
    text = str(value or "")[:USERNAME_LENGTH]
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def _reason(request, user) -> str:
    refused = getattr(request, lockout.REFUSED_ATTRIBUTE, None) if request is not None else None
    if refused:
        return refused
    if user is None:
        return lockout.UNKNOWN_ACCOUNT
    if not user.is_active:
        return lockout.INACTIVE_ACCOUNT
    return lockout.WRONG_PASSWORD


def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    credentials = credentials or {}
    username = clean_username(credentials.get("username") or credentials.get("email"))
    user = get_user_model().objects.filter(email__iexact=username).first() if username else None
    audit_record(
        actor=ACTOR,
        action=AuditAction.SIGN_IN_FAILED,
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        detail={"username": username, "reason": _reason(request, user)},
    )


def record_throttled(*, user, bucket: str, limit: int, window_seconds: int):
    """One row for each request refused by a per-user limit."""
    audit_record(
        actor=user,
        action=AuditAction.THROTTLED,
        detail={"bucket": bucket, "limit": limit, "window": window_seconds},
    )


SIGN_OUT_REASON_ATTRIBUTE = "marm_sign_out_reason"


def record_sign_out(sender, request=None, user=None, **kwargs):
    if user is None or not getattr(user, "is_authenticated", False):
        return
    reason = getattr(request, SIGN_OUT_REASON_ATTRIBUTE, "signed out") if request is not None else "signed out"
    audit_record(actor=user, action=AuditAction.SIGN_OUT, obj=user, detail={"how": reason})
