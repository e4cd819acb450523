"""The plan's URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import person

NAMESPACES = ("plans",)

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)

URLS = {
    "plans:case-plan": person(),
    "plans:action-add": RECORD,
    "plans:action": person(),
    # Only the action's lead, its agency or the lead agency updates an action: the swept one is agency A's.
    "plans:action-revise": person(police_b=403, auditor_a=403),
    "plans:contingency-new": RECORD,
}


def objects(shared):
    """A home safety visit that practitioner_a leads, due in a week."""
    import datetime

    from django.utils import timezone

    from marm.plans.services import action_create

    practitioner = shared["practitioner_a"]
    action = action_create(
        acting_user=practitioner,
        case=shared["accepted_case"],
        what="Home safety visit",
        lead_user=practitioner,
        agency=practitioner.agency,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    return {"action_id": action.pk}
