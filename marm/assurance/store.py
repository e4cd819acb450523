"""Stored figures for finished quarters: what ``compute`` reads instead of counting again (ADR 0020).

A quarter is finished once its last day is before today. Its facts, once computed, are stored
(``QuarterFigure``) for the cut asked for, and read back by every later computation while they
are current:

- a quarter *settles* ``SETTLES_AFTER`` days after its last day. Figures computed after that are
  current until someone recomputes them on purpose (``manage.py assurance_figures --recompute``);
- figures of a quarter that has not settled yet are current on the day they were computed only.
  Records are written late (attendance recorded after the meeting, a backdated chronology, a
  closure signed off days later), so the daily sweep ``assurance-figures`` counts the quarters
  that have not settled again every day, and a page shows the time its figures were counted.

The quarter now running is counted live too, and stored with the time it was counted: its figures
are read back for ``MARM_BOARD_RUNNING_QUARTER_MINUTES`` (10), so the pages that show every measure
read them instead of counting all of them on each request, and say when they were counted. The
sweep counts the running quarter again when its figures are half that age, so with the worker
running a board officer rarely waits for a count. 0 minutes counts the running quarter on every page.
Any finished quarter with no current figures is counted live and stored. The facts of a median
measure are kept one per record (grouped as identical values with a count), so a year's median is
worked out exactly.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from marm.assurance.models import QuarterFigure
from marm.assurance.registry import (
    MEASURES,
    Fact,
    Measure,
    Result,
    Window,
    financial_year_of,
    quarters_of,
    reduce_facts,
)
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.cases.models import Case
from marm.core.row_security import partnership_wide

# A quarter's records are taken as complete this long after its last day.
SETTLES_AFTER = datetime.timedelta(days=92)


def quarter_after(quarter: datetime.date) -> datetime.date:
    return datetime.date(quarter.year + (quarter.month + 3 > 12), (quarter.month + 2) % 12 + 1, 1)


def is_finished(quarter: datetime.date, today: datetime.date) -> bool:
    """Whether the quarter's last day is before today."""
    return quarter_after(quarter) <= today


def running_fresh_for() -> datetime.timedelta:
    """How long the running quarter's stored figures are read back (0: never)."""
    return datetime.timedelta(minutes=settings.MARM_BOARD_RUNNING_QUARTER_MINUTES)


def is_current(quarter: datetime.date, computed_at: datetime.datetime, today: datetime.date, now=None) -> bool:
    """Whether stored figures may be read rather than counted again: a finished quarter's for the day
    they were counted (or for good once it has settled), the running quarter's for a few minutes."""
    if not is_finished(quarter, today):
        return now is not None and now - computed_at < running_fresh_for()
    computed_on = timezone.localdate(computed_at)
    return computed_on >= today or computed_on >= quarter_after(quarter) + SETTLES_AFTER


def _pack(facts: list[Fact]) -> list[list]:
    counted = Counter((f.group, f.numerator, f.denominator) for f in facts)
    return [[group, numerator, denominator, times] for (group, numerator, denominator), times in counted.items()]


def _unpack(measure: Measure, quarter: datetime.date, rows: list[list]) -> list[Fact]:
    facts = []
    for group, numerator, denominator, times in rows:
        if measure.is_median:
            facts.extend([Fact(quarter, group, numerator, denominator)] * times)
        else:
            # Counts and fractions add up: one fact stands for ``times`` identical ones.
            facts.append(Fact(quarter, group, numerator * times, None if denominator is None else denominator * times))
    return facts


def _live(measure: Measure, window: Window, quarters: list[datetime.date]) -> list[Fact]:
    """The measure counted from the casework for the quarters given, in one computation."""
    span = Window(min(quarters), window.end, window.agency_id, window.theme)
    wanted = set(quarters)
    # The board's counts cross agencies by design (ADR 0028): never a count under one agency's rows.
    with partnership_wide():
        return [fact for fact in measure.compute(span) if fact.quarter in wanted]


def results(codes: list[str], *, year: int, agency_id: int | None = None, theme: str | None = None) -> list[Result]:
    """Each measure over the financial year starting on 1 April of ``year``: one read of the stored
    figures for all of them, the quarters without current figures counted live, one write."""
    return _count(codes, year=year, agency_id=agency_id, theme=theme, now=timezone.now())[0]


def _count(
    codes: list[str],
    *,
    year: int,
    agency_id: int | None,
    theme: str | None,
    now: datetime.datetime,
    finished_only: bool = False,
    running_only: bool = False,
    recount: bool = False,
) -> tuple[list[Result], int]:
    """The results and how many quarters' figures were stored. ``finished_only`` counts the finished
    quarters only, ``running_only`` the running quarter only (for the sweep: no result is wanted);
    ``recount`` ignores what is stored."""
    today = timezone.localdate(now)
    quarters = quarters_of(year)
    window = Window(start=quarters[0], end=datetime.date(year + 1, 4, 1), agency_id=agency_id, theme=theme or None)
    cut = {"cut_agency": agency_id or 0, "cut_theme": theme or ""}
    finished = [q for q in quarters if is_finished(q, today)]
    # The quarter running and those of the year still to come (an action may fall due in them) are
    # kept only when their figures may be read back for a while.
    unfinished = [q for q in quarters if q not in finished]
    keep_running = running_fresh_for() > datetime.timedelta(0)
    stored = {}
    if not recount:
        rows = QuarterFigure.objects.filter(code__in=codes, quarter__in=quarters if keep_running else finished, **cut)
        stored = {(row.code, row.quarter): row for row in rows if is_current(row.quarter, row.computed_at, today, now)}
    answers, to_store = [], []
    for code in codes:
        measure = MEASURES[code]
        facts, as_at, running_as_at = [], None, None
        for quarter in quarters:
            row = stored.get((code, quarter))
            if row is not None:
                facts += _unpack(measure, quarter, row.facts)
                if quarter in finished:
                    as_at = row.computed_at if as_at is None else min(as_at, row.computed_at)
                else:
                    running_as_at = row.computed_at if running_as_at is None else min(running_as_at, row.computed_at)
        if running_only:
            live_quarters = unfinished
        else:
            live_quarters = [q for q in (finished if finished_only else quarters) if (code, q) not in stored]
        if live_quarters:
            counted = _live(measure, window, live_quarters)
            facts += counted
            for quarter in live_quarters:
                if quarter in finished or keep_running:
                    in_quarter = [f for f in counted if f.quarter == quarter]
                    to_store.append(
                        QuarterFigure(code=code, quarter=quarter, facts=_pack(in_quarter), computed_at=now, **cut)
                    )
        if not (finished_only or running_only):
            result = reduce_facts(measure, year, window, facts)
            result.figures_as_at = as_at
            result.running_as_at = running_as_at
            answers.append(result)
    if to_store:
        QuarterFigure.objects.bulk_create(
            to_store,
            update_conflicts=True,
            unique_fields=["code", "quarter", "cut_agency", "cut_theme"],
            update_fields=["facts", "computed_at"],
        )
    return answers, len(to_store)


def years_with_casework(today: datetime.date) -> list[int]:
    first = Case.objects.aggregate(first=Min("raised_at"))["first"]
    current = financial_year_of(today)
    start = financial_year_of(timezone.localtime(first).date()) if first else current
    return list(range(min(start, current), current + 1))


def figures_to_count(now: datetime.datetime) -> dict[tuple[int, int, str], list[str]]:
    """The measures, by financial year and cut, with a finished quarter that has no current figures:
    every year with casework for the whole partnership, and the other cuts someone has looked at."""
    today = timezone.localdate(now)
    years = years_with_casework(today)
    first_quarter = datetime.date(years[0], 4, 1)
    stored = {}
    for row in QuarterFigure.objects.filter(quarter__gte=first_quarter).values_list(
        "code", "quarter", "cut_agency", "cut_theme", "computed_at"
    ):
        code, quarter, agency, theme, computed_at = row
        stored[(code, quarter, agency, theme)] = is_current(quarter, computed_at, today)
    due = defaultdict(set)
    for year in years:
        for quarter in quarters_of(year):
            if not is_finished(quarter, today):
                continue
            for code in MEASURES:
                if not stored.get((code, quarter, 0, ""), False):
                    due[(year, 0, "")].add(code)
    for (code, quarter, agency, theme), current in stored.items():
        if (agency or theme) and not current and code in MEASURES and is_finished(quarter, today):
            due[(financial_year_of(quarter), agency, theme)].add(code)
    return {key: sorted(codes) for key, codes in sorted(due.items())}


def count_running_quarter(now: datetime.datetime) -> int:
    """Count the whole partnership's running quarter (and the year's quarters still to come) again
    for every measure whose stored figures are missing or half as old as they may be read; one query
    when they are fresh. Returns how many quarters' figures were stored."""
    fresh_for = running_fresh_for()
    if fresh_for <= datetime.timedelta(0):
        return 0
    today = timezone.localdate(now)
    year = financial_year_of(today)
    unfinished = [q for q in quarters_of(year) if not is_finished(q, today)]
    fresh = Counter(
        QuarterFigure.objects.filter(
            quarter__in=unfinished, cut_agency=0, cut_theme="", computed_at__gt=now - fresh_for / 2
        ).values_list("code", flat=True)
    )
    due = [code for code in MEASURES if fresh[code] < len(unfinished)]
    if not due:
        return 0
    return _count(due, year=year, agency_id=None, theme=None, now=now, running_only=True)[1]


def count_finished_quarters(now: datetime.datetime, *, recount: bool = False) -> int:
    """Count and store every finished quarter without current figures (or, with ``recount``, every
    finished quarter of every year with casework, for the whole partnership and each stored cut).
    Returns how many quarters' figures were stored."""
    today = timezone.localdate(now)
    if recount:
        due = defaultdict(set)
        for year in years_with_casework(today):
            due[(year, 0, "")] = set(MEASURES)
        for code, quarter, agency, theme in (
            QuarterFigure.objects.exclude(cut_agency=0, cut_theme="")
            .values_list("code", "quarter", "cut_agency", "cut_theme")
            .distinct()
        ):
            if code in MEASURES:
                due[(financial_year_of(quarter), agency, theme)].add(code)
        due = {key: sorted(codes) for key, codes in due.items()}
    else:
        due = figures_to_count(now)
    stored = 0
    for (year, agency, theme), codes in due.items():
        stored += _count(
            codes,
            year=year,
            agency_id=agency or None,
            theme=theme or None,
            now=now,
            finished_only=True,
            recount=recount,
        )[1]
    return stored


FIGURES = SystemActor("assurance-figures")


def sweep_quarter_figures(now: datetime.datetime) -> int:
    """The sweep ``assurance-figures``: store the figures of every finished quarter that has none
    current, so the board officer's pages read them instead of counting. The first round of the day
    counts the quarters that have not settled again. Every round counts the running quarter again
    once its figures are half as old as they may be read; otherwise it finds nothing to do. Returns
    how many quarters' figures were stored, and audits the round as a system job."""
    stored = count_finished_quarters(now) + count_running_quarter(now)
    if stored:
        audit_record(
            actor=FIGURES,
            action=AuditAction.UPDATE,
            object_type="quarter_figures",
            detail={"stored": stored, "as_at": now.isoformat()},
        )
    return stored
