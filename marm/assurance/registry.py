"""The registry of measures: what a Safeguarding Adults Board reads, computed from casework.

Each measure is written down once: its code, a plain definition, what it counts
(numerator), out of what (denominator), which date puts a record in a quarter
(date basis), and the function that computes it from marm's own records. The
pages, the charts, the CSV downloads, the publication view, the business plan's
live figures and the annual report all read measures only through ``compute``.

A compute function is handed a ``Window`` (a span of dates, and optionally one
agency and one review theme) and returns ``Fact`` rows already grouped in the
database: one row per quarter and group, so the number of queries does not
grow with the data. Median measures return one row per record (the number of
days) and are reduced here.
"""

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field


class Unit:
    COUNT = "count"  # a number of records
    PERCENT = "percent"  # numerator out of denominator
    MEDIAN_DAYS = "median_days"  # the median of a number of days per record


class Chart:
    BAR = "bar"
    STACKED = "stacked"
    LINE = "line"


@dataclass(frozen=True)
class Window:
    start: datetime.date  # the first day counted
    end: datetime.date  # the day after the last day counted
    agency_id: int | None = None
    theme: str | None = None


@dataclass(frozen=True)
class Fact:
    """One quarter and one group: how many records count (numerator) out of how many (denominator).

    For a median measure a fact is one record: ``numerator`` is its number of days."""

    quarter: datetime.date  # the first day of the quarter
    group: str  # an agency's name, or a category's label
    numerator: float
    denominator: int | None = None


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    definition: str
    numerator: str
    denominator: str
    date_basis: str
    unit: str
    chart: str
    # What the groups are: "agency" (by agency), or the name of the categories ("route", "reason").
    grouped_by: str
    compute: Callable[[Window], list[Fact]]
    # The section of domain guidance or the board's question it answers, in words.
    answers: str = ""

    @property
    def is_percent(self) -> bool:
        return self.unit == Unit.PERCENT

    @property
    def is_median(self) -> bool:
        return self.unit == Unit.MEDIAN_DAYS


MEASURES: dict[str, Measure] = {}


def register_measure(measure: Measure) -> Measure:
    if measure.code in MEASURES:
        raise ValueError(f"measure {measure.code} is registered twice")
    MEASURES[measure.code] = measure
    return measure


def measure_choices() -> list[tuple[str, str]]:
    return [(m.code, f"{m.code}: {m.title}") for m in MEASURES.values()]


# Financial years run from 1 April, as the Safeguarding Adults Collection does.
def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def quarters_of(year: int) -> list[datetime.date]:
    return [
        datetime.date(year, 4, 1),
        datetime.date(year, 7, 1),
        datetime.date(year, 10, 1),
        datetime.date(year + 1, 1, 1),
    ]


def quarter_label(quarter: datetime.date) -> str:
    number = {4: 1, 7: 2, 10: 3, 1: 4}[quarter.month]
    return f"Q{number} {financial_year_label(financial_year_of(quarter))}"


def quarter_short_label(quarter: datetime.date) -> str:
    """ "Apr to Jun 2025": the months a quarter covers."""
    last = datetime.date(quarter.year, quarter.month + 2, 1)
    return f"{quarter:%b} to {last:%b %Y}"


@dataclass(frozen=True)
class Cell:
    numerator: float | None
    denominator: int | None
    # A median's cell: the numerator is the median itself, the denominator the number of records.
    median: bool = False

    @property
    def value(self) -> float | None:
        """The figure shown: a count, a percentage (one decimal place) or a median number of days."""
        if self.denominator is None or self.median:
            return self.numerator
        if not self.denominator:
            return None
        return round(100 * (self.numerator or 0) / self.denominator, 1)


@dataclass
class Result:
    """A measure over one financial year: a cell for each quarter and group, and the totals."""

    measure: Measure
    year: int
    window: Window
    quarters: list[datetime.date]
    groups: list[str]
    cells: dict[tuple[datetime.date, str], Cell] = field(default_factory=dict)
    by_quarter: dict[datetime.date, Cell] = field(default_factory=dict)
    by_group: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=lambda: Cell(None, None))
    # When the stored figures of its finished quarters were counted (the oldest), or None if all live.
    figures_as_at: datetime.datetime | None = None
    # When the stored figures of the quarter still running were counted, or None if counted just now.
    running_as_at: datetime.datetime | None = None

    def cell(self, quarter, group) -> Cell:
        if self.measure.is_median:
            return self.cells.get((quarter, group), Cell(None, 0, median=True))
        return self.cells.get((quarter, group), Cell(0, None))

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


def _reduce(measure: Measure, facts: list[Fact]) -> Cell:
    if measure.is_median:
        days = [f.numerator for f in facts]
        return Cell(statistics.median(days) if days else None, len(days), median=True)
    numerator = sum(f.numerator for f in facts)
    if measure.unit == Unit.COUNT:
        return Cell(numerator, None)
    return Cell(numerator, sum(f.denominator or 0 for f in facts))


def reduce_facts(measure: Measure, year: int, window: Window, facts: list[Fact]) -> Result:
    """A year's result from its facts: a cell per quarter and group, and the totals."""
    quarters = quarters_of(year)
    facts = [fact for fact in facts if window.start <= fact.quarter < window.end]
    groups = sorted({fact.group for fact in facts})
    result = Result(measure=measure, year=year, window=window, quarters=quarters, groups=groups)
    for quarter in quarters:
        in_quarter = [f for f in facts if f.quarter == quarter]
        result.by_quarter[quarter] = _reduce(measure, in_quarter)
        for group in groups:
            in_cell = [f for f in in_quarter if f.group == group]
            if in_cell:
                result.cells[(quarter, group)] = _reduce(measure, in_cell)
    for group in groups:
        result.by_group[group] = _reduce(measure, [f for f in facts if f.group == group])
    result.total = _reduce(measure, facts)
    return result


def compute(code: str, *, year: int, agency_id: int | None = None, theme: str | None = None) -> Result:
    """One measure over the financial year starting on 1 April of ``year``: finished quarters from the
    stored figures while they are current, the rest counted live (``marm/assurance/store.py``)."""
    return compute_many([code], year=year, agency_id=agency_id, theme=theme)[0]


def compute_many(
    codes: list[str], *, year: int, agency_id: int | None = None, theme: str | None = None
) -> list[Result]:
    """Several measures over one year, reading their stored figures in one query."""
    from marm.assurance.store import results  # the store's model is loaded once the apps are ready

    return results(list(codes), year=year, agency_id=agency_id, theme=theme)
