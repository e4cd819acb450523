"""Stored figures for finished quarters (ADR 0020, "Stored figures"): what the board officer reads is
counted once and read back, the quarter now running is always counted live, and records written
late into a quarter are counted by the rule the ADR and the pages state."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marm.assurance.models import QuarterFigure
from marm.assurance.registry import MEASURES, compute, financial_year_of, quarters_of
from marm.assurance.store import (
    SETTLES_AFTER,
    count_running_quarter,
    is_finished,
    quarter_after,
    sweep_quarter_figures,
)
from marm.audit.models import AuditEvent
from marm.notifications.sweeps import registered_sweeps, run_sweeps
from tests.assurance.world import YEAR, _case, _move, _screen, build_world

pytestmark = pytest.mark.django_db

Q1, Q2, Q3, Q4 = quarters_of(YEAR)


@pytest.fixture
def world(db):
    return build_world()


def _counted(code, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        result = compute(code, **kwargs)
    return result, len(queries)


def _figures(result):
    cells = {key: (cell.numerator, cell.denominator) for key, cell in result.cells.items()}
    return cells, {g: (c.numerator, c.denominator) for g, c in result.by_group.items()}, result.total


def _last_finished_quarter(today):
    quarters = [q for year in (financial_year_of(today) - 1, financial_year_of(today)) for q in quarters_of(year)]
    return max(q for q in quarters if is_finished(q, today))


def test_the_sweep_is_registered_and_runs_with_the_others(world):
    assert "assurance-figures" in registered_sweeps()
    assert run_sweeps(names=["assurance-figures"])["assurance-figures"] > 0
    assert QuarterFigure.objects.filter(code="FLOW1", quarter=Q1, cut_agency=0, cut_theme="").exists()


def test_a_stored_finished_quarter_is_read_back_instead_of_counted(world):
    live, live_queries = _counted("MEET1", year=YEAR)
    assert live.figures_as_at is None  # nothing was stored: every quarter counted from the casework
    stored, stored_queries = _counted("MEET1", year=YEAR)
    assert stored.figures_as_at is not None
    assert stored_queries == 1 < live_queries  # one read of the stored figures, nothing counted
    assert _figures(stored) == _figures(live)


def test_the_measure_page_says_when_the_figures_for_finished_quarters_were_counted(client_for, board_officer, world):
    client = client_for(board_officer)
    url = reverse("assurance:detail", kwargs={"code": "MEET1"})
    assert "Figures for finished quarters as at" not in client.get(url, {"year": YEAR}).content.decode()
    london = zoneinfo.ZoneInfo("Europe/London")
    QuarterFigure.objects.update(computed_at=datetime.datetime(2026, 8, 3, 9, 30, tzinfo=london))
    page = client.get(url, {"year": YEAR}).content.decode()
    assert "Figures for finished quarters as at 3 August 2026 at 09:30" in page
    assert "57.1% (4 of 7)" in page


def test_a_record_written_into_a_settled_quarter_is_counted_only_when_recounted(world):
    sweep_quarter_figures(timezone.now())
    assert compute("FLOW1", year=YEAR).by_quarter[Q1].numerator == 2
    _case(world, "late", lead="B", raised="2025-05-02")  # a concern recorded long after, dated in Q1
    assert compute("FLOW1", year=YEAR).by_quarter[Q1].numerator == 2  # Q1 settled: its stored figures stand
    call_command("assurance_figures")
    assert compute("FLOW1", year=YEAR).by_quarter[Q1].numerator == 2
    call_command("assurance_figures", "--recount")
    assert compute("FLOW1", year=YEAR).by_quarter[Q1].numerator == 3


def test_a_quarter_not_yet_settled_is_counted_again_by_the_next_days_sweep(world):
    now = timezone.now()
    today = timezone.localdate(now)
    quarter = _last_finished_quarter(today)
    year = financial_year_of(quarter)
    raised = (quarter + datetime.timedelta(days=10)).isoformat()
    _case(world, "recent", lead="A", raised=raised)
    sweep_quarter_figures(now)
    assert compute("FLOW1", year=year).by_quarter[quarter].numerator == 1
    _case(world, "written late", lead="A", raised=raised)
    # Counted today: the figures stand for the rest of the day, as the page says.
    assert compute("FLOW1", year=year).by_quarter[quarter].numerator == 1
    assert sweep_quarter_figures(now) == 0
    # The next day's sweep counts again the finished quarters that have not settled, and those only.
    QuarterFigure.objects.update(computed_at=now - datetime.timedelta(days=1))
    unsettled = {
        q
        for y in range(2023, financial_year_of(today) + 1)
        for q in quarters_of(y)
        if is_finished(q, today) and today < quarter_after(q) + SETTLES_AFTER
    }
    assert quarter in unsettled
    assert sweep_quarter_figures(now) == len(unsettled) * len(MEASURES)
    assert compute("FLOW1", year=year).by_quarter[quarter].numerator == 2


def _running(today):
    return max(q for q in quarters_of(financial_year_of(today)) if q <= today)


def test_with_no_minutes_set_the_quarter_now_running_is_counted_on_every_request(world):
    today = timezone.localdate()
    year = financial_year_of(today)
    running = _running(today)
    sweep_quarter_figures(timezone.now())
    before = compute("FLOW1", year=year)
    assert before.by_quarter[running].numerator == 0
    _case(world, "today", lead="C", raised=today.isoformat())
    assert compute("FLOW1", year=year).by_quarter[running].numerator == 1
    assert not QuarterFigure.objects.filter(quarter=running).exists()  # never stored


@override_settings(MARM_BOARD_RUNNING_QUARTER_MINUTES=10)
def test_the_quarter_now_running_is_read_back_for_the_minutes_set_then_counted_again(world):
    today = timezone.localdate()
    year = financial_year_of(today)
    running = _running(today)
    first = compute("FLOW1", year=year)
    assert first.by_quarter[running].numerator == 0 and first.running_as_at is None  # counted just now
    stored = QuarterFigure.objects.get(code="FLOW1", quarter=running, cut_agency=0, cut_theme="")
    _case(world, "today", lead="C", raised=today.isoformat())
    # Within the minutes set: the stored figure, saying when it was counted.
    again = compute("FLOW1", year=year)
    assert again.by_quarter[running].numerator == 0
    assert again.running_as_at == stored.computed_at
    # Older than that: counted again, the new case seen.
    QuarterFigure.objects.filter(pk=stored.pk).update(computed_at=timezone.now() - datetime.timedelta(minutes=11))
    assert compute("FLOW1", year=year).by_quarter[running].numerator == 1


@override_settings(MARM_BOARD_RUNNING_QUARTER_MINUTES=10)
def test_the_sweep_keeps_the_running_quarter_fresh_for_the_pages(world, client_for, board_officer):
    today = timezone.localdate()
    running = _running(today)
    now = timezone.now()
    sweep_quarter_figures(now)
    assert QuarterFigure.objects.filter(quarter=running, cut_agency=0, cut_theme="").count() == len(MEASURES)
    # Fresh: the next round counts nothing; half as old as allowed: it counts the quarter again.
    assert count_running_quarter(now + datetime.timedelta(minutes=4)) == 0
    _case(world, "today", lead="C", raised=today.isoformat())
    unfinished = [q for q in quarters_of(financial_year_of(today)) if not is_finished(q, today)]
    assert count_running_quarter(now + datetime.timedelta(minutes=6)) == len(MEASURES) * len(unfinished)
    # The list of measures reads every figure back, and says when the running quarter was counted.
    with CaptureQueriesContext(connection) as queries:
        page = client_for(board_officer).get(reverse("assurance:list")).content.decode()
    assert not [q for q in queries.captured_queries if "INSERT INTO" in q["sql"] and "quarterfigure" in q["sql"]]
    assert "The quarter still running was counted at" in page


def test_the_sweep_is_idempotent(world):
    now = timezone.now()
    stored = sweep_quarter_figures(now)
    assert stored == QuarterFigure.objects.count() > 0
    times = sorted(QuarterFigure.objects.values_list("pk", "computed_at"))
    audited = AuditEvent.objects.filter(system_actor="assurance-figures").count()
    assert audited == 1
    with CaptureQueriesContext(connection) as queries:
        assert sweep_quarter_figures(now + datetime.timedelta(minutes=1)) == 0
    assert len(queries) <= 2  # the first concern's date and the stored figures: nothing counted
    assert sorted(QuarterFigure.objects.values_list("pk", "computed_at")) == times
    assert AuditEvent.objects.filter(system_actor="assurance-figures").count() == audited


def test_a_years_median_read_from_stored_quarters_equals_the_live_count(world):
    # FLOW3: 4 and 10 days in Q1, 2 in Q2, 1 in Q3. The year's median is 3; the median of the quarters'
    # medians (7, 2, 1) would be 2: the stored quarters keep every record's days.
    _screen(world, _case(world, "q4", lead="B", raised="2026-01-05"), on="2026-01-11", outcome="accept", by="B")
    live = compute("FLOW3", year=YEAR)
    QuarterFigure.objects.all().delete()
    sweep_quarter_figures(timezone.now())
    stored, queries = _counted("FLOW3", year=YEAR)
    assert queries == 1 and stored.figures_as_at is not None
    assert (stored.total.numerator, stored.total.denominator) == (4, 5)  # the median of 1, 2, 4, 6, 10
    assert _figures(stored) == _figures(live)
    assert stored.by_group == live.by_group


def test_cuts_by_agency_and_theme_are_stored_apart(world):
    police = world.agencies["B"].pk
    whole = compute("FLOW1", year=YEAR)
    cut = compute("FLOW1", year=YEAR, agency_id=police)
    themed = compute("FLOW1", year=YEAR, theme="self_neglect")
    assert QuarterFigure.objects.filter(code="FLOW1", cut_agency=police, cut_theme="").count() == 4
    assert QuarterFigure.objects.filter(code="FLOW1", cut_agency=0, cut_theme="self_neglect").count() == 4
    assert compute("FLOW1", year=YEAR).total == whole.total
    assert compute("FLOW1", year=YEAR, agency_id=police).by_group == cut.by_group == {"Golden Police": cut.total}
    assert compute("FLOW1", year=YEAR, theme="self_neglect").total == themed.total
    assert (whole.total.numerator, cut.total.numerator, themed.total.numerator) == (6, 2, 1)


def test_flow6_counts_a_case_reopened_as_open_again(world):
    # c5 (council) is open at every quarter's end. The police's case raised in February 2024 was closed
    # in May 2025 and reopened in August: closed at the end of Q1, open again at the end of Q2 onwards.
    case = _case(world, "reopened", lead="B", raised="2024-02-01")
    _move(world, case, "concern", "closed", "2025-05-01", "B")
    _move(world, case, "closed", "reopened", "2025-08-15", "B")
    _move(world, case, "reopened", "screening", "2025-08-16", "B")
    result = compute("FLOW6", year=YEAR)
    quarters = {q: cell.numerator for q, cell in result.by_quarter.items()}
    assert quarters == {Q1: 1, Q2: 2, Q3: 2, Q4: 2}
    assert result.cell(Q1, "Golden Police").numerator == 0
    assert result.cell(Q2, "Golden Police").numerator == 1
    assert compute("FLOW6", year=YEAR, agency_id=world.agencies["B"].pk).total.numerator == 3
