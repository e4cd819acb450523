"""The administration pages: for administrators (managers decide requests), each after a recent
confirmation of identity, each a service that users notice at once."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from marm.accounts.two_factor import AUTHENTICATED_AT_KEY
from marm.administration.models import RequestOutcome, RoleRequest
from marm.audit.models import AuditAction, AuditEvent
from marm.audit.verify import verify_chain
from marm.organisations.models import Membership, Role
from tests.factories import TEST_PASSWORD
from tests.twofactor import next_code

pytestmark = pytest.mark.django_db


def _url(name, user, **kwargs):
    return reverse(f"administration:{name}", kwargs={"user_id": user.pk, **kwargs})


def _sign_in(user) -> Client:
    """A real sign-in, with both factors, so the session is recorded as the user's."""
    client = Client()
    response = client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    response = client.post("/sign-in/code/", {"code": next_code(user), "next": "/"})
    assert response["Location"] == "/"
    return client


def test_A7_deactivating_a_user_ends_all_their_sessions(client_for, administrator, practitioner_a):
    laptop, phone = _sign_in(practitioner_a), _sign_in(practitioner_a)
    assert laptop.get("/").status_code == 200 and phone.get("/").status_code == 200
    admin = client_for(administrator)
    page = admin.get(_url("user", practitioner_a)).content.decode()
    assert "2 open sessions" in page
    response = admin.post(_url("deactivate", practitioner_a), {"reason": "Left the agency"})
    assert response["Location"] == _url("user", practitioner_a)
    for client in (laptop, phone):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    practitioner_a.refresh_from_db()
    assert not practitioner_a.is_active
    ended = AuditEvent.objects.get(action=AuditAction.SESSION_END, object_id=str(practitioner_a.pk))
    assert ended.actor_user == administrator and ended.detail["sessions"] == 2
    # And a deactivated account cannot sign in again.
    again = Client().post("/sign-in/", {"username": practitioner_a.email, "password": TEST_PASSWORD})
    assert again.status_code == 200


def test_ending_all_sessions_signs_every_browser_out(client_for, administrator, practitioner_a):
    laptop = _sign_in(practitioner_a)
    client_for(administrator).post(_url("sessions-end", practitioner_a), {"reason": "Lost laptop"})
    assert laptop.get("/")["Location"].startswith("/sign-in/")
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active


def test_Z5_a_removed_role_takes_effect_on_the_next_request(client_for, administrator, practitioner_a, person_a):
    practitioner = client_for(practitioner_a)
    person_url = reverse("people:detail", kwargs={"pk": person_a.pk})
    assert practitioner.get(person_url).status_code == 200
    membership = practitioner_a.memberships.get()
    response = client_for(administrator).post(
        _url("role-remove", practitioner_a, membership_id=membership.pk), {"reason": "Moved to another agency"}
    )
    assert response.status_code == 302
    assert practitioner.get(person_url).status_code == 404


def test_a_reset_second_factor_makes_the_user_set_up_an_app_at_next_sign_in(client_for, administrator, practitioner_a):
    client_for(administrator).post(_url("second-factor-reset", practitioner_a), {"reason": "Lost phone"})
    client = Client()
    response = client.post("/sign-in/", {"username": practitioner_a.email, "password": TEST_PASSWORD})
    assert client.get(response["Location"])["Location"].startswith("/sign-in/set-up/")
    assert client.get("/")["Location"].startswith("/sign-in/set-up/")


def _reset_link(client_for, administrator, user, capture) -> str:
    with capture(execute=True):
        response = client_for(administrator).post(_url("password-reset-send", user))
    assert response.status_code == 302
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/password-reset/\S+)", message.body)[1]


def test_a_password_reset_link_sets_a_password_once(
    client_for, administrator, practitioner_a, django_capture_on_commit_callbacks
):
    link = _reset_link(client_for, administrator, practitioner_a, django_capture_on_commit_callbacks)
    anyone = Client()
    assert "Set your password" in anyone.get(link).content.decode()
    mismatch = anyone.post(link, {"new_password": "brass-kettle-meadow-41", "new_password_again": "other"})
    assert "There is a problem" in mismatch.content.decode()
    weak = anyone.post(link, {"new_password": "password", "new_password_again": "password"})
    assert "There is a problem" in weak.content.decode()
    done = anyone.post(link, {"new_password": "brass-kettle-meadow-41", "new_password_again": "brass-kettle-meadow-41"})
    assert "Your password has been set" in done.content.decode()
    practitioner_a.refresh_from_db()
    assert practitioner_a.check_password("brass-kettle-meadow-41")
    row = AuditEvent.objects.filter(action=AuditAction.CREDENTIALS).latest("seq")
    assert row.actor_user == practitioner_a and row.detail["change"] == "password set through a reset link"
    # The link works once.
    assert "This link does not work" in anyone.get(link).content.decode()
    anyone.post(link, {"new_password": "copper-lantern-harbour-7", "new_password_again": "copper-lantern-harbour-7"})
    practitioner_a.refresh_from_db()
    assert practitioner_a.check_password("brass-kettle-meadow-41")
    assert verify_chain().ok


def test_a_made_up_reset_link_does_not_work(client):
    assert "This link does not work" in client.get("/password-reset/MQ/abc-123/").content.decode()


def test_administration_pages_need_a_recent_confirmation(client_for, administrator, practitioner_a):
    client = client_for(administrator)
    session = client.session
    session[AUTHENTICATED_AT_KEY] = time.time() - 3600
    session.save()
    for url in (reverse("administration:users"), _url("user", practitioner_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/confirm/?next=")
    response = client.post(_url("deactivate", practitioner_a), {"reason": "Left"})
    assert response["Location"].startswith("/account/confirm/")
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active


def test_only_administrators_reach_administration_and_only_managers_the_requests(
    client_for, administrator, manager_a, practitioner_a, board_officer
):
    for user in (manager_a, practitioner_a, board_officer):
        client = client_for(user)
        assert client.get(reverse("administration:users")).status_code == 403
        assert client.post(_url("deactivate", administrator)).status_code == 403
    administrator.refresh_from_db()
    assert administrator.is_active
    assert client_for(administrator).get(reverse("administration:requests")).status_code == 403
    assert client_for(manager_a).get(reverse("administration:requests")).status_code == 200


def test_the_users_list_finds_by_name_or_email_and_agency(client_for, administrator, practitioner_a, police_b):
    client = client_for(administrator)
    page = client.get(reverse("administration:users"), {"q": practitioner_a.email[:8]}).content.decode()
    assert practitioner_a.email in page and police_b.email not in page
    page = client.get(reverse("administration:users"), {"agency": police_b.agency_id}).content.decode()
    assert police_b.email in page and practitioner_a.email not in page


def test_a_people_role_asked_for_on_the_page_is_given_when_a_manager_agrees(
    client_for, administrator, manager_a, newcomer, team_a
):
    admin = client_for(administrator)
    response = admin.post(
        _url("role-add", newcomer), {"team": team_a.pk, "role": Role.PRACTITIONER, "reason": "Joins the team"}
    )
    assert response.status_code == 302
    request = RoleRequest.objects.get(user=newcomer)
    assert not Membership.objects.filter(user=newcomer).exists()
    assert "Waiting for a manager" in admin.get(_url("user", newcomer)).content.decode()
    manager = client_for(manager_a)
    assert escape(newcomer.full_name) in manager.get(reverse("administration:requests")).content.decode()
    decide = reverse("administration:request-decide", kwargs={"request_id": request.pk})
    assert manager.post(decide, {"decision": "agree"}).status_code == 302
    request.refresh_from_db()
    assert request.outcome == RequestOutcome.AGREED
    assert Membership.objects.filter(user=newcomer, role=Role.PRACTITIONER).exists()


def test_a_manager_of_another_agency_cannot_open_the_request(
    client_for, administrator, manager_a, manager_b, newcomer, team_a
):
    from marm.administration.services import role_request

    request = role_request(
        acting_user=administrator, user=newcomer, team=team_a, role=Role.PRACTITIONER, reason="Joins"
    )
    decide = reverse("administration:request-decide", kwargs={"request_id": request.pk})
    client = client_for(manager_b)
    assert client.get(decide).status_code == 404
    assert client.post(decide, {"decision": "agree"}).status_code == 404
    assert newcomer.full_name not in client.get(reverse("administration:requests")).content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_refused_action_on_the_page_is_explained_and_leaves_no_rows(client_for, administrator, team_a):
    before = (Membership.objects.count(), AuditEvent.objects.count())
    response = client_for(administrator).post(
        _url("role-add", administrator), {"team": team_a.pk, "role": Role.BOARD_OFFICER}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "your own" in body
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_adding_a_user_on_the_page(client_for, administrator, agency_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("administration:user-new"),
            {"full_name": "Tomasz Nowak", "email": "tomasz.nowak@a.example.org", "agency": agency_a.pk},
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["tomasz.nowak@a.example.org"]


def test_the_administrators_home_links_to_the_administration_pages(client_for, administrator):
    page = client_for(administrator).get("/").content.decode()
    assert reverse("administration:users") in page


def test_the_menu_takes_an_administrator_to_administration_and_no_one_else(client_for, administrator, practitioner_a):
    link = f'href="{reverse("administration:users")}"'
    page = client_for(administrator).get(reverse("dashboards:home")).content.decode()
    assert link in page and ">Administration</a>" in page
    assert link not in client_for(practitioner_a).get(reverse("dashboards:home")).content.decode()
