"""A person's record in a real browser: changing details (and an edit conflict),
adding the records that hang off a person, the access log, the refusal page and
the sign-in lockout, each page checked with axe and kept as a screenshot."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from marm.audit.models import AuditAction
from marm.people import services
from marm.people.models import Person
from tests.browser.signing_in import sign_in

pytestmark = pytest.mark.browser


def open_signed_in(page: Page, url: str, email: str) -> None:
    """Go to a page that needs signing in, and sign in through the real form on the way."""
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    sign_in(page, email)
    expect(page).to_have_url(url)


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def expect_saved(page: Page, person_url: str, banner_text: str) -> None:
    expect(page).to_have_url(person_url)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(banner_text)


def test_practitioner_keeps_their_change_after_someone_else_saved_first(
    page: Page, live_server, check_page, practitioner_a, police_b, person_a
):
    person_url = f"{live_server.url}{reverse('people:detail', kwargs={'pk': person_a.pk})}"
    open_signed_in(page, person_url, practitioner_a.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Margaret Thornbury")
    check_page(page, "21-person")

    page.get_by_role("link", name=re.compile(r"^Change details")).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('people:edit', kwargs={'pk': person_a.pk})}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change details")
    check_page(page, "22-change-details")

    # The police officer saves a change while the form is open in the practitioner's browser.
    assert person_a.version == 1
    services.person_update(
        acting_user=police_b,
        person=Person.objects.get(pk=person_a.pk),
        expected_version=1,
        preferred_name="Peggy",
    )

    page.get_by_label("Preferred name").fill("Maggie")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Save changes").click()
    assert posted.value.status == 409
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Someone else changed these details while you were editing"
    )
    versions = page.get_by_role("table", name="The two versions")
    preferred_name = page.get_by_role("rowheader", name=re.compile(r"^Preferred name"))
    preferred = versions.get_by_role("row").filter(has=preferred_name)
    expect(preferred.get_by_role("cell")).to_have_text(["Peggy", "Maggie"])
    expect(preferred).to_contain_text("Both changed")
    expect(page.get_by_label("Preferred name")).to_have_value("Maggie")
    check_page(page, "23-change-details-conflict")

    # Both changed the preferred name: saving without choosing which to keep is refused.
    page.get_by_role("button", name="Save my version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose which preferred name to keep")
    page.get_by_label("Yours: Maggie").check()
    page.get_by_role("button", name="Save changes").click()
    expect_saved(page, person_url, "The person's details have been changed")
    details = page.locator(".govuk-summary-list").first
    expect(details.locator(".govuk-summary-list__row").filter(has_text="Preferred name")).to_contain_text("Maggie")
    check_page(page, "24-person-details-changed")
    assert Person.objects.get(pk=person_a.pk).preferred_name == "Maggie"


def test_practitioner_adds_names_addresses_references_and_related_people(
    page: Page, live_server, check_page, practitioner_a, person_a
):
    person_url = f"{live_server.url}{reverse('people:detail', kwargs={'pk': person_a.pk})}"
    open_signed_in(page, person_url, practitioner_a.email)

    # Another name: the form refuses an empty one and says why.
    page.get_by_role("link", name="Add another name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add another name")
    check_page(page, "31-add-other-name")
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter a first name or a last name", "Select what kind of name this is")
    check_page(page, "32-add-other-name-errors")
    page.get_by_label("Last name").fill("Thorne")
    page.get_by_label("Previous name").check()
    page.get_by_role("button", name="Save").click()
    expect_saved(page, person_url, "Other name added")
    expect(page.get_by_role("listitem").filter(has_text="Thorne (previous name)")).to_be_visible()
    check_page(page, "33-person-other-name-added")

    page.get_by_role("link", name="Add an address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an address")
    check_page(page, "34-add-address")
    page.get_by_label("Address line 1").fill("12 Mill Lane")
    page.get_by_label("Town or city").fill("Ludlow")
    page.get_by_role("button", name="Save").click()
    expect_saved(page, person_url, "Address added")
    current = page.locator(".govuk-summary-list__row").filter(has_text="Current address")
    expect(current).to_contain_text("12 Mill Lane, Ludlow")
    check_page(page, "35-person-address-added")

    page.get_by_role("link", name="Add your agency's reference").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add your agency's reference")
    check_page(page, "36-add-agency-reference")
    page.get_by_label("Name of the reference").fill("Mosaic ID")
    page.get_by_label("Reference", exact=True).fill("M204518")
    page.get_by_role("button", name="Save").click()
    expect_saved(page, person_url, "Agency reference added")
    expect(page.get_by_role("listitem").filter(has_text="Shire Adult Social Care: Mosaic ID M204518")).to_be_visible()
    check_page(page, "37-person-agency-reference-added")

    # A related person: an LPA attorney needs the kind of lasting power of attorney.
    page.get_by_role("link", name="Add a related person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a related person")
    check_page(page, "38-add-related-person")
    page.get_by_label("Full name").fill("Anne Thornbury")
    page.get_by_label("Attorney under a lasting power of attorney (LPA)").check()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Select which kind of lasting power of attorney they hold")
    expect(page.get_by_label("Full name")).to_have_value("Anne Thornbury")
    expect(page.get_by_label("Attorney under a lasting power of attorney (LPA)")).to_be_checked()
    check_page(page, "39-add-related-person-attorney-kind-error")
    page.get_by_label("Health and welfare").check()
    page.get_by_role("button", name="Save").click()
    expect_saved(page, person_url, "Related person added")
    related = page.locator(".govuk-summary-list__row").filter(has_text="Anne Thornbury")
    expect(related).to_contain_text("Attorney under a lasting power of attorney (LPA)")
    expect(related).to_contain_text("Health and welfare")
    check_page(page, "40-person-related-person-added")


def test_manager_sees_who_has_viewed_the_record(
    page: Page, live_server, check_page, practitioner_a, manager_a, person_a
):
    person_url = f"{live_server.url}{reverse('people:detail', kwargs={'pk': person_a.pk})}"
    open_signed_in(page, person_url, practitioner_a.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Margaret Thornbury")
    expect(page.get_by_role("link", name="Who has viewed or changed this record")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:sign-in')}")

    open_signed_in(page, person_url, manager_a.email)
    page.get_by_role("link", name="Who has viewed or changed this record").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('people:access-log', kwargs={'pk': person_a.pk})}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has viewed or changed this record")
    practitioners_views = (
        page.get_by_role("table", name="Access to this record")
        .get_by_role("row")
        .filter(has_text=practitioner_a.full_name)
        .filter(has_text=AuditAction.VIEW.label)
    )
    expect(practitioners_views.first).to_contain_text("Shire Adult Social Care")
    check_page(page, "41-access-log")


def test_practitioner_cannot_open_the_access_log(page: Page, live_server, check_page, practitioner_a, person_a):
    access_log_url = f"{live_server.url}{reverse('people:access-log', kwargs={'pk': person_a.pk})}"
    page.goto(f"{live_server.url}/")
    sign_in(page, practitioner_a.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")

    response = page.goto(access_log_url)
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.get_by_role("table")).to_have_count(0)
    check_page(page, "42-access-log-refused")


def test_sign_in_pauses_after_too_many_wrong_passwords(page: Page, live_server, check_page, practitioner_a):
    sign_in_url = f"{live_server.url}{reverse('accounts:sign-in')}"
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        page.goto(sign_in_url)
        sign_in(page, practitioner_a.email, password=f"not-the-password-{attempt}")
        if attempt == 1:
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            check_page(page, "51-sign-in-wrong-password")

    page.goto(sign_in_url)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        sign_in(page, practitioner_a.email)
    assert posted.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in paused")
    expect(page.get_by_text(f"Wait {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_page(page, "52-sign-in-paused")
