"""Handing a register entry to another named professional (000 Appendix C: every
case on the register is allocated to a named professional; staff move on)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.audit.models import AuditAction, AuditEvent
from marm.decisions.models import Decision
from marm.notifications.models import Notification
from marm.organisations.models import Membership, Role
from marm.register.duty import contact_alert_acknowledge
from marm.register.models import NamedProfessionalChange, RegisterEntry
from marm.register.services import register_entry_remove, register_named_professional_change
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_a(practitioner_a, team_a):
    colleague = UserFactory(agency=practitioner_a.agency, roles=[Role.PRACTITIONER])
    Membership.objects.get_or_create(user=colleague, team=team_a, defaults={"role": Role.PRACTITIONER})
    return colleague


def _change(acting_user, entry, to, reason="Named professional leaves the team on Friday"):
    return register_named_professional_change(
        acting_user=acting_user, entry=entry, named_professional=to, reason=reason
    )


def test_the_entry_goes_to_the_new_professional_and_the_history_keeps_who_held_it(
    entry_a, manager_a, practitioner_a, colleague_a
):
    change = _change(manager_a, entry_a, colleague_a)
    entry_a.refresh_from_db()
    assert entry_a.named_professional == colleague_a
    assert (change.previous, change.named_professional, change.changed_by) == (practitioner_a, colleague_a, manager_a)
    assert change.reason == "Named professional leaves the team on Friday"
    decision = Decision.objects.filter(person=entry_a.person).order_by("-recorded_at").first()
    assert "changed from" in decision.summary
    assert set(decision.participants.all()) == {manager_a, practitioner_a, colleague_a}
    assert AuditEvent.objects.filter(
        object_type="register.registerentry", object_id=str(entry_a.pk), action=AuditAction.UPDATE
    ).exists()


def test_the_new_professional_is_told_at_once(entry_a, manager_a, colleague_a):
    _change(manager_a, entry_a, colleague_a)
    told = Notification.objects.get(recipient=colleague_a, kind="register_named_professional")
    assert str(entry_a.pk) in told.link
    # The notice names no one: it may be read on a shared screen or by e-mail.
    assert entry_a.person.family_name not in told.title


def test_alerts_still_waiting_go_to_the_new_professional_who_may_acknowledge_them(
    alert_a, manager_a, practitioner_a, colleague_a
):
    _change(manager_a, alert_a.entry, colleague_a)
    alert_a.refresh_from_db()
    assert alert_a.recipient == colleague_a
    assert Notification.objects.filter(recipient=colleague_a, kind="register_contact").exists()
    # The former named professional no longer answers for it.
    with pytest.raises(PermissionDenied):
        contact_alert_acknowledge(acting_user=practitioner_a, alert=alert_a)
    acknowledged = contact_alert_acknowledge(acting_user=colleague_a, alert=alert_a)
    assert acknowledged.acknowledged_by == colleague_a


def test_an_acknowledged_alert_keeps_who_it_went_to(alert_a, manager_a, practitioner_a, colleague_a):
    contact_alert_acknowledge(acting_user=practitioner_a, alert=alert_a)
    _change(manager_a, alert_a.entry, colleague_a)
    alert_a.refresh_from_db()
    assert alert_a.recipient == practitioner_a


@pytest.mark.parametrize(
    "to, reason, field",
    [
        ("same", "Swap", "named_professional"),
        ("other_agency", "Swap", "named_professional"),
        ("colleague", "   ", "reason"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    entry_a, manager_a, practitioner_a, colleague_a, police_b, to, reason, field
):
    target = {"same": practitioner_a, "other_agency": police_b, "colleague": colleague_a}[to]
    decisions, audits = Decision.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _change(manager_a, entry_a, target, reason=reason)
    assert field in refused.value.message_dict
    entry_a.refresh_from_db()
    assert entry_a.named_professional == practitioner_a
    assert not NamedProfessionalChange.objects.exists()
    assert (Decision.objects.count(), AuditEvent.objects.count()) == (decisions, audits)


def test_only_managers_and_supervisors_of_the_team_change_it(entry_a, practitioner_a, colleague_a, duty_a):
    for user in (practitioner_a, duty_a):
        with pytest.raises(PermissionDenied):
            _change(user, entry_a, colleague_a)
    assert RegisterEntry.objects.get(pk=entry_a.pk).named_professional == practitioner_a


def test_supervisors_may_change_it(entry_a, supervisor_a, colleague_a):
    _change(supervisor_a, entry_a, colleague_a)
    assert RegisterEntry.objects.get(pk=entry_a.pk).named_professional == colleague_a


def test_an_entry_taken_off_the_register_is_not_handed_on(entry_a, manager_a, colleague_a):
    register_entry_remove(acting_user=manager_a, entry=entry_a, reason="Risk now managed by the GP practice")
    with pytest.raises(ValidationError):
        _change(manager_a, entry_a, colleague_a)


def test_a_manager_changes_the_named_professional_from_the_entry_page(client_for, entry_a, manager_a, colleague_a):
    from django.urls import reverse
    from django.utils.html import escape

    client = client_for(manager_a)
    entry_url = reverse("register:entry", kwargs={"entry_pk": entry_a.pk})
    change_url = reverse("register:named-professional", kwargs={"entry_pk": entry_a.pk})
    assert change_url in client.get(entry_url).content.decode()
    refused = client.post(change_url, {"named_professional": colleague_a.pk, "reason": " "})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert "Say why the named professional is changing" in refused.content.decode()
    assert RegisterEntry.objects.get(pk=entry_a.pk).named_professional != colleague_a
    done = client.post(change_url, {"named_professional": colleague_a.pk, "reason": "Caseload rebalanced"})
    assert done.status_code == 302 and done.url == entry_url
    page = client.get(entry_url).content.decode()
    assert escape(colleague_a.full_name) in page
    assert "Named professionals before" in page
    assert "Caseload rebalanced" in page


def test_practitioners_see_no_change_link(client_for, entry_a, practitioner_a):
    from django.urls import reverse

    page = client_for(practitioner_a).get(reverse("register:entry", kwargs={"entry_pk": entry_a.pk}))
    assert reverse("register:named-professional", kwargs={"entry_pk": entry_a.pk}) not in page.content.decode()
