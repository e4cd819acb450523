"""Closure and escalation in the case page's "what next" (registered in ClosureConfig.ready).

A meeting that recommends closing the case, or escalating it to a section 42 enquiry (000 6.2,
5.4), is followed by the manager's sign-off or referral: until then What next says so, first, with
the link to do it. A referral waiting for the local authority's decision is a step of its own.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from marm.cases.lifecycle import IN_MARM
from marm.cases.next_steps import Step, register_next_steps
from marm.closure.models import S42Referral
from marm.meetings.models import Meeting
from marm.meetings.vocab import MeetingOutcome

# What a meeting decided comes before the rest of the case's work.
RECOMMENDED_ORDER = 5


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def closure_facts(*, case) -> dict:
    """A referral waiting for a decision, and the outcome and day of the last meeting held."""
    if case.status not in IN_MARM:
        return {}
    last_held = Meeting.objects.filter(
        case=OuterRef("pk"), cancelled_at__isnull=True, finished_at__isnull=False
    ).order_by("-starts_at", "-pk")
    return {
        "waiting": Exists(S42Referral.objects.filter(case=OuterRef("pk"), outcome__isnull=True)),
        "last_outcome": Subquery(last_held.values("outcome")[:1]),
        "last_day": Subquery(last_held.values("starts_at")[:1]),
    }


def closure_steps(*, user, case, facts) -> list[Step]:
    """The last meeting's recommendation, and a referral waiting for a decision (from ``closure_facts``)."""
    if case.status not in IN_MARM:
        return []
    kwargs = {"case_pk": case.pk}
    if facts["waiting"]:
        can_record = user.has_perm("closure.record_s42_outcome", case)
        return [
            Step(
                "Record the local authority's decision on the section 42 referral"
                if can_record
                else "The local authority is deciding on the section 42 referral",
                url=reverse("closure:s42", kwargs=kwargs),
                hint="The case cannot be closed while the referral waits for a decision.",
                order=RECOMMENDED_ORDER,
            )
        ]
    outcome, day = facts["last_outcome"], facts["last_day"]
    if outcome == MeetingOutcome.CLOSE:
        held = _long(timezone.localdate(day))
        if user.has_perm("closure.close_case", case):
            return [
                Step(
                    f"The meeting on {held} recommended closure: check with the agencies and close the case",
                    url=reverse("closure:closure", kwargs=kwargs),
                    hint="Record the ongoing support, the handover and the advice given to the adult, then sign "
                    "the closure off.",
                    order=RECOMMENDED_ORDER,
                )
            ]
        return [
            Step(
                f"The meeting on {held} recommended closure: a manager of {case.lead_agency.name} signs it off",
                order=RECOMMENDED_ORDER,
            )
        ]
    if outcome == MeetingOutcome.ESCALATE:
        held = _long(timezone.localdate(day))
        can_refer = user.has_perm("closure.refer_s42", case)
        return [
            Step(
                f"The meeting on {held} recommended escalation: refer to a section 42 enquiry"
                if can_refer
                else f"The meeting on {held} recommended escalation: a manager of {case.lead_agency.name} refers "
                "it to a section 42 enquiry",
                url=reverse("closure:s42-refer", kwargs=kwargs) if can_refer else "",
                order=RECOMMENDED_ORDER,
            )
        ]
    return []


def register() -> None:
    register_next_steps("closure", closure_steps, facts=closure_facts)
