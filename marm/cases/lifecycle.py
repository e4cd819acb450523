"""The case lifecycle: the one table of allowed moves (000 section 6, Appendix A).

```
concern ─► screening ─► accepted ─► planning ─► review ⟲
   │           │            │           │          │
   │           ├─► routed   └───────────┴──────────┴─► escalated (s42) ─► planning / review
   │           └─► closed (no further action)                 every live stage ─► closed
   └─► routed / closed
routed / closed ─► reopened ─► screening / accepted
```
"""

from django.db import models


class CaseStatus(models.TextChoices):
    CONCERN = "concern", "Concern raised"
    SCREENING = "screening", "Screening"
    ACCEPTED = "accepted", "Accepted into MARM"
    PLANNING = "planning", "Planning"
    REVIEW = "review", "Review"
    ESCALATED = "escalated", "Escalated to a section 42 enquiry"
    ROUTED = "routed", "Routed to another process"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


S = CaseStatus
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.CONCERN: frozenset({S.SCREENING, S.ROUTED, S.CLOSED}),
    S.SCREENING: frozenset({S.ACCEPTED, S.ROUTED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.PLANNING, S.ESCALATED, S.CLOSED}),
    S.PLANNING: frozenset({S.REVIEW, S.ESCALATED, S.CLOSED}),
    S.REVIEW: frozenset({S.REVIEW, S.ESCALATED, S.CLOSED}),
    S.ESCALATED: frozenset({S.PLANNING, S.REVIEW, S.CLOSED}),
    S.ROUTED: frozenset({S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.SCREENING, S.ACCEPTED}),
}

# Stages in which the case is live MARM work (not routed elsewhere or closed).
OPEN_STATUSES = frozenset({S.CONCERN, S.SCREENING, S.ACCEPTED, S.PLANNING, S.REVIEW, S.ESCALATED, S.REOPENED})
# Stages of a case accepted into MARM and not closed: the multi-agency work itself (000 6.1).
IN_MARM = frozenset({S.ACCEPTED, S.PLANNING, S.REVIEW, S.ESCALATED})


def moves_into(target: str) -> frozenset[str]:
    """The stages from which a case may move to ``target``: where an action that makes that move is open."""
    return frozenset(current for current, targets in ALLOWED_MOVES.items() if target in targets)


class MoveNotAllowed(Exception):
    def __init__(self, current: str, target: str):
        allowed = sorted(f"'{CaseStatus(s).label}'" for s in ALLOWED_MOVES.get(current, ()))
        options = ", ".join(allowed) if allowed else "nothing"
        super().__init__(
            f"A case at '{CaseStatus(current).label}' cannot move to '{CaseStatus(target).label}'. "
            f"From here it can move to: {options}."
        )


def check_move(current: str, target: str) -> None:
    if target not in ALLOWED_MOVES.get(current, frozenset()):
        raise MoveNotAllowed(current, target)
