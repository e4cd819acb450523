"""Property: whatever walk a case takes through ALLOWED_MOVES, its status is the to_status of its
latest transition; a move the table does not allow is refused and changes nothing (ADR 0008)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marm.audit.models import AuditEvent
from marm.cases.lifecycle import ALLOWED_MOVES, CaseStatus, MoveNotAllowed
from marm.cases.models import Case, CaseTransition
from marm.cases.services import case_raise, case_transition

pytestmark = pytest.mark.django_db


def _stored(case) -> tuple[str, int, int, int]:
    stored = Case.objects.get(pk=case.pk)
    return (
        stored.status,
        stored.version,
        CaseTransition.objects.filter(case=case).count(),
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count(),
    )


def _latest_to_status(case) -> str:
    return (
        CaseTransition.objects.filter(case=case).order_by("-created_at", "-pk").values_list("to_status", flat=True)[0]
    )


# The db fixture is function-scoped: the people are shared by every example and never changed;
# each example raises its own case and rolls it back when done.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_walk_through_the_allowed_moves_keeps_the_status_on_the_latest_transition(
    data, practitioner_a, manager_a, person_a
):
    with transaction.atomic():
        case = case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="Hoarding; blocked exits")
        assert Case.objects.get(pk=case.pk).status == _latest_to_status(case) == CaseStatus.CONCERN
        for step in range(data.draw(st.integers(min_value=1, max_value=6), label="steps")):
            current = Case.objects.get(pk=case.pk).status
            target = data.draw(st.sampled_from(sorted(ALLOWED_MOVES[current])), label=f"move {step + 1}")
            case_transition(acting_user=manager_a, case=case, to_status=target, reason=f"Step {step + 1}")
            assert Case.objects.get(pk=case.pk).status == _latest_to_status(case) == target

        current = Case.objects.get(pk=case.pk).status
        # Nothing moves back to a raised concern, so every stage has a move the table refuses.
        refused = data.draw(st.sampled_from(sorted(set(CaseStatus.values) - ALLOWED_MOVES[current])), label="refused")
        before = _stored(case)
        with pytest.raises(MoveNotAllowed):
            case_transition(acting_user=manager_a, case=case, to_status=refused, reason="Not in the table")
        assert _stored(case) == before
        assert _latest_to_status(case) == current
        transaction.set_rollback(True)
