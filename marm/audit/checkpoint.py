"""Checkpoints of the audit chain's head, kept outside the database (ADR 0024).

The hash chain shows that rows were not changed in place. It cannot show that
the last rows, or all of them, were removed together with the chain head. So
from time to time the head (its sequence number and row hash) is written,
signed, to an append-only file that the database's roles cannot reach, and
``audit_verify`` checks the chain still reaches every checkpoint.

Each checkpoint is one line of JSON::

    {"seq": 1234, "row_hash": "…", "at": "2026-12-07T09:12:00+00:00", "signature": "…"}

``signature`` is HMAC-SHA256, keyed with ``AUDIT_CHECKPOINT_KEY``, over the
JSON of ``at``, ``row_hash`` and ``seq`` with sorted keys and no spaces.
Without that setting the key is derived from ``SECRET_KEY`` with a salt of
its own; production should set a key of its own, kept apart from the
database credentials.
"""

import datetime
import hashlib
import hmac
import json
import logging
import logging.handlers
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from marm.audit.models import AuditEvent

try:
    import fcntl
except ImportError:  # not on Windows: appends are then not locked against a second writer
    fcntl = None

logger = logging.getLogger("marm.audit.checkpoint")

KEY_SALT = "marm.audit.checkpoint"
_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    row_hash: str
    at: str
    signature: str = ""
    line: int = 0  # its line in the file, counting from 1

    @property
    def taken(self) -> str:
        """When it was taken, for messages: "7 December 2026 at 09:12"."""
        try:
            moment = timezone.localtime(datetime.datetime.fromisoformat(self.at))
        except ValueError:
            return self.at
        return f"{moment.day} {moment:%B %Y at %H:%M}"

    def as_line(self) -> str:
        content = {"seq": self.seq, "row_hash": self.row_hash, "at": self.at, "signature": self.signature}
        return json.dumps(content, separators=(",", ":")) + "\n"


@dataclass
class CheckpointLog:
    """What the checkpoint file holds: the checkpoints whose signatures match, and the lines that do not."""

    path: Path
    by_seq: dict[int, list[Checkpoint]] = field(default_factory=dict)
    last: Checkpoint | None = None
    count: int = 0
    problems: list[str] = field(default_factory=list)


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def signing_key() -> bytes:
    key = settings.AUDIT_CHECKPOINT_KEY
    if key:
        return key.encode()
    # A distinct salt, so the key signs nothing else Django signs with SECRET_KEY.
    return salted_hmac(KEY_SALT, "checkpoint signing key", secret=settings.SECRET_KEY, algorithm="sha256").digest()


def _signed_bytes(seq: int, row_hash: str, at: str) -> bytes:
    return json.dumps({"at": at, "row_hash": row_hash, "seq": seq}, sort_keys=True, separators=(",", ":")).encode()


def sign(seq: int, row_hash: str, at: str) -> str:
    return hmac.new(signing_key(), _signed_bytes(seq, row_hash, at), hashlib.sha256).hexdigest()


def parse_line(text: str, line: int) -> Checkpoint:
    """One line of the file as a checkpoint; ValueError says why it is not a trustworthy one."""
    try:
        content = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("it is not a checkpoint (it cannot be read)") from None
    if not isinstance(content, dict):
        raise ValueError("it is not a checkpoint (it cannot be read)")
    seq, row_hash, at, signature = (content.get(key) for key in ("seq", "row_hash", "at", "signature"))
    if (
        not isinstance(seq, int)
        or isinstance(seq, bool)
        or seq < 1
        or not isinstance(row_hash, str)
        or not _HASH.match(row_hash)
        or not isinstance(at, str)
        or not isinstance(signature, str)
    ):
        raise ValueError("it is not a checkpoint (a field is missing or wrong)")
    if not hmac.compare_digest(sign(seq, row_hash, at), signature):
        raise ValueError("its signature does not match: the line was changed, or signed with another key")
    return Checkpoint(seq=seq, row_hash=row_hash, at=at, signature=signature, line=line)


def read_checkpoints(path: Path | None = None) -> CheckpointLog:
    """Every checkpoint in the file; a missing file holds none."""
    log = CheckpointLog(path=Path(path or checkpoint_path()))
    try:
        handle = open(log.path, encoding="utf-8", errors="replace")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return log
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                checkpoint = parse_line(text, number)
            except ValueError as problem:
                log.problems.append(f"line {number:,} of the checkpoint file {log.path}: {problem}")
                continue
            log.by_seq.setdefault(checkpoint.seq, []).append(checkpoint)
            log.count += 1
            if log.last is None or checkpoint.seq >= log.last.seq:
                log.last = checkpoint
    return log


def _last_line(handle) -> bytes:
    """The file's last non-empty line, read from the end (the file grows for years)."""
    handle.seek(0, os.SEEK_END)
    position = handle.tell()
    tail = b""
    while position > 0:
        step = min(4096, position)
        position -= step
        handle.seek(position)
        tail = handle.read(step) + tail
        stripped = tail.rstrip(b"\n")
        if b"\n" in stripped:
            return stripped.rsplit(b"\n", 1)[1]
    return tail.rstrip(b"\n")


def audit_checkpoint(*, now: datetime.datetime | None = None, path: Path | None = None) -> Checkpoint | None:
    """Append a signed checkpoint of the chain's last row; None if there was nothing new to record.

    Appends nothing when the chain has not grown since the last checkpoint, and
    nothing (logging an error) when the chain no longer matches the last
    checkpoint: that is for ``audit_verify`` and a person to look into.
    """
    path = Path(path or checkpoint_path())
    last_row = AuditEvent.objects.order_by("-seq").values("seq", "row_hash").first()
    if last_row is None:
        return None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "r+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        previous = None
        last_text = _last_line(handle)
        if last_text:
            try:
                previous = parse_line(last_text.decode("utf-8", errors="replace"), 0)
            except ValueError:
                previous = None  # audit_verify reports the bad line; this checkpoint is still worth taking
        if previous is not None:
            if previous.seq == last_row["seq"] and previous.row_hash == last_row["row_hash"]:
                return None
            if not _still_matches(previous):
                logger.error(
                    "The audit chain no longer reaches the checkpoint of row %s taken on %s: no checkpoint "
                    "written. Run audit_verify.",
                    f"{previous.seq:,}",
                    previous.taken,
                )
                return None
        at = (now or timezone.now()).astimezone(datetime.UTC).isoformat()
        checkpoint = Checkpoint(
            seq=last_row["seq"],
            row_hash=last_row["row_hash"],
            at=at,
            signature=sign(last_row["seq"], last_row["row_hash"], at),
        )
        handle.seek(0, os.SEEK_END)
        if handle.tell() and not _ends_with_newline(handle):
            handle.write(b"\n")  # a line cut short by a crash stays on its own line
        handle.write(checkpoint.as_line().encode())
        handle.flush()
        os.fsync(handle.fileno())
    _send_to_syslog(checkpoint)
    return checkpoint


def _ends_with_newline(handle) -> bool:
    handle.seek(-1, os.SEEK_END)
    ends = handle.read(1) == b"\n"
    handle.seek(0, os.SEEK_END)
    return ends


def _still_matches(previous: Checkpoint) -> bool:
    row = AuditEvent.objects.filter(seq=previous.seq).values_list("row_hash", flat=True).first()
    return row == previous.row_hash


def _send_to_syslog(checkpoint: Checkpoint) -> None:
    """Log the line; with AUDIT_CHECKPOINT_SYSLOG set, also to that syslog address (a second copy elsewhere)."""
    address = settings.AUDIT_CHECKPOINT_SYSLOG
    if address and not any(getattr(h, "marm_checkpoint", False) for h in logger.handlers):
        try:
            handler = _syslog_handler(address)
        except (OSError, ValueError) as error:
            # The file has the checkpoint; a missing second copy must not stop the other sweeps.
            logger.warning("Cannot reach the syslog address %r for audit checkpoints: %s", address, error)
        else:
            logger.addHandler(handler)
    logger.info("%s", checkpoint.as_line().strip())


def _syslog_handler(address: str) -> logging.Handler:
    host, _, port = address.rpartition(":")
    if host and port.isdigit():
        handler = logging.handlers.SysLogHandler(address=(host, int(port)))
    else:
        handler = logging.handlers.SysLogHandler(address=address)
    handler.marm_checkpoint = True
    handler.setFormatter(logging.Formatter("marm-audit-checkpoint: %(message)s"))
    return handler


def checkpoint_sweep(now: datetime.datetime) -> int:
    """The "audit-checkpoint" sweep: how many checkpoints it wrote (0 or 1)."""
    return 1 if audit_checkpoint(now=now) is not None else 0
