"""The annual report drafted from the board's year (Care Act 2014, Schedule 2, paragraph 4(1))."""

import contextlib
import datetime
import re
import zlib

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.board import services as board
from marm.board.annual_report import annual_report
from marm.board.models import PlanAction
from marm.sar import services as sar
from marm.sar.models import Progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened, so its objects can be searched."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


YEAR = 2026


@pytest.fixture
def year_of_work(board_officer, agency_b):
    plan = board.business_plan_create(acting_user=board_officer, title="Business plan 2026", year=YEAR)
    priority = board.priority_create(
        acting_user=board_officer, plan=plan, code="SAB3", title="Adult exploitation", statement="Respond better"
    )
    objective = board.objective_create(acting_user=board_officer, priority=priority, text="Practitioners are aware")
    action = board.action_create(
        acting_user=board_officer,
        objective=objective,
        what="Develop guidance on recognising adult exploitation",
        due_text="March 2027",
        responsible_agency=agency_b,
    )
    board.action_progress_add(
        acting_user=board_officer,
        action=action,
        reported_on=datetime.date(2026, 6, 1),
        note="Guidance drafted with the police",
        rag="green",
    )
    contact = UserFactory(agency=agency_b, roles=["practitioner"])
    concluded = sar.review_create(
        acting_user=board_officer,
        reference="SAR-26-1",
        title="Review of agencies' work with X",
        adults="X",
        referred_on=datetime.date(2026, 4, 10),
        decided_on=datetime.date(2026, 5, 1),
        adult_died=True,
    )
    organisation = sar.review_organisation_add(
        acting_user=board_officer, review=concluded, agency=agency_b, contact=contact
    )
    theme = sar.theme_add(acting_user=board_officer, review=concluded, title="Care planning and risk")
    first = sar.recommendation_add(
        acting_user=board_officer, review=concluded, theme=theme, number=1, text="Review the care planning policy"
    )
    sar.recommendation_respond(acting_user=board_officer, recommendation=first, response="accepted")
    second = sar.recommendation_add(
        acting_user=board_officer, review=concluded, theme=theme, number=2, text="Share MAPPA lists with health"
    )
    sar.recommendation_respond(
        acting_user=board_officer,
        recommendation=second,
        response="not_accepted",
        not_accepted_reason="The police cannot share a blanket list; sharing is case by case",
    )
    review_action = sar.review_action_add(acting_user=board_officer, recommendation=first, text="Set up a task group")
    progress = Progress.objects.get(review_action=review_action, review_organisation=organisation)
    sar.progress_update(
        acting_user=contact, progress=progress, expected_version=progress.version, text="Task group met", rag="green"
    )
    sar.review_conclude(acting_user=board_officer, review=concluded, concluded_on=datetime.date(2026, 10, 1))
    sar.review_create(
        acting_user=board_officer,
        reference="SAR-26-2",
        title="Review of agencies' work with Y",
        adults="Y",
        referred_on=datetime.date(2026, 5, 1),
        adult_died=False,
    )
    return agency_b


def test_the_draft_follows_schedule_2_from_the_years_records(year_of_work):
    report = annual_report(year=YEAR)
    assert [plan.title for plan in report.plans] == ["Business plan 2026"]
    assert [review.reference for review in report.concluded] == ["SAR-26-1"]
    assert [review.reference for review in report.ongoing] == ["SAR-26-2"]
    assert [(review.reference, rec.number) for review, rec in report.not_acted_on] == [("SAR-26-1", 2)]
    police = next(member for member in report.members if member.name == year_of_work.name)
    assert [action.what for action in police.plan_actions] == ["Develop guidance on recognising adult exploitation"]
    assert [progress.text for _, _, progress in police.review_progress] == ["Task group met"]
    assert report.action_counts == {"Green: on track": 1}


def test_the_board_officer_reads_the_draft_and_downloads_a_tagged_pdf(client_for, board_officer, year_of_work):
    client = client_for(board_officer)
    page = client.get(reverse("board:annual-report"), {"year": YEAR}).content.decode()
    for words in (
        "What each member did to implement the strategy",
        "Review of agencies&#x27; work with X",
        "who died",
        "The police cannot share a blanket list; sharing is case by case",
        "Reviews ongoing at the end of the year",
        "Figures from casework",
        "[c]",
    ):
        assert words in page
    response = client.get(reverse("board:annual-report-pdf", kwargs={"year": YEAR}))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in _inflated(response.content)  # tagged: a screen reader can follow it
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="annual_report", object_id=str(YEAR)
    ).exists()


def test_a_practitioner_may_not_draft_the_annual_report(client_for, practitioner_a):
    client = client_for(practitioner_a)
    assert client.get(reverse("board:annual-report")).status_code == 403
    assert client.get(reverse("board:annual-report-pdf", kwargs={"year": YEAR})).status_code == 403


@pytest.fixture
def layouts(monkeypatch):
    """Every page WeasyPrint is asked to lay out, in order."""
    from marm.board import annual_report as module

    pages = []
    real = module._lay_out

    def counted(html):
        pages.append(html)
        return real(html)

    monkeypatch.setattr(module, "_lay_out", counted)
    return pages


def _download(client):
    response = client.get(reverse("board:annual-report-pdf", kwargs={"year": YEAR}))
    assert response.status_code == 200
    return response.content


def test_an_unchanged_draft_is_laid_out_once_and_a_change_is_laid_out_again(
    client_for, board_officer, year_of_work, layouts
):
    client = client_for(board_officer)
    first = _download(client)
    assert _download(client) == first  # the same page: the kept layout, not WeasyPrint again
    assert len(layouts) == 1
    action = PlanAction.objects.get(what="Develop guidance on recognising adult exploitation")
    board.action_progress_add(
        acting_user=board_officer,
        action=action,
        reported_on=datetime.date(2026, 9, 1),
        note="Guidance published to every agency",
        rag="amber",
        rag_reason="Two agencies have not trained their staff",
    )
    after = _download(client)
    assert len(layouts) == 2
    assert "Guidance published to every agency" in layouts[1]
    assert after.startswith(b"%PDF") and after != first
    # Each download is still a disclosure in the audit.
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="annual_report", object_id=str(YEAR)).count()
        == 3
    )


def test_the_sweep_lays_out_this_years_draft_before_the_board_asks(client_for, board_officer, year_of_work, layouts):
    from marm.board.annual_report import sweep_annual_report
    from marm.board.models import AnnualReportRendering

    during_the_year = datetime.datetime(YEAR, 11, 2, 9, tzinfo=datetime.UTC)
    assert sweep_annual_report(during_the_year) == 1
    assert sweep_annual_report(during_the_year) == 0  # nothing changed: nothing laid out again
    assert AuditEvent.objects.filter(system_actor="board-annual-report", object_type="annual_report").count() == 1
    _download(client_for(board_officer))
    assert len(layouts) == 1  # the download was served the sweep's layout
    assert AnnualReportRendering.objects.filter(year=YEAR).count() == 1


def test_only_the_latest_layouts_of_a_year_are_kept(board_officer, year_of_work):
    from marm.board.annual_report import KEPT_RENDERINGS, annual_report_pdf
    from marm.board.models import AnnualReportRendering

    report = annual_report(year=YEAR)
    for number in range(KEPT_RENDERINGS + 2):
        annual_report_pdf(report, board_name=f"Board {number}")
    assert AnnualReportRendering.objects.filter(year=YEAR).count() == KEPT_RENDERINGS
