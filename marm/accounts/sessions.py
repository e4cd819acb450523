"""Signed-in sessions: recorded at a full sign-in, listed for their user, ended by the user or by an
administrator. Ending one deletes it from the session store, so its cookie no longer signs anyone in."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from marm.accounts.models import UserSession
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.core import request_context


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, request) -> UserSession | None:
    """The session the request just signed in with (after both factors)."""
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    row, _ = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": request.user,
            "started_at": timezone.now(),
            "source_ip": request_context.current().source_ip,
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "ended_at": None,
        },
    )
    return row


def sessions_open(user) -> list[UserSession]:
    """The user's sessions still alive in the session store, newest first, each with ``last_active``."""
    rows = list(UserSession.objects.filter(user=user, ended_at__isnull=True))
    live = dict(
        Session.objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now())
        .values_list("session_key", "expire_date")
        .iterator()
    )
    idle = timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    open_rows = []
    for row in rows:
        if row.session_key in live:
            row.last_active = live[row.session_key] - idle
            open_rows.append(row)
    return open_rows


def _end(row: UserSession) -> None:
    _store()(session_key=row.session_key).delete()
    row.ended_at = timezone.now()
    row.save(update_fields=["ended_at"])


@transaction.atomic
def session_end(*, acting_user, session_id) -> UserSession:
    """End one of the acting user's own sessions (another browser, a lost phone)."""
    row = UserSession.objects.select_for_update().filter(pk=session_id, user=acting_user, ended_at=None).first()
    if row is None:
        raise PermissionDenied("That session has already ended")
    _end(row)
    audit_record(
        actor=acting_user,
        action=AuditAction.SESSION_END,
        obj=acting_user,
        detail={"sessions": 1, "by": "the user"},
    )
    return row


@transaction.atomic
def sessions_end_all(*, acting_user, user, reason: str = "", keep: str | None = None) -> int:
    """End every session of ``user`` but ``keep`` (an administrator's action, a deactivated account,
    a changed password). The caller checks that ``acting_user`` may do this."""
    rows = list(
        UserSession.objects.select_for_update().filter(user=user, ended_at=None).exclude(session_key=keep or "")
    )
    for row in rows:
        _end(row)
    audit_record(
        actor=acting_user,
        action=AuditAction.SESSION_END,
        obj=user,
        detail={"sessions": len(rows), "by": "an administrator" if acting_user != user else "the user"},
        purpose=reason[:500],
    )
    return len(rows)


def session_mark_ended(*, session_key: str) -> None:
    """The session was signed out or expired (no audit row here: the sign-out has its own)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key, ended_at=None).update(ended_at=timezone.now())
