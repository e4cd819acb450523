"""Rectification: the reason, its author, fact or opinion, restriction of a contested detail, and
a notice to every agency the record was disclosed to (Art 16, 18, 19; ADR 0032)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marm.access.roles import Role
from marm.audit.models import AuditEvent
from marm.history.models import HistoryChange, Rectification, RectificationNotice
from marm.history.services import person_rectify
from marm.notifications.models import Notification
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_b(agency_b):
    return UserFactory(email="manager@b.example.org", agency=agency_b, roles=[Role.MANAGER])


@pytest.fixture
def manager_c(agency_c):
    return UserFactory(email="manager@c.example.org", agency=agency_c, roles=[Role.MANAGER])


@pytest.fixture
def shared_with_police(practitioner_a, accepted_case, agency_b):
    """The case (and so the person) is in the disclosure log as shared with agency B."""
    return sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_b,
        basis="crime",
        rationale="Police enquiry",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        adult_told="no",
        adult_not_told_reason="crime",
    )


def _rectify_url(person):
    return reverse("history:rectify", kwargs={"pk": person.pk})


def test_D2_a_correction_reaches_every_agency_it_was_shared_with_and_no_other(
    practitioner_a_client, practitioner_a, person_a, shared_with_police, manager_b, manager_c, agency_b
):
    response = practitioner_a_client.post(
        _rectify_url(person_a),
        {"field_name": "family_name", "new_value": "Thornbery", "basis": "fact", "reason": "Misspelt at referral"},
    )
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.family_name == "Thornbery"
    rectification = Rectification.objects.get(person=person_a)
    assert (rectification.old_value, rectification.new_value) == ("Thornbury", "Thornbery")
    assert rectification.author == practitioner_a and rectification.basis == "fact"
    assert [notice.agency for notice in RectificationNotice.objects.filter(rectification=rectification)] == [agency_b]
    told = Notification.objects.get(recipient=manager_b, kind="rectification")
    assert "Thornb" not in told.title + told.body  # e-mails name no person
    assert told.link == reverse("history:person", kwargs={"pk": person_a.pk})
    assert not Notification.objects.filter(recipient=manager_c).exists()
    # The old value stays in the history, named with the correction's author.
    change = HistoryChange.objects.filter(table_name="people_person", operation="update").latest("pk")
    assert change.old["family_name"] == "Thornbury"
    assert change.audit_event.actor_user == practitioner_a
    assert AuditEvent.objects.filter(
        action="update", object_type="people.person", object_id=str(person_a.pk), detail__rectification=rectification.pk
    ).exists()
    told_row = AuditEvent.objects.get(object_type="history.rectification", object_id=str(rectification.pk))
    assert told_row.detail["agencies_told"] == [agency_b.pk]
    page = practitioner_a_client.get(reverse("history:person", kwargs={"pk": person_a.pk})).content.decode()
    assert "Told: Shire Police on" in page
    assert "Misspelt at referral" in page


def test_the_reason_is_required_and_shown_in_the_error_summary(practitioner_a_client, person_a):
    response = practitioner_a_client.post(
        _rectify_url(person_a), {"field_name": "family_name", "new_value": "Thornbery", "basis": "fact", "reason": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the reason for the correction" in page
    assert not Rectification.objects.exists()


def test_a_failed_rectification_leaves_nothing_behind(practitioner_a, person_a, shared_with_police, manager_b):
    history_before = HistoryChange.objects.count()
    notifications_before = Notification.objects.count()
    with pytest.raises(ValidationError) as refused:
        person_rectify(
            acting_user=practitioner_a,
            person=person_a,
            field_name="family_name",
            new_value="",  # a last name is required
            reason="The person asked",
            basis="fact",
        )
    assert "new_value" in refused.value.message_dict
    person_a.refresh_from_db()
    assert person_a.family_name == "Thornbury"
    assert not Rectification.objects.exists()
    assert not RectificationNotice.objects.exists()
    assert Notification.objects.count() == notifications_before
    assert HistoryChange.objects.count() == history_before


def test_a_contested_detail_is_shown_marked_until_the_restriction_is_lifted(
    practitioner_a_client, practitioner_a, person_a, shared_with_police, manager_b, agency_b
):
    practitioner_a_client.post(
        _rectify_url(person_a),
        {
            "field_name": "given_name",
            "new_value": "Margaret",
            "basis": "opinion",
            "reason": "The person says they were never called Margaret",
            "restrict": "on",
        },
    )
    rectification = Rectification.objects.get(person=person_a)
    assert rectification.restricted and not rectification.changed
    person_page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    assert "Restricted: contested, not to be used" in person_page
    assert "First name" in person_page
    history_page = practitioner_a_client.get(reverse("history:person", kwargs={"pk": person_a.pk})).content.decode()
    assert "Restricted: contested, not to be used" in history_page
    assert "An opinion" in history_page

    lift = reverse("history:lift-restriction", kwargs={"pk": person_a.pk, "rectification_pk": rectification.pk})
    refused = practitioner_a_client.post(lift, {"reason": ""})
    assert "Enter the reason for lifting the restriction" in refused.content.decode()
    assert practitioner_a_client.post(lift, {"reason": "Checked with the GP record"}).status_code == 302
    person_page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    assert "Restricted: contested, not to be used" not in person_page
    assert RectificationNotice.objects.filter(rectification=rectification, agency=agency_b).count() == 2
    assert Notification.objects.filter(recipient=manager_b, kind="rectification").count() == 2


def test_another_agency_cannot_rectify_or_lift(gp_c_client, practitioner_a, person_a):
    rectification = person_rectify(
        acting_user=practitioner_a,
        person=person_a,
        field_name="preferred_name",
        new_value="Peggy",
        reason="The person asked",
        basis="fact",
        restrict=True,
    )
    lift = reverse("history:lift-restriction", kwargs={"pk": person_a.pk, "rectification_pk": rectification.pk})
    for url in (_rectify_url(person_a), lift):
        assert gp_c_client.get(url).status_code == 404
        assert gp_c_client.post(url, {"reason": "x"}).status_code == 404
    rectification.refresh_from_db()
    assert rectification.restriction_in_force


def test_an_auditor_may_read_the_history_but_not_rectify(client_for, auditor_a, person_a):
    client = client_for(auditor_a)
    assert client.get(reverse("history:person", kwargs={"pk": person_a.pk})).status_code == 200
    assert client.get(_rectify_url(person_a)).status_code == 403
