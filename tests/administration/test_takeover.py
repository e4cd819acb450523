"""The finding: an administrator took over access through the Django admin, unseen. Users and
roles are now view-only there; agencies and teams stay, and their changes are audited."""

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.audit.verify import verify_chain
from marm.organisations.models import Agency, Membership, Role, Team
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_give_themselves_a_practitioner_role_in_the_django_admin(
    client_for, administrator, team_a, person_a
):
    client = client_for(administrator)
    before = Membership.objects.count()
    response = client.post(
        f"/admin/accounts/user/{administrator.pk}/change/",
        {
            "email": administrator.email,
            "full_name": administrator.full_name,
            "agency": administrator.agency_id,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-team": team_a.pk,
            "memberships-0-role": Role.PRACTITIONER,
        },
    )
    assert response.status_code == 403
    # Through the team's page the role inline is read-only: a posted role is ignored.
    client.post(
        f"/admin/organisations/team/{team_a.pk}/change/",
        {
            "name": team_a.name,
            "agency": team_a.agency_id,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": administrator.pk,
            "memberships-0-role": Role.PRACTITIONER,
        },
    )
    assert Membership.objects.count() == before
    assert not Membership.objects.filter(user=administrator, role=Role.PRACTITIONER).exists()
    assert client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).status_code == 404


def test_an_administrator_cannot_set_another_users_password_in_the_django_admin(
    client_for, administrator, practitioner_a
):
    client = client_for(administrator)
    url = f"/admin/accounts/user/{practitioner_a.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "a-new-password-chosen", "password2": "a-new-password-chosen"})
    assert response.status_code == 403
    practitioner_a.refresh_from_db()
    assert practitioner_a.check_password(TEST_PASSWORD)


def test_users_cannot_be_added_or_changed_in_the_django_admin(client_for, administrator, practitioner_a):
    client = client_for(administrator)
    assert client.get("/admin/accounts/user/add/").status_code == 403
    response = client.post(
        f"/admin/accounts/user/{practitioner_a.pk}/change/",
        {"email": practitioner_a.email, "full_name": "Someone Else", "agency": practitioner_a.agency_id},
    )
    assert response.status_code == 403
    practitioner_a.refresh_from_db()
    assert practitioner_a.full_name != "Someone Else"


def test_the_django_admins_user_page_points_to_marms_administration_page(client_for, administrator, practitioner_a):
    page = client_for(administrator).get(f"/admin/accounts/user/{practitioner_a.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("administration:user", kwargs={"user_id": practitioner_a.pk}) in body
    assert "password/" not in body


def test_agency_and_team_changes_in_the_django_admin_are_audited(client_for, administrator, agency_b):
    client = client_for(administrator)
    response = client.post(
        f"/admin/organisations/agency/{agency_b.pk}/change/",
        {
            "name": "Shire Constabulary",
            "kind": agency_b.kind,
            "ods_code": "",
            "teams-TOTAL_FORMS": "1",
            "teams-INITIAL_FORMS": "0",
            "teams-0-name": "Vulnerability unit",
        },
    )
    assert response.status_code == 302
    agency_b.refresh_from_db()
    assert agency_b.name == "Shire Constabulary"
    changed = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="organisations.agency")
    assert changed.actor_user == administrator
    assert changed.detail["before"] == {"name": "Shire Police"}
    assert changed.detail["after"] == {"name": "Shire Constabulary"}
    team = Team.objects.get(agency=agency_b, name="Vulnerability unit")
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="organisations.team")
    assert created.object_id == str(team.pk)
    assert created.detail["after"]["name"] == "Vulnerability unit"
    assert verify_chain().ok


def test_adding_an_agency_in_the_django_admin_is_audited(client_for, administrator):
    client_for(administrator).post(
        "/admin/organisations/agency/add/",
        {
            "name": "New Trust",
            "kind": "nhs_trust",
            "ods_code": "RX1",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    agency = Agency.objects.get(name="New Trust")
    row = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="organisations.agency")
    assert row.object_id == str(agency.pk)
    assert row.detail["after"]["ods_code"] == "RX1"
