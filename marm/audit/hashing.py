import hashlib
import json
from datetime import UTC

GENESIS_HASH = "0" * 64


def canonical(event) -> bytes:
    """The bytes a row's hash covers: every field but the hash itself."""
    content = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_user": event.actor_user_id,
        "actor_agency": event.actor_agency_id,
        "system_actor": event.system_actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "person_id": event.person_id,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "source_ip": event.source_ip,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def row_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()
