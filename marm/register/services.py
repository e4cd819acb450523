"""Writes on the high-risk register (000 Appendix C): entries, reviews, other
processes, reports of support not delivered. The duty desk's writes are in
``duty.py``.

Each service is one transaction with its audit row; putting a person on the
register and taking them off are decisions, recorded in the decision log in
the same transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.roles import Role
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.cases.vocab import RiskCategory
from marm.decisions.models import DecisionKind
from marm.decisions.services import decision_record
from marm.notifications.services import notify
from marm.organisations.models import Membership
from marm.people.models import Person
from marm.register import selectors
from marm.register.duty import CONTACT_ALERT_TITLE
from marm.register.models import (
    ACKNOWLEDGE_WITHIN_MINUTES_RANGE,
    ContactAlert,
    NamedProfessionalChange,
    ProcessKind,
    RegisterEntry,
    RegisterProcess,
    RegisterReview,
    RegisterSettings,
    ReviewOutcome,
    ReviewTask,
    SupportNotDelivered,
)


def _require_member(acting_user, team) -> None:
    """A register is kept by its team: only the team's members change it."""
    if not Membership.objects.filter(user=acting_user, team=team, team__agency_id=acting_user.agency_id).exists():
        raise PermissionDenied


def _require_person_visible(acting_user, person) -> None:
    if not Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied


def _entry_visible(acting_user, entry) -> RegisterEntry:
    """The entry, locked for this transaction, if the user may see it."""
    locked = RegisterEntry.objects.visible_to(acting_user).select_for_update().filter(pk=entry.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


@acts_on("person", "case")
def register_entry_add(
    *,
    acting_user,
    team,
    person: Person,
    criteria,
    named_professional,
    reason: str,
    case: Case | None = None,
    missed_visits_threshold: int | None = None,
    missed_visits_window_days: int | None = 7,
) -> RegisterEntry:
    """Put a person on a team's high-risk register against the criteria of 000 I.4."""
    with transaction.atomic():
        require(acting_user, "register.manage_entry")
        _require_member(acting_user, team)
        _require_person_visible(acting_user, person)
        errors = {}
        criteria = list(dict.fromkeys(criteria or []))
        if not criteria:
            errors["criteria"] = "Select the criteria the person meets"
        elif any(c not in RiskCategory.values for c in criteria):
            errors["criteria"] = "Select criteria from the list"
        if not reason.strip():
            errors["reason"] = "Say why the person is on the register"
        if named_professional is None or not (
            named_professional.is_active and named_professional.agency_id == team.agency_id
        ):
            errors["named_professional"] = "Choose a named professional in your agency"
        if case is not None and (
            case.person_id != person.pk or not Case.objects.visible_to(acting_user).filter(pk=case.pk).exists()
        ):
            errors["case"] = "Choose one of the person's cases"
        # The trigger agreed with the care provider (000 Appendix C): bounded so a slip of the keyboard
        # cannot set a trigger that never fires or a window that never ends.
        if missed_visits_threshold is not None and not 1 <= missed_visits_threshold <= 50:
            errors["missed_visits_threshold"] = "Enter a number of missed visits from 1 to 50"
        if missed_visits_window_days is None:
            errors["missed_visits_window_days"] = "Enter the number of days, for example 7"
        elif not 1 <= missed_visits_window_days <= 90:
            errors["missed_visits_window_days"] = "Enter a number of days from 1 to 90"
        if RegisterEntry.objects.active().filter(team=team, person=person).exists():
            errors["person"] = "The person is already on this team's register"
        if errors:
            raise ValidationError(errors)
        entry = RegisterEntry(
            team=team,
            person=person,
            case=case,
            criteria=criteria,
            named_professional=named_professional,
            reason=reason.strip(),
            missed_visits_threshold=missed_visits_threshold,
            missed_visits_window_days=missed_visits_window_days,
            added_by=acting_user,
            added_at=timezone.now(),
        )
        entry.full_clean()
        entry.save(force_insert=True)
        decision_record(
            acting_user=acting_user,
            person=person,
            case=case,
            kind=DecisionKind.OTHER,
            summary=f"Added to the high-risk register of {team.name}, with {named_professional} as named professional",
            rationale=reason.strip(),
            participants=[acting_user, named_professional],
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=entry,
            person_id=person.pk,
            detail={"team": team.pk, "criteria": criteria},
        )
    return entry


@acts_on("entry")
def register_entry_remove(*, acting_user, entry: RegisterEntry, reason: str) -> RegisterEntry:
    """Take a person off the register. The alert on their record goes with it (000 Appendix C)."""
    with transaction.atomic():
        require(acting_user, "register.manage_entry")
        current = _entry_visible(acting_user, entry)
        _require_member(acting_user, current.team)
        if not current.is_active:
            raise ValidationError("The person has already been taken off this register")
        if not reason.strip():
            raise ValidationError({"reason": "Say why the person is coming off the register"})
        current.removed_at = timezone.now()
        current.removed_by = acting_user
        current.removal_reason = reason.strip()
        current.full_clean()
        current.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        decision_record(
            acting_user=acting_user,
            person=current.person,
            case=current.case,
            kind=DecisionKind.OTHER,
            summary=f"Removed from the high-risk register of {current.team.name}",
            rationale=reason.strip(),
            participants=[acting_user, current.named_professional],
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=current,
            person_id=current.person_id,
            detail={"removed": True},
        )
    return current


@acts_on("entry")
def register_named_professional_change(
    *, acting_user, entry: RegisterEntry, named_professional, reason: str
) -> NamedProfessionalChange:
    """Hand an entry to another named professional, with why.

    The change is a decision, recorded in the decision log; the new named
    professional is told at once, and contact alerts still waiting for
    acknowledgement go to them (the wait before the supervisor is told runs
    on from when each contact was logged).
    """
    with transaction.atomic():
        require(acting_user, "register.manage_entry")
        current = _entry_visible(acting_user, entry)
        _require_member(acting_user, current.team)
        if not current.is_active:
            raise ValidationError("The person has been taken off this register")
        errors = {}
        previous = current.named_professional
        if named_professional is None or not (
            named_professional.is_active and named_professional.agency_id == current.team.agency_id
        ):
            errors["named_professional"] = "Choose a named professional in your agency"
        elif named_professional.pk == previous.pk:
            errors["named_professional"] = f"{previous} is already the named professional: choose someone else"
        if not reason.strip():
            errors["reason"] = "Say why the named professional is changing"
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        current.named_professional = named_professional
        current.save(update_fields=["named_professional"])
        change = NamedProfessionalChange(
            entry=current,
            previous=previous,
            named_professional=named_professional,
            reason=reason.strip(),
            changed_by=acting_user,
            changed_at=now,
        )
        change.full_clean()
        change.save(force_insert=True)
        decision_record(
            acting_user=acting_user,
            person=current.person,
            case=current.case,
            kind=DecisionKind.OTHER,
            summary=(
                f"Named professional on the high-risk register of {current.team.name} "
                f"changed from {previous} to {named_professional}"
            ),
            rationale=reason.strip(),
            participants=[acting_user, previous, named_professional],
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=current,
            person_id=current.person_id,
            detail={"named_professional": str(named_professional.pk), "previous": str(previous.pk)},
        )
        entry_url = reverse("register:entry", kwargs={"entry_pk": current.pk})
        notify(
            recipient=named_professional,
            kind="register_named_professional",
            key=f"register-named-professional:{change.pk}",
            title="You are now the named professional for someone on your team's register",
            link=entry_url,
            actor=acting_user,
        )
        waiting = ContactAlert.objects.select_for_update().filter(entry=current, acknowledged_at__isnull=True)
        for alert in waiting:
            alert.recipient = named_professional
            alert.save(update_fields=["recipient"])
            audit_record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=alert,
                person_id=current.person_id,
                detail={"recipient": str(named_professional.pk), "previous_recipient": str(previous.pk)},
            )
            notify(
                recipient=named_professional,
                kind="register_contact",
                key=f"register-contact:{alert.pk}",
                title=CONTACT_ALERT_TITLE,
                link=reverse("register:alert", kwargs={"alert_pk": alert.pk}),
                actor=acting_user,
            )
    return change


def register_settings_update(*, acting_user, team, acknowledge_within_minutes: int | None) -> RegisterSettings | None:
    """Set how long the team's named professionals have to acknowledge a contact alert before
    its supervisors are told; None returns the team to the installation's wait."""
    with transaction.atomic():
        require(acting_user, "register.manage_entry")
        _require_member(acting_user, team)
        low, high = ACKNOWLEDGE_WITHIN_MINUTES_RANGE
        if acknowledge_within_minutes is not None and not low <= acknowledge_within_minutes <= high:
            raise ValidationError(
                {"acknowledge_within_minutes": f"Enter a number of minutes from {low} to {high} (24 hours)"}
            )
        current = RegisterSettings.objects.select_for_update().filter(team=team).first()
        before = current.acknowledge_within_minutes if current else None
        if acknowledge_within_minutes is None:
            if current is not None:
                current.delete()
            current = None
        else:
            current = current or RegisterSettings(team=team)
            current.acknowledge_within_minutes = acknowledge_within_minutes
            current.updated_by = acting_user
            current.updated_at = timezone.now()
            current.full_clean()
            current.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=team,
            detail={"acknowledge_within_minutes": [before, acknowledge_within_minutes]},
        )
    return current


@acts_on("entry")
def register_review_record(
    *, acting_user, entry: RegisterEntry, outcome: str, notes: str, with_lead_professional=None
) -> RegisterReview:
    """Record the weekly review of an entry; a supervisor records one held with the lead professional.

    A review closes the review tasks raised before it (missed visits).
    """
    with transaction.atomic():
        require(acting_user, "register.review_entry")
        current = _entry_visible(acting_user, entry)
        if not current.is_active:
            raise ValidationError("The person is no longer on this register")
        errors = {}
        if outcome not in ReviewOutcome.values:
            errors["outcome"] = "Select the outcome of the review"
        if not notes.strip():
            errors["notes"] = "Say what the review found"
        is_supervision = with_lead_professional is not None
        if is_supervision:
            if not Membership.objects.filter(user=acting_user, team=current.team, role=Role.SUPERVISOR).exists():
                errors["with_lead_professional"] = "Only a supervisor of the team records a supervision review"
            elif with_lead_professional.agency_id != acting_user.agency_id:
                errors["with_lead_professional"] = "Choose the lead professional from your agency"
        if errors:
            raise ValidationError(errors)
        review = RegisterReview(
            entry=current,
            reviewed_by=acting_user,
            reviewed_at=timezone.now(),
            outcome=outcome,
            notes=notes.strip(),
            is_supervision=is_supervision,
            with_lead_professional=with_lead_professional,
        )
        review.full_clean()
        review.save(force_insert=True)
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=review,
            person_id=current.person_id,
            detail={"outcome": outcome, "supervision": is_supervision},
        )
        # Few tasks wait on one entry (one per run of missed visits): each closed task is audited on its own.
        for task in ReviewTask.objects.select_for_update().filter(
            entry=current, done_by_review__isnull=True, raised_at__lte=review.reviewed_at
        ):
            task.done_by_review = review
            task.save(update_fields=["done_by_review"])
            audit_record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=task,
                person_id=current.person_id,
                detail={"done_by_review": review.pk},
            )
    return review


@acts_on("entry")
def register_process_add(
    *, acting_user, entry: RegisterEntry, kind: str, started_on: datetime.date, detail: str = ""
) -> RegisterProcess:
    """Record another active process (s42, MARAC, Channel, MAPPA, CPA) on the entry."""
    with transaction.atomic():
        require(acting_user, "register.record_process")
        current = _entry_visible(acting_user, entry)
        if kind not in ProcessKind.values:
            raise ValidationError({"kind": "Select the process"})
        process = RegisterProcess(
            entry=current,
            kind=kind,
            detail=detail.strip(),
            started_on=started_on,
            recorded_by=acting_user,
            recorded_at=timezone.now(),
        )
        process.full_clean()
        process.save(force_insert=True)
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=process,
            person_id=current.person_id,
            detail={"kind": kind},
        )
    return process


@acts_on("process")
def register_process_end(*, acting_user, process: RegisterProcess, ended_on: datetime.date) -> RegisterProcess:
    with transaction.atomic():
        require(acting_user, "register.record_process")
        current = _entry_visible(acting_user, process.entry)
        locked = RegisterProcess.objects.select_for_update().get(pk=process.pk, entry=current)
        if locked.ended_on is not None:
            raise ValidationError("This process has already ended")
        if ended_on < locked.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date"})
        locked.ended_on = ended_on
        locked.ended_by = acting_user
        locked.full_clean()
        locked.save(update_fields=["ended_on", "ended_by"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            person_id=current.person_id,
            detail={"ended_on": ended_on.isoformat()},
        )
    return locked


@acts_on("person")
def support_not_delivered_report(
    *,
    acting_user,
    person: Person,
    missed_on: datetime.date,
    what_was_missed: str,
    why: str,
    notes: str = "",
) -> SupportNotDelivered:
    """A care provider reports support not delivered.

    000 Appendix C: thresholds agreed per case "at which the provider must inform
    the lead coordinating professional of undelivered 1 to 1 support and a trigger
    point for a review". When the reports in an entry's window reach its threshold,
    the lead professional gets a review task. The reporter learns nothing of the
    register: an agency sees only its own registers.
    """
    with transaction.atomic():
        require(acting_user, "register.report_support_not_delivered")
        _require_person_visible(acting_user, person)
        if missed_on > timezone.localdate():
            raise ValidationError({"missed_on": "The date must be today or in the past"})
        report = SupportNotDelivered(
            person=person,
            missed_on=missed_on,
            what_was_missed=what_was_missed.strip(),
            why=why,
            notes=notes.strip(),
            reported_by=acting_user,
            reported_by_agency_id=acting_user.agency_id,
            reported_at=timezone.now(),
        )
        report.full_clean()
        report.save(force_insert=True)
        audit_record(actor=acting_user, action=AuditAction.CREATE, obj=report, person_id=person.pk)
        _check_thresholds(report)
    return report


def _check_thresholds(report: SupportNotDelivered) -> None:
    entries = (
        RegisterEntry.objects.active()
        .filter(person_id=report.person_id, missed_visits_threshold__isnull=False)
        .select_related("team", "named_professional")
    )
    for entry in entries:
        window_start = report.missed_on - datetime.timedelta(days=entry.missed_visits_window_days - 1)
        missed = SupportNotDelivered.objects.filter(
            person_id=report.person_id, missed_on__gte=window_start, missed_on__lte=report.missed_on
        ).count()
        if missed < entry.missed_visits_threshold:
            continue
        if entry.review_tasks.filter(done_by_review__isnull=True).exists():
            continue  # one open review at a time: the lead already has it
        lead = selectors.lead_professional_of(entry)
        task = ReviewTask.objects.create(
            entry=entry,
            assigned_to=lead,
            reason=(
                f"{missed} reports of support not delivered in {entry.missed_visits_window_days} days "
                f"(threshold {entry.missed_visits_threshold})"
            ),
            key=f"missed-visits:{entry.pk}:{report.pk}",
            raised_at=timezone.now(),
        )
        audit_record(
            actor=report.reported_by,
            action=AuditAction.CREATE,
            obj=task,
            person_id=entry.person_id,
            detail={"missed": missed, "threshold": entry.missed_visits_threshold},
        )
        # The e-mail names no one: it says what happened and links into marm.
        notify(
            recipient=lead,
            kind="register_review_task",
            key=f"register-review-task:{task.pk}",
            title="Support was not delivered to someone on your register: a review is due",
            link=reverse("register:entry", kwargs={"entry_pk": entry.pk}),
            actor=report.reported_by,
        )
