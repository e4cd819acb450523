"""Two factors in a real browser: setting up the authenticator app at first sign-in, saving the
recovery codes, signing in again with a code, and ending another session from "Your account";
checked with axe on every page."""

import base64
import re
import time

import pytest
from playwright.sync_api import Page, expect

from marm.accounts.two_factor import code_now
from tests.browser.signing_in import sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.twofactor import next_code

pytestmark = pytest.mark.browser


def _code_from_key(printed_key: str, at: float) -> str:
    secret = re.sub(r"\s", "", printed_key)
    return code_now(base64.b32decode(secret + "=" * (-len(secret) % 8)).hex(), at=at)


def test_a_new_user_sets_up_the_app_then_signs_in_with_a_code(
    page: Page, live_server, check_page, agency_a, browser, browser_context_args
):
    user = UserFactory(email="new.starter@a.example.org", agency=agency_a, authenticator=False)
    base = live_server.url

    page.goto(f"{base}/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    check_page(page, "2fa-01-set-up")

    # A wrong code first: the error summary names the field.
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    check_page(page, "2fa-02-set-up-error")

    key = page.locator("#secret").inner_text()
    time.sleep(2.1)  # each wrong code makes the next try wait a moment
    page.get_by_label("Code").fill(_code_from_key(key, time.time()))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your authenticator app is set up")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    check_page(page, "2fa-03-recovery-codes")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")

    # A second browser signs in with the password and a code from the app.
    other = browser.new_context(**browser_context_args)
    second = other.new_page()
    second.goto(f"{base}/")
    second.get_by_label("Email address").fill(user.email)
    second.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    second.get_by_role("button", name="Sign in").click()
    expect(second).to_have_url(re.compile(r"/sign-in/code/"))
    check_page(second, "2fa-04-code")
    # A code marm has not accepted yet, on marm's reckoning of the app's clock: the set-up's code may
    # have moved it a step, so a fixed "next step" code could fall outside the window.
    second.get_by_label("Code").fill(next_code(user))
    second.get_by_role("button", name="Continue").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Your work")

    # The first browser sees both sessions and ends the other one.
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    check_page(page, "2fa-05-your-account")
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(2)
    rows.filter(has_not_text="This browser").get_by_role("button", name=re.compile("^End")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The session has ended")
    second.reload()
    expect(second).to_have_url(re.compile(r"/sign-in/"))
    other.close()


def test_signing_in_again_asks_for_the_code_and_a_wrong_one_is_explained(
    page: Page, live_server, check_page, practitioner_a
):
    page.goto(f"{live_server.url}/people/")
    sign_in(page, practitioner_a.email)
    expect(page).to_have_url(f"{live_server.url}/people/")
