"""A contingency plan's triggers are written in one bulk insert: the plan's audit row names each of them."""

import pytest

from marm.audit.models import AuditAction, AuditEvent
from marm.plans.services import contingency_plan_agree

pytestmark = pytest.mark.django_db

TRIGGER = {
    "kind": "missed_contacts",
    "threshold": "Two missed contacts in a week",
    "what_to_do": "Joint visit by housing and social care within 48 hours",
    "who_to_contact": "Lead professional; out of hours: emergency duty team",
    "escalation_route": "senior_manager",
}


def test_the_plan_audit_row_lists_the_triggers_written_with_it(planning_case, practitioner_a):
    plan = contingency_plan_agree(
        acting_user=practitioner_a,
        case=planning_case,
        triggers=[TRIGGER, {**TRIGGER, "kind": "fire_safety", "escalation_route": "s42_referral"}],
    )
    row = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="plans.contingencyplan", object_id=str(plan.pk))
    assert row.person_id == str(planning_case.person_id)
    assert row.detail["triggers"] == list(plan.triggers.order_by("position").values_list("pk", flat=True))
