"""What goes into a snapshot: the register as the duty desk needs it, in plain words."""

from marm.people.presenters import format_date_of_birth
from marm.plans.vocab import EscalationRoute, TriggerKind


def _address(address) -> str:
    return ", ".join(part for part in (address.line_1, address.line_2, address.town, address.postcode) if part)


def _contingency(entry) -> dict | None:
    plans = entry.case.plans_list if entry.case_id else []
    if not plans:
        return None
    plan = plans[0]  # the newest version is the current one
    return {
        "version": plan.number,
        "summary": plan.summary,
        "agreed_on": f"{plan.created_at:%Y-%m-%d}",
        "triggers": [
            {
                "when": TriggerKind(trigger.kind).label,
                "threshold": trigger.threshold,
                "what_to_do": trigger.what_to_do,
                "who_to_contact": trigger.who_to_contact,
                "escalation": EscalationRoute(trigger.escalation_route).label,
            }
            for trigger in plan.triggers_list
        ],
    }


def snapshot_content(*, team, entries, made_at) -> dict:
    """The JSON a snapshot holds: the team and, for each active entry, the adult, the named professional and
    how to reach them, and the current contingency plan's triggers and who to call."""
    return {
        "team": team.name,
        "agency": team.agency.name,
        "made_at": made_at.isoformat(),
        "entries": [
            {
                "person": {
                    "name": entry.person.full_name,
                    "preferred_name": entry.person.preferred_name,
                    "date_of_birth": format_date_of_birth(
                        entry.person.date_of_birth, entry.person.date_of_birth_precision
                    ),
                    "addresses": [_address(address) for address in entry.person.current_addresses],
                },
                "on_register_since": f"{entry.added_at:%Y-%m-%d}",
                "reason": entry.reason,
                "case_reference": entry.case.reference if entry.case_id else "",
                "named_professional": {
                    "name": entry.named_professional.full_name,
                    "job_title": entry.named_professional.job_title,
                    "phone": entry.named_professional.phone,
                    "email": entry.named_professional.email,
                },
                "contingency": _contingency(entry),
            }
            for entry in entries
        ],
    }
