"""Showing that a decision is complete and untouched since it was recorded."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from marm.audit.models import AuditAction, AuditEvent
from marm.decisions.models import DecisionKind


def content_hash(*, decision, participant_ids, legislation_ids) -> str:
    content = {
        "person": str(decision.person_id),
        "case": str(decision.case_id) if decision.case_id else None,
        "kind": decision.kind,
        "summary": decision.summary,
        "rationale": decision.rationale,
        "options_considered": decision.options_considered,
        "other_participants": decision.other_participants,
        "participants": sorted(participant_ids),
        "legislation": sorted(legislation_ids),
        "amends": decision.amends_id,
        "recorded_by": decision.recorded_by_id,
        "recorded_by_agency": decision.recorded_by_agency_id,
        "recorded_at": decision.recorded_at.astimezone(UTC).isoformat(),
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()


# The kinds of decision that rest on the law, whose forms ask for the legislation relied on
# (screening, reopening, sharing, closing; closing offers the Care Act's wellbeing duty ticked) or
# whose services add it (escalation adds section 42, best interests the Mental Capacity Act):
# without it they are incomplete. Allocating the lead professional rests on no Act, and "other"
# decisions are mostly recorded through forms that never ask (a meeting's outcome, agreeing the
# risk assessment, the high-risk register, setting the non-engagement guard aside), so the check
# does not ask it of them; the log still shows "None recorded".
LEGISLATION_EXPECTED = frozenset(
    {
        DecisionKind.ACCEPT,
        DecisionKind.ROUTE,
        DecisionKind.NO_FURTHER_ACTION,
        DecisionKind.REOPEN,
        DecisionKind.SHARE,
        DecisionKind.ESCALATE,
        DecisionKind.CLOSE,
        DecisionKind.BEST_INTERESTS,
    }
)


def missing_parts(decision) -> list[str]:
    """What a defensible decision still lacks, in words a reviewer would use."""
    missing = []
    if not decision.rationale.strip():
        missing.append("rationale")
    if decision.kind in LEGISLATION_EXPECTED and not decision.legislation.all():
        missing.append("legislation or guidance relied on")
    if not decision.participants.all() and not decision.other_participants.strip():
        missing.append("who took part")
    return missing


@dataclass
class Integrity:
    untouched: bool
    reason: str = ""


def check(decision) -> Integrity:
    """Recompute the decision's hash and compare it with the stored one and its audit row's.

    The audit row is itself in the tamper-evident chain (audit_verify), so a
    decision whose hash matches both has not changed since it was recorded.
    """
    return check_many([decision])[decision.pk]


def check_many(decisions) -> dict:
    """Integrity of several decisions, with one query for their audit rows (participants and
    legislation should be prefetched)."""
    decisions = list(decisions)
    audited = dict(
        AuditEvent.objects.filter(
            action=AuditAction.CREATE,
            object_type="decisions.decision",
            object_id__in=[str(d.pk) for d in decisions],
        ).values_list("object_id", "detail")
    )
    results = {}
    for decision in decisions:
        current = content_hash(
            decision=decision,
            participant_ids=[user.pk for user in decision.participants.all()],
            legislation_ids=[ref.pk for ref in decision.legislation.all()],
        )
        detail = audited.get(str(decision.pk))
        if current != decision.content_hash:
            results[decision.pk] = Integrity(False, "its content no longer matches the hash taken when it was recorded")
        elif detail is None:
            results[decision.pk] = Integrity(False, "it has no audit record")
        elif detail.get("content_hash") != current:
            results[decision.pk] = Integrity(False, "its hash differs from the one in its audit record")
        else:
            results[decision.pk] = Integrity(True)
    return results
