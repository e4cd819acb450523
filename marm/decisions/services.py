from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from marm.access.guard import acts_on
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.decisions.integrity import content_hash
from marm.decisions.models import Decision, DecisionKind


@acts_on("person", "case", "amends")
@transaction.atomic
def decision_record(
    *,
    acting_user,
    person,
    kind: str,
    summary: str,
    rationale: str = "",
    options_considered: str = "",
    participants=(),
    other_participants: str = "",
    legislation=(),
    case=None,
    amends: Decision | None = None,
) -> Decision:
    """Record a decision. It can never be edited: to correct it, record an amendment."""
    if not acting_user.has_perm("decisions.add_decision"):
        raise PermissionDenied
    if amends is not None and (amends.person_id != person.pk or amends.case_id != getattr(case, "pk", None)):
        raise ValidationError("An amendment must be about the same person and case as the decision it amends")
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": "Select what kind of decision this is"})
    decision = Decision(
        person=person,
        case=case,
        kind=kind,
        summary=summary.strip(),
        rationale=rationale.strip(),
        options_considered=options_considered.strip(),
        other_participants=other_participants.strip(),
        amends=amends,
        recorded_by=acting_user,
        recorded_by_agency_id=acting_user.agency_id,
        recorded_at=timezone.now(),
    )
    if not decision.summary:
        raise ValidationError({"summary": "Enter the decision"})
    participant_ids = sorted({user.pk for user in participants})
    legislation_ids = sorted({ref.pk for ref in legislation})
    decision.content_hash = content_hash(
        decision=decision, participant_ids=participant_ids, legislation_ids=legislation_ids
    )
    decision.full_clean(exclude=["content_hash"])
    decision.save(force_insert=True)
    decision.participants.set(participant_ids)
    decision.legislation.set(legislation_ids)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=decision,
        person_id=person.pk,
        detail={"content_hash": decision.content_hash, "kind": kind, "amends": amends.pk if amends else None},
    )
    return decision
