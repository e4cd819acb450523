"""Display formatting for the register and the duty desk."""

from django.utils import timezone

from marm.cases.vocab import RiskCategory
from marm.register.models import REVIEW_INTERVAL


def review_due(entry, now=None) -> dict:
    """When the weekly review is due, and whether it is overdue (000 Appendix C)."""
    now = now or timezone.now()
    last = getattr(entry, "last_reviewed_at", None) or entry.added_at
    due = last + REVIEW_INTERVAL
    return {"due": due, "overdue": due < now}


def criteria_labels(entry) -> list[str]:
    labels = dict(RiskCategory.choices)
    return [f"{code}) {labels.get(code, code)}" for code in entry.criteria]


def register_rows(entries, now=None) -> list[dict]:
    now = now or timezone.now()
    return [{"entry": entry, **review_due(entry, now)} for entry in entries]
