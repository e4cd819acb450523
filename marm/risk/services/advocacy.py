"""Independent advocacy as a tracked referral (000 5.1: "offering and arranging an advocate if the adult
is likely to experience substantial difficulty"; Care Act 2014 s67/68; the IMCA of the MCA 2005)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.core.locking import save_if_current
from marm.risk import vocab
from marm.risk.models import AdvocacyReferral


def _not_future(day, field: str, message: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: message})


@acts_on("case")
@transaction.atomic
def advocacy_referral_create(
    *, acting_user, case: Case, kind: str, requested_on: datetime.date, provider: str, note: str = ""
) -> AdvocacyReferral:
    """Record that advocacy was asked for: which kind, when, by whom and from which provider."""
    require(acting_user, "risk.refer_for_advocacy", case)
    _not_future(requested_on, "requested_on", "The date it was asked for must be today or in the past")
    referral = AdvocacyReferral(
        case=case,
        kind=kind,
        requested_on=requested_on,
        requested_by=acting_user,
        requested_by_agency_id=acting_user.agency_id,
        provider=provider.strip(),
        note=note.strip(),
        updated_by=acting_user,
    )
    referral.full_clean()
    referral.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=referral,
        person_id=case.person_id,
        detail={"kind": kind, "provider": referral.provider},
    )
    return referral


@acts_on("referral")
@transaction.atomic
def advocacy_referral_update(
    *,
    acting_user,
    referral: AdvocacyReferral,
    expected_version: int,
    outcome: str,
    outcome_on: datetime.date | None = None,
    advocate_name: str = "",
    note: str = "",
) -> AdvocacyReferral:
    """Record where the referral has got to: waiting, an advocate allocated, declined by the adult, not eligible."""
    case = referral.case
    require(acting_user, "risk.refer_for_advocacy", case)
    errors = {}
    if outcome not in vocab.AdvocacyOutcome.values:
        errors["outcome"] = "Select the outcome of the referral"
    elif outcome != vocab.AdvocacyOutcome.WAITING and outcome_on is None:
        errors["outcome_on"] = "Enter the date of the outcome"
    if outcome == vocab.AdvocacyOutcome.ALLOCATED and not advocate_name.strip():
        errors["advocate_name"] = "Enter the name of the advocate"
    if errors:
        raise ValidationError(errors)
    _not_future(outcome_on, "outcome_on", "The date of the outcome must be today or in the past")
    waiting = outcome == vocab.AdvocacyOutcome.WAITING
    values = {
        "outcome": outcome,
        "outcome_on": None if waiting else outcome_on,
        "advocate_name": advocate_name.strip() if outcome == vocab.AdvocacyOutcome.ALLOCATED else "",
        "note": note.strip(),
        "updated_by": acting_user,
    }
    for field, value in values.items():
        setattr(referral, field, value)
    referral.full_clean()
    save_if_current(referral, expected_version=expected_version, fields=list(values))
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=case.person_id,
        detail={"outcome": outcome},
    )
    return referral
