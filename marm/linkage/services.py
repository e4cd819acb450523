"""Linking and unlinking records of the same person. Each is one transaction with its audit rows."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.linkage.models import DuplicatesDismissal, LinkSource, PersonLink


def _in_order(one, other):
    if one.pk == other.pk:
        raise ValidationError("A record cannot be linked to itself")
    return (one, other) if str(one.pk) < str(other.pk) else (other, one)


@transaction.atomic
def person_link(
    *,
    acting_user,
    person,
    other,
    reason: str,
    source: str = LinkSource.PERSON_PAGE,
    match_probability: float | None = None,
) -> PersonLink:
    """Say that two records are the same person. Neither record changes (link, not merge)."""
    require(acting_user, "linkage.link_people")
    person_a, person_b = _in_order(person, other)
    if PersonLink.objects.active().filter(person_a=person_a, person_b=person_b).exists():
        raise ValidationError("These records are already linked")
    link = PersonLink(
        person_a=person_a,
        person_b=person_b,
        reason=reason.strip(),
        source=source,
        match_probability=match_probability,
        linked_at=timezone.now(),
        linked_by=acting_user,
    )
    link.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            link.save(force_insert=True)
    except IntegrityError:
        raise ValidationError("These records are already linked") from None
    for linked in (person_a, person_b):
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=link,
            person_id=linked.pk,
            detail={"linked": [str(person_a.pk), str(person_b.pk)], "source": source},
        )
    return link


@transaction.atomic
def person_link_end(*, acting_user, link: PersonLink, reason: str) -> PersonLink:
    """Say that two linked records are not the same person after all. The link is kept, ended."""
    require(acting_user, "linkage.link_people")
    link = PersonLink.objects.select_for_update().get(pk=link.pk)
    if not link.is_active:
        raise ValidationError("This link has already been ended")
    link.ended_at = timezone.now()
    link.ended_by = acting_user
    link.end_reason = reason.strip()
    link.full_clean(validate_constraints=False)
    link.save(update_fields=["ended_at", "ended_by", "end_reason"])
    for person_id in (link.person_a_id, link.person_b_id):
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=link,
            person_id=person_id,
            detail={"ended": True},
        )
    return link


@transaction.atomic
def duplicates_dismiss(*, acting_user, person, other, reason: str) -> DuplicatesDismissal:
    """An administrator decides a suggested pair are different people."""
    require(acting_user, "linkage.view_duplicates_report")
    person_a, person_b = _in_order(person, other)
    dismissal = DuplicatesDismissal(
        person_a=person_a,
        person_b=person_b,
        reason=reason.strip(),
        dismissed_at=timezone.now(),
        dismissed_by=acting_user,
    )
    dismissal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            dismissal.save(force_insert=True)
    except IntegrityError:
        raise ValidationError("This pair has already been dismissed") from None
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=dismissal,
        detail={"pair": [str(person_a.pk), str(person_b.pk)]},
    )
    return dismissal
