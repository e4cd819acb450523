"""How the plan reads: overdue worked out from today, labels for stored codes."""

import datetime
from dataclasses import dataclass

from marm.plans.models import Action
from marm.plans.vocab import RiskAspect


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def aspect_labels(codes) -> list[str]:
    names = dict(RiskAspect.choices)
    return [names[code] for code in codes if code in names]


@dataclass
class ActionRow:
    action: Action
    overdue: bool
    days_overdue: int
    aspects: list[str]

    @property
    def tag_class(self) -> str:
        if self.overdue:
            return "govuk-tag--red"
        return {
            "done": "govuk-tag--green",
            "in_progress": "govuk-tag--blue",
            "not_possible": "govuk-tag--grey",
            "agency_did_not_act": "govuk-tag--orange",
        }.get(self.action.status, "govuk-tag--yellow")


def action_rows(actions, *, today: datetime.date) -> list[ActionRow]:
    """Overdue is computed here from the due date, never typed (and overdue ones come first)."""
    rows = [
        ActionRow(
            action=action,
            overdue=action.is_overdue(today),
            days_overdue=(today - action.due_date).days if action.is_overdue(today) else 0,
            aspects=aspect_labels(action.risk_aspects),
        )
        for action in actions
    ]
    return sorted(rows, key=lambda row: (not row.overdue, not row.action.is_live, row.action.due_date))
