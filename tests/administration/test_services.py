"""Administration through audited services: who may do what, two people for a role that sees
adults, managers told, and every change in the hash-chained audit with before and after."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from marm.accounts import two_factor
from marm.administration import services
from marm.administration.models import RequestOutcome, RoleRequest
from marm.audit.models import AuditAction, AuditEvent
from marm.audit.verify import verify_chain
from marm.notifications.models import Notification
from marm.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db


def _rows(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_an_administrator_cannot_give_themselves_any_role(administrator, team_a):
    before = (Membership.objects.count(), RoleRequest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="your own"):
        services.membership_grant(acting_user=administrator, user=administrator, team=team_a, role=Role.BOARD_OFFICER)
    with pytest.raises(ValidationError, match="your own"):
        services.role_request(
            acting_user=administrator, user=administrator, team=team_a, role=Role.PRACTITIONER, reason="Cover"
        )
    assert (Membership.objects.count(), RoleRequest.objects.count(), AuditEvent.objects.count()) == before


def test_only_an_administrator_administers(manager_a, practitioner_a, newcomer, team_a):
    for acting_user in (manager_a, practitioner_a):
        with pytest.raises(ValidationError, match="Only an administrator"):
            services.membership_grant(acting_user=acting_user, user=newcomer, team=team_a, role=Role.BOARD_OFFICER)
        with pytest.raises(ValidationError, match="Only an administrator"):
            services.user_deactivate(acting_user=acting_user, user=newcomer)
        with pytest.raises(ValidationError, match="Only an administrator"):
            services.password_reset_send(acting_user=acting_user, user=newcomer)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_role_is_held_only_in_a_team_of_the_users_own_agency(administrator, newcomer, team_b):
    with pytest.raises(ValidationError) as refused:
        services.membership_grant(acting_user=administrator, user=newcomer, team=team_b, role=Role.BOARD_OFFICER)
    assert refused.value.message_dict == {"team": ["Choose a team in the user's own agency"]}
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_role_that_sees_no_adult_is_given_directly_and_managers_are_told(administrator, manager_a, newcomer, team_a):
    membership = services.membership_grant(
        acting_user=administrator, user=newcomer, team=team_a, role=Role.BOARD_OFFICER
    )
    assert membership.role == Role.BOARD_OFFICER
    (row,) = _rows(AuditAction.GRANT)
    assert row.actor_user == administrator
    assert row.detail["user"] == newcomer.pk and row.detail["email"] == newcomer.email
    assert row.detail["before"] == []
    assert row.detail["after"] == [{"team": team_a.pk, "role": "board_officer"}]
    told = Notification.objects.get(recipient=manager_a)
    assert "board officer" in told.title
    assert verify_chain().ok


def test_a_role_that_sees_adults_is_given_only_after_a_manager_agrees(
    administrator, second_administrator, manager_a, newcomer, team_a
):
    with pytest.raises(ValidationError, match="manager of the agency to agree"):
        services.membership_grant(acting_user=administrator, user=newcomer, team=team_a, role=Role.PRACTITIONER)
    request = services.role_request(
        acting_user=administrator, user=newcomer, team=team_a, role=Role.PRACTITIONER, reason="Joins the team"
    )
    assert not Membership.objects.filter(user=newcomer).exists()
    # The agency's manager is asked.
    assert Notification.objects.filter(recipient=manager_a, key=f"role-request:{request.pk}").exists()
    # Neither the administrator who asked nor another administrator can agree.
    for refused in (administrator, second_administrator):
        with pytest.raises(ValidationError):
            services.role_request_decide(acting_user=refused, role_request=request, agree=True)
    assert not Membership.objects.filter(user=newcomer).exists()

    services.role_request_decide(acting_user=manager_a, role_request=request, agree=True)
    request.refresh_from_db()
    assert request.outcome == RequestOutcome.AGREED and request.decided_by == manager_a
    assert Membership.objects.filter(user=newcomer, team=team_a, role=Role.PRACTITIONER).exists()
    (grant,) = _rows(AuditAction.GRANT)
    assert grant.actor_user == manager_a
    assert grant.detail["requested_by"] == administrator.pk
    assert grant.detail["after"] == [{"team": team_a.pk, "role": "practitioner"}]
    # The administrator who asked hears of the decision.
    assert Notification.objects.filter(recipient=administrator, key=f"role-request-decided:{request.pk}").exists()
    assert verify_chain().ok


def test_a_manager_of_another_agency_cannot_agree(administrator, manager_a, manager_b, newcomer, team_a):
    request = services.role_request(
        acting_user=administrator, user=newcomer, team=team_a, role=Role.MANAGER, reason="New team manager"
    )
    with pytest.raises(ValidationError, match="Only a manager of the agency"):
        services.role_request_decide(acting_user=manager_b, role_request=request, agree=True)
    request.refresh_from_db()
    assert request.is_pending
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not Notification.objects.filter(recipient=manager_b).exists()


def test_a_manager_cannot_agree_to_a_role_for_themselves(administrator, manager_a, agency_a, team_a):
    from tests.factories import TeamFactory, UserFactory

    UserFactory(email="manager2@a.example.org", agency=agency_a, roles=[Role.MANAGER])
    other_team = TeamFactory(agency=agency_a, name="Hospital discharge")
    request = services.role_request(
        acting_user=administrator, user=manager_a, team=other_team, role=Role.PRACTITIONER, reason="Covers"
    )
    with pytest.raises(ValidationError, match="This role is for you"):
        services.role_request_decide(acting_user=manager_a, role_request=request, agree=True)
    assert not Membership.objects.filter(user=manager_a, team=other_team).exists()
    # The subject is not asked to decide their own request.
    assert not Notification.objects.filter(recipient=manager_a, key=f"role-request:{request.pk}").exists()


def test_declining_needs_a_reason_and_gives_nothing(administrator, manager_a, newcomer, team_a):
    request = services.role_request(
        acting_user=administrator, user=newcomer, team=team_a, role=Role.AUDITOR, reason="Audit work"
    )
    with pytest.raises(ValidationError):
        services.role_request_decide(acting_user=manager_a, role_request=request, agree=False, reason="")
    request.refresh_from_db()
    assert request.is_pending
    services.role_request_decide(acting_user=manager_a, role_request=request, agree=False, reason="Not in post yet")
    request.refresh_from_db()
    assert request.outcome == RequestOutcome.DECLINED
    assert not Membership.objects.filter(user=newcomer).exists()
    with pytest.raises(ValidationError, match="already been declined"):
        services.role_request_decide(acting_user=manager_a, role_request=request, agree=True)


def test_removing_a_role_is_audited_and_managers_are_told(administrator, manager_a, practitioner_a):
    membership = practitioner_a.memberships.get()
    services.membership_remove(acting_user=administrator, membership=membership, reason="Moved team")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    (row,) = _rows(AuditAction.REVOKE)
    assert row.detail["before"] == [{"team": membership.team_id, "role": "practitioner"}]
    assert row.detail["after"] == []
    assert row.detail["reason"] == "Moved team"
    assert Notification.objects.filter(recipient=manager_a, kind="administration").exists()
    assert verify_chain().ok


def test_creating_a_user_sets_no_password_and_emails_a_link(
    administrator, agency_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            acting_user=administrator,
            full_name="Priya Raman",
            email="Priya.Raman@a.example.org",
            agency=agency_a,
            job_title="Social worker",
        )
    assert user.email == "priya.raman@a.example.org"
    assert not user.has_usable_password()
    (row,) = _rows(AuditAction.CREATE)
    assert row.detail["before"] is None and row.detail["after"]["full_name"] == "Priya Raman"
    (message,) = mail.outbox
    assert message.to == ["priya.raman@a.example.org"]
    assert "/password-reset/" in message.body


def test_a_failed_create_leaves_no_rows_and_sends_nothing(
    administrator, practitioner_a, agency_a, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    users, audit = get_user_model().objects.count(), AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.user_create(acting_user=administrator, full_name="Copy", email=practitioner_a.email, agency=agency_a)
    assert (get_user_model().objects.count(), AuditEvent.objects.count()) == (users, audit)
    assert mail.outbox == []


def test_deactivating_and_activating_are_audited_with_before_and_after(administrator, practitioner_a):
    services.user_deactivate(acting_user=administrator, user=practitioner_a, reason="Left the agency")
    practitioner_a.refresh_from_db()
    assert not practitioner_a.is_active
    services.user_activate(acting_user=administrator, user=practitioner_a, reason="Came back")
    practitioner_a.refresh_from_db()
    assert practitioner_a.is_active
    off, on = _rows(AuditAction.UPDATE)
    assert (off.detail["before"]["is_active"], off.detail["after"]["is_active"]) == (True, False)
    assert (on.detail["before"]["is_active"], on.detail["after"]["is_active"]) == (False, True)
    assert off.object_id == str(practitioner_a.pk) and off.actor_user == administrator
    assert verify_chain().ok


def test_an_administrator_cannot_deactivate_or_reset_themselves(administrator):
    for service in (services.user_deactivate, services.password_reset_send, services.second_factor_reset):
        with pytest.raises(ValidationError, match="your own"):
            service(acting_user=administrator, user=administrator)
    administrator.refresh_from_db()
    assert administrator.is_active and two_factor.has_second_factor(administrator)


def test_a_password_reset_link_is_emailed_and_audited_and_the_password_is_not_changed(
    administrator, practitioner_a, django_capture_on_commit_callbacks
):
    from tests.factories import TEST_PASSWORD

    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_send(acting_user=administrator, user=practitioner_a)
    (row,) = _rows(AuditAction.CREDENTIALS)
    assert row.actor_user == administrator and row.detail["user"] == practitioner_a.pk
    assert row.detail["after"]["reset_link"] == "sent"
    (message,) = mail.outbox
    assert message.to == [practitioner_a.email]
    # The link is only in the e-mail: not in the audit row, not in a notification.
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    assert link not in str(row.detail)
    assert not Notification.objects.filter(link__contains="password-reset").exists()
    practitioner_a.refresh_from_db()
    assert practitioner_a.check_password(TEST_PASSWORD)


def test_a_second_factor_reset_removes_the_app_and_is_audited(administrator, practitioner_a):
    assert two_factor.has_second_factor(practitioner_a)
    services.second_factor_reset(acting_user=administrator, user=practitioner_a, reason="Lost phone")
    assert not two_factor.has_second_factor(practitioner_a)
    row = AuditEvent.objects.get(action=AuditAction.CREDENTIALS)
    assert row.detail["before"]["authenticator_app"] == "set up"
    assert row.detail["after"]["authenticator_app"] == "not set up"
    assert verify_chain().ok
