"""How a case reads to a person: the entry tests in plain words, labels for stored codes."""

from dataclasses import dataclass

from django.urls import reverse

from marm.cases import vocab


@dataclass
class TestResult:
    met: bool
    held: list[str]
    not_held: list[str]
    summary: str


def labels(codes, choices) -> list[str]:
    names = dict(choices.choices)
    return [names[code] for code in codes if code in names]


def at_risk(case) -> TestResult:
    """000 3.1: unable or unwilling to care for themselves AND at least one of the four."""
    held = labels(case.at_risk_tests, vocab.AtRiskTest)
    not_held = [label for code, label in vocab.AtRiskTest.choices if code not in case.at_risk_tests]
    met = case.unable_or_unwilling_to_self_care and bool(held)
    if met:
        summary = "The adult is 'at risk' under the framework."
    elif not case.unable_or_unwilling_to_self_care:
        summary = "Not met: the adult is not recorded as unable or unwilling to care for themselves."
    else:
        summary = "Not met: none of the four circumstances is recorded."
    return TestResult(met, held, not_held, summary)


def entry_criteria(case) -> TestResult:
    """001 section 2: every criterion must hold, and the daily-life one needs at least one area."""
    chosen = set(case.entry_criteria)
    if not case.daily_life_areas:
        chosen.discard(vocab.EntryCriterion.DAILY_LIFE)
    held = [label for code, label in vocab.EntryCriterion.choices if code in chosen]
    not_held = [label for code, label in vocab.EntryCriterion.choices if code not in chosen]
    met = not not_held
    summary = (
        "All the entry criteria are met."
        if met
        else f"Not met: {len(not_held)} of {len(vocab.EntryCriterion.choices)} criteria do not hold."
    )
    return TestResult(met, held, not_held, summary)


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
