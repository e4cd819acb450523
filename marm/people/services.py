"""Writes about people. Each service is one transaction with its audit rows."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.core.locking import save_if_current
from marm.people import nhs_number as nhs
from marm.people.models import (
    Address,
    AgencyInvolvement,
    InvolvementBasis,
    Person,
    PersonAlias,
    PersonIdentifier,
    RelatedPerson,
)

EDITABLE_PERSON_FIELDS = [
    "given_name",
    "middle_names",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_birth_precision",
    "nhs_number",
]


def _check_nhs_number_free(value: str, *, exclude_pk=None):
    if not value:
        return
    clash = Person.objects.filter(nhs_number=value)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _nhs_number_taken()


def _nhs_number_taken() -> ValidationError:
    # Said without revealing whose record it is: the user may not be able to see it.
    return ValidationError(
        {"nhs_number": "A person with this NHS number is already recorded. Search for them, or check the number"}
    )


@transaction.atomic
def person_create(
    *,
    acting_user,
    given_name: str,
    family_name: str,
    middle_names: str = "",
    preferred_name: str = "",
    date_of_birth: datetime.date | None = None,
    date_of_birth_precision: str = "",
    nhs_number: str = "",
    local_identifier_label: str = "",
    local_identifier: str = "",
    address: dict | None = None,
    declined_matches=(),
) -> Person:
    """Create a person; the acting user's agency becomes involved with them.

    ``declined_matches``: ids of people the user was shown as possibly the same
    person and said are not (ADR 0014), kept in the audit row.
    """
    require(acting_user, "people.add_person")
    if acting_user.agency_id is None:
        raise PermissionDenied
    person = Person(
        given_name=given_name.strip(),
        middle_names=middle_names.strip(),
        family_name=family_name.strip(),
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        date_of_birth_precision=date_of_birth_precision if date_of_birth else "",
        nhs_number=nhs.normalise(nhs_number),
        created_by=acting_user,
    )
    _check_nhs_number_free(person.nhs_number)
    person.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError:
        # Another person with this NHS number was saved in the meantime.
        raise _nhs_number_taken() from None
    AgencyInvolvement.objects.create(
        person=person, agency_id=acting_user.agency_id, basis=InvolvementBasis.CREATED_RECORD, started_by=acting_user
    )
    if local_identifier:
        identifier_add(
            acting_user=acting_user,
            person=person,
            label=local_identifier_label or "Local reference",
            value=local_identifier,
            _audit=False,
        )
    if address:
        address_add(acting_user=acting_user, person=person, _audit=False, **address)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=person,
        person_id=person.pk,
        detail={"declined_possible_matches": [str(pk) for pk in declined_matches]} if declined_matches else None,
    )
    return person


@acts_on("person")
@transaction.atomic
def person_update(*, acting_user, person: Person, expected_version: int, **changes) -> Person:
    """Change a person's details, refusing if someone else changed them first (StaleEditError)."""
    require(acting_user, "people.change_person", person)
    unknown = set(changes) - set(EDITABLE_PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "nhs_number" in changes:
        changes["nhs_number"] = nhs.normalise(changes["nhs_number"])
    if "date_of_birth" in changes and not changes["date_of_birth"]:
        changes["date_of_birth_precision"] = ""
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    for name, value in changes.items():
        setattr(person, name, value)
    if not changed:
        return person
    if "nhs_number" in changed:
        _check_nhs_number_free(person.nhs_number, exclude_pk=person.pk)
    person.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            save_if_current(person, expected_version=expected_version, fields=changed)
    except IntegrityError:
        raise _nhs_number_taken() from None
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=person,
        person_id=person.pk,
        detail={"fields": sorted(changed)},
    )
    return person


def _add_person_record(acting_user, person, record, *, audit: bool = True):
    require(acting_user, "people.change_person", person)
    record.full_clean()
    record.save(force_insert=True)
    if audit:
        audit_record(actor=acting_user, action=AuditAction.CREATE, obj=record, person_id=person.pk)
    return record


@acts_on("person")
@transaction.atomic
def alias_add(*, acting_user, person: Person, given_name: str = "", family_name: str = "", kind: str) -> PersonAlias:
    alias = PersonAlias(
        person=person, given_name=given_name.strip(), family_name=family_name.strip(), kind=kind, created_by=acting_user
    )
    return _add_person_record(acting_user, person, alias)


@acts_on("person")
@transaction.atomic
def identifier_add(*, acting_user, person: Person, label: str, value: str, _audit: bool = True) -> PersonIdentifier:
    identifier = PersonIdentifier(
        person=person, agency_id=acting_user.agency_id, label=label.strip(), value=value.strip(), created_by=acting_user
    )
    if PersonIdentifier.objects.filter(
        agency_id=acting_user.agency_id, label=identifier.label, value=identifier.value
    ).exists():
        raise ValidationError({"value": f"Your agency already uses this {identifier.label} for someone"})
    return _add_person_record(acting_user, person, identifier, audit=_audit)


@acts_on("person")
@transaction.atomic
def address_add(
    *,
    acting_user,
    person: Person,
    line_1: str,
    town: str,
    line_2: str = "",
    postcode: str = "",
    lived_from: datetime.date | None = None,
    lived_until: datetime.date | None = None,
    _audit: bool = True,
) -> Address:
    address = Address(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode.strip().upper(),
        lived_from=lived_from,
        lived_until=lived_until,
        created_by=acting_user,
    )
    return _add_person_record(acting_user, person, address, audit=_audit)


@acts_on("person")
@transaction.atomic
def related_person_add(
    *,
    acting_user,
    person: Person,
    name: str,
    relationship: str,
    relationship_detail: str = "",
    attorney_type: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> RelatedPerson:
    related = RelatedPerson(
        person=person,
        name=name.strip(),
        relationship=relationship,
        relationship_detail=relationship_detail.strip(),
        attorney_type=attorney_type,
        phone=phone.strip(),
        email=email.strip(),
        notes=notes.strip(),
        created_by=acting_user,
    )
    return _add_person_record(acting_user, person, related)


@acts_on("person")
@transaction.atomic
def involvement_start(*, acting_user, person: Person, agency, basis: str) -> AgencyInvolvement:
    """Make an agency involved with a person, so its users can see them.

    Called by the recording of an information-sharing decision; the caller is
    responsible for that decision having been made and recorded.
    """
    existing = AgencyInvolvement.objects.filter(person=person, agency=agency, ended_at__isnull=True).first()
    if existing:
        return existing
    involvement = AgencyInvolvement.objects.create(person=person, agency=agency, basis=basis, started_by=acting_user)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=involvement,
        person_id=person.pk,
        detail={"agency": agency.pk, "basis": basis},
    )
    return involvement


@acts_on(involvement="person")
@transaction.atomic
def involvement_end(*, acting_user, involvement: AgencyInvolvement, reason: str) -> AgencyInvolvement:
    """End an agency's involvement: its users can no longer see the person; the history stays."""
    from django.utils import timezone

    if involvement.ended_at:
        raise ValidationError("This involvement has already ended")
    if not reason.strip():
        raise ValidationError({"end_reason": "Enter why the agency's involvement is ending"})
    involvement.ended_at = timezone.now()
    involvement.ended_by = acting_user
    involvement.end_reason = reason.strip()
    involvement.save(update_fields=["ended_at", "ended_by", "end_reason"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=involvement,
        person_id=involvement.person_id,
        detail={"ended": True, "agency": involvement.agency_id},
    )
    return involvement
