"""The meetings' part of the case page's "what next" (registered in MeetingsConfig.ready)."""

from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import IN_MARM
from marm.cases.next_steps import Step, StepState, register_next_steps
from marm.meetings.models import Meeting
from marm.meetings.vocab import MeetingKind

# After the planning meeting the records it owes come first (000 6.1: the risk assessment is made
# and the contingency plan agreed at planning; risk 50-60, plans 80), then setting up the review.
# An overdue review is urgent: it comes before everything, overdue actions included.
REVIEW_ORDER = 90
OVERDUE_REVIEW_ORDER = 1


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def meeting_steps(*, user, case) -> list[Step]:
    """The planning meeting, then the next review: one date, from the last meeting held. One query."""
    if case.status not in IN_MARM:
        return []
    meetings = list(
        Meeting.objects.filter(case=case, cancelled_at__isnull=True)
        .only("pk", "kind", "starts_at", "finished_at", "next_review_date")
        .order_by("starts_at", "pk")
    )
    can_schedule = user.has_perm("meetings.schedule_meeting", case)
    schedule = reverse("meetings:schedule", kwargs={"case_pk": case.pk}) if can_schedule else ""
    planning = [m for m in meetings if m.kind == MeetingKind.PLANNING]
    held = [m for m in planning if m.finished_at]
    steps = []
    if held:
        steps.append(
            Step(f"Planning meeting held on {_long(timezone.localdate(held[0].starts_at))}", StepState.DONE, order=30)
        )
    elif planning:
        meeting = planning[0]
        steps.append(
            Step(
                f"Hold the planning meeting, set for {_long(timezone.localdate(meeting.starts_at))}",
                url=reverse("meetings:detail", kwargs={"case_pk": case.pk, "meeting_id": meeting.pk}),
                order=30,
            )
        )
        return steps
    else:
        steps.append(Step("Set up the planning meeting", url=schedule, order=30))
        return steps
    finished = [m for m in meetings if m.finished_at]
    reviews = [m for m in finished if m.kind == MeetingKind.REVIEW]
    if reviews:
        number = len(reviews)
        steps.append(
            Step(
                f"Review meeting held on {_long(timezone.localdate(reviews[-1].starts_at))}",
                StepState.DONE,
                hint=f"{number} review {'meeting' if number == 1 else 'meetings'} held so far.",
                order=REVIEW_ORDER + 5,
            )
        )
    # A meeting that recommended closure or escalation sets no review date: the closure app says what next.
    due = finished[-1].next_review_date if finished else None
    if due is None:
        return steps
    today = timezone.localdate()
    coming = [m for m in meetings if not m.finished_at and m.starts_at > finished[-1].starts_at]
    if coming:
        meeting = coming[0]
        overdue = timezone.localdate(meeting.starts_at) < today
        steps.append(
            Step(
                f"Next review: the review meeting on {_long(timezone.localdate(meeting.starts_at))}",
                StepState.OVERDUE if overdue else StepState.TO_DO,
                url=reverse("meetings:detail", kwargs={"case_pk": case.pk, "meeting_id": meeting.pk}),
                hint=f"The last meeting set the review for {_long(due)}.",
                order=OVERDUE_REVIEW_ORDER if overdue else REVIEW_ORDER,
            )
        )
    else:
        overdue = due < today
        steps.append(
            Step(
                f"Next review: by {_long(due)}. Set up the review meeting",
                StepState.OVERDUE if overdue else StepState.TO_DO,
                url=schedule,
                order=OVERDUE_REVIEW_ORDER if overdue else REVIEW_ORDER,
            )
        )
    return steps


def register() -> None:
    register_next_steps("meetings", meeting_steps)
