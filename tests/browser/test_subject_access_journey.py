"""A subject access request from registration to the redacted response: an auditor registers it
from the person's page, records the identity check, gathers every agency's records, redacts a
relative's name, and downloads the JSON file and the PDF, neither holding the name. Each page is
checked with axe and at 320 pixels wide."""

import datetime
import json
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.chronology.services import chronology_entry_add
from marm.people.services import related_person_add
from marm.rights.models import RequestStatus, SubjectAccessDisclosure, SubjectAccessRequest
from tests.browser.test_record_pages import open_signed_in

pytestmark = pytest.mark.browser

DAUGHTER = "Beatrice Fairweather"


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def expect_banner(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_an_auditor_answers_a_subject_access_request_with_a_relatives_name_redacted(
    page: Page, live_server, check_page, auditor_a, practitioner_a, police_b, person_a
):
    related_person_add(
        acting_user=practitioner_a,
        person=person_a,
        name=DAUGHTER,
        relationship="family",
        relationship_detail="daughter",
    )
    chronology_entry_add(
        acting_user=police_b,
        person=person_a,
        occurred_on=datetime.date(2025, 4, 2),
        entry_type="police_call_out",
        summary="Called by a neighbour about smoke; no fire found.",
        significance="routine",
    )
    received = timezone.localdate() - datetime.timedelta(days=5)

    open_signed_in(page, f"{live_server.url}{reverse('people:detail', kwargs={'pk': person_a.pk})}", auditor_a.email)
    page.get_by_role("link", name="Register a subject access request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a subject access request")
    page.get_by_role("button", name="Register the request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the date the request was received")).to_be_visible()
    expect(summary.get_by_role("link", name="Select who made the request")).to_be_visible()
    check_page(page, "sar-01-register-errors")
    fill_date(page, "Date received", received)
    page.get_by_role("group", name="Who made the request?").get_by_label("The person themselves").check()
    page.get_by_label("Requester's name").fill("Margaret Thornbury")
    page.get_by_label("How to reach the requester").fill("12 Mill Lane, Shiretown")
    page.get_by_role("button", name="Register the request").click()
    expect_banner(page, "Subject access request registered")
    sar = SubjectAccessRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Subject access request {sar.reference}")
    expect(page.locator(".govuk-summary-list")).to_contain_text(sar.due_on.strftime("%-d %B %Y"))
    check_page(page, "sar-02-registered")

    page.get_by_role("link", name="Check the requester's identity").click()
    fill_date(page, "Date checked", received)
    page.get_by_role("group", name="How was identity checked?").get_by_label("Identity documents seen").check()
    page.get_by_role("button", name="Record the check").click()
    expect_banner(page, "Identity check recorded")
    check_page(page, "sar-03-identity-checked")

    page.get_by_role("button", name="Gather the records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide what to disclose")
    # Every agency's records: the police's chronology entry is there too.
    expect(page.get_by_role("main")).to_contain_text("Called by a neighbour about smoke")
    check_page(page, "sar-04-items")

    page.get_by_label(re.compile(rf"^Name: {DAUGHTER}")).check()
    page.get_by_role("group", name="What should happen to the selected items?").get_by_label("Redact").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.locator(".govuk-error-summary").get_by_role("link", name="Select why the items are not disclosed")
    ).to_be_visible()
    check_page(page, "sar-05-items-error")
    page.get_by_label("Why are they not disclosed?").select_option(label="It identifies another person")
    page.get_by_role("button", name="Record the decision").click()
    expect_banner(page, "Decision recorded for 1 item")
    expect(page.get_by_role("main")).to_contain_text("Redacted: It identifies another person")

    page.get_by_role("link", name="Back to the request").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the response (JSON)").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    assert DAUGHTER not in text
    assert "Called by a neighbour about smoke" in text
    assert json.loads(text)["items_redacted"] == 1
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the response (PDF)").click()
    pdf = pypdf.PdfReader(download_info.value.path())
    pdf_text = " ".join(p.extract_text() for p in pdf.pages)
    assert "The information we hold about you" in pdf_text and "[Redacted]" in pdf_text
    assert "Fairweather" not in pdf_text
    assert SubjectAccessDisclosure.objects.filter(request=sar).count() == 2

    page.reload()
    expect(page.get_by_role("heading", name="Responses downloaded")).to_be_visible()
    page.get_by_role("link", name="Record that the response was given").click()
    fill_date(page, "Date the response was given", timezone.localdate())
    page.get_by_role("button", name="Mark as answered").click()
    expect_banner(page, "The request is answered")
    check_page(page, "sar-06-answered")
    sar.refresh_from_db()
    assert sar.status == RequestStatus.ANSWERED
