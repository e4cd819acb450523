"""The retention pages as each persona sees them: the list of what is due, the rules, and the legal
holds on a case and on a person (another agency's user gets 404, as for anything they may not see)."""

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.organisations.models import Role
from marm.retention import jobs
from marm.retention.models import LegalHold, RecordKind, RetentionRule
from marm.retention.services import legal_hold_place
from tests.factories import UserFactory
from tests.retention.conftest import backdate, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(closed_case, now):
    backdate(closed_case, "closed", years_ago(now, 7))
    jobs.due_list_refresh(now)
    return closed_case


def test_an_auditor_sees_what_is_due_with_the_references_of_their_agency_s_cases(client_for, auditor_a, listed):
    page = client_for(auditor_a).get(reverse("retention:due")).content.decode()
    assert listed.reference in page
    assert "Thornbury" not in page
    assert AuditEvent.objects.filter(actor_user=auditor_a, action=AuditAction.SEARCH, detail__ids=[str(listed.pk)])


def test_an_auditor_of_another_agency_sees_the_count_but_not_the_reference(client_for, gp_c, listed):
    auditor_c = UserFactory(agency=gp_c.agency, roles=[Role.AUDITOR])
    page = client_for(auditor_c).get(reverse("retention:due")).content.decode()
    assert listed.reference not in page
    assert "A case your agency is not involved in" in page


def test_an_administrator_sees_counts_and_no_case(client_for, administrator, listed):
    page = client_for(administrator).get(reverse("retention:due")).content.decode()
    assert listed.reference not in page
    assert RecordKind.CASE_CLOSED.label in page


@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "board_officer"])
def test_the_due_list_is_only_for_auditors_and_administrators(request, client_for, persona, listed):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("retention:due")).status_code == 403


def test_a_manager_places_and_lifts_a_hold_on_a_case(client_for, manager_a, closed_case):
    client = client_for(manager_a)
    url = reverse("retention:case-holds", kwargs={"case_pk": closed_case.pk})
    response = client.post(url, {"reason": "A claim against the council is expected"})
    assert response.status_code == 302 and response["Location"] == url
    hold = LegalHold.objects.get(case=closed_case)
    assert hold.placed_by == manager_a and hold.is_active
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(hold.pk), actor_user=manager_a)
    page = client.get(url).content.decode()
    assert "A claim against the council is expected" in page and "On hold" in page

    lift = reverse("retention:case-hold-lift", kwargs={"case_pk": closed_case.pk, "case_hold_id": hold.pk})
    assert client.post(lift, {"reason": ""}).status_code == 200  # the error is on the form
    assert LegalHold.objects.get(pk=hold.pk).is_active
    response = client.post(lift, {"reason": "The claim was withdrawn"})
    assert response["Location"] == url
    hold.refresh_from_db()
    assert not hold.is_active and hold.lifted_by == manager_a and hold.lift_reason == "The claim was withdrawn"


def test_a_hold_without_a_reason_is_refused_on_the_form(client_for, auditor_a, closed_case):
    url = reverse("retention:case-holds", kwargs={"case_pk": closed_case.pk})
    response = client_for(auditor_a).post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Say why the records must be kept" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_practitioner_may_not_place_a_hold(client_for, practitioner_a, closed_case):
    url = reverse("retention:case-holds", kwargs={"case_pk": closed_case.pk})
    assert client_for(practitioner_a).post(url, {"reason": "Just in case"}).status_code == 403
    assert not LegalHold.objects.exists()


def test_another_agency_gets_404_for_a_case_s_or_a_person_s_holds(client_for, gp_c, closed_case, manager_a):
    manager_c = UserFactory(agency=gp_c.agency, roles=[Role.MANAGER])
    hold = legal_hold_place(acting_user=manager_a, person=closed_case.person, reason="Review")
    client = client_for(manager_c)
    urls = [
        reverse("retention:case-holds", kwargs={"case_pk": closed_case.pk}),
        reverse("retention:person-holds", kwargs={"pk": closed_case.person_id}),
        reverse("retention:person-hold-lift", kwargs={"pk": closed_case.person_id, "person_hold_id": hold.pk}),
    ]
    for url in urls:
        response = client.post(url, {"reason": "Mine now"})
        assert response.status_code == 404, url
        assert "Thornbury" not in response.content.decode()
    assert LegalHold.objects.get(pk=hold.pk).is_active
    assert LegalHold.objects.count() == 1


def test_a_person_hold_is_shown_on_each_of_their_cases(client_for, auditor_a, closed_case):
    person_url = reverse("retention:person-holds", kwargs={"pk": closed_case.person_id})
    client = client_for(auditor_a)
    assert client.post(person_url, {"reason": "Safeguarding Adults Review 2026/3"})["Location"] == person_url
    page = client.get(reverse("retention:case-holds", kwargs={"case_pk": closed_case.pk})).content.decode()
    assert "Safeguarding Adults Review 2026/3" in page and "The person and all their cases" in page


def test_an_administrator_changes_a_rule_and_the_change_is_audited(client_for, administrator):
    url = reverse("retention:rule-change", kwargs={"kind": RecordKind.CASE_CLOSED})
    client = client_for(administrator)
    response = client.post(url, {"period_months": "0", "basis": "Never"})
    assert "Enter a period from 1 to 600 months" in response.content.decode()
    response = client.post(url, {"period_months": "96", "basis": "Eight years: the partnership's policy of 2026"})
    assert response["Location"] == reverse("retention:rules")
    rule = RetentionRule.objects.get(kind=RecordKind.CASE_CLOSED)
    assert rule.period_months == 96 and rule.changed_by == administrator
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="retention.retentionrule")
    assert event.detail["before"]["period_months"] == 72 and event.detail["after"]["period_months"] == 96
    assert "96 months" in client.get(reverse("retention:rules")).content.decode()


@pytest.mark.parametrize("persona", ["auditor_a", "manager_a"])
def test_only_an_administrator_changes_a_rule(request, client_for, persona):
    user = request.getfixturevalue(persona)
    url = reverse("retention:rule-change", kwargs={"kind": RecordKind.CASE_CLOSED})
    assert client_for(user).post(url, {"period_months": "1", "basis": "Shorter"}).status_code == 403
    assert RetentionRule.objects.get(kind=RecordKind.CASE_CLOSED).period_months == 72


def test_a_longer_period_takes_a_listed_case_off_the_list(administrator, listed, now):
    from marm.retention.services import retention_rule_change

    rule = RetentionRule.objects.get(kind=RecordKind.CASE_CLOSED)
    retention_rule_change(acting_user=administrator, rule=rule, period_months=120, basis="Ten years")
    assert jobs.due_list_refresh(now) == (0, 1)


def test_the_case_and_person_pages_show_managers_the_hold_and_practitioners_nothing(
    client_for, manager_a, practitioner_a, closed_case
):
    case_url = reverse("cases:detail", kwargs={"case_pk": closed_case.pk})
    person_url = reverse("people:detail", kwargs={"pk": closed_case.person_id})
    manager = client_for(manager_a)
    assert "No legal hold" in manager.get(case_url).content.decode()
    legal_hold_place(acting_user=manager_a, person=closed_case.person, reason="Safeguarding Adults Review")
    for url in (case_url, person_url):
        page = manager.get(url).content.decode()
        assert "On hold" in page and "Legal holds on this" in page
        assert "Legal holds on this" not in client_for(practitioner_a).get(url).content.decode()
