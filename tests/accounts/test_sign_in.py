import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.core.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY
from tests.factories import TEST_PASSWORD
from tests.headers import csp_directives
from tests.twofactor import next_code

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _sign_in(client, email, password):
    return client.post("/sign-in/", {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_signing_in_lands_on_your_work_and_is_audited(practitioner_a):
    client = Client()
    response = _sign_in(client, practitioner_a.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/code/?next=/"
    response = client.post("/sign-in/code/", {"code": next_code(practitioner_a), "next": "/"})
    assert response["Location"] == "/"
    assert "Your work" in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_user=practitioner_a).exists()


def test_A6_wrong_password_and_unknown_account_read_the_same(practitioner_a):
    wrong = _sign_in(Client(), practitioner_a.email, "not-the-password")
    unknown = _sign_in(Client(), "nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert "Enter a correct email address and password" in wrong.content.decode()
    assert "Enter a correct email address and password" in unknown.content.decode()


def test_A5_passwords_are_hashed_with_argon2(practitioner_a):
    practitioner_a.set_password("another-long-password")
    assert practitioner_a.password.startswith("argon2")


def test_A3_repeated_failures_pause_sign_in_then_it_cools_off(practitioner_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, practitioner_a.email, "wrong-password")
    locked = _sign_in(client, practitioner_a.email, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Sign in paused" in locked.content.decode()
    # Not a permanent lock: once the cool-off has passed the right password works.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert _sign_in(client, practitioner_a.email, TEST_PASSWORD).status_code == 302


def test_a_lockout_for_one_address_does_not_lock_the_user_out_elsewhere(practitioner_a, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, practitioner_a.email, "wrong-password")
    elsewhere = Client().post(
        "/sign-in/", {"username": practitioner_a.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert elsewhere.status_code == 302


def test_S1_an_idle_session_expires_on_the_server(practitioner_a_client):
    assert practitioner_a_client.get("/").status_code == 200
    # Replaying the old cookie after the idle limit must not work, whatever the browser does.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = practitioner_a_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_S1_the_idle_limit_is_fifteen_minutes_renewed_by_activity(settings, practitioner_a_client):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    client = practitioner_a_client
    client.get("/")
    session = Session.objects.get()
    # A minute on, activity renews the session: it now ends 15 minutes after this request.
    store = client.session
    store[SESSION_RENEWED_KEY] = time.time() - settings.SESSION_RENEW_SECONDS
    store.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=30))
    client.get("/")
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + timedelta(seconds=15 * 60 - 10)


def test_a_page_read_within_the_minute_does_not_write_the_session(practitioner_a_client):
    """Reading pages does not write the session row every time: at most once a minute."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    practitioner_a_client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert practitioner_a_client.get("/").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert writes == []


def test_S2_a_session_ends_after_twelve_hours_however_active(practitioner_a_client):
    assert practitioner_a_client.get("/").status_code == 200
    session = practitioner_a_client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 60 * 60 - 60
    session.save()
    response = practitioner_a_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=1"
    assert practitioner_a_client.get("/").status_code == 302


def test_H3_pages_carry_security_headers(practitioner_a_client):
    response = practitioner_a_client.get("/")
    csp = response["Content-Security-Policy"]
    assert csp_directives(csp)["script-src"] == ["'self'"]
    assert csp_directives(csp)["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_S3_signing_out_needs_a_post_and_ends_the_session(practitioner_a_client, practitioner_a):
    assert practitioner_a_client.get("/sign-out/").status_code == 405
    assert practitioner_a_client.post("/sign-out/").status_code == 302
    assert practitioner_a_client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_user=practitioner_a).exists()


def test_H4_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marm.config.settings.production",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "marm.example.org",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_capitalising_the_address_differently_does_not_earn_more_attempts(practitioner_a, settings):
    client = Client()
    variants = [practitioner_a.email.upper(), practitioner_a.email, practitioner_a.email.title()]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, variants[attempt % len(variants)], "wrong-password")
    assert _sign_in(client, practitioner_a.email.upper(), TEST_PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings, rf):
    from marm.core.client import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.9"
