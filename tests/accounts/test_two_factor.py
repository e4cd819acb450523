"""Two factors for every user (ADR 0022): the password, then a code from an authenticator app or a
recovery code; set-up at first sign-in; the identity confirmed again before credentials change."""

import re
import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from marm.accounts.two_factor import code_now, recovery_codes_issue, secret_of
from marm.audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory
from tests.twofactor import authenticator_of, force_sign_in, next_code

pytestmark = pytest.mark.django_db


def _password(client, user, next_url=""):
    data = {"username": user.email, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/sign-in/", data, REMOTE_ADDR="10.0.0.1")


def _code(client, code, next_url="/"):
    return client.post("/sign-in/code/", {"code": code, "next": next_url})


def test_A1_the_password_leads_to_the_code_page_not_to_the_records(practitioner_a):
    client = Client()
    response = _password(client, practitioner_a)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/code/")
    assert client.get("/").status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_user=practitioner_a).exists()


def test_A1_a_code_from_the_app_completes_sign_in_and_is_audited(practitioner_a):
    client = Client()
    _password(client, practitioner_a, next_url="/people/")
    response = _code(client, next_code(practitioner_a), next_url="/people/")
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert "Your work" in client.get("/").content.decode()
    row = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor_user=practitioner_a)
    assert row.detail["second_factor"] == "authenticator app"


def test_A1_a_wrong_code_is_refused_with_an_error_summary_and_audited(practitioner_a):
    client = Client()
    _password(client, practitioner_a)
    response = _code(client, "000000")
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "The code is not right" in page
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor_user=practitioner_a).count() == 1


def test_A1_too_many_wrong_codes_sign_the_session_out(practitioner_a):
    client = Client()
    _password(client, practitioner_a)
    for _ in range(5):
        response = _code(client, "000000")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert client.get("/sign-in/code/")["Location"].startswith("/sign-in/")  # no longer half signed in


def test_A2_a_code_works_once(practitioner_a):
    code = next_code(practitioner_a)
    first = Client()
    _password(first, practitioner_a)
    assert _code(first, code).status_code == 302
    second = Client()
    _password(second, practitioner_a)
    assert _code(second, code).status_code == 200  # replayed: refused


def test_A2_an_old_code_is_refused(practitioner_a):
    device = authenticator_of(practitioner_a)
    old = code_now(device.key, at=time.time() - 120)
    client = Client()
    _password(client, practitioner_a)
    assert _code(client, old).status_code == 200


def test_A2_a_recovery_code_signs_in_once(practitioner_a):
    codes = recovery_codes_issue(practitioner_a)
    client = Client()
    _password(client, practitioner_a)
    assert _code(client, codes[0]).status_code == 302
    again = Client()
    _password(again, practitioner_a)
    assert _code(again, codes[0]).status_code == 200


def test_first_sign_in_sets_up_the_app_then_shows_recovery_codes_once(agency_a):
    user = UserFactory(email="new@a.example.org", agency=agency_a, authenticator=False)
    client = Client()
    _password(client, user)
    response = client.get("/sign-in/code/")
    assert response["Location"].startswith("/sign-in/set-up/")
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml" in page  # the QR code, drawn here
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.sub(r"\s", "", re.search(r'id="secret">([^<]+)<', page).group(1)) == secret_of(device)
    wrong = client.post("/sign-in/set-up/", {"code": "123456", "next": "/"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    soon = client.post("/sign-in/set-up/", {"code": code_now(device.key), "next": "/"})
    assert "wait a few seconds" in soon.content.decode()  # each wrong code slows the next try
    time.sleep(2.1)
    done = client.post("/sign-in/set-up/", {"code": code_now(device.key), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=AuditAction.CREDENTIALS, actor_user=user).exists()


def test_a_user_with_an_app_cannot_set_up_another_with_the_password_alone(practitioner_a):
    client = Client()
    _password(client, practitioner_a)
    response = client.get("/sign-in/set-up/")
    assert response["Location"].startswith("/sign-in/code/")
    assert client.post("/sign-in/set-up/", {"code": "123456"})["Location"].startswith("/sign-in/code/")
    assert TOTPDevice.objects.filter(user=practitioner_a).count() == 1


def test_A1_the_admin_site_needs_both_factors_and_a_recent_confirmation(administrator):
    client = Client()
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/sign-in/")
    _password(client, administrator)
    assert client.get("/admin/")["Location"].startswith("/sign-in/code/")
    _code(client, next_code(administrator))
    session = client.session
    session["marm_authenticated_at"] = time.time() - 3600
    session.save()
    assert client.get("/admin/")["Location"].startswith("/account/confirm/")
    confirmed = client.post(
        "/account/confirm/", {"password": TEST_PASSWORD, "code": next_code(administrator), "next": "/admin/"}
    )
    assert confirmed["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_S6_changing_the_password_needs_a_recent_confirmation(practitioner_a):
    client = force_sign_in(Client(), practitioner_a)
    session = client.session
    session["marm_authenticated_at"] = time.time() - 3600
    session.save()
    assert client.get("/account/password/")["Location"].startswith("/account/confirm/")
    wrong = client.post("/account/confirm/", {"password": "wrong", "code": next_code(practitioner_a)})
    assert wrong.status_code == 200 and "Enter your correct password" in wrong.content.decode()
    client.post("/account/confirm/", {"password": TEST_PASSWORD, "code": next_code(practitioner_a)})
    assert client.get("/account/password/").status_code == 200


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("password1234", "too common"),
        ("Margaret-Thornbury-1952", "must not contain your name"),
        ("short", "too short"),
    ],
)
def test_A4_passwords_that_are_common_short_or_your_name_are_refused(agency_a, password, error):
    user = UserFactory(email="mthornbury@a.example.org", full_name="Margaret Thornbury", agency=agency_a)
    client = force_sign_in(Client(), user)
    response = client.post(
        "/account/password/",
        {"current_password": TEST_PASSWORD, "new_password": password, "new_password_again": password},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_A4_a_long_passphrase_is_accepted_and_other_sessions_end(practitioner_a):
    other = force_sign_in(Client(), practitioner_a)
    from marm.accounts.sessions import session_record

    class _Request:  # the other browser's session, recorded as a sign-in records it
        session = other.session
        user = practitioner_a
        headers = {}

    session_record(request=_Request())
    client = force_sign_in(Client(), practitioner_a)
    new = "correct horse battery staple " * 2 + "and a sixty four character passphrase"
    response = client.post(
        "/account/password/", {"current_password": TEST_PASSWORD, "new_password": new, "new_password_again": new}
    )
    assert response.status_code == 302
    practitioner_a.refresh_from_db()
    assert practitioner_a.check_password(new)
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert other.get("/").status_code == 302  # the other one is signed out
    assert AuditEvent.objects.filter(
        action=AuditAction.CREDENTIALS, actor_user=practitioner_a, detail__change="password changed"
    ).exists()


def test_S5_a_user_sees_their_sessions_and_ends_another(practitioner_a, police_b):
    browsers = []
    for _ in range(2):
        client = Client()
        _password(client, practitioner_a)
        _code(client, next_code(practitioner_a))
        browsers.append(client)
    page = browsers[0].get("/account/").content.decode()
    assert page.count("End<span") == 2 and "This browser" in page
    from marm.accounts.models import UserSession

    other = UserSession.objects.get(user=practitioner_a, session_key=browsers[1].session.session_key)
    assert force_sign_in(Client(), police_b).post(f"/account/sessions/{other.pk}/end/").status_code == 403
    assert browsers[0].post(f"/account/sessions/{other.pk}/end/").status_code == 302
    assert browsers[1].get("/").status_code == 302
    assert browsers[0].get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_END, actor_user=practitioner_a).exists()


def test_sign_out_is_audited_and_ends_the_session(practitioner_a):
    client = Client()
    _password(client, practitioner_a)
    _code(client, next_code(practitioner_a))
    client.post("/sign-out/")
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_user=practitioner_a).exists()
    assert client.get("/").status_code == 302


def test_every_sign_out_is_audited_with_how(practitioner_a):
    """The button, the 12-hour limit and too many wrong codes each leave one SIGN_OUT row."""
    from marm.core.middleware import SESSION_STARTED_KEY

    client = force_sign_in(Client(), practitioner_a)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 13 * 60 * 60
    session.save()
    client.get("/")
    half = Client()
    _password(half, practitioner_a)
    for _ in range(5):
        _code(half, "000000")
    button = force_sign_in(Client(), practitioner_a)
    button.post("/sign-out/")
    hows = list(
        AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_user=practitioner_a)
        .order_by("seq")
        .values_list("detail__how", flat=True)
    )
    assert hows == ["12-hour limit", "too many wrong codes", "signed out"]


def test_the_administration_site_shows_no_second_factor(administrator):
    """Authenticator secrets and recovery codes are not on the administration site: a reset goes
    through the audited service."""
    from django.contrib import admin

    labels = {model._meta.label for model in admin.site._registry}
    assert not labels & {"otp_totp.TOTPDevice", "otp_static.StaticDevice", "django_otp_webauthn.WebAuthnCredential"}
    client = force_sign_in(Client(), administrator)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
