from dataclasses import dataclass

from marm.audit.hashing import GENESIS_HASH, row_hash
from marm.audit.models import AuditChainHead, AuditEvent


@dataclass
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first row that was edited, removed or inserted."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"row {expected_seq} is missing (next row found is {event.seq})")
        if event.prev_hash != expected_prev:
            return VerifyResult(checked, event.seq, "its link to the previous row does not match")
        if row_hash(event) != event.row_hash:
            return VerifyResult(checked, event.seq, "its content does not match its hash (the row was changed)")
        expected_prev = event.row_hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return VerifyResult(
            checked, head.last_seq, f"the chain ends at row {expected_seq - 1} but row {head.last_seq} was written"
        )
    return VerifyResult(checked)
