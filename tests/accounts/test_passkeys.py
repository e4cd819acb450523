"""Passkeys as a second factor (ADR 0022): added on "Your account" after confirming it is you, used
instead of the code at sign-in, removed with an audit row. The browser's side of the ceremonies
(real keys, real signatures) is in tests/browser/test_passkey_journey.py; here the package's check of
the signature is stood in for, to show what marm does around it."""

import re
import time

import pytest
from django.test import Client
from django_otp_webauthn.exceptions import CredentialNotFound
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from marm.accounts import two_factor
from marm.accounts.models import UserSession
from marm.audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory
from tests.headers import csp_directives
from tests.twofactor import force_sign_in

pytestmark = pytest.mark.django_db

BEGIN_REGISTRATION = "/passkeys/registration/begin/"
COMPLETE_REGISTRATION = "/passkeys/registration/complete/"
BEGIN_SIGN_IN = "/passkeys/authentication/begin/"
COMPLETE_SIGN_IN = "/passkeys/authentication/complete/"


def _passkey(user, name="Passkey 1", **kwargs):
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=f"{user.pk}-{name}".encode(), public_key=b"key", **kwargs
    )


def _password_only(user):
    client = Client()
    client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1")
    return client


def _not_recently_confirmed(client):
    session = client.session
    session[two_factor.AUTHENTICATED_AT_KEY] = time.time() - 3600
    session.save()
    return client


def _credentials_changes(user):
    return list(
        AuditEvent.objects.filter(action=AuditAction.CREDENTIALS, actor_user=user).values_list(
            "detail__change", flat=True
        )
    )


def test_a_confirmed_passkey_counts_as_a_second_factor():
    user = UserFactory()
    user.totpdevice_set.all().delete()
    assert not two_factor.has_second_factor(user)
    _passkey(user, confirmed=False)
    assert not two_factor.has_second_factor(user)
    passkey = _passkey(user, name="Passkey 2")
    assert two_factor.has_second_factor(user)
    assert two_factor.factor_name(passkey) == "passkey"


def test_A1_a_user_with_only_a_passkey_is_asked_for_it_not_sent_to_set_up_an_app():
    user = UserFactory()
    user.totpdevice_set.all().delete()
    _passkey(user)
    client = _password_only(user)
    assert client.get("/")["Location"].startswith("/sign-in/code/")
    page = client.get("/sign-in/code/").content.decode()
    assert "Use a passkey instead" in page


def test_A1_a_password_alone_still_reaches_nothing_when_the_user_has_a_passkey(practitioner_a):
    _passkey(practitioner_a)
    client = _password_only(practitioner_a)
    for url in ("/account/", "/account/passkeys/add/", "/people/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/code/"), url


def test_A1_a_password_alone_cannot_register_a_passkey(practitioner_a):
    """Adding a passkey with the password alone would make the password enough."""
    client = _password_only(practitioner_a)
    for url in (BEGIN_REGISTRATION, COMPLETE_REGISTRATION):
        response = client.post(url, "{}", content_type="application/json")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/code/"), url
    assert "otp_webauthn_register_state" not in client.session
    assert not WebAuthnCredential.objects.filter(user=practitioner_a).exists()


def test_A1_a_user_with_no_second_factor_yet_cannot_register_a_passkey_with_the_password():
    user = UserFactory()
    user.totpdevice_set.all().delete()
    client = _password_only(user)
    response = client.post(BEGIN_REGISTRATION)
    assert response["Location"].startswith("/sign-in/set-up/")
    assert "otp_webauthn_register_state" not in client.session


def test_S6_registering_a_passkey_needs_a_recent_confirmation(practitioner_a):
    client = _not_recently_confirmed(force_sign_in(Client(), practitioner_a))
    response = client.post(BEGIN_REGISTRATION)
    assert response.status_code == 403
    assert response.json()["code"] == "confirm_identity"
    assert "otp_webauthn_register_state" not in client.session
    assert client.get("/account/passkeys/add/")["Location"].startswith("/account/confirm/")


def test_a_recently_confirmed_user_gets_a_registration_challenge_for_marm(practitioner_a, settings):
    client = force_sign_in(Client(), practitioner_a)
    response = client.post(BEGIN_REGISTRATION)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": settings.OTP_WEBAUTHN_RP_NAME}
    assert options["user"]["name"] == practitioner_a.email


def test_adding_a_passkey_is_audited_and_listed_on_your_account(practitioner_a, monkeypatch):
    def register_complete(helper, user, state, data):
        return _passkey(user, name="")

    monkeypatch.setattr(WebAuthnHelper, "register_complete", register_complete)
    client = force_sign_in(Client(), practitioner_a)
    client.post(BEGIN_REGISTRATION)
    response = client.post(COMPLETE_REGISTRATION, "{}", content_type="application/json")
    assert response.status_code == 200
    passkey = WebAuthnCredential.objects.get(user=practitioner_a)
    assert passkey.name == "Passkey 1"
    assert _credentials_changes(practitioner_a) == ["passkey added"]
    page = client.get("/account/").content.decode()
    assert "Passkey 1 has been added" in page
    assert "Passkey 1" in page and "Not used yet" in page


def test_a_refused_registration_leaves_no_passkey_and_no_audit_row(practitioner_a):
    client = force_sign_in(Client(), practitioner_a)
    client.post(BEGIN_REGISTRATION)
    response = client.post(COMPLETE_REGISTRATION, '{"id": "x", "rawId": "x"}', content_type="application/json")
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.filter(user=practitioner_a).exists()
    assert _credentials_changes(practitioner_a) == []


def test_the_add_page_loads_the_package_script_from_static_files_with_no_inline_script(practitioner_a):
    client = force_sign_in(Client(), practitioner_a)
    response = client.get("/account/passkeys/add/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="passkey-register-button"' in page
    assert "/static/django_otp_webauthn/otp_webauthn_register.js" in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert csp_directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_removing_a_passkey_is_audited(practitioner_a):
    passkey = _passkey(practitioner_a)
    client = force_sign_in(Client(), practitioner_a)
    response = client.post(f"/account/passkeys/{passkey.pk}/remove/", follow=True)
    assert "Passkey 1 has been removed" in response.content.decode()
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    row = AuditEvent.objects.get(action=AuditAction.CREDENTIALS, actor_user=practitioner_a)
    assert row.detail == {"change": "passkey removed", "passkey": "Passkey 1"}


def test_removing_a_passkey_needs_a_recent_confirmation(practitioner_a):
    passkey = _passkey(practitioner_a)
    client = _not_recently_confirmed(force_sign_in(Client(), practitioner_a))
    response = client.post(f"/account/passkeys/{passkey.pk}/remove/")
    assert response["Location"].startswith("/account/confirm/")
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert _credentials_changes(practitioner_a) == []


def test_another_users_passkey_cannot_be_removed(practitioner_a, police_b):
    passkey = _passkey(practitioner_a)
    client = force_sign_in(Client(), police_b)
    assert client.post(f"/account/passkeys/{passkey.pk}/remove/").status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert _credentials_changes(police_b) == []


def test_the_code_page_offers_a_passkey_only_to_users_who_have_one(practitioner_a, police_b):
    _passkey(practitioner_a)
    with_passkey = _password_only(practitioner_a).get("/sign-in/code/?next=/people/").content.decode()
    assert "Use a passkey instead" in with_passkey
    assert 'name="code"' in with_passkey  # the code form keeps working without the script
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in with_passkey
    without = _password_only(police_b).get("/sign-in/code/").content.decode()
    assert "passkey" not in without.lower()


def test_A1_a_half_signed_in_user_may_start_a_passkey_sign_in_for_their_own_passkeys(practitioner_a):
    passkey = _passkey(practitioner_a)
    _passkey(UserFactory())
    client = _password_only(practitioner_a)
    response = client.post(BEGIN_SIGN_IN)
    assert response.status_code == 200
    assert len(response.json()["allowCredentials"]) == 1
    assert passkey.credential_id_sha256  # the package keys look-ups by it
    assert client.get("/passkeys/jsi18n/").status_code == 200


def test_A1_a_passkey_completes_sign_in_as_a_code_does(practitioner_a, monkeypatch):
    passkey = _passkey(practitioner_a)

    def authenticate_complete(helper, user, state, data):
        passkey.set_last_used_timestamp(commit=True)
        return passkey

    monkeypatch.setattr(WebAuthnHelper, "authenticate_complete", authenticate_complete)
    client = _password_only(practitioner_a)
    client.post(BEGIN_SIGN_IN)
    response = client.post(f"{COMPLETE_SIGN_IN}?next=/people/", "{}", content_type="application/json")
    assert response.status_code == 200
    assert response.json()["redirect_url"] == "/people/"
    assert client.get("/").status_code == 200
    row = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor_user=practitioner_a)
    assert row.detail == {"second_factor": "passkey", "how": "sign-in"}
    assert UserSession.objects.filter(user=practitioner_a, session_key=client.session.session_key).exists()
    assert two_factor.AUTHENTICATED_AT_KEY in client.session
    # Signed in: the passkey endpoints are for finishing a sign-in, not for anything after it.
    assert client.post(BEGIN_SIGN_IN).status_code == 403


def test_A1_a_passkey_that_fails_is_audited_and_signs_nobody_in(practitioner_a, monkeypatch):
    _passkey(practitioner_a)

    def authenticate_complete(helper, user, state, data):
        raise CredentialNotFound()

    monkeypatch.setattr(WebAuthnHelper, "authenticate_complete", authenticate_complete)
    client = _password_only(practitioner_a)
    client.post(BEGIN_SIGN_IN)
    response = client.post(COMPLETE_SIGN_IN, "{}", content_type="application/json")
    assert response.status_code == 404
    assert client.get("/")["Location"].startswith("/sign-in/code/")
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_user=practitioner_a).exists()
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED, actor_user=practitioner_a)
    assert failed.detail["stage"] == "passkey"


def test_A1_a_passkey_sign_in_cannot_be_replayed_without_a_fresh_challenge(practitioner_a):
    _passkey(practitioner_a)
    client = _password_only(practitioner_a)
    response = client.post(COMPLETE_SIGN_IN, "{}", content_type="application/json")
    assert response.status_code == 400
    assert client.get("/")["Location"].startswith("/sign-in/code/")


def test_an_administrators_reset_removes_passkeys_too(practitioner_a):
    _passkey(practitioner_a)
    two_factor.remove_all(practitioner_a)
    assert not WebAuthnCredential.objects.filter(user=practitioner_a).exists()
    assert not two_factor.has_second_factor(practitioner_a)
