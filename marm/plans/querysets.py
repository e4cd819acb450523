"""Scoping for the plan: records under a case, readable only with full access to it."""

import datetime

from marm.cases.querysets import CaseRecordQuerySet
from marm.plans.vocab import LIVE_STATUSES


class ActionQuerySet(CaseRecordQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def overdue(self, today: datetime.date):
        """Computed, never typed: still to do and past its due date."""
        return self.live().filter(due_date__lt=today)
