"""Subject access requests: each step one transaction with its audit row (ADR 0031)."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.people.models import Person
from marm.rights import dates, gathering
from marm.rights.models import (
    OPEN_STATUSES,
    Decision,
    DisclosureItem,
    RequestStatus,
    SubjectAccessDisclosure,
    SubjectAccessRequest,
)
from marm.rights.rules import WORK_SUBJECT_ACCESS


def _locked(subject_access: SubjectAccessRequest) -> SubjectAccessRequest:
    return SubjectAccessRequest.objects.select_for_update().get(pk=subject_access.pk)


def _audit(acting_user, subject_access, action, purpose: str, **detail) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        obj=subject_access,
        person_id=subject_access.person_id,
        purpose=purpose,
        detail=detail,
    )


def _require_status(subject_access, *statuses, message: str) -> None:
    if subject_access.status not in statuses:
        raise ValidationError(message)


def _not_in_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


@acts_on("person")
@transaction.atomic
def subject_access_register(
    *,
    acting_user,
    person: Person,
    received_on: datetime.date,
    requester: str,
    requester_name: str,
    requester_contact: str,
    what_is_asked: str = "",
) -> SubjectAccessRequest:
    """Record a request as received; it falls due one calendar month after the day it was received."""
    require(acting_user, WORK_SUBJECT_ACCESS, person)
    _not_in_future(received_on, "received_on", "The date received")
    subject_access = SubjectAccessRequest(
        person=person,
        received_on=received_on,
        requester=requester,
        requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(),
        what_is_asked=what_is_asked.strip(),
        due_on=dates.due_on(received_on),
        registered_by=acting_user,
    )
    subject_access.full_clean()
    subject_access.save(force_insert=True)
    _audit(acting_user, subject_access, AuditAction.CREATE, "Subject access request registered")
    return subject_access


@acts_on("subject_access")
@transaction.atomic
def subject_access_check_identity(
    *,
    acting_user,
    subject_access: SubjectAccessRequest,
    checked_on: datetime.date,
    method: str,
    details: str = "",
) -> SubjectAccessRequest:
    """Record how the requester's identity (and any authority to act) was checked."""
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    subject_access = _locked(subject_access)
    _require_status(subject_access, RequestStatus.REGISTERED, message="Identity has already been checked")
    _not_in_future(checked_on, "checked_on", "The date of the check")
    if checked_on < subject_access.received_on:
        raise ValidationError({"checked_on": "The date of the check must be on or after the date received"})
    subject_access.identity_checked_on = checked_on
    subject_access.identity_checked_by = acting_user
    subject_access.identity_check = method
    subject_access.identity_details = details.strip()
    subject_access.status = RequestStatus.GATHERING
    subject_access.full_clean()
    subject_access.save(
        update_fields=["identity_checked_on", "identity_checked_by", "identity_check", "identity_details", "status"]
    )
    _audit(acting_user, subject_access, AuditAction.UPDATE, "Subject access: identity checked", method=method)
    return subject_access


@acts_on("subject_access")
@transaction.atomic
def subject_access_extend(
    *, acting_user, subject_access: SubjectAccessRequest, months: int, reason: str, details: str
) -> SubjectAccessRequest:
    """Extend the time to answer by up to two further months in all, with the reason (Art. 12(3))."""
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    subject_access = _locked(subject_access)
    _require_status(subject_access, *OPEN_STATUSES, message="Only an open request can be extended")
    total = subject_access.extension_months + months
    if months < 1 or total > dates.MAX_EXTENSION_MONTHS:
        raise ValidationError({"months": "A request can be extended by two further months at most"})
    if not details.strip():
        raise ValidationError({"details": "Enter why the request needs more time"})
    subject_access.extension_months = total
    subject_access.extension_reason = reason
    subject_access.extension_details = details.strip()
    subject_access.due_on = dates.due_on(subject_access.received_on, total)
    subject_access.full_clean()
    subject_access.save(update_fields=["extension_months", "extension_reason", "extension_details", "due_on"])
    _audit(
        acting_user,
        subject_access,
        AuditAction.UPDATE,
        "Subject access: time to answer extended",
        months=total,
        due_on=subject_access.due_on.isoformat(),
    )
    return subject_access


@acts_on("subject_access")
@transaction.atomic
def subject_access_gather(*, acting_user, subject_access: SubjectAccessRequest) -> int:
    """Gather every record about the person, across the partnership, as items to decide on."""
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    subject_access = _locked(subject_access)
    if subject_access.status == RequestStatus.REGISTERED:
        raise ValidationError("Check the requester's identity before gathering the records")
    _require_status(subject_access, RequestStatus.GATHERING, message="The records have already been gathered")
    fields = gathering.gather(subject_access.person)
    DisclosureItem.objects.bulk_create(
        DisclosureItem(
            request=subject_access,
            position=position,
            model_label=field.model_label,
            object_pk=field.object_pk,
            kind=field.kind,
            record_label=field.record_label,
            field_name=field.field_name,
            field_label=field.field_label,
            value=field.value,
            names_someone_else=field.names_someone_else,
        )
        for position, field in enumerate(fields, start=1)
    )
    subject_access.status = RequestStatus.REDACTING
    subject_access.gathered_at = timezone.now()
    subject_access.save(update_fields=["status", "gathered_at"])
    kinds: dict[str, int] = {}
    for field in fields:
        kinds[field.model_label] = kinds.get(field.model_label, 0) + 1
    _audit(acting_user, subject_access, AuditAction.CREATE, "Subject access: records gathered", items=kinds)
    return len(fields)


@acts_on("subject_access")
@transaction.atomic
def subject_access_decide(
    *, acting_user, subject_access: SubjectAccessRequest, item_ids: list[int], decision: str, reason: str = ""
) -> int:
    """Disclose, redact or withhold the chosen items; a redaction or withholding needs its reason."""
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    subject_access = _locked(subject_access)
    _require_status(
        subject_access,
        RequestStatus.REDACTING,
        message="Decide on the items after gathering the records and before the request is answered",
    )
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select what to do with the items"})
    if decision == Decision.INCLUDE:
        reason = ""
    elif not reason:
        raise ValidationError({"reason": "Select why the items are not disclosed"})
    items = list(DisclosureItem.objects.filter(request=subject_access, pk__in=item_ids))
    if not items or len(items) != len(set(item_ids)):
        raise ValidationError({"items": "Select the items to decide on"})
    now = timezone.now()
    for item in items:
        item.decision, item.reason, item.decided_by, item.decided_at = decision, reason, acting_user, now
        item.full_clean()
    DisclosureItem.objects.bulk_update(items, ["decision", "reason", "decided_by", "decided_at"])
    _audit(
        acting_user,
        subject_access,
        AuditAction.UPDATE,
        "Subject access: disclosure decided",
        decision=decision,
        reason=reason,
        items=sorted(item.pk for item in items),
    )
    return len(items)


@acts_on("subject_access")
@transaction.atomic
def subject_access_disclose(
    *, acting_user, subject_access: SubjectAccessRequest, document_format: str, content: bytes, counts: dict[str, int]
) -> SubjectAccessDisclosure:
    """Record a response downloaded to be given to the person: an EXPORT of their record."""
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    _require_status(
        subject_access,
        RequestStatus.REDACTING,
        RequestStatus.ANSWERED,
        message="Gather the records before downloading the response",
    )
    disclosure = SubjectAccessDisclosure(
        request=subject_access,
        format=document_format,
        sha256=hashlib.sha256(content).hexdigest(),
        items_disclosed=counts["disclosed"],
        items_redacted=counts["redacted"],
        items_withheld=counts["withheld"],
        made_by=acting_user,
        made_at=timezone.now(),
    )
    disclosure.full_clean()
    disclosure.save(force_insert=True)
    _audit(
        acting_user,
        subject_access,
        AuditAction.EXPORT,
        f"Subject access: response to the person ({disclosure.get_format_display()})",
        format=document_format,
        sha256=disclosure.sha256,
        **counts,
    )
    return disclosure


@acts_on("subject_access")
@transaction.atomic
def subject_access_answer(
    *, acting_user, subject_access: SubjectAccessRequest, answered_on: datetime.date
) -> SubjectAccessRequest:
    """Record the day the response was given; a response not yet downloaded cannot have been given."""
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    subject_access = _locked(subject_access)
    _require_status(subject_access, RequestStatus.REDACTING, message="Gather the records and decide on them first")
    if not subject_access.disclosures.exists():
        raise ValidationError("Download the response before recording that it was given")
    _not_in_future(answered_on, "answered_on", "The date answered")
    if answered_on < subject_access.received_on:
        raise ValidationError({"answered_on": "The date answered must be on or after the date received"})
    subject_access.status = RequestStatus.ANSWERED
    subject_access.answered_on = answered_on
    subject_access.save(update_fields=["status", "answered_on"])
    _audit(
        acting_user,
        subject_access,
        AuditAction.UPDATE,
        "Subject access: answered",
        answered_on=answered_on.isoformat(),
        late=answered_on > subject_access.due_on,
    )
    return subject_access


@acts_on("subject_access")
@transaction.atomic
def subject_access_withdraw(*, acting_user, subject_access: SubjectAccessRequest, reason: str) -> SubjectAccessRequest:
    require(acting_user, WORK_SUBJECT_ACCESS, subject_access.person)
    subject_access = _locked(subject_access)
    if not subject_access.is_open:
        raise ValidationError("Only an open request can be withdrawn")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the request is withdrawn"})
    subject_access.status = RequestStatus.WITHDRAWN
    subject_access.withdrawn_reason = reason.strip()
    subject_access.save(update_fields=["status", "withdrawn_reason"])
    _audit(acting_user, subject_access, AuditAction.UPDATE, "Subject access: withdrawn")
    return subject_access
