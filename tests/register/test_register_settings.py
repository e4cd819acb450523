"""A team sets its own wait before an unacknowledged contact alert goes to its supervisors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.register.models import RegisterSettings
from marm.register.reminders import sweep_alerts_unacknowledged
from marm.register.services import register_settings_update

pytestmark = pytest.mark.django_db


@override_settings(MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES=60)
def test_a_team_with_a_shorter_wait_is_escalated_sooner(alert_a, manager_a, team_a):
    register_settings_update(acting_user=manager_a, team=team_a, acknowledge_within_minutes=15)
    assert sweep_alerts_unacknowledged(alert_a.created_at + datetime.timedelta(minutes=14)) == 0
    assert sweep_alerts_unacknowledged(alert_a.created_at + datetime.timedelta(minutes=16)) == 1


@override_settings(MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES=60)
def test_a_team_with_a_longer_wait_is_not_escalated_at_the_installations_time(alert_a, manager_a, team_a):
    register_settings_update(acting_user=manager_a, team=team_a, acknowledge_within_minutes=120)
    assert sweep_alerts_unacknowledged(alert_a.created_at + datetime.timedelta(minutes=61)) == 0
    assert sweep_alerts_unacknowledged(alert_a.created_at + datetime.timedelta(minutes=121)) == 1


@override_settings(MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES=60)
def test_clearing_the_setting_returns_to_the_installations_wait(alert_a, manager_a, team_a):
    register_settings_update(acting_user=manager_a, team=team_a, acknowledge_within_minutes=120)
    register_settings_update(acting_user=manager_a, team=team_a, acknowledge_within_minutes=None)
    assert not RegisterSettings.objects.filter(team=team_a).exists()
    assert sweep_alerts_unacknowledged(alert_a.created_at + datetime.timedelta(minutes=61)) == 1
    changes = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="organisations.team")
    assert [e.detail["acknowledge_within_minutes"] for e in changes.order_by("pk")] == [[None, 120], [120, None]]


@pytest.mark.parametrize("minutes", [0, 4, 1441])
def test_a_wait_outside_five_minutes_to_a_day_is_refused(manager_a, team_a, minutes):
    with pytest.raises(ValidationError) as refused:
        register_settings_update(acting_user=manager_a, team=team_a, acknowledge_within_minutes=minutes)
    assert "acknowledge_within_minutes" in refused.value.message_dict
    assert not RegisterSettings.objects.exists()


def test_only_the_teams_managers_and_supervisors_set_it(practitioner_a, duty_a, team_a):
    for user in (practitioner_a, duty_a):
        with pytest.raises(PermissionDenied):
            register_settings_update(acting_user=user, team=team_a, acknowledge_within_minutes=30)
    assert not RegisterSettings.objects.exists()


def test_the_settings_page_from_the_register(client_for, manager_a, team_a, police_b):
    client = client_for(manager_a)
    url = reverse("register:settings", kwargs={"team_id": team_a.pk})
    assert url in client.get(reverse("register:list")).content.decode()
    refused = client.post(url, {"acknowledge_within_minutes": "2"})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert "Enter at least 5 minutes" in refused.content.decode()
    saved = client.post(url, {"acknowledge_within_minutes": "20"})
    assert saved.status_code == 302
    assert RegisterSettings.objects.get(team=team_a).acknowledge_within_minutes == 20
    assert 'value="20"' in client.get(url).content.decode()


def test_another_agencys_team_is_not_found(client_for, team_a, agency_b):
    from marm.organisations.models import Role
    from tests.factories import UserFactory

    manager_b = UserFactory(agency=agency_b, roles=[Role.MANAGER])
    assert client_for(manager_b).get(reverse("register:settings", kwargs={"team_id": team_a.pk})).status_code == 404
