"""The auditor: the one way rows reach the audit trail.

Call it inside the transaction of the change it records, so the change and
its audit row commit or roll back together.
"""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from marm.audit.hashing import GENESIS_HASH, row_hash
from marm.audit.models import AuditAction, AuditChainHead, AuditEvent
from marm.audit.statements import EVENT_FIELDS, append_statements
from marm.core import request_context


class AuditActorMissing(Exception):
    """Refused: every audit row names who (or which named job) acted."""


@dataclass(frozen=True)
class SystemActor:
    """A named job or command acting without a signed-in user."""

    name: str


# Called with each audit row that records a change, inside its transaction: the change
# history (ADR 0032) names the row as the who and when of the changes written with it.
_change_hooks: list = []

# Rows that record a read or a sign-in; every other action records a change.
READ_ACTIONS = frozenset(
    {
        AuditAction.VIEW,
        AuditAction.SEARCH,
        AuditAction.DENIED,
        AuditAction.SIGN_IN,
        AuditAction.SIGN_OUT,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.THROTTLED,
    }
)


def register_change_hook(hook) -> None:
    """Call ``hook(event)`` after each audit row of a change, in the same transaction."""
    if hook not in _change_hooks:
        _change_hooks.append(hook)


def _label(obj) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    person_id=None,
    purpose: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    user = None
    system_actor = ""
    if isinstance(actor, SystemActor) and actor.name:
        system_actor = actor.name
    elif actor is not None and getattr(actor, "is_authenticated", False):
        user = actor
    else:
        raise AuditActorMissing("An audit row needs a signed-in user or a named system job as its actor.")
    if obj is not None:
        object_type, object_id = _label(obj)
    context = request_context.current()
    with transaction.atomic():
        last_seq, last_hash = _locked_head()
        event = AuditEvent(
            seq=last_seq + 1,
            occurred_at=timezone.now(),
            actor_user=user,
            actor_agency_id=getattr(user, "agency_id", None),
            system_actor=system_actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            person_id=str(person_id) if person_id else "",
            purpose=purpose,
            request_id=context.request_id,
            source_ip=context.source_ip,
            detail=detail or {},
            prev_hash=last_hash,
        )
        event.row_hash = row_hash(event)
        _append(event)
        if action not in READ_ACTIONS:
            for hook in _change_hooks:
                hook(event)
    return event


def _append(event: AuditEvent) -> None:
    """Insert ``event`` and move the chain head on to it (inside the caller's transaction, head locked)."""
    statements = append_statements(connection)
    values = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in EVENT_FIELDS]
    with connection.cursor() as cursor:
        if "append" in statements:
            cursor.execute(statements["append"], [*values, event.seq, event.row_hash])
            event.pk = cursor.fetchone()[0]
        else:
            cursor.execute(statements["insert"], values)
            event.pk = cursor.lastrowid
            cursor.execute(statements["move_head"], [event.seq, event.row_hash])
    event._state.adding = False
    event._state.db = connection.alias


def _locked_head() -> tuple[int, str]:
    """The chain head's last row and hash, locked until the transaction ends (made on first use)."""
    row = _read_locked_head()
    if row is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
        except IntegrityError:
            pass  # created by a concurrent writer
        row = _read_locked_head()
    return row[0], row[1]


def _read_locked_head():
    with connection.cursor() as cursor:
        cursor.execute(append_statements(connection)["lock"])
        return cursor.fetchone()
