"""The register's sweeps, run again and again by run_sweeps beside the worker.

Each derives its notification keys from the event, so running twice, or
again after a crash half-way, notifies once.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse

from marm.access.roles import Role
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.notifications.services import REMINDERS, notify
from marm.organisations.models import Membership
from marm.register.duty import acknowledge_within, acknowledge_within_by_team
from marm.register.models import ACKNOWLEDGE_WITHIN_MINUTES_RANGE, REVIEW_INTERVAL, ContactAlert, RegisterEntry


def _supervisors(team_ids) -> dict[int, list]:
    """The supervisors of each team; a team without one falls back to its managers."""
    by_team: dict[int, dict[str, list]] = {}
    memberships = Membership.objects.filter(
        team_id__in=set(team_ids), role__in=[Role.SUPERVISOR, Role.MANAGER], user__is_active=True
    ).select_related("user")
    for membership in memberships:
        by_team.setdefault(membership.team_id, {}).setdefault(membership.role, []).append(membership.user)
    return {team_id: roles.get(Role.SUPERVISOR) or roles.get(Role.MANAGER, []) for team_id, roles in by_team.items()}


def review_due_at(entry) -> datetime.datetime:
    """000 Appendix C: weekly; the week runs from the last review, or from being added."""
    last = getattr(entry, "last_reviewed_at", None) or entry.added_at
    return last + REVIEW_INTERVAL


def sweep_reviews_overdue(now: datetime.datetime) -> int:
    """Remind the named professional and the team's supervisors of each overdue weekly review."""
    entries = list(
        RegisterEntry.objects.active()
        .annotate(last_reviewed_at=Coalesce(Max("reviews__reviewed_at"), "added_at"))
        .filter(last_reviewed_at__lt=now - REVIEW_INTERVAL)
        .select_related("named_professional")
    )
    supervisors = _supervisors(entry.team_id for entry in entries)
    created = 0
    for entry in entries:
        due = review_due_at(entry)
        link = reverse("register:entry", kwargs={"entry_pk": entry.pk})
        recipients = {entry.named_professional, *supervisors.get(entry.team_id, [])}
        for recipient in recipients:
            if notify(
                recipient=recipient,
                kind="register_review_overdue",
                # One reminder per review cycle: a new review starts a new cycle and a new key.
                key=f"register-review-overdue:{entry.pk}:{due.isoformat()}",
                title="A weekly review of someone on your team's register is overdue",
                link=link,
            ):
                created += 1
    return created


def sweep_alerts_unacknowledged(now: datetime.datetime) -> int:
    """Send to the team's supervisors each contact alert not acknowledged in time."""
    default = acknowledge_within()
    shortest = datetime.timedelta(minutes=ACKNOWLEDGE_WITHIN_MINUTES_RANGE[0])
    waiting = list(
        ContactAlert.objects.filter(
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            created_at__lte=now - min(shortest, default),
        ).select_related("entry")
    )
    # Each team's own wait, where it set one.
    waits = acknowledge_within_by_team({alert.entry.team_id for alert in waiting})
    waiting = [alert for alert in waiting if alert.created_at <= now - waits.get(alert.entry.team_id, default)]
    supervisors = _supervisors(alert.entry.team_id for alert in waiting)
    created = 0
    for alert in waiting:
        with transaction.atomic():
            claimed = ContactAlert.objects.filter(pk=alert.pk, escalated_at__isnull=True).update(escalated_at=now)
            if not claimed:
                continue  # another sweep took it
            audit_record(
                actor=REMINDERS,
                action=AuditAction.UPDATE,
                obj=alert,
                person_id=alert.entry.person_id,
                detail={"escalated": True},
            )
            for supervisor in supervisors.get(alert.entry.team_id, []):
                if notify(
                    recipient=supervisor,
                    kind="register_contact_escalated",
                    key=f"register-contact-escalated:{alert.pk}",
                    title="A contact alert about someone on your team's register has not been acknowledged",
                    link=reverse("register:alert", kwargs={"alert_pk": alert.pk}),
                ):
                    created += 1
    return created
