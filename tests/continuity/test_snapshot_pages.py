"""The outage snapshot pages, as each persona: the duty desk downloads its team's latest snapshot,
the manager reads and changes the passphrase, and no one else reaches either."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.continuity import crypto
from marm.continuity.models import Snapshot
from marm.continuity.services import snapshot_make
from marm.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_a(team_a, register_a):
    return snapshot_make(team=team_a, now=timezone.now() - datetime.timedelta(hours=3))


def _download(team):
    return reverse("continuity:download", kwargs={"team_id": team.pk})


def _passphrase(team):
    return reverse("continuity:passphrase", kwargs={"team_id": team.pk})


def test_a_duty_officer_sees_the_age_and_fingerprint_and_downloads_the_snapshot(client_for, duty_a, team_a, snapshot_a):
    client = client_for(duty_a)
    page = client.get(reverse("continuity:list")).content.decode()
    assert "3 hours old" in page
    assert crypto.fingerprint() in page
    assert _download(team_a) in page
    assert _passphrase(team_a) not in page, "the passphrase is the manager's to hand out"
    response = client.get(_download(team_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="marm-snapshot-team-')
    assert b"".join(response) == bytes(snapshot_a.content)
    row = AuditEvent.objects.filter(actor_user=duty_a, action=AuditAction.EXPORT).get()
    assert row.object_id == str(snapshot_a.pk) and row.detail["sha256"] == snapshot_a.sha256


def test_an_overdue_snapshot_is_marked_on_the_page(client_for, duty_a, team_a, register_a):
    snapshot_make(team=team_a, now=timezone.now() - datetime.timedelta(hours=7))
    page = client_for(duty_a).get(reverse("continuity:list")).content.decode()
    assert "7 hours old" in page and "Overdue" in page


def test_a_manager_reads_the_passphrase_audited_and_changes_it(client_for, manager_a, team_a, snapshot_a):
    client = client_for(manager_a)
    page = client.get(_passphrase(team_a)).content.decode()
    assert crypto.team_passphrase(team_a.pk, 1) in page
    assert AuditEvent.objects.filter(
        actor_user=manager_a, action=AuditAction.VIEW, object_type="continuity.passphrase"
    ).exists()
    empty = client.post(_passphrase(team_a), {"reason": ""})
    assert "Say why the passphrase is changing" in empty.content.decode()
    response = client.post(_passphrase(team_a), {"reason": "A duty officer left the team"})
    assert response.status_code == 302
    assert crypto.team_passphrase(team_a.pk, 2) in client.get(_passphrase(team_a)).content.decode()


def test_a_duty_officer_may_not_read_the_passphrase(client_for, duty_a, team_a, snapshot_a):
    assert client_for(duty_a).get(_passphrase(team_a)).status_code == 403


def test_a_practitioner_of_the_team_has_no_snapshot_to_download(client_for, practitioner_a, team_a, snapshot_a):
    client = client_for(practitioner_a)
    assert "You are not a duty officer or a manager" in client.get(reverse("continuity:list")).content.decode()
    assert client.get(_download(team_a)).status_code == 404
    assert not AuditEvent.objects.filter(actor_user=practitioner_a, action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("persona", ["police_b", "gp_c"])
def test_another_agency_gets_404_for_the_snapshot_and_passphrase(request, client_for, persona, team_a, snapshot_a):
    user = request.getfixturevalue(persona)
    # A duty officer and a manager in their own agency: still not this team's.
    for role in (Role.DUTY_OFFICER, Role.MANAGER):
        Membership.objects.create(user=user, team=user.memberships.first().team, role=role)
    client = client_for(user)
    for url in (_download(team_a), _passphrase(team_a)):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Thornbury" not in response.content
    assert not AuditEvent.objects.filter(actor_user=user, action=AuditAction.EXPORT).exists()


def test_a_team_without_a_snapshot_yet_gives_404(client_for, duty_a, team_a, register_a):
    client = client_for(duty_a)
    assert "None made yet" in client.get(reverse("continuity:list")).content.decode()
    assert client.get(_download(team_a)).status_code == 404
    assert not Snapshot.objects.exists()


def test_the_menu_links_to_the_snapshots_for_duty_officers_and_managers_only(
    client_for, duty_a, manager_a, practitioner_a
):
    for user, shown in ((duty_a, True), (manager_a, True), (practitioner_a, False)):
        page = client_for(user).get(reverse("dashboards:home")).content.decode()
        assert ('href="/continuity/"' in page) is shown, user.email
