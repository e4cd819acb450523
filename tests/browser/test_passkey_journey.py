"""Passkeys in a real browser, with Chromium's virtual authenticator standing in for a fingerprint
reader: add a passkey on "Your account", sign out, sign in with the password and the passkey instead
of a code; checked with axe. A second test keeps the real content security policy (the journey's
browser bypasses it to inject axe) and shows the package's script runs under it."""

import re

import pytest
from playwright.sync_api import Page, expect

from marm.accounts.models import UserSession
from marm.audit.models import AuditAction, AuditEvent
from tests.browser.signing_in import sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.headers import csp_directives

pytestmark = pytest.mark.browser


@pytest.fixture
def passkeys_at_live_server(live_server, settings):
    """The live server's origin is http://localhost:<port>: browsers allow passkeys over plain http
    only on localhost."""
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server.url


def _virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_a_user_adds_a_passkey_and_signs_in_with_it_instead_of_a_code(
    page: Page, passkeys_at_live_server, check_page, agency_a
):
    user = UserFactory(email="passkey.user@a.example.org", agency=agency_a)
    base = passkeys_at_live_server
    _virtual_authenticator(page)

    page.goto(f"{base}/")
    sign_in(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")

    page.goto(f"{base}/account/")
    expect(page.get_by_text("You have no passkeys.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    page.get_by_role("button", name="Add a passkey").click()

    # Back on "Your account", the new passkey is listed.
    # The ceremony is two requests to the server and the authenticator's signature: on a busy machine
    # it takes longer than the usual five seconds.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account", timeout=30_000)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Passkey 1 has been added")
    passkeys = page.locator("#passkeys")
    expect(passkeys.locator(".govuk-summary-list__row")).to_have_count(1)
    expect(passkeys).to_contain_text("Not used yet")
    check_page(page, "passkey-01-your-account")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREDENTIALS, actor_user=user, detail__change="passkey added"
    ).exists()

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/people/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))
    expect(page.get_by_role("button", name="Use a passkey instead")).to_be_visible()
    check_page(page, "passkey-02-code")

    page.get_by_role("button", name="Use a passkey instead").click()
    page.wait_for_url(f"{base}/people/", timeout=30_000)
    signed_in = AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_user=user).order_by("-pk").first()
    assert signed_in.detail == {"second_factor": "passkey", "how": "sign-in"}
    assert UserSession.objects.filter(user=user).count() == 2

    page.goto(f"{base}/account/")
    expect(page.locator("#passkeys")).to_contain_text("Last used")


def test_the_passkey_script_runs_under_the_content_security_policy(
    browser, browser_context_args, passkeys_at_live_server, agency_a
):
    user = UserFactory(email="strict.browser@a.example.org", agency=agency_a)
    context = browser.new_context(**{**browser_context_args, "bypass_csp": False})
    page = context.new_page()
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

    page.goto(f"{passkeys_at_live_server}/")
    sign_in(page, user.email)
    response = page.goto(f"{passkeys_at_live_server}/account/passkeys/add/")
    assert csp_directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
    # The button is in a template only the package's script shows.
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    assert refused == []
    context.close()
