"""The measures' pages: a chart with its data table, a CSV, figures for publication; aggregates only."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marm.assurance.models import QuarterFigure
from marm.assurance.presenters import result_csv
from marm.assurance.publication import publish, rounded
from marm.assurance.registry import MEASURES, Cell, compute
from marm.assurance.store import sweep_quarter_figures
from marm.audit.models import AuditAction, AuditEvent
from tests.assurance.world import YEAR, build_world
from tests.budgets import QUERY_BUDGETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def test_the_board_officer_reads_a_measure_as_a_chart_beside_its_data_table(client_for, board_officer, world):
    client = client_for(board_officer)
    page = client.get(reverse("assurance:detail", kwargs={"code": "MEET1"}), {"year": YEAR}).content.decode()
    assert "Agencies attending the meetings they were invited to" in page
    assert page.count('role="img"') == 2  # by quarter, and by agency
    assert '<desc id="groups-desc">Golden Council: 100%; Golden Police: 66.7%; Golden Health Trust: 0%</desc>' in page
    # The data table carries every figure the chart draws.
    assert "66.7% (2 of 3)" in page and "57.1% (4 of 7)" in page
    assert "Meetings the agency was invited to" in page  # the denominator, in words


def test_the_list_shows_every_measure_for_the_year_chosen(client_for, board_officer, world):
    page = client_for(board_officer).get(reverse("assurance:list"), {"year": YEAR}).content.decode()
    for measure in MEASURES.values():
        assert measure.title.replace("'", "&#x27;") in page
    assert "57.1% (4 of 7)" in page


def test_measures_are_cut_by_agency_and_theme_from_the_page(client_for, board_officer, world):
    client = client_for(board_officer)
    url = reverse("assurance:detail", kwargs={"code": "FLOW1"})
    page = client.get(url, {"year": YEAR, "theme": "self_neglect"}).content.decode()
    assert "Golden Council" in page and "Golden Police" not in page.split('id="data"')[1]
    page = client.get(url, {"year": YEAR, "agency": world.agencies["B"].pk}).content.decode()
    assert "Golden Council" not in page.split('id="data"')[1]


def test_a_practitioner_and_an_outsider_may_not_read_the_measures(client_for, practitioner_a, outsider, world):
    for user in (practitioner_a, outsider):
        client = client_for(user)
        assert client.get(reverse("assurance:list")).status_code == 403
        assert client.get(reverse("assurance:detail", kwargs={"code": "MEET1"})).status_code == 403
        assert client.get(reverse("assurance:csv", kwargs={"code": "MEET1"})).status_code == 403


def test_an_unknown_measure_is_not_found(client_for, board_officer):
    assert client_for(board_officer).get(reverse("assurance:detail", kwargs={"code": "NOPE1"})).status_code == 404


def test_the_csv_holds_each_quarter_and_agency_and_is_audited_as_an_export(client_for, board_officer, world):
    response = client_for(board_officer).get(reverse("assurance:csv", kwargs={"code": "MEET1"}), {"year": YEAR})
    assert response["Content-Disposition"] == f'attachment; filename="meet1-{YEAR}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    police_q1 = next(r for r in rows if r["group"] == "Golden Police" and r["quarter"].startswith("Q1"))
    assert (police_q1["numerator"], police_q1["denominator"], police_q1["value"]) == ("1", "2", "50")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor_user=board_officer)
    assert (event.object_type, event.object_id, event.person_id) == ("measure", "MEET1", "")


def test_a_cell_that_looks_like_a_formula_is_neutralised_in_the_csv(world):
    world.agencies["A"].name = '=HYPERLINK("http://example.org")'
    world.agencies["A"].save()
    rows = list(csv.reader(io.StringIO(result_csv(compute("FLOW1", year=YEAR)))))
    assert [r[4] for r in rows if r[4].startswith("'")][:1] == ['\'=HYPERLINK("http://example.org")']


def test_publication_suppresses_counts_under_5_and_rounds_the_rest_to_5():
    assert [rounded(n) for n in (0, 4, 5, 7, 8, 12, 13, 1234)] == ["[c]", "[c]", "5", "5", "10", "10", "15", "1235"]
    meet1 = MEASURES["MEET1"]
    assert publish(meet1, Cell(4, 7)).value == "[c]"  # 4 of 7: the numerator is small
    assert publish(meet1, Cell(12, 40)) == publish(meet1, Cell(12, 40))
    shown = publish(meet1, Cell(12, 40))
    assert (shown.numerator, shown.denominator, shown.value) == ("10", "40", "30%")
    assert publish(MEASURES["FLOW3"], Cell(3, 4)).value == "[c]"  # a median of 4 records
    assert publish(MEASURES["FLOW3"], Cell(3, 9)).value == "3"


def test_the_publication_page_shows_no_small_number(client_for, board_officer, world):
    page = client_for(board_officer).get(reverse("assurance:publication"), {"year": YEAR}).content.decode()
    # The golden year's counts are under 5, but for the 6 concerns raised (rounded to 5).
    assert "[c]" in page and "57.1%" not in page and "(4 of 7)" not in page
    response = client_for(board_officer).get(reverse("assurance:publication-csv"), {"year": YEAR})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["value"] for r in rows} == {"[c]", "5"}
    assert [r["value"] for r in rows if r["measure"] == "FLOW1" and r["period"] == "The year"] == ["5"]


def test_no_measure_page_names_an_adult_or_a_case(client_for, board_officer, world):
    client = client_for(board_officer)
    # Full names and references: a family name alone may be the signed-in officer's own.
    names = {case.person.full_name for case in world.cases.values()} | {c.reference for c in world.cases.values()}
    pages = [client.get(reverse("assurance:list"), {"year": YEAR})]
    pages += [client.get(reverse("assurance:detail", kwargs={"code": code}), {"year": YEAR}) for code in MEASURES]
    for response in pages:
        content = response.content.decode()
        assert response.status_code == 200
        assert not [name for name in names if name in content]


def _queries(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data).status_code == 200
    return len(queries)


def test_the_measure_pages_cost_the_same_queries_however_much_casework_there_is(client_for, board_officer):
    client = client_for(board_officer)
    detail = reverse("assurance:detail", kwargs={"code": "FLOW6"})
    listing = reverse("assurance:list")

    def cold():
        QuarterFigure.objects.all().delete()  # nothing stored: every quarter counted live, then stored
        return _queries(client, detail, {"year": YEAR}), _queries(client, listing, {"year": YEAR})

    def warm():
        sweep_quarter_figures(timezone.now())  # the figures the daily sweep stores
        return _queries(client, detail, {"year": YEAR}), _queries(client, listing, {"year": YEAR})

    build_world()
    first = (cold(), warm())
    build_world(suffix=" 2")  # a second partnership's year beside it: twice the casework, three more agencies
    after = (cold(), warm())
    assert after == first
    (detail_cold, list_cold), (detail_warm, list_warm) = first
    assert detail_cold <= QUERY_BUDGETS["assurance:detail"]
    assert list_cold <= QUERY_BUDGETS["assurance:list"]
    # A finished year read back from the store: one query for every measure's figures, none counted.
    assert list_warm <= list_cold - len(MEASURES) + 1
    assert detail_warm < detail_cold
