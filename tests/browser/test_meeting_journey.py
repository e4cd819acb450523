"""A planning meeting run from marm in a real browser: scheduled, three agencies invited, attendance
and the adult's views recorded, the key actions worked through, actions added with leads and dates,
the review date set, the meeting finished and the minutes downloaded. Every page is checked with axe."""

import datetime

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.organisations.models import AgencyKind, Role
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.browser.test_case_journeys import (
    expect_banner,
    expect_error_summary,
    group,
    legislation_list,
    open_signed_in,
)
from tests.browser.test_more_case_pages import accepted_case_shared_in_full
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    dates = group(page, legend)
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))


def test_a_planning_meeting_end_to_end(page: Page, live_server, check_page, tmp_path):
    legislation_list()
    base = live_server.url
    social_care = AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    police = AgencyFactory(name="Shire Police", kind=AgencyKind.POLICE)
    fire = AgencyFactory(name="Shire Fire and Rescue", kind=AgencyKind.FIRE_AND_RESCUE)
    housing = AgencyFactory(name="Northdale Housing", kind=AgencyKind.HOUSING)
    practitioner = UserFactory(
        email="priya@asc.example.org", full_name="Priya Nandra", agency=social_care, roles=[Role.PRACTITIONER]
    )
    manager = UserFactory(
        email="helen@asc.example.org", full_name="Helen Marsh", agency=social_care, roles=[Role.MANAGER]
    )
    UserFactory(email="jo@police.example.org", full_name="Jo Okafor", agency=police)
    person = PersonFactory(created_by=practitioner, given_name="Margaret", family_name="Thornbury")
    case = accepted_case_shared_in_full(practitioner=practitioner, manager=manager, person=person, agency=police)
    for agency in (fire, housing):
        sharing_decide(
            acting_user=manager,
            case=case,
            agency=agency,
            basis="risk_to_others",
            rationale="Fire risk to the neighbours; the tenancy is at risk.",
            access="full",
            what_is_shared="The concern and the fire risk.",
            quality_tests=list(QualityTest.values),
            # Shared without the adult's consent: whether they were told is recorded (001 3.3).
            adult_told="no",
            adult_not_told_reason="increases_risk",
        )

    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"
    open_signed_in(page, case_url, manager.email)
    page.get_by_role("link", name="Schedule a meeting").click()
    check_page(page, "meeting-schedule")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect_error_summary(page, "Select who will chair the meeting")
    check_page(page, "meeting-schedule-errors")
    today = timezone.localdate()
    fill_date(page, "Date", today)
    page.get_by_label("Start time").fill("00:00")
    page.get_by_label("End time").fill("00:45")
    page.get_by_label("Place").fill("Civic Centre, Room 4")
    page.get_by_label("Chair").select_option(label=f"Helen Marsh ({social_care.name})")
    page.get_by_label("Agenda").fill("The fire risk; Margaret's refusal of care")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect_banner(page, "Planning meeting scheduled")
    check_page(page, "meeting-page")

    # Three agencies: the police through a marm user, fire and housing through named people.
    for agency, user_label, name, email in (
        (police, f"Jo Okafor ({police.name})", "", ""),
        (fire, "", "Station Manager Ravi Kaur", "ravi.kaur@fire.example.org"),
        (housing, "", "Dana Lee", "dana.lee@housing.example.org"),
    ):
        page.get_by_role("link", name="Invite an agency or person").click()
        page.get_by_label("Agency").select_option(label=agency.name)
        if user_label:
            page.get_by_label("Person in marm").select_option(label=user_label)
        else:
            page.get_by_label("Or their name").fill(name)
            page.get_by_label("Their e-mail address").fill(email)
        page.get_by_role("button", name="Invite", exact=True).click()
        expect_banner(page, "invited")
    check_page(page, "meeting-invited")

    page.get_by_role("link", name="Record attendance").click()
    for who, status in (
        ("Helen Marsh", "attended"),
        ("Jo Okafor", "attended"),
        ("Station Manager Ravi Kaur", "attended"),
        ("Dana Lee", "sent_information"),
    ):
        page.get_by_label(f"{who} (", exact=False).first.select_option(status)
    page.get_by_label("Jo Okafor (Shire Police): could they commit their agency's resources?").select_option("yes")
    check_page(page, "meeting-attendance")
    page.get_by_role("button", name="Save attendance").click()
    expect_banner(page, "Attendance recorded")

    page.get_by_role("link", name="Record the adult's participation and views").click()
    group(page, "Did the adult attend?").get_by_label("No").check()
    page.get_by_label("The adult's views and wishes").fill("I want to stay in my flat and keep my things.")
    page.get_by_label("Who gathered their views?").fill("Priya Nandra, social worker, home visit")
    group(page, "Was an advocate offered?").get_by_label("Yes").check()
    check_page(page, "meeting-adult")
    page.get_by_role("button", name="Save").click()
    expect_banner(page, "participation is recorded")

    # The action plan is agreed before its key action is minuted.
    for what, lead, days in (
        ("Fit smoke alarms and give fire safety advice", None, 7),
        ("Welfare check after dark, weekly", f"Jo Okafor ({police.name})", 14),
    ):
        page.get_by_role("link", name="Add a SMART action").click()
        page.get_by_label("What will be done").fill(what)
        if lead:
            page.get_by_label("Agency").select_option(label=police.name)
            page.get_by_label("Lead (in marm)").select_option(label=lead)
        else:
            page.get_by_label("Agency").select_option(label=fire.name)
            page.get_by_label("Or the named lead, if they do not use marm").fill("Station Manager Ravi Kaur")
        fill_date(page, "Due date", today + datetime.timedelta(days=days))
        group(page, "Risks it addresses").get_by_label("Public safety and risks to others").check()
        if days == 7:
            check_page(page, "meeting-add-action")
        page.get_by_role("button", name="Add the action").click()
        expect_banner(page, "Action added")
    expect(page.locator("#actions ~ table").first).to_contain_text("Jo Okafor")

    labels = [link.inner_text() for link in page.locator("#minutes ~ table").first.locator("a.govuk-link").all()]
    assert len(labels) == 14
    refused = []
    for index, label in enumerate(labels):
        page.get_by_role("link", name=label, exact=True).click()
        if index == 0:
            check_page(page, "meeting-minutes-item")
        group(page, "Was this addressed?").get_by_label("Addressed", exact=True).check()
        page.get_by_label("Notes").fill(f"Discussed: {label.lower()}.")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner--success, .govuk-error-summary")).to_be_visible()
        if page.locator(".govuk-error-summary").count():
            # No lead professional, risk assessment, copy or contingency plan is recorded yet:
            # minuted as not addressed.
            refused.append(label)
            group(page, "Was this addressed?").get_by_label("Not addressed", exact=True).check()
            page.get_by_label("If not addressed, why not?").fill("Agreed after the meeting, once recorded.")
            page.get_by_role("button", name="Save").click()
        expect_banner(page, "Minutes recorded")
    assert refused == [
        "Produce a collaborative and holistic assessment of the risks",
        "Agree who will act as lead coordinating professional",
        "Agree a contingency and an escalation plan",
        "Ensure the adult is given a copy of the risk assessment",
    ]

    page.get_by_role("link", name="Finish the meeting").click()
    group(page, "Outcome").get_by_label("Continue: review at the next meeting").check()
    page.get_by_role("button", name="Finish").click()
    expect_error_summary(page, "Set the date of the next review meeting")
    check_page(page, "meeting-finish-errors")
    group(page, "Outcome").get_by_label("Continue: review at the next meeting").check()
    fill_date(page, "Date of the next review meeting", today + datetime.timedelta(days=42))
    page.get_by_role("button", name="Finish").click()
    expect_banner(page, "Meeting finished")
    check_page(page, "meeting-finished")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (PDF)").click()
    path = tmp_path / "minutes.pdf"
    download.value.save_as(path)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "Margaret Thornbury" in text and "Station Manager Ravi Kaur" in text and "Welfare check" in text

    page.goto(case_url)
    expect(page.locator("h1 + p > strong.govuk-tag")).to_have_text("Planning")
