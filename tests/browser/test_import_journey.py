"""A manager imports people from the agency's own system: a file with a mistake, the corrected
file's preview, and the confirmation, in a real browser, each page checked with axe."""

import datetime
import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marm.linkage import importing
from marm.linkage.models import PersonImport, PersonLink
from marm.people.models import Person
from tests.browser.test_record_pages import open_signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

HEADER = ",".join(importing.COLUMNS)


def _file(*lines: str) -> dict:
    return {"name": "people.csv", "mimeType": "text/csv", "buffer": "\r\n".join((HEADER, *lines)).encode()}


def test_manager_uploads_previews_and_confirms_an_import(
    page: Page, live_server, check_page, practitioner_a, manager_a
):
    known = PersonFactory(
        created_by=practitioner_a,
        given_name="Eleanor",
        family_name="Whitfield",
        date_of_birth=datetime.date(1941, 3, 9),
    )
    home = f"{live_server.url}{reverse('dashboards:home')}"
    open_signed_in(page, home, manager_a.email)
    page.get_by_role("link", name="Import people from your agency's system").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people from your agency's system")
    check_page(page, "91-import-upload")

    page.get_by_label("What does your agency call its reference for a person?").fill("Mosaic ID")
    page.get_by_label("Upload a CSV file").set_input_files(_file("MOS-1,Eleanor,,Whitfeld,31/02/1941,,,,,"))
    page.get_by_role("button", name="Upload and preview").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 2, date of birth: ‘31/02/1941’ is not a real date")
    check_page(page, "92-import-error")
    assert Person.objects.count() == 1

    page.get_by_label("What does your agency call its reference for a person?").fill("Mosaic ID")
    page.get_by_label("Upload a CSV file").set_input_files(
        _file("MOS-1,Eleanor,,Whitfeld,09/03/1941,,,,,", "MOS-2,Bartholomew,,Quennell-Ashby,12/12/1950,,,,,")
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the people to import")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Likely match")
    expect(page.locator(".govuk-summary-card").nth(1)).to_contain_text("No match")
    # No nightly run has kept a model yet: the search alone matched.
    expect(page.get_by_text("No trained model yet: matched by the tolerant search only")).to_be_visible()
    check_page(page, "93-import-preview")
    assert Person.objects.count() == 1

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People imported")
    expect(page.locator(".govuk-panel__body")).to_have_text("1 created, 1 created and linked, 0 skipped")
    check_page(page, "94-import-done")
    assert PersonImport.objects.count() == 1
    link = PersonLink.objects.get()
    assert known.pk in {link.person_a_id, link.person_b_id}
    assert Person.objects.count() == 3


def test_the_preview_shows_splinks_scores_with_a_kept_model(
    page: Page, live_server, check_page, practitioner_a, manager_a
):
    from importlib.metadata import version

    from marm.linkage.models import LinkageModel
    from tests.linkage.test_import_splink import _trained_settings

    LinkageModel.objects.create(
        trained_at=datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC),
        record_count=1100,
        splink_version=version("splink"),
        settings=json.loads(_trained_settings()),
    )
    PersonFactory(
        created_by=practitioner_a,
        given_name="Eleanor",
        family_name="Whitfield",
        date_of_birth=datetime.date(1941, 3, 9),
    )
    open_signed_in(page, f"{live_server.url}{reverse('linkage:import')}", manager_a.email)
    page.get_by_label("What does your agency call its reference for a person?").fill("Mosaic ID")
    # The year of birth one out: the search alone offers a possible match; Splink, a likely one.
    page.get_by_label("Upload a CSV file").set_input_files(_file("MOS-1,Eleanor,,Whitfield,09/03/1942,,,,,"))
    page.get_by_role("button", name="Upload and preview").click()
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("Likely match")
    expect(card.get_by_role("columnheader", name="Splink")).to_be_visible()
    expect(card).to_contain_text("likely the same person")
    check_page(page, "95-import-preview-splink")
