"""A practitioner's journey through marm in a real browser, checked with axe on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.signing_in import sign_in
from tests.factories import valid_nhs_number

pytestmark = pytest.mark.browser


def test_practitioner_finds_a_person_and_cannot_open_another_agencys(
    page: Page, live_server, check_page, practitioner_a, person_a, person_c
):
    base = live_server.url

    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Sign in to "))
    check_page(page, "01-sign-in")

    sign_in(page, practitioner_a.email)
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    check_page(page, "02-your-work")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    expect(page).to_have_url(f"{base}{reverse('people:search')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    check_page(page, "03-find-a-person")

    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Enter a name, a date of birth or an NHS number to search")
    check_page(page, "04-find-a-person-error")

    page.get_by_label("Name", exact=True).fill("Thornbury")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    result = page.get_by_role("table").get_by_role("link", name="Margaret Thornbury")
    expect(result).to_be_visible()
    check_page(page, "05-search-results")

    result.click()
    expect(page).to_have_url(f"{base}{reverse('people:detail', kwargs={'pk': person_a.pk})}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Margaret Thornbury")
    check_page(page, "06-person")

    response = page.goto(f"{base}{reverse('people:detail', kwargs={'pk': person_c.pk})}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Desmond")).to_have_count(0)
    check_page(page, "07-other-agencys-person-not-found")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base}{reverse('accounts:sign-in')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Sign in to "))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_practitioner_adds_a_person_after_correcting_the_nhs_number(
    page: Page, live_server, check_page, practitioner_a
):
    base = live_server.url
    page.goto(f"{base}{reverse('people:create')}")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    sign_in(page, practitioner_a.email)
    expect(page).to_have_url(f"{base}{reverse('people:create')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    check_page(page, "11-add-a-person")

    page.get_by_label("First name").fill("Iris")
    page.get_by_label("Last name").fill("Pemberton")
    nhs_number = page.get_by_label("NHS number")
    nhs_number.fill("123 456 7890")
    page.get_by_role("button", name="Add person").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    error_link = summary.get_by_role("link", name=re.compile(r"^Enter a valid NHS number"))
    expect(error_link).to_have_attribute("href", "#id_nhs_number")
    expect(nhs_number).to_have_value("123 456 7890")
    expect(nhs_number).to_have_attribute("aria-invalid", "true")
    check_page(page, "12-add-a-person-nhs-number-error")

    error_link.click()
    expect(nhs_number).to_be_focused()
    nhs_number.fill(valid_nhs_number())
    page.get_by_role("button", name="Add person").click()

    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Iris Pemberton")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Iris Pemberton has been added")
    check_page(page, "13-person-added")
