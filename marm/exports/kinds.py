"""What each export holds: who may ask for it, its headings, and its rows read as the requesting user.

Each kind reads through the owning app's selector, which scopes the rows to the user exactly as
their pages are scoped; rows are values streamed with ``iterator(chunk_size=...)``, so a file of
50,000 rows makes a handful of queries. ``rows`` yields the cells; the people named are collected
into ``person_ids`` as the rows go by, for the download's audit row."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from marm.access.roles import works_with_people
from marm.assurance.publication import publish
from marm.assurance.registry import financial_year_of, quarter_label
from marm.assurance.selectors import every_measure
from marm.cases.models import CaseStatus
from marm.cases.selectors import cases_for_export
from marm.exports.models import ExportKind
from marm.plans.selectors import actions_for_export
from marm.plans.vocab import ActionStatus
from marm.register.selectors import register_for_export, teams_of

CHUNK = 2000


def _name(given, middle, family) -> str:
    return " ".join(part for part in (given, middle, family) if part)


@dataclass(frozen=True)
class Kind:
    code: str
    headings: tuple[str, ...]
    may_request: Callable
    rows: Callable  # rows(user, parameters, person_ids: set) -> Iterator[tuple]
    names_people: bool = True


def _cases(user, parameters, person_ids) -> Iterator[tuple]:
    statuses = dict(CaseStatus.choices)
    for reference, given, middle, family, status, lead, access, raised_at, person_id in cases_for_export(
        user=user
    ).iterator(chunk_size=CHUNK):
        person_ids.add(str(person_id))
        yield (reference, _name(given, middle, family), statuses.get(status, status), lead, access, raised_at)


def _actions(user, parameters, person_ids) -> Iterator[tuple]:
    statuses = dict(ActionStatus.choices)
    for (
        reference,
        given,
        middle,
        family,
        what,
        lead_user,
        lead_name,
        agency,
        due,
        status,
        person_id,
    ) in actions_for_export(user=user).iterator(chunk_size=CHUNK):
        person_ids.add(str(person_id))
        yield (reference, _name(given, middle, family), what, lead_user or lead_name, agency, due, statuses[status])


def _register(user, parameters, person_ids) -> Iterator[tuple]:
    for team, given, middle, family, reference, named, added_at, person_id in register_for_export(user=user).iterator(
        chunk_size=CHUNK
    ):
        person_ids.add(str(person_id))
        yield (team, _name(given, middle, family), reference or "", named, added_at)


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def _measures(user, parameters, person_ids) -> Iterator[tuple]:
    """Aggregates only. For publication outside the partnership, the national rule: totals only,
    counts of 0 to 4 suppressed and the rest rounded to 5 (marm.assurance.publication)."""
    year = parameters.get("year") or financial_year_of(timezone.localdate())
    results = every_measure(year=year)
    for result in results:
        measure = result.measure
        if parameters.get("publication"):
            periods = [(quarter_label(q), result.by_quarter[q]) for q in result.quarters]
            for period, cell in [*periods, ("The year", result.total)]:
                shown = publish(measure, cell)
                yield (
                    measure.code,
                    measure.title,
                    result.year_label,
                    period,
                    "All",
                    shown.numerator,
                    shown.denominator,
                    shown.value,
                )
            continue
        for quarter in result.quarters:
            for group in [*result.groups, "All"]:
                cell = result.by_quarter[quarter] if group == "All" else result.cell(quarter, group)
                yield (
                    measure.code,
                    measure.title,
                    result.year_label,
                    quarter_label(quarter),
                    group,
                    _number(cell.numerator),
                    _number(cell.denominator),
                    _number(cell.value),
                )


def _has_team(user) -> bool:
    return works_with_people(user) and teams_of(user=user).exists()


KINDS = {
    ExportKind.CASES: Kind(
        "cases",
        ("case reference", "person", "status", "lead agency", "your agency's access", "raised"),
        works_with_people,
        _cases,
    ),
    ExportKind.ACTIONS: Kind(
        "actions",
        ("case reference", "person", "action", "lead", "agency", "due", "status"),
        works_with_people,
        _actions,
    ),
    ExportKind.REGISTER: Kind(
        "register",
        ("team", "person", "case reference", "named professional", "added to the register"),
        _has_team,
        _register,
    ),
    ExportKind.MEASURES: Kind(
        "measures",
        ("measure", "title", "financial year", "period", "group", "numerator", "denominator", "value"),
        lambda user: user.has_perm("assurance.view_measures"),
        _measures,
        names_people=False,
    ),
}


def kinds_for(user) -> list[str]:
    """The kinds of export the user may ask for."""
    return [code for code, kind in KINDS.items() if kind.may_request(user)]
