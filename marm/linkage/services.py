"""Linking and unlinking records of the same person. Each is one transaction with its audit rows."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import is_administrator, require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.linkage import matching
from marm.linkage.models import DuplicatesDismissal, DuplicateSuggestion, LinkSource, PersonLink


def _in_order(one, other):
    if one.pk == other.pk:
        raise ValidationError("A record cannot be linked to itself")
    return (one, other) if str(one.pk) < str(other.pk) else (other, one)


@acts_on("person", "other", unless=is_administrator)
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


@acts_on("link")
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


@acts_on("person", "other", unless=is_administrator)
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


def _people_frame():
    """Every person's matching fields (not their record): name, date of birth, current postcode, NHS number."""
    import pandas as pd
    from django.db.models import OuterRef, Subquery

    from marm.people.models import Address, DatePrecision, Person
    from marm.people.search.names import normalise

    postcode = Address.objects.filter(person=OuterRef("pk"), lived_until__isnull=True).order_by("-created_at")
    rows = (
        Person.objects.annotate(postcode=Subquery(postcode.values("postcode")[:1]))
        .values_list(
            "pk", "given_name", "family_name", "date_of_birth", "date_of_birth_precision", "postcode", "nhs_number"
        )
        .iterator(chunk_size=20000)
    )
    records = [
        {
            "unique_id": str(pk),
            "first_name": normalise(given) or None,
            "surname": normalise(family) or None,
            # A partial date says nothing about the day: only the year is compared then.
            "date_of_birth": dob.isoformat() if dob and precision == DatePrecision.EXACT else None,
            "birth_year": str(dob.year) if dob else None,
            "postcode": (code or "").replace(" ", "").upper() or None,
            "nhs_number": nhs or None,
        }
        for pk, given, family, dob, precision, code, nhs in rows
    ]
    return pd.DataFrame.from_records(records, columns=matching.COLUMNS)


def duplicates_find(*, actor, threshold: float = 0.9, log_level: int = logging.WARNING) -> int:
    """Score every pair of records that may be the same person; replace the suggestions of the last run.

    A batch job (manage.py duplicates_find): it reads the matching fields of
    every person, which no user may, so it runs as a named system actor and is
    audited as one export.
    """
    import uuid

    frame = _people_frame()
    pairs = matching.likely_duplicates(frame, threshold=threshold, log_level=log_level) if len(frame) > 1 else None
    found_at = timezone.now()
    suggestions = []
    for row in [] if pairs is None else pairs.to_dict("records"):
        one, other = sorted((row["unique_id_l"], row["unique_id_r"]))
        suggestions.append(
            DuplicateSuggestion(
                person_a_id=uuid.UUID(one),
                person_b_id=uuid.UUID(other),
                match_probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                agreement=matching.agreement(row),
                found_at=found_at,
            )
        )
    with transaction.atomic():
        DuplicateSuggestion.objects.all().delete()
        DuplicateSuggestion.objects.bulk_create(suggestions, batch_size=2000)
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type="people.person",
            purpose="Finding records that may be the same person",
            detail={"people": len(frame), "suggestions": len(suggestions), "threshold": threshold},
        )
    return len(suggestions)
