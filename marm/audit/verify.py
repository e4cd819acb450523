from dataclasses import dataclass
from pathlib import Path

from marm.audit.checkpoint import read_checkpoints
from marm.audit.hashing import GENESIS_HASH, row_hash
from marm.audit.models import AuditChainHead, AuditEvent


@dataclass
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    # Checkpoints outside the database the chain was checked against (ADR 0024).
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.reason


def verify_chain(batch_size: int = 5000, checkpoint_file: Path | None = None) -> VerifyResult:
    """Walk the chain in order; report the first row that was edited, removed or inserted.

    The chain must also reach the last checkpoint written outside the database,
    and the row at each checkpoint must still have the hash recorded then: so
    rows removed with the chain head, or a chain rebuilt from a point, are found.
    """
    log = read_checkpoints(checkpoint_file)
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
        for checkpoint in log.by_seq.get(event.seq, ()):
            if checkpoint.row_hash != event.row_hash:
                return VerifyResult(
                    checked,
                    event.seq,
                    f"its hash does not match the checkpoint taken on {checkpoint.taken} "
                    f"(line {checkpoint.line:,} of {log.path}): the chain was rebuilt",
                )
        expected_prev = event.row_hash
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    if log.last is not None and log.last.seq > last_seq:
        return VerifyResult(
            checked,
            expected_seq,
            f"the chain ends at row {last_seq:,} but row {log.last.seq:,} was checkpointed on {log.last.taken} "
            f"(line {log.last.line:,} of {log.path}): rows were removed",
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != expected_prev):
        return VerifyResult(
            checked, head.last_seq, f"the chain ends at row {last_seq} but row {head.last_seq} was written"
        )
    if log.problems:
        return VerifyResult(checked, None, "; ".join(log.problems[:5]), checkpoints=log.count)
    return VerifyResult(checked, checkpoints=log.count)
