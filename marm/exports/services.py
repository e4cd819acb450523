"""Exports: asked for on a page, made by the worker as the user who asked, downloaded once (ADR 0036).
The calendar feed's secret address: made, reset, and read by a calendar without a session."""

import datetime
import hashlib
import io
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.core.row_security import acting_for
from marm.exports.kinds import KINDS
from marm.exports.models import CalendarFeed, Export, ExportFormat, ExportKind, ExportStatus
from marm.exports.writers import WRITERS

logger = logging.getLogger(__name__)

EXPORTS_SWEEP = SystemActor("exports-expire")


def _expiry(now) -> datetime.datetime:
    return now + datetime.timedelta(hours=settings.MARM_EXPORT_EXPIRY_HOURS)


def export_request(*, acting_user, kind: str, format: str, parameters: dict | None = None) -> Export:  # noqa: A002
    """Queue an export of ``kind`` for the user; the worker makes it as them (``export_build``)."""
    from marm.exports.tasks import export_build_task

    if kind not in ExportKind.values or format not in ExportFormat.values:
        raise ValidationError("Choose what to export and in which format.")
    if not KINDS[kind].may_request(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        export = Export(
            requested_by=acting_user,
            kind=kind,
            format=format,
            parameters=parameters or {},
            expires_at=_expiry(timezone.now()),
        )
        export.full_clean()
        export.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=export,
            detail={"kind": kind, "format": format, "parameters": export.parameters},
        )
        # In the same transaction, as e-mails are (ADR 0004): the worker sees the job once the export exists.
        export_build_task.enqueue(str(export.pk))
    return export


def export_build(*, export_id: str) -> Export | None:
    """Make the file (the worker's job). The rows are read as the user who asked, with their scope in
    the app and, on PostgreSQL, in the database (``acting_for``); a user who has since lost the right
    to this kind of export gets a failed export, not a file.

    An export left "being made" by a worker that stopped is made again when its job is put back in
    the queue (``marm.notifications.jobs``). The result is kept only if the export is still being
    made when it is ready, so a second run never brings back a file already made or downloaded."""
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=export_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])
            .first()
        )
        if export is None:
            return None  # made already, or enqueued twice
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    user = export.requested_by
    kind = KINDS[export.kind]
    person_ids: set[str] = set()
    out = io.BytesIO()
    try:
        if not user.is_active or not kind.may_request(user):
            raise PermissionDenied
        with acting_for(user):
            count = WRITERS[export.format](out, kind.headings, kind.rows(user, export.parameters, person_ids))
    except Exception as error:  # the export fails visibly; the worker goes on
        logger.exception("Export %s failed", export.pk)
        with transaction.atomic():
            if not _still_running(export):
                return None
            export.status = ExportStatus.FAILED
            export.error = (
                "You may no longer export this." if isinstance(error, PermissionDenied) else "Unexpected error"
            )
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
        return export
    with transaction.atomic():
        if not _still_running(export):
            return None  # another run of the job finished it first
        export.content = out.getvalue()
        export.row_count = count
        export.person_ids = sorted(person_ids)
        export.status = ExportStatus.READY
        export.finished_at = timezone.now()
        export.save(update_fields=["content", "row_count", "person_ids", "status", "finished_at"])
    return export


def _still_running(export: Export) -> bool:
    """Lock the export and say whether it is still being made (inside a transaction)."""
    return Export.objects.select_for_update().filter(pk=export.pk, status=ExportStatus.RUNNING).exists()


class ExportGone(Exception):
    """The file was downloaded already, or expired, or never made."""


def export_download(*, acting_user, export_id) -> tuple[Export, bytes]:
    """The file, once: it is emptied in the transaction that records the download, and the audit
    row (a disclosure, ``EXPORT``) lists every person it names."""
    with transaction.atomic():
        export = Export.objects.select_for_update().filter(pk=export_id, requested_by=acting_user).first()
        if export is None:
            raise Export.DoesNotExist
        now = timezone.now()
        if export.status != ExportStatus.READY or export.content is None or export.expires_at <= now:
            raise ExportGone
        content = bytes(export.content)
        export.content = None
        export.status = ExportStatus.DOWNLOADED
        export.downloaded_at = now
        export.save(update_fields=["content", "status", "downloaded_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.EXPORT,
            obj=export,
            purpose=f"Downloaded {export.get_kind_display().lower()} ({export.format})",
            detail={
                "kind": export.kind,
                "format": export.format,
                "rows": export.row_count,
                "people": export.person_ids,
            },
        )
    return export, content


def exports_expire(now: datetime.datetime) -> int:
    """The ``exports-expire`` sweep: files not downloaded in time are emptied."""
    count = 0
    stale = Export.objects.filter(
        status__in=[ExportStatus.READY, ExportStatus.QUEUED, ExportStatus.RUNNING], expires_at__lte=now
    )
    for export_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            export = Export.objects.select_for_update().get(pk=export_id)
            export.content = None
            export.status = ExportStatus.EXPIRED
            export.save(update_fields=["content", "status"])
            audit_record(actor=EXPORTS_SWEEP, action=AuditAction.DELETE, obj=export, detail={"expired": True})
            count += 1
    return count


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_reset(*, acting_user) -> str:
    """Make the user's calendar address, or a new one in place of the old (which then finds nothing).
    Returns the token: it is shown once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=acting_user, defaults={"token_hash": _hash(token), "created_at": now}
        )
        if not created:
            feed.token_hash = _hash(token)
            feed.created_at = now
            feed.last_used_at = None
            feed.save(update_fields=["token_hash", "created_at", "last_used_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=feed,
            detail={"calendar_feed": "made" if created else "reset"},
        )
    return token


def calendar_feed_owner(*, token: str):
    """The user whose calendar address holds ``token``, or None (a reset or a made-up address)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_feed_used(*, acting_user, meetings: list) -> None:
    """The calendar fetched the feed: a disclosure of the meetings it lists, with their people."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=acting_user).update(last_used_at=timezone.now())
        audit_record(
            actor=acting_user,
            action=AuditAction.EXPORT,
            object_type="exports.calendarfeed",
            object_id=str(acting_user.pk),
            purpose="Calendar feed",
            detail={
                "meetings": [str(m.pk) for m in meetings],
                "people": sorted({str(m.case.person_id) for m in meetings}),
            },
        )
