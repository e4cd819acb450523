"""What next, from the records: the case's stage and what is still to do, each with its link.

A step is done when the record that does it exists (a capacity assessment recorded, a risk
assessment agreed, a copy given), never because someone ticked it. The apps that keep those
records contribute their own steps (``register_next_steps`` in their ``ready()``), as they
contribute panels, so the case page names no app above it. A contributor that needs facts about
the case's records (does an agreed version exist, how many actions are overdue) names them as
annotations of the case; the facts of every contributor are read together, in one query, however
much is recorded.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from marm.cases.lifecycle import IN_MARM, CaseStatus


class StepState:
    DONE = "done"
    TO_DO = "to_do"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Step:
    text: str
    state: str = StepState.TO_DO
    url: str = ""
    hint: str = ""
    order: int = 100

    @property
    def done(self) -> bool:
        return self.state == StepState.DONE


# The four stages a practitioner knows the process by (000 section 6).
STAGES = (
    ("concern", "Concern and screening", {CaseStatus.CONCERN, CaseStatus.SCREENING, CaseStatus.REOPENED}),
    ("planning", "Planning", {CaseStatus.ACCEPTED, CaseStatus.PLANNING}),
    ("review", "Review", {CaseStatus.REVIEW, CaseStatus.ESCALATED}),
    ("closure", "Closed or routed elsewhere", {CaseStatus.CLOSED, CaseStatus.ROUTED}),
)


@dataclass(frozen=True)
class Stage:
    number: int
    label: str
    of: int = len(STAGES)


def stage_of(case) -> Stage:
    for number, (_key, label, statuses) in enumerate(STAGES, start=1):
        if case.status in statuses:
            return Stage(number, label)
    return Stage(1, STAGES[0][1])


_providers: dict[str, Callable[..., list[Step]]] = {}
_facts: dict[str, Callable[..., dict]] = {}


def register_next_steps(
    name: str, provider: Callable[..., list[Step]], *, facts: Callable[..., dict] | None = None
) -> None:
    """Add the steps an app knows of: ``provider(*, user, case)`` returns them (registering again replaces).

    With ``facts``, ``facts(case=case)`` returns the annotations of the case the provider needs
    (``{}`` when it needs none for this case), and the provider is called with ``facts=``, the values
    read, by the same names."""
    _providers[name] = provider
    if facts is None:
        _facts.pop(name, None)
    else:
        _facts[name] = facts


def _read_facts(case) -> dict[str, dict]:
    """Every contributor's facts about the case, in one query (none when no contributor needs any)."""
    from marm.cases.models import Case

    wanted = {name: facts(case=case) for name, facts in _facts.items()}
    annotations = {f"{name}_{key}": value for name, values in wanted.items() for key, value in values.items()}
    if not annotations:
        return dict.fromkeys(wanted, {})
    row = Case.objects.filter(pk=case.pk).annotate(**annotations).values(*annotations).get()
    return {name: {key: row[f"{name}_{key}"] for key in values} for name, values in wanted.items()}


def next_steps(*, user, case) -> list[Step]:
    """Every step for the case, the ones still to do first (overdue before the rest), then the done ones."""
    facts = _read_facts(case)
    steps = [
        step
        for name, provider in _providers.items()
        for step in (
            provider(user=user, case=case, facts=facts[name]) if name in facts else provider(user=user, case=case)
        )
    ]
    rank = {StepState.OVERDUE: 0, StepState.TO_DO: 1, StepState.DONE: 2}
    return sorted(steps, key=lambda step: (rank[step.state], step.order))


def _case_steps(*, user, case) -> list[Step]:
    """The case's own steps: screening, the lead professional, each agency's lead worker. Read from
    what the case page has already loaded (its agencies and current lead), so no query of their own."""
    steps = []
    if case.status in {CaseStatus.CONCERN, CaseStatus.SCREENING, CaseStatus.REOPENED}:
        can_screen = user.has_perm("cases.screen_case", case)
        steps.append(
            Step(
                "Decide where the concern goes: accept into MARM, route elsewhere, or no further action"
                if can_screen
                else f"A manager of {case.lead_agency.name} screens the concern",
                url=reverse("cases:screen", kwargs={"case_pk": case.pk}) if can_screen else "",
                order=10,
            )
        )
    if case.status in IN_MARM:
        leads = getattr(case, "current_leads", [])
        steps.append(
            Step(
                f"Lead professional: {leads[0].user.full_name}" if leads else "Allocate a lead professional",
                state=StepState.DONE if leads else StepState.TO_DO,
                url="" if leads else reverse("cases:allocate", kwargs={"case_pk": case.pk}),
                order=20,
            )
        )
        for part in getattr(case, "active_agencies", []):
            if part.access != "full":
                continue
            steps.append(
                Step(
                    f"{part.agency.name} names its lead worker"
                    if not part.lead_worker_id
                    else f"{part.agency.name}'s lead worker: {part.lead_worker.full_name}",
                    state=StepState.DONE if part.lead_worker_id else StepState.TO_DO,
                    url=""
                    if part.lead_worker_id or part.agency_id != user.agency_id
                    else reverse("cases:lead-worker", kwargs={"case_pk": case.pk, "role_id": part.pk}),
                    hint="" if part.lead_worker_id else "Each involved agency names its own lead worker.",
                    order=25,
                )
            )
    return steps


register_next_steps("cases", _case_steps)
