"""Subject access requests as the officer reads them: when each falls due, and which are late."""

import datetime
from dataclasses import dataclass

from marm.rights.models import RequestStatus, SubjectAccessRequest


@dataclass(frozen=True)
class RequestRow:
    sar: SubjectAccessRequest
    overdue: bool
    days_left: int | None
    answered_late: bool

    @property
    def due_text(self) -> str:
        if self.days_left is None:
            return ""
        if self.overdue:
            late = -self.days_left
            return f"Overdue by {late} day{'s' if late != 1 else ''}"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


def request_row(sar: SubjectAccessRequest, *, today: datetime.date) -> RequestRow:
    if sar.is_open:
        days_left = (sar.due_on - today).days
        return RequestRow(sar, overdue=days_left < 0, days_left=days_left, answered_late=False)
    late = sar.status == RequestStatus.ANSWERED and sar.answered_on is not None and sar.answered_on > sar.due_on
    return RequestRow(sar, overdue=False, days_left=None, answered_late=late)
