"""How a case reads to a person: the entry tests in plain words, labels for stored codes."""

from dataclasses import dataclass

from django.urls import reverse

from marm.cases import vocab


@dataclass
class TestResult:
    """An AND-test as the records show it. A criterion is either recorded as holding or not
    recorded: the concern form records only what holds, so nothing is ever shown as not holding."""

    met: bool
    held: list[str]
    not_recorded: list[str]
    summary: str


@dataclass
class Checklist:
    """A key-actions checklist and the counts of its own items, so the summary agrees with the list."""

    items: list
    done: int
    not_applicable: int
    outstanding: int
    summary: str


def labels(codes, choices) -> list[str]:
    names = dict(choices.choices)
    return [names[code] for code in codes if code in names]


def _of(count: int, total: int) -> str:
    return "none" if count == 0 else "all" if count == total else f"{count} of {total}"


def at_risk(case) -> TestResult:
    """000 3.1: unable or unwilling to care for themselves AND at least one of the four."""
    held = labels(case.at_risk_tests, vocab.AtRiskTest)
    not_recorded = [label for code, label in vocab.AtRiskTest.choices if code not in case.at_risk_tests]
    unable = case.unable_or_unwilling_to_self_care
    met = unable and bool(held)
    total = len(vocab.AtRiskTest.choices)
    if met:
        summary = (
            "At risk: the adult is recorded as unable or unwilling to care for themselves, "
            f"with {_of(len(held), total)} of the {total} circumstances."
        )
    else:
        gaps = []
        if not unable:
            gaps.append("being unable or unwilling to care for themselves is not recorded")
        if not held:
            gaps.append(f"none of the {total} circumstances is recorded")
        summary = f"Not shown to be at risk: {' and '.join(gaps)}."
    return TestResult(met, held, not_recorded, summary)


def entry_criteria(case) -> TestResult:
    """001 section 2: every criterion must hold, and the daily-life one needs at least one area."""
    chosen = set(case.entry_criteria)
    if not case.daily_life_areas:
        chosen.discard(vocab.EntryCriterion.DAILY_LIFE)
    held = [label for code, label in vocab.EntryCriterion.choices if code in chosen]
    not_recorded = [label for code, label in vocab.EntryCriterion.choices if code not in chosen]
    total = len(vocab.EntryCriterion.choices)
    met = not not_recorded
    if met:
        summary = f"Met: all {total} entry criteria are recorded as holding."
    elif not held:
        summary = f"Not met: none of the {total} entry criteria is recorded as holding."
    else:
        summary = (
            f"Not met: {len(held)} of {total} entry criteria recorded as holding; {len(not_recorded)} not recorded."
        )
    return TestResult(met, held, not_recorded, summary)


def key_actions(items, *, stage: int) -> Checklist | None:
    """One stage's key actions (000 Appendix A) with counts taken from the same items the table lists."""
    items = [item for item in items if item.stage == stage]
    if not items:
        return None
    counts = dict.fromkeys(vocab.KeyActionStatus.values, 0)
    for item in items:
        counts[item.status] += 1
    done = counts[vocab.KeyActionStatus.DONE]
    not_applicable = counts[vocab.KeyActionStatus.NOT_APPLICABLE]
    outstanding = counts[vocab.KeyActionStatus.OUTSTANDING]
    total = len(items)
    if outstanding == 0:
        summary = f"All {total} key actions are settled: {done} done, {not_applicable} not applicable."
    else:
        summary = f"{outstanding} of {total} key actions outstanding; {done} done, {not_applicable} not applicable."
    return Checklist(items, done, not_applicable, outstanding, summary)


def routed_processes(processes, *, user) -> list[dict]:
    """The other processes a screening routed to, each with whether the user may record its end."""
    return [
        {"process": process, "can_end": process.is_active and user.has_perm("cases.end_routed_process", process)}
        for process in processes
    ]


def form_page(case, form, heading, button="Save") -> dict:
    """The context of a form page about a case (templates/form_page.html)."""
    return {
        "form": form,
        "case": case,
        "heading": heading,
        "button": button,
        "caption": f"{case.person.full_name}: {case.reference}",
        "back_url": reverse("cases:detail", kwargs={"case_pk": case.pk}),
    }
