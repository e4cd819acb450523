"""Emergency access and the administration pages in a real browser, checked with axe (and reflow)
on every page: a GP whose practice is not involved opens a person's minimal record in an
emergency, the lead agency's manager reviews it, and an administrator looks a user up."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_record_pages import open_signed_in

pytestmark = pytest.mark.browser


def test_a_gp_opens_a_minimal_record_in_an_emergency_and_the_manager_reviews_it(
    page: Page, live_server, check_page, gp_c, manager_a, person_a
):
    base = live_server.url
    open_signed_in(page, f"{base}/people/emergency-access/new/", gp_c.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access to a record")
    check_page(page, "emergency-01-start")
    page.get_by_label("First name").fill(person_a.given_name)
    page.get_by_label("Last name").fill(person_a.family_name)
    born = person_a.date_of_birth
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("What is the emergency, and why do you need this record?").fill(
        "Found collapsed at the surgery door; we need to know who to call."
    )
    page.get_by_label("I understand this is recorded and will be reviewed").check()
    page.get_by_role("button", name="Open the minimal record").click()
    expect(page).to_have_url(re.compile(rf"/people/{person_a.pk}/emergency/"))
    expect(page.locator("main")).to_contain_text(person_a.family_name)
    check_page(page, "emergency-02-minimal-record")
    page.context.clear_cookies()

    open_signed_in(page, f"{base}/", manager_a.email)
    # "Your work" lists the emergency access to review, naming who opened the record.
    review = page.get_by_role("link", name=re.compile(re.escape(gp_c.full_name)))
    check_page(page, "emergency-03-home")
    review.first.click()
    expect(page.locator("main")).to_contain_text("Found collapsed at the surgery door")
    check_page(page, "emergency-04-review")


def test_an_administrator_finds_a_user_and_opens_their_page(page: Page, live_server, check_page, administrator, gp_c):
    base = live_server.url
    open_signed_in(page, f"{base}/", administrator.email)
    page.goto(f"{base}/administration/")
    # Administration asks for the password and a code again when the sign-in is not recent; it is here.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "administration-01-users")
    page.get_by_role("link", name=gp_c.full_name).first.click()
    expect(page.locator("main")).to_contain_text(gp_c.email)
    check_page(page, "administration-02-user")
