"""The adult's copy of the agreed risk assessment (000 6.1 stage 2: "Ensure the adult is
given a copy of the risk assessment"). Giving a copy is a disclosure to the adult: it is
recorded on the case and audited as an export (ADR 0012)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.risk import documents, vocab
from marm.risk.models import AdultCopy, RiskAssessmentVersion


@acts_on("version")
@transaction.atomic
def adult_copy_give(
    *,
    acting_user,
    version: RiskAssessmentVersion,
    format: str,
    given_on: datetime.date,
    given_how: str,
    note: str = "",
) -> AdultCopy:
    """Record that the adult was given a copy of an agreed version, when and how."""
    case = version.assessment.case
    require(acting_user, "risk.give_copy", case)
    if not version.is_agreed:
        raise ValidationError("Only an agreed version can be given to the adult")
    if given_on and given_on > timezone.localdate():
        raise ValidationError({"given_on": "The date the copy was given must be today or in the past"})
    copy = AdultCopy(
        case=case,
        version=version,
        format=format,
        given_on=given_on,
        given_how=given_how,
        note=note.strip(),
        recorded_by=acting_user,
    )
    copy.full_clean()
    copy.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        obj=copy,
        person_id=case.person_id,
        purpose="The adult's copy of the risk assessment",
        detail={"version": version.number, "format": format, "given_how": given_how, "to": "the adult"},
    )
    return copy


@acts_on("copy")
def adult_copy_render(*, acting_user, copy: AdultCopy) -> bytes:
    """The PDF of a recorded copy. Each rendering is an export of the adult's record, so it is audited."""
    case = copy.case
    require(acting_user, "risk.give_copy", case)
    render = documents.easy_read_pdf if copy.format == vocab.CopyFormat.EASY_READ else documents.standard_pdf
    pdf = render(version=copy.version, case=case)
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=AuditAction.EXPORT,
            obj=copy,
            person_id=case.person_id,
            purpose="Printing the adult's copy of the risk assessment",
            detail={"version": copy.version.number, "format": copy.format, "bytes": len(pdf)},
        )
    return pdf
