"""Signing in through the real pages: the password, then a code from the user's authenticator app."""

from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from tests.factories import TEST_PASSWORD
from tests.twofactor import next_code


def sign_in(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Fill in the sign-in page; when the password is right, the code page follows: give the code."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/sign-in/code/" in page.url:
        user = get_user_model().objects.get(email__iexact=email)
        page.get_by_label("Code").fill(next_code(user))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
