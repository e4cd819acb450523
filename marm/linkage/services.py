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

    postcode = Address.objects.filter(person=OuterRef("pk"), lived_until__isnull=True).order_by("-created_at")
    rows = (
        Person.objects.annotate(postcode=Subquery(postcode.values("postcode")[:1]))
        .values_list(
            "pk", "given_name", "family_name", "date_of_birth", "date_of_birth_precision", "postcode", "nhs_number"
        )
        .iterator(chunk_size=20000)
    )
    records = [
        matching.record(
            pk,
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            exact_date=precision == DatePrecision.EXACT,
            postcode=code,
            nhs_number=nhs,
        )
        for pk, given, family, dob, precision, code, nhs in rows
    ]
    return pd.DataFrame.from_records(records, columns=matching.COLUMNS)


# The models kept: the latest scores imports; the ones before it show how the model moves night by night.
MODELS_KEPT = 3


def duplicates_find(*, actor, threshold: float = 0.9, log_level: int = logging.WARNING) -> int:
    """Score every pair of records that may be the same person; replace the suggestions of the last run,
    and keep the model trained to find them (``LinkageModel``: parameters only) for imports to use.

    A batch job (manage.py duplicates_find): it reads the matching fields of
    every person, which no user may, so it runs as a named system actor and is
    audited as one export.
    """
    import uuid
    from importlib.metadata import version

    from marm.linkage.models import LinkageModel

    frame = _people_frame()
    pairs, model = (
        matching.likely_duplicates_and_model(frame, threshold=threshold, log_level=log_level)
        if len(frame) > 1
        else (None, None)
    )
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
        kept = None
        if model is not None:
            kept = LinkageModel.objects.create(
                trained_at=found_at, record_count=len(frame), splink_version=version("splink"), settings=model
            )
            older = LinkageModel.objects.values_list("pk", flat=True)[MODELS_KEPT:]
            LinkageModel.objects.filter(pk__in=list(older)).delete()
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type="people.person",
            purpose="Finding records that may be the same person",
            detail={
                "people": len(frame),
                "suggestions": len(suggestions),
                "threshold": threshold,
                "model": kept.pk if kept else None,
            },
        )
    return len(suggestions)


# Importing people from an agency's own system (ADR 0037).

SKIP, CREATE, LINK = "skip", "create", "link"


@transaction.atomic
def people_import(
    *,
    acting_user,
    reference_label: str,
    rows,
    choices: dict,
    candidates: dict,
    submission_key=None,
):
    """Apply a confirmed import preview: for each row, create a person, create one and link it
    to a person already recorded, or skip it. All rows or none: one transaction.

    ``rows``: the file's ``ImportRow``s; ``choices``: row number -> ``"skip"``, ``"create"`` or
    ``("link", person id)``; ``candidates``: row number -> the ids the preview offered, the only
    people a row may be linked to. Linking never merges: the new record keeps the agency's
    details and reference, the existing one is untouched, and a ``PersonLink`` says they are the
    same adult. Each person created is one CREATE audit row (person_create), each link its own
    (person_link). A second confirmation of the same preview gives back the first import.
    """
    from marm.govuk_forms.submission import first_submission, save_once
    from marm.linkage.models import PersonImport
    from marm.people.models import DatePrecision, Person
    from marm.people.services import person_create

    require(acting_user, "linkage.import_people")
    mine = PersonImport.objects.filter(imported_by=acting_user)
    earlier = first_submission(mine, submission_key)
    if earlier is not None:
        return earlier
    label = reference_label.strip()
    if not label:
        raise ValidationError("Enter what your agency calls its reference")
    outcomes = []
    counts = {SKIP: 0, CREATE: 0, LINK: 0}
    for row in rows:
        choice = choices.get(row.number)
        if choice is None:
            raise ValidationError(f"Row {row.number}: select what to do with {row.full_name}")
        if choice == SKIP:
            counts[SKIP] += 1
            outcomes.append({"row": row.number, "reference": row.agency_reference, "outcome": "skipped"})
            continue
        other = None
        if choice != CREATE:
            kind, other_id = choice
            if kind != LINK or str(other_id) not in {str(pk) for pk in candidates.get(row.number, ())}:
                raise ValidationError(f"Row {row.number}: choose one of the records offered, or another option")
            other = Person.objects.visible_to(acting_user).filter(pk=other_id).first()
            if other is None:
                raise ValidationError(f"Row {row.number}: the record offered can no longer be seen")
        try:
            person = person_create(
                acting_user=acting_user,
                given_name=row.given_name,
                middle_names=row.middle_names,
                family_name=row.family_name,
                date_of_birth=row.date_of_birth,
                date_of_birth_precision=DatePrecision.EXACT if row.date_of_birth else "",
                nhs_number=row.nhs_number,
                local_identifier_label=label,
                local_identifier=row.agency_reference,
                address=row.address,
            )
        except ValidationError as error:
            raise ValidationError(f"Row {row.number}: {'; '.join(error.messages)}") from None
        outcome = {"row": row.number, "reference": row.agency_reference, "person": str(person.pk)}
        if other is None:
            counts[CREATE] += 1
            outcomes.append({**outcome, "outcome": "created"})
            continue
        try:
            person_link(
                acting_user=acting_user,
                person=person,
                other=other,
                reason=f"Imported from the agency's records ({label} {row.agency_reference}), matched to this record",
                source=LinkSource.IMPORT,
            )
        except ValidationError as error:
            raise ValidationError(f"Row {row.number}: {'; '.join(error.messages)}") from None
        counts[LINK] += 1
        outcomes.append({**outcome, "outcome": "linked", "linked_to": str(other.pk)})
    record = PersonImport(
        agency_id=acting_user.agency_id,
        imported_by=acting_user,
        imported_at=timezone.now(),
        reference_label=label,
        created_count=counts[CREATE],
        linked_count=counts[LINK],
        skipped_count=counts[SKIP],
        outcomes=outcomes,
        submission_key=submission_key,
    )
    record.full_clean(validate_unique=False)
    record, made = save_once(record, mine)
    if not made:
        # A concurrent confirmation of the same preview got there first: undo this one's people.
        transaction.set_rollback(True)
        return record
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=record,
        detail={"created": counts[CREATE], "linked": counts[LINK], "skipped": counts[SKIP]},
    )
    return record
