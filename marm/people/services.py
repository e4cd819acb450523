"""Writes about people. Each service is one transaction with its audit rows."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.roles import Role
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.core.locking import save_if_current
from marm.notifications.services import notify
from marm.people import nhs_number as nhs
from marm.people.emergency import lead_agency_id
from marm.people.models import (
    EMERGENCY_REASON_MESSAGE,
    EMERGENCY_REASON_MIN_LENGTH,
    Address,
    AgencyInvolvement,
    DatePrecision,
    EmergencyAccess,
    EmergencyAccessReview,
    InvolvementBasis,
    Person,
    PersonAlias,
    PersonIdentifier,
    RelatedPerson,
    ReviewOutcome,
    ReviewSide,
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
    # One transaction: the change, its history row and the audit row that names who made it.
    with transaction.atomic():
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


# Emergency ("break-glass") access: ADR 0026.

# The same words whether no record or several match: the caller learns nothing about who is recorded.
NO_SINGLE_MATCH = "No single record matches: check the details, or contact the duty desk"


class AlreadyInvolved(Exception):
    """The user's agency already sees the person: no emergency access is needed or recorded."""

    def __init__(self, person_pk):
        super().__init__("Your agency already works with this person")
        self.person_pk = person_pk


def _single_match(*, nhs_number: str, given_name: str, family_name: str, date_of_birth) -> Person | None:
    """The one person with this NHS number, or with this full name and full date of birth; None if
    no one or several. Exact identifiers the caller must already know: no tolerant search."""
    digits = nhs.normalise(nhs_number)
    if digits:
        people = Person.objects.filter(nhs_number=digits)
    elif given_name.strip() and family_name.strip() and date_of_birth:
        people = Person.objects.filter(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
            date_of_birth_precision=DatePrecision.EXACT,
        )
    else:
        raise ValidationError("Enter the person's NHS number, or their first name, last name and date of birth")
    found = list(people.order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def _emergency_reviewers(*, agency_ids, exclude_user):
    """Active managers of the agencies, by their own agency's teams, except the user who opened it."""
    from django.contrib.auth import get_user_model
    from django.db.models import F

    return (
        get_user_model()
        .objects.filter(
            agency_id__in=agency_ids,
            is_active=True,
            memberships__role=Role.MANAGER,
            memberships__team__agency_id=F("agency_id"),
        )
        .exclude(pk=exclude_user.pk)
        .distinct()
        .order_by("pk")
    )


def emergency_access_open(
    *,
    acting_user,
    reason: str,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
) -> EmergencyAccess:
    """Open the minimal record of the one person these exact identifiers name, for
    ``MARM_BREAK_GLASS_HOURS``, for a user whose agency is not involved with them.

    The service finds the person itself, so no caller holds a record its user may not see
    before access is granted. No match, or several, is refused with the same words, and the
    attempt is audited as a search that names no one. A match the user's agency already sees
    raises ``AlreadyInvolved``. Otherwise, in one transaction: the access, its BREAK_GLASS
    audit row with the reason as purpose, and a notification to each manager who reviews it.
    """
    require(acting_user, "people.open_emergency_access")
    if acting_user.agency_id is None:
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        raise ValidationError({"reason": EMERGENCY_REASON_MESSAGE})
    hours = settings.MARM_BREAK_GLASS_HOURS
    if hours < 1:
        raise ImproperlyConfigured("MARM_BREAK_GLASS_HOURS must be at least 1")
    person = _single_match(
        nhs_number=nhs_number, given_name=given_name, family_name=family_name, date_of_birth=date_of_birth
    )
    if person is None:
        # Recorded as a search naming no one: how many matched is not kept either.
        audit_record(
            actor=acting_user,
            action=AuditAction.SEARCH,
            object_type="people.person",
            purpose=f"Emergency access: {reason}",
            detail={"emergency_access": "no single match"},
        )
        raise ValidationError(NO_SINGLE_MATCH)
    if Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
        raise AlreadyInvolved(person.pk)
    with transaction.atomic():
        # One access at a time per user and person: a second click finds the first.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        current = (
            EmergencyAccess.objects.live()
            .filter(person=person, user=acting_user, agency_id=acting_user.agency_id)
            .first()
        )
        if current is not None:
            return current
        now = timezone.now()
        access = EmergencyAccess(
            person=person,
            user=acting_user,
            agency_id=acting_user.agency_id,
            lead_agency_id=lead_agency_id(person),
            reason=reason,
            started_at=now,
            expires_at=now + datetime.timedelta(hours=hours),
        )
        access.full_clean()
        access.save(force_insert=True)
        audit_record(
            actor=acting_user,
            action=AuditAction.BREAK_GLASS,
            obj=access,
            person_id=person.pk,
            purpose=reason,
            detail={"expires_at": access.expires_at.isoformat(), "lead_agency": access.lead_agency_id},
        )
        # E-mails name no adult (marm/notifications/services.py): the review page does.
        title = (
            f"{acting_user.full_name} of {acting_user.agency.name} opened a person's minimal record "
            "in an emergency: review it"
        )
        link = reverse("people:emergency-review", kwargs={"access_pk": access.pk})
        for manager in _emergency_reviewers(
            agency_ids={access.agency_id, access.lead_agency_id}, exclude_user=acting_user
        ):
            notify(
                recipient=manager,
                kind="emergency_access",
                key=f"emergency-access:{access.pk}",
                title=title,
                body="Check the reason and what was viewed, and record whether the access was appropriate.",
                link=link,
                actor=acting_user,
            )
    return access


def emergency_review_sides(*, user, access: EmergencyAccess) -> list[str]:
    """The sides of the access the user reviews: their agency's, not yet reviewed. None for the
    user who opened it."""
    if access.user_id == user.pk or user.agency_id is None:
        return []
    done = {review.side for review in access.reviews.all()}
    sides = []
    if access.lead_agency_id == user.agency_id:
        sides.append(ReviewSide.LEAD)
    if access.agency_id == user.agency_id:
        sides.append(ReviewSide.OWN)
    return [side for side in sides if side not in done]


@acts_on("access")
@transaction.atomic
def emergency_access_review(
    *, acting_user, access: EmergencyAccess, outcome: str, note: str = ""
) -> list[EmergencyAccessReview]:
    """Record a manager's review of an emergency access, for their agency's side (the lead agency,
    the user's own, or both when they are the same agency). Each side reviews once; the user who
    opened the access never reviews it. "Not appropriate" ends an access that still lasts."""
    require(acting_user, "people.review_emergency_access")
    if access.user_id == acting_user.pk:
        raise PermissionDenied("You cannot review your own emergency access")
    # Serialise reviews of one access: each side is reviewed once.
    access = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
    sides = emergency_review_sides(user=acting_user, access=access)
    if not sides:
        raise ValidationError("Your agency has already reviewed this emergency access")
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Select whether the access was appropriate"})
    note = note.strip()
    if outcome == ReviewOutcome.NOT_APPROPRIATE and not note:
        raise ValidationError({"note": "Say why the access was not appropriate"})
    now = timezone.now()
    reviews = []
    for side in sides:
        review = EmergencyAccessReview(
            access=access, side=side, reviewer=acting_user, reviewed_at=now, outcome=outcome, note=note
        )
        review.full_clean()
        review.save(force_insert=True)
        reviews.append(review)
    ended = outcome == ReviewOutcome.NOT_APPROPRIATE and access.ended_at is None and access.expires_at > now
    if ended:
        access.ended_at = now
        access.save(update_fields=["ended_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=reviews[0],
        person_id=access.person_id,
        detail={"access": str(access.pk), "sides": sides, "outcome": outcome, "ended": ended},
    )
    return reviews
