"""Emergency ("break-glass") access (checklist Z8, ADR 0026): a user whose agency is not involved
opens a person's minimal record by giving a reason; it lasts a few hours, is flagged in the access
log, and a manager of the lead agency and of the user's own agency review it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.notifications.models import Notification
from marm.organisations.models import Role
from marm.people.models import Address, EmergencyAccess, EmergencyAccessReview, ReviewOutcome
from marm.people.services import NO_SINGLE_MATCH, emergency_access_open, emergency_access_review
from tests.factories import PersonFactory, UserFactory

REASON = "Found her confused at the bus station at night; need to know who works with her."


@pytest.fixture
def manager_c(agency_c):
    return UserFactory(email="manager@c.example.org", agency=agency_c, roles=[Role.MANAGER])


@pytest.fixture
def manager_b(agency_b):
    return UserFactory(email="manager@b.example.org", agency=agency_b, roles=[Role.MANAGER])


@pytest.fixture
def address_a(person_a, practitioner_a):
    return Address.objects.create(
        person=person_a, line_1="14 Fictional Row", town="Leeds", postcode="LS6 2AB", created_by=practitioner_a
    )


def _form(person, **changes):
    data = {
        "nhs_number": person.nhs_number,
        "given_name": "",
        "family_name": "",
        "date_of_birth_0": "",
        "date_of_birth_1": "",
        "date_of_birth_2": "",
        "reason": REASON,
        "understood": "on",
    }
    data.update(changes)
    return data


def _by_name(person):
    dob = person.date_of_birth
    return {
        "nhs_number": "",
        "given_name": person.given_name.upper(),
        "family_name": person.family_name,
        "date_of_birth_0": str(dob.day),
        "date_of_birth_1": str(dob.month),
        "date_of_birth_2": str(dob.year),
    }


def _open(person, user):
    return emergency_access_open(acting_user=user, reason=REASON, nhs_number=person.nhs_number)


def _record_url(person):
    return reverse("people:emergency-record", kwargs={"pk": person.pk})


def _review_url(access):
    return reverse("people:emergency-review", kwargs={"access_pk": access.pk})


# Z8: a reason is required


def test_Z8_emergency_access_needs_a_reason(client_for, gp_c, person_a):
    client = client_for(gp_c)
    for reason in ("", "urgent"):
        response = client.post(reverse("people:emergency"), _form(person_a, reason=reason))
        assert response.status_code == 200
        assert "Say what the emergency is" in response.content.decode()
    response = client.post(reverse("people:emergency"), _form(person_a, understood=""))
    assert "Confirm that you understand" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert client.get(_record_url(person_a)).status_code == 404

    response = client.post(reverse("people:emergency"), _form(person_a))
    assert response.status_code == 302
    assert response["Location"] == _record_url(person_a)
    page = client.get(_record_url(person_a)).content.decode()
    assert "Margaret Thornbury" in page
    opened = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS, actor_user=gp_c)
    assert opened.person_id == str(person_a.pk)
    assert opened.purpose == REASON
    view = AuditEvent.objects.filter(action=AuditAction.VIEW, actor_user=gp_c, person_id=str(person_a.pk)).get()
    assert view.purpose == f"Emergency access: {REASON}"


def test_the_minimal_record_shows_who_they_are_and_who_to_contact_and_nothing_else(
    client_for, gp_c, person_a, address_a, accepted_case, manager_a, chronology_entry_a
):
    from marm.cases.services import lead_professional_allocate

    lead_professional_allocate(
        acting_user=manager_a, case=accepted_case, user=manager_a, rationale="Knows the family from earlier work."
    )
    _open(person_a, gp_c)
    page = client_for(gp_c).get(_record_url(person_a)).content.decode()
    assert "Emergency access" in page
    assert "14 Fictional Row" in page
    assert accepted_case.lead_agency.name in page
    assert escape(manager_a.full_name) in page  # the lead professional, with how to reach them
    assert manager_a.email in page
    assert "hallway is blocked" not in page  # nothing from the chronology
    assert accepted_case.reference not in page
    assert "hoarding" not in page.lower()


def test_the_register_alert_is_on_the_minimal_record(client_for, gp_c, person_a, practitioner_a, manager_a):
    from marm.organisations.models import Team
    from marm.register.services import register_entry_add

    entry = register_entry_add(
        acting_user=manager_a,
        team=Team.objects.get(memberships__user=practitioner_a),
        person=person_a,
        criteria=["b", "c"],
        named_professional=practitioner_a,
        reason="Hoarding blocks the exits; refuses homecare most days.",
        missed_visits_threshold=2,
        missed_visits_window_days=7,
    )
    _open(person_a, gp_c)
    page = client_for(gp_c).get(_record_url(person_a)).content.decode()
    assert "High-risk register" in page
    assert entry.team.name in page
    assert escape(practitioner_a.full_name) in page


def test_a_full_name_and_full_date_of_birth_find_the_person(client_for, gp_c, person_a):
    response = client_for(gp_c).post(reverse("people:emergency"), _form(person_a, **_by_name(person_a)))
    assert response.status_code == 302
    assert EmergencyAccess.objects.get(user=gp_c).person == person_a


@pytest.mark.parametrize("matches", [0, 2])
def test_no_match_and_several_matches_give_the_same_words_and_no_access(client_for, gp_c, person_a, matches):
    details = _by_name(person_a)
    if matches == 0:
        details["family_name"] = "Nobody"
    else:
        PersonFactory(
            given_name=person_a.given_name, family_name=person_a.family_name, date_of_birth=person_a.date_of_birth
        )
    response = client_for(gp_c).post(reverse("people:emergency"), _form(person_a, **details))
    page = response.content.decode()
    assert response.status_code == 200
    assert NO_SINGLE_MATCH in page
    assert "Margaret" not in page.replace('value="MARGARET"', "")
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()
    # The attempt is recorded as a search that names no one, not even how many matched.
    search = AuditEvent.objects.get(action=AuditAction.SEARCH, actor_user=gp_c)
    assert search.person_id in ("", None)
    assert str(person_a.pk) not in str(search.detail)


def test_an_unknown_nhs_number_gives_the_same_words(gp_c, person_a):
    other = PersonFactory.build().nhs_number
    with pytest.raises(ValidationError) as refused:
        emergency_access_open(acting_user=gp_c, reason=REASON, nhs_number=other)
    assert refused.value.messages == [NO_SINGLE_MATCH]


@pytest.mark.parametrize("persona", ["administrator", "board_officer", "auditor_a"])
def test_administrators_board_officers_and_auditors_cannot(request, client_for, persona, person_c):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(reverse("people:emergency")).status_code == 403
    assert client.post(reverse("people:emergency"), _form(person_c)).status_code == 403
    with pytest.raises(PermissionDenied):
        _open(person_c, user)
    assert not EmergencyAccess.objects.exists()


def test_a_user_whose_agency_already_sees_the_person_is_sent_to_the_record(client_for, police_b, person_a):
    response = client_for(police_b).post(reverse("people:emergency"), _form(person_a))
    assert response["Location"] == reverse("people:detail", kwargs={"pk": person_a.pk})
    assert not EmergencyAccess.objects.exists()


def test_opening_twice_while_it_lasts_keeps_one_access(gp_c, person_a):
    assert _open(person_a, gp_c) == _open(person_a, gp_c)
    assert EmergencyAccess.objects.count() == 1


# Z8: time-limited


def test_Z8_access_lasts_a_few_hours_then_404(client_for, gp_c, person_a, settings):
    settings.MARM_BREAK_GLASS_HOURS = 4
    access = _open(person_a, gp_c)
    assert access.expires_at - access.started_at == datetime.timedelta(hours=4)
    client = client_for(gp_c)

    def hours_ago(hours, minutes=0):
        """As if the access had been opened that long ago (the session itself would have timed out)."""
        started = timezone.now() - datetime.timedelta(hours=hours, minutes=minutes)
        EmergencyAccess.objects.filter(pk=access.pk).update(
            started_at=started, expires_at=started + datetime.timedelta(hours=4)
        )

    hours_ago(3, 59)
    assert client.get(_record_url(person_a)).status_code == 200
    hours_ago(4)
    denied_before = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=gp_c).count()
    response = client.get(_record_url(person_a))
    assert response.status_code == 404
    assert "Thornbury" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=gp_c).count() == denied_before + 1


def test_the_full_record_stays_404_during_the_window(client_for, gp_c, person_a, accepted_case):
    _open(person_a, gp_c)
    client = client_for(gp_c)
    assert client.get(_record_url(person_a)).status_code == 200
    assert client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).status_code == 404
    assert client.get(reverse("people:access-log", kwargs={"pk": person_a.pk})).status_code == 404
    assert client.get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})).status_code == 404


def test_someone_else_in_the_same_agency_does_not_share_the_access(client_for, gp_c, agency_c, person_a):
    _open(person_a, gp_c)
    colleague = UserFactory(agency=agency_c, roles=[Role.PRACTITIONER])
    assert client_for(colleague).get(_record_url(person_a)).status_code == 404


# Z8: flagged


def test_Z8_access_is_flagged_in_the_access_log(client_for, gp_c, manager_a, person_a):
    _open(person_a, gp_c)
    client_for(gp_c).get(_record_url(person_a))
    page = client_for(manager_a).get(reverse("people:access-log", kwargs={"pk": person_a.pk})).content.decode()
    assert "Emergency access: opened the minimal record" in page
    assert page.count('<strong class="govuk-tag govuk-tag--red">Emergency access</strong>') == 2
    assert REASON in page


# Z8: reviewable by the owning agency


def test_Z8_both_managers_are_asked_to_review(client_for, gp_c, manager_a, manager_c, manager_b, person_a, concern):
    access = _open(person_a, gp_c)
    assert access.lead_agency == concern.lead_agency
    told = Notification.objects.filter(key=f"emergency-access:{access.pk}")
    assert {n.recipient for n in told} == {manager_a, manager_c}  # not the police, who are only involved
    assert all(person_a.family_name not in n.title + n.body for n in told)  # e-mails name no adult
    assert gp_c.full_name in told.first().title

    for manager in (manager_a, manager_c):
        home = client_for(manager).get(reverse("dashboards:home")).content.decode()
        assert "Emergency access to review" in home
        assert _review_url(access) in home
    page = client_for(manager_a).get(_review_url(access)).content.decode()
    assert REASON in page
    assert "Emergency access: opened the minimal record" in page

    response = client_for(manager_a).post(_review_url(access), {"outcome": ReviewOutcome.APPROPRIATE, "note": ""})
    assert response.status_code == 302
    assert "Emergency access to review" not in client_for(manager_a).get(reverse("dashboards:home")).content.decode()
    assert "Emergency access to review" in client_for(manager_c).get(reverse("dashboards:home")).content.decode()
    client_for(manager_c).post(_review_url(access), {"outcome": ReviewOutcome.APPROPRIATE, "note": ""})
    assert set(EmergencyAccessReview.objects.values_list("side", "reviewer")) == {
        ("lead", manager_a.pk),
        ("own", manager_c.pk),
    }
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="people.emergencyaccessreview").count() == 2


def test_the_recording_agency_leads_when_there_is_no_open_case(gp_c, person_a, agency_a):
    assert _open(person_a, gp_c).lead_agency == agency_a


def test_each_side_reviews_once(gp_c, manager_a, person_a):
    access = _open(person_a, gp_c)
    emergency_access_review(acting_user=manager_a, access=access, outcome=ReviewOutcome.APPROPRIATE)
    with pytest.raises(ValidationError):
        emergency_access_review(acting_user=manager_a, access=access, outcome=ReviewOutcome.APPROPRIATE)
    assert EmergencyAccessReview.objects.count() == 1


def test_not_appropriate_needs_a_note_and_ends_the_access(client_for, gp_c, manager_c, person_a):
    access = _open(person_a, gp_c)
    with pytest.raises(ValidationError):
        emergency_access_review(acting_user=manager_c, access=access, outcome=ReviewOutcome.NOT_APPROPRIATE)
    assert not EmergencyAccessReview.objects.exists()
    emergency_access_review(
        acting_user=manager_c, access=access, outcome=ReviewOutcome.NOT_APPROPRIATE, note="No emergency."
    )
    assert client_for(gp_c).get(_record_url(person_a)).status_code == 404


def test_the_user_cannot_review_their_own(client_for, agency_c, person_a):
    manager = UserFactory(agency=agency_c, roles=[Role.MANAGER])
    access = _open(person_a, manager)
    assert not Notification.objects.filter(recipient=manager).exists()
    with pytest.raises(PermissionDenied):
        emergency_access_review(acting_user=manager, access=access, outcome=ReviewOutcome.APPROPRIATE)
    client = client_for(manager)
    assert "Record the review" not in client.get(_review_url(access)).content.decode()
    assert client.post(_review_url(access), {"outcome": ReviewOutcome.APPROPRIATE}).status_code == 403
    assert not EmergencyAccessReview.objects.exists()


def test_a_manager_of_an_unrelated_agency_gets_404_on_the_review_page(client_for, gp_c, manager_b, person_a):
    access = _open(person_a, gp_c)
    client = client_for(manager_b)
    assert client.get(_review_url(access)).status_code == 404
    assert client.post(_review_url(access), {"outcome": ReviewOutcome.APPROPRIATE}).status_code == 404
    with pytest.raises(RecordNotVisible):
        emergency_access_review(acting_user=manager_b, access=access, outcome=ReviewOutcome.APPROPRIATE)
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=manager_b).count() == 3
    assert not EmergencyAccessReview.objects.exists()


def test_managers_list_their_agencys_emergency_accesses(client_for, gp_c, manager_a, manager_b, person_a):
    _open(person_a, gp_c)
    page = client_for(manager_a).get(reverse("people:emergency-list")).content.decode()
    assert "Margaret Thornbury" in page
    assert "not reviewed yet" in page
    assert "Margaret Thornbury" not in client_for(manager_b).get(reverse("people:emergency-list")).content.decode()
    assert client_for(gp_c).get(reverse("people:emergency-list")).status_code == 403


# A failed service call leaves nothing behind


def test_a_failed_open_leaves_no_rows(gp_c, manager_a, person_a, monkeypatch):
    from marm.people import services

    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(services, "notify", broken)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        _open(person_a, gp_c)
    assert not EmergencyAccess.objects.exists()
    assert not Notification.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_a_failed_review_leaves_no_rows(gp_c, manager_a, person_a, monkeypatch):
    from marm.people import services

    access = _open(person_a, gp_c)

    def broken(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        emergency_access_review(acting_user=manager_a, access=access, outcome=ReviewOutcome.APPROPRIATE)
    assert not EmergencyAccessReview.objects.exists()
