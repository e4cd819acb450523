"""Sign-in throttling by address (A3) and the audit rows of failed sign-ins."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client
from django.utils import timezone

from marm.accounts.signals import clean_username
from marm.audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "10.0.0.7"


def _sign_in(email, password, address=ADDRESS):
    return Client().post("/sign-in/", {"username": email, "password": password}, REMOTE_ADDR=address)


def _signed_in(response) -> bool:
    # The password is right: on to the second factor (or home), not the form again.
    return response.status_code == 302


def _failures():
    return AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, system_actor="sign-in")


def _later(monkeypatch, minutes):
    moved = timezone.now() + timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def _guess_across_accounts(settings, how_many=None):
    for number in range(how_many or settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        _sign_in(f"guess{number}@a.example.org", "Summer2026!")


def test_A3_one_address_guessing_across_many_accounts_is_paused(practitioner_a, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    # Each account is tried once, far below the per-account limit of axes.
    _guess_across_accounts(settings)

    paused = _sign_in(practitioner_a.email, TEST_PASSWORD)

    assert paused.status_code == 429
    assert "Sign in paused" in paused.content.decode()
    refusal = _failures().latest("seq")
    assert refusal.detail == {"username": practitioner_a.email, "reason": "address_paused"}
    assert refusal.object_id == str(practitioner_a.pk)
    assert refusal.source_ip == ADDRESS
    # Every further attempt from the address is refused, and each refusal is a row.
    assert _sign_in("guess0@a.example.org", "another guess").status_code == 429
    assert _failures().filter(detail__reason="address_paused").count() == 2


def test_A3_the_address_pause_does_not_stop_the_user_elsewhere(practitioner_a, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    _guess_across_accounts(settings)
    assert _signed_in(_sign_in(practitioner_a.email, TEST_PASSWORD, address="10.9.9.9"))


def test_A3_fewer_failures_than_the_limit_do_not_pause_the_address(practitioner_a, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    _guess_across_accounts(settings, how_many=3)
    assert _signed_in(_sign_in(practitioner_a.email, TEST_PASSWORD))


def test_A3_pause_ends_after_cool_off(practitioner_a, settings, monkeypatch):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    _guess_across_accounts(settings)
    _later(monkeypatch, 10)
    # Knocking while paused does not make the pause longer: refusals are not counted.
    assert _sign_in(practitioner_a.email, "another guess").status_code == 429
    assert _sign_in(practitioner_a.email, TEST_PASSWORD).status_code == 429
    cooloff_minutes = settings.AXES_COOLOFF_TIME.total_seconds() / 60
    _later(monkeypatch, cooloff_minutes + 1)
    assert _signed_in(_sign_in(practitioner_a.email, TEST_PASSWORD))


def test_A3_the_account_and_address_pause_of_axes_still_applies(practitioner_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(practitioner_a.email, "wrong-password")
    assert _sign_in(practitioner_a.email, TEST_PASSWORD).status_code == 429
    assert _failures().latest("seq").detail["reason"] == "paused"


def test_a_wrong_password_for_a_known_account_is_an_audit_row(practitioner_a):
    response = _sign_in(practitioner_a.email.upper(), "wrong-password")
    assert response.status_code == 200
    row = _failures().get()
    assert row.actor_user is None
    assert row.object_type == "accounts.user"
    assert row.object_id == str(practitioner_a.pk)
    assert row.detail == {"username": practitioner_a.email.upper(), "reason": "wrong_password"}
    assert row.source_ip == ADDRESS


def test_a_sign_in_to_an_unknown_account_is_an_audit_row_naming_no_account(practitioner_a):
    _sign_in("nobody@example.org", "wrong-password")
    row = _failures().get()
    assert row.object_type == "accounts.user"
    assert row.object_id == ""
    assert row.detail == {"username": "nobody@example.org", "reason": "unknown_account"}


def test_a_sign_in_to_a_deactivated_account_is_an_audit_row(agency_a):
    user = UserFactory(email="left@a.example.org", agency=agency_a, is_active=False)
    _sign_in(user.email, TEST_PASSWORD)
    row = _failures().get()
    assert row.object_id == str(user.pk)
    assert row.detail["reason"] == "inactive_account"


def test_the_user_name_in_the_audit_row_is_cut_short_and_has_no_control_characters():
    assert clean_username("nobody\x1b[2J@example.org\u202e\r\n") == "nobody[2J@example.org"
    assert len(clean_username("a" * 1000)) == 254


def test_a_failed_sign_in_outside_the_sign_in_page_is_audited_too(practitioner_a, rf):
    # The administration site and any other form that signs in go through authenticate().
    request = rf.post("/admin/login/", REMOTE_ADDR=ADDRESS)
    assert authenticate(request, username=practitioner_a.email, password="wrong-password") is None
    assert _failures().get().detail["reason"] == "wrong_password"


@pytest.mark.parametrize("password", ["wrong-password", "p" * 200_000])
def test_a_200000_character_user_name_gives_the_form_back_with_an_error(password):
    # Runs on the configured database: SQLite by default, PostgreSQL with DATABASE_URL.
    response = _sign_in("u" * 200_000 + "@example.org", password)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Email address must be 254 characters or fewer" in content
    # Refused by the form before any account is looked up: nothing reaches the lockout's table.
    assert not AccessAttempt.objects.exists()


def test_a_200000_character_user_name_never_reaches_the_lockout_table_whole(rf):
    # Whatever a sign-in form checks, axes keeps at most 254 characters (its column holds 255).
    request = rf.post("/sign-in/", REMOTE_ADDR=ADDRESS)
    assert authenticate(request, username="u" * 200_000, password="wrong-password") is None
    attempt = AccessAttempt.objects.get()
    assert len(attempt.username) == 254
    assert len(_failures().get().detail["username"]) == 254
