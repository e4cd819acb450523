"""Finding a person through a misspelling, linking two records of the same adult, and the
possible-matches check when adding a person: in a real browser, each page checked with axe."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marm.linkage.models import PersonLink
from marm.people.models import Person
from tests.browser.test_record_pages import open_signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

BORN = datetime.date(1948, 5, 17)


def test_duty_officer_finds_jon_smyth_links_the_second_record_and_is_warned_before_adding_a_third(
    page: Page, live_server, check_page, practitioner_a, duty_a
):
    john = PersonFactory(
        created_by=practitioner_a, given_name="John", middle_names="William", family_name="Smith", date_of_birth=BORN
    )
    second = PersonFactory(created_by=practitioner_a, given_name="Jonathan", family_name="Smith", date_of_birth=BORN)
    PersonFactory(created_by=practitioner_a, given_name="Margaret", family_name="Thornbury")

    search_url = f"{live_server.url}{reverse('people:search')}"
    open_signed_in(page, search_url, duty_a.email)
    page.get_by_label("Name").fill("Jon Smyth")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table.govuk-table")
    first_row = results.locator("tbody tr").first
    expect(first_row).to_contain_text("John William Smith")
    expect(first_row).to_contain_text("sounds the same")
    expect(results).not_to_contain_text("Margaret")
    check_page(page, "41-search-jon-smyth")

    first_row.get_by_role("link", name="John William Smith").click()
    # A duty officer says why before the full record opens, however they reached it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Open the full record")
    page.get_by_label("Why do you need the full record?").fill("Caller reports a possible second record")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("John William Smith")
    page.get_by_role("link", name="Linked records and possible duplicates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records of the same person")
    expect(page.locator("body")).to_contain_text("Jonathan Smith")
    check_page(page, "42-same-person")

    page.get_by_role("link", name=re.compile(r"^Link Jonathan Smith")).click()
    # Linking reads the second record in full: the purpose is asked for that person too.
    expect(page.get_by_role("heading", level=1)).to_have_text("Open the full record")
    page.get_by_label("Why do you need the full record?").fill("Checking whether it is the same adult")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these records the same person?")
    page.get_by_role("button", name="Link the records").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why these records are the same person")
    check_page(page, "43-link-error")
    page.get_by_label("Why are these records the same person?").fill("Same date of birth; GP confirms one patient")
    page.get_by_role("button", name="Link the records").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("are linked")
    check_page(page, "44-linked")
    link = PersonLink.objects.get()
    assert {link.person_a_id, link.person_b_id} == {john.pk, second.pk}
    assert link.linked_by == duty_a

    page.goto(f"{live_server.url}{reverse('people:create')}")
    page.get_by_label("First name").fill("Jon")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Day").fill("17")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("1948")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#possible-matches")).to_contain_text("John William Smith")
    check_page(page, "45-possible-matches")
    assert Person.objects.count() == 3
    page.get_by_label("This is a different person from the people listed").check()
    page.get_by_role("button", name="Add person").click()
    # The duty officer has just recorded the person during the call: the record opens without asking
    # why again, and the read is audited with that purpose.
    expect(page.get_by_role("heading", level=1)).to_have_text("Jon Smith")
    assert Person.objects.count() == 4
