"""Named permissions on cases, and the machinery for actions that depend on the case's stage.

An action on a case is open to a role at some stages of the lifecycle only: screening while the
concern waits for its route, reopening once it has been routed or closed. Each such permission is
named once, with who may take the action and the stages where it is open (``add_case_perm``), in
the rules of the app that owns the action. Pages, templates and services all ask that one
permission; the stages come from the move table (``marm/cases/lifecycle.py``) where the action is
a move.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied

from marm.access.rules import does_casework, is_manager
from marm.cases.lifecycle import IN_MARM, CaseStatus, moves_into


@rules.predicate
def in_lead_agency(user, case):
    return case is not None and user.agency_id == case.lead_agency_id


# 000 2.1, 4.2: a responsible manager of the lead agency takes the decisions on the case.
manages_case = is_manager & in_lead_agency


def case_status_in(stages, *, case_of=None):
    """A predicate: the case is at one of ``stages`` (for a record under a case, ``case_of(record)`` is its case)."""
    stages = frozenset(stages)

    def at_stage(user, obj) -> bool:
        case = case_of(obj) if obj is not None and case_of is not None else obj
        return case is not None and case.status in stages

    return rules.predicate(at_stage, name=f"case_status_in({', '.join(sorted(stages))})")


@dataclass(frozen=True)
class CasePermission:
    who: rules.Predicate
    stage: rules.Predicate


_CASE_PERMISSIONS: dict[str, CasePermission] = {}


def add_case_perm(name: str, *, who, stage) -> None:
    """Name the permission for an action on a case: open to ``who`` while ``stage`` holds for the case."""
    _CASE_PERMISSIONS[name] = CasePermission(who, stage)
    rules.add_perm(name, who & stage)


def require_role(user, perm: str, obj) -> None:
    """Refuse (403) unless the user's role lets them take the action on ``obj`` at some stage.

    A form page opens on this; the stage is asked when the action is taken (``require_at_stage``),
    so someone whose case has moved on is told why rather than refused.
    """
    if not (getattr(user, "is_active", False) and _CASE_PERMISSIONS[perm].who.test(user, obj)):
        raise PermissionDenied


def require_at_stage(user, perm: str, obj, *, refusal) -> None:
    """Ask the named permission for ``obj``, as the page does.

    A user whose role does not allow the action is refused (403). One whose role allows it, on a
    case at a stage where the action is not open, gets ``refusal`` (the exception, or a function
    returning it): the service's message saying why.
    """
    if user.has_perm(perm, obj):
        return
    require_role(user, perm, obj)
    raise refusal() if callable(refusal) else refusal


# Screening starts on a new or reopened concern and goes on until the route is decided.
SCREENABLE = moves_into(CaseStatus.SCREENING) | {CaseStatus.SCREENING}
# Appendix A: the lead professional is allocated once the case is accepted, and reallocated while it is open.
ALLOCATABLE = IN_MARM
# A routed or closed case comes back into MARM by reopening.
REOPENABLE = moves_into(CaseStatus.REOPENED)

rules.add_perm("cases.raise_concern", does_casework)
add_case_perm("cases.screen_case", who=manages_case, stage=case_status_in(SCREENABLE))
add_case_perm("cases.allocate_lead_professional", who=manages_case, stage=case_status_in(ALLOCATABLE))
add_case_perm("cases.reopen_case", who=manages_case, stage=case_status_in(REOPENABLE))
# Ending another agency's part in the case, at any stage.
rules.add_perm("cases.end_involvement", manages_case)
# Any move along the lifecycle table; the table itself says which (marm/cases/lifecycle.py).
rules.add_perm("cases.move_case", manages_case)
rules.add_perm("cases.update_key_action", does_casework)


@rules.predicate
def routed_by_own_agency(user, routed_process):
    return routed_process is not None and user.agency_id == routed_process.case.lead_agency_id


# The manager of the agency whose screening routed the case records when the other process ended.
rules.add_perm("cases.end_routed_process", is_manager & routed_by_own_agency)
# The lead agency tags the review themes a case shows (the board cuts its measures by them).
rules.add_perm("cases.tag_themes", does_casework & in_lead_agency)
rules.add_perm("sharing.decide", does_casework)
# The lead agency records the adult's wishes about sharing (001 3.3): whom they agreed to share with.
rules.add_perm("sharing.record_wishes", does_casework & in_lead_agency)
rules.add_perm("decisions.add_decision", does_casework)
