"""Rectification of a person's details (Art 16, 18, 19; ADR 0032).

A correction changes the detail, records the reason, its author and whether the detail is a
fact or an opinion, may restrict a contested detail (shown, marked, not to be used), and tells
every agency the record was disclosed to, from the disclosure log (the sharing decisions,
ADR 0009), in the same transaction. The old value stays in the history of changes.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.roles import Role
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import CaseAgency
from marm.core.locking import save_if_current
from marm.history.models import Basis, Rectification, RectificationNotice
from marm.notifications.services import notify
from marm.organisations.models import Agency
from marm.people.models import Person
from marm.sharing.models import SharingDecision

# The details a rectification corrects here; the rest are changed on the person's edit page.
RECTIFIABLE_FIELDS = ("given_name", "middle_names", "family_name", "preferred_name")


def _field_label(field_name: str) -> str:
    return str(Person._meta.get_field(field_name).verbose_name)


def _check(*, field_name: str, reason: str, basis: str) -> None:
    errors = {}
    if field_name not in RECTIFIABLE_FIELDS:
        errors["field_name"] = "Select the detail to correct"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the correction"
    if basis not in Basis.values:
        errors["basis"] = "Select whether the detail is a fact or an opinion"
    if errors:
        raise ValidationError(errors)


def disclosed_to(*, person: Person, exclude_agency_id=None) -> list[Agency]:
    """The agencies the person's record was disclosed to, from the disclosure log."""
    agency_ids = SharingDecision.objects.filter(person=person).values("agency_id")
    return list(Agency.objects.filter(pk__in=agency_ids).exclude(pk=exclude_agency_id).order_by("name"))


def _recipients(*, person: Person, agency: Agency) -> list:
    """The agency's managers and its lead workers on the person's cases."""
    leads = CaseAgency.objects.filter(
        case__person=person, agency=agency, ended_at__isnull=True, lead_worker__isnull=False
    ).values("lead_worker_id")
    users = get_user_model().objects.filter(is_active=True, agency=agency)
    return list(
        (users.filter(memberships__role=Role.MANAGER, memberships__team__agency=agency) | users.filter(pk__in=leads))
        .distinct()
        .order_by("pk")
    )


def _tell_agencies(*, acting_user, person: Person, rectification: Rectification, event: str) -> list[Agency]:
    told = []
    link = reverse("history:person", kwargs={"pk": person.pk})
    for agency in disclosed_to(person=person, exclude_agency_id=acting_user.agency_id):
        recipients = 0
        for user in _recipients(person=person, agency=agency):
            # Named by its record only: e-mails name no person (ADR 0016).
            if notify(
                recipient=user,
                kind="rectification",
                key=f"rectification:{rectification.pk}:{event}",
                title="A record your agency received has been corrected",
                body="Details shared with your agency have been corrected or restricted. Sign in to marm to see them.",
                link=link,
                actor=acting_user,
            ):
                recipients += 1
        RectificationNotice.objects.create(
            rectification=rectification, agency=agency, event=event, recipients=recipients
        )
        told.append(agency)
    return told


@acts_on("person")
def person_rectify(
    *,
    acting_user,
    person: Person,
    field_name: str,
    new_value: str,
    reason: str,
    basis: str,
    restrict: bool = False,
) -> Rectification:
    """Correct one of the person's details, or mark it contested, and tell the agencies it went to."""
    require(acting_user, "history.rectify_person", person)
    _check(field_name=field_name, reason=reason, basis=basis)
    new_value = new_value.strip()
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        old_value = getattr(current, field_name)
        changed = new_value != old_value
        if not changed and not restrict:
            raise ValidationError(
                {"new_value": "Enter the corrected value, or say the detail is contested and restrict it"}
            )
        if changed:
            setattr(current, field_name, new_value)
            try:
                current.full_clean(validate_unique=False)
            except ValidationError as error:
                messages = error.message_dict.get(field_name) or [f"Enter a valid {_field_label(field_name)}"]
                raise ValidationError({"new_value": messages}) from None
            save_if_current(current, expected_version=current.version, fields=[field_name])
        rectification = Rectification(
            person=current,
            field_name=field_name,
            old_value=old_value,
            new_value=new_value if changed else old_value,
            changed=changed,
            basis=basis,
            reason=reason.strip(),
            author=acting_user,
            agency_id=acting_user.agency_id,
            restricted=restrict,
        )
        rectification.full_clean()
        rectification.save()
        # First the change itself: this row names who made the change in its history row.
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=current,
            person_id=current.pk,
            purpose="Rectification",
            detail={
                "rectification": rectification.pk,
                "fields": [field_name] if changed else [],
                "basis": basis,
                "restricted": restrict,
            },
        )
        told = _tell_agencies(acting_user=acting_user, person=current, rectification=rectification, event="made")
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=rectification,
            person_id=current.pk,
            purpose="Rectification: agencies told",
            detail={"agencies_told": [agency.pk for agency in told]},
        )
    person.refresh_from_db()
    return rectification


@acts_on("person")
def restriction_lift(*, acting_user, person: Person, rectification_pk: int, reason: str) -> Rectification:
    """End the restriction on a contested detail, with a reason, and tell the agencies it went to."""
    require(acting_user, "history.rectify_person", person)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for lifting the restriction"})
    with transaction.atomic():
        rectification = (
            Rectification.objects.select_for_update()
            .filter(person=person, pk=rectification_pk, restricted=True, restriction_lifted_at__isnull=True)
            .first()
        )
        if rectification is None:
            raise ValidationError("This detail is not restricted")
        rectification.restriction_lifted_at = timezone.now()
        rectification.restriction_lifted_by = acting_user
        rectification.restriction_lift_reason = reason.strip()
        rectification.full_clean()
        rectification.save(update_fields=["restriction_lifted_at", "restriction_lifted_by", "restriction_lift_reason"])
        told = _tell_agencies(acting_user=acting_user, person=person, rectification=rectification, event="lifted")
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=rectification,
            person_id=person.pk,
            purpose="Restriction lifted",
            detail={"rectification": rectification.pk, "agencies_told": [agency.pk for agency in told]},
        )
    return rectification
