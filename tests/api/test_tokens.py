"""API tokens: made after the second factor, shown once, hashed at rest, with scopes and an expiry,
listed and revoked by their own user, every change audited (ADR 0034)."""

import datetime
import hashlib
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marm.accounts.two_factor import AUTHENTICATED_AT_KEY
from marm.api.models import ApiToken
from marm.api.services import api_token_revoke
from marm.audit.models import AuditAction, AuditEvent
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db


def _form(days=30, scopes=("read",), name="Police case system"):
    on = timezone.localdate() + datetime.timedelta(days=days)
    return {
        "name": name,
        "scopes": list(scopes),
        "expires_on_0": str(on.day),
        "expires_on_1": str(on.month),
        "expires_on_2": str(on.year),
    }


def test_making_a_token_needs_the_second_factor_given_recently(practitioner_a_client):
    session = practitioner_a_client.session
    session[AUTHENTICATED_AT_KEY] = time.time() - 3600
    session.save()
    response = practitioner_a_client.post(reverse("api:token-new"), _form())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not ApiToken.objects.exists()


def test_the_token_is_shown_once_and_only_its_hash_is_kept(practitioner_a, practitioner_a_client):
    response = practitioner_a_client.post(reverse("api:token-new"), _form())
    assert response.status_code == 200
    row = ApiToken.objects.get()
    token = response.context["token"]
    assert token.startswith(f"marm_{row.prefix}_")
    assert token in response.content.decode()
    assert row.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list()[0]]
    assert not any(token in value for value in stored)
    assert row.scopes == ["read"] and row.user == practitioner_a
    # The list shows the prefix, never the token.
    listing = practitioner_a_client.get(reverse("api:tokens")).content.decode()
    assert row.prefix in listing and token not in listing
    audit = AuditEvent.objects.get(actor_user=practitioner_a, action=AuditAction.CREDENTIALS)
    assert audit.detail["change"] == "API token created" and token not in str(audit.detail)
    # It works.
    person_search = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/people/?name=Smith")
    assert person_search.status_code == 200


def test_a_token_works_for_ninety_days_at_most(practitioner_a_client):
    response = practitioner_a_client.post(reverse("api:token-new"), _form(days=91))
    assert response.status_code == 200
    assert "90 days at most" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREDENTIALS).exists()


def test_only_board_officers_may_have_the_board_scope(practitioner_a_client, board_officer, client_for):
    response = practitioner_a_client.post(reverse("api:token-new"), _form(scopes=("read", "board")))
    assert "Select a valid choice" in response.content.decode() or "board officers" in response.content.decode()
    assert not ApiToken.objects.exists()
    made = client_for(board_officer).post(reverse("api:token-new"), _form(scopes=("board",)))
    assert made.status_code == 200
    assert ApiToken.objects.get().scopes == ["board"]


def test_no_token_a_wrong_one_or_a_malformed_one_gives_401(practitioner_a):
    good = token_for(practitioner_a)
    wrong = good[:-4] + ("aaaa" if not good.endswith("aaaa") else "bbbb")
    for headers in ({}, {"Authorization": f"Bearer {wrong}"}, {"Authorization": "Bearer nonsense"}):
        response = Client(headers=headers).get("/api/people/?name=Smith")
        assert response.status_code == 401, headers
        assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_gives_401(practitioner_a):
    token = token_for(practitioner_a)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/people/?name=Smith")
    assert response.status_code == 401


def test_a_revoked_token_stops_working_at_once_and_the_revocation_is_audited(practitioner_a, practitioner_a_client):
    token = token_for(practitioner_a)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/people/?name=Smith").status_code == 200
    row = ApiToken.objects.get()
    response = practitioner_a_client.post(reverse("api:token-revoke", args=[row.pk]))
    assert response.status_code == 302
    assert api.get("/api/people/?name=Smith").status_code == 401
    row.refresh_from_db()
    assert row.revoked_at is not None and row.status == "Revoked"
    assert AuditEvent.objects.filter(
        actor_user=practitioner_a, action=AuditAction.CREDENTIALS, detail__change="API token revoked"
    ).exists()


def test_no_one_revokes_another_users_token(practitioner_a, police_b_client):
    token_for(practitioner_a)
    row = ApiToken.objects.get()
    assert police_b_client.post(reverse("api:token-revoke", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_service_revokes_only_the_acting_users_own_token(practitioner_a, police_b):
    token_for(practitioner_a)
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(acting_user=police_b, token=ApiToken.objects.get())


def test_a_token_does_only_what_its_scopes_allow(practitioner_a, person_a):
    read_only = Client(headers={"Authorization": f"Bearer {token_for(practitioner_a, scopes=('read',))}"})
    entry = {"occurred_on": "2026-01-05", "entry_type": "visit", "significance": "medium", "summary": "Visited."}
    response = read_only.post(f"/api/people/{person_a.pk}/chronology/", entry, content_type="application/json")
    assert response.status_code == 403
    assert read_only.get("/api/board/measures/").status_code == 403
    write_only = Client(headers={"Authorization": f"Bearer {token_for(practitioner_a, scopes=('write',))}"})
    assert write_only.get(f"/api/people/{person_a.pk}/").status_code == 403


def test_a_token_of_a_user_no_longer_active_gives_401(practitioner_a):
    token = token_for(practitioner_a)
    practitioner_a.is_active = False
    practitioner_a.save(update_fields=["is_active"])
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/people/?name=A").status_code == 401


def test_token_requests_make_no_session_and_set_no_cookie(practitioner_a, person_a):
    api = Client(headers={"Authorization": f"Bearer {token_for(practitioner_a)}"})
    sessions = Session.objects.count()
    response = api.get(f"/api/people/{person_a.pk}/")
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == sessions
    # It holds personal data: no browser or proxy keeps it.
    assert response["Cache-Control"] == "no-store"


def test_the_token_remembers_when_it_was_last_used(practitioner_a):
    token = token_for(practitioner_a)
    assert ApiToken.objects.get().last_used_at is None
    Client(headers={"Authorization": f"Bearer {token}"}).get("/api/people/?name=A")
    assert ApiToken.objects.get().last_used_at is not None


def test_your_account_links_to_the_tokens(practitioner_a_client):
    page = practitioner_a_client.get(reverse("accounts:account")).content.decode()
    assert reverse("api:tokens") in page
