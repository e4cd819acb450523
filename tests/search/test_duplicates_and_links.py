"""Duplicate suggestions when a person is added, and links between records of the same person."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.linkage.models import PersonLink
from marm.linkage.services import person_link, person_link_end
from marm.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def john(practitioner_a):
    return PersonFactory(
        created_by=practitioner_a, given_name="John", family_name="Smith", date_of_birth=datetime.date(1948, 5, 17)
    )


@pytest.fixture
def jon(practitioner_a):
    return PersonFactory(
        created_by=practitioner_a, given_name="Jon", family_name="Smyth", date_of_birth=datetime.date(1948, 5, 17)
    )


def _create(client, **extra):
    data = {
        "given_name": "Jon",
        "family_name": "Smyth",
        "date_of_birth_0": "17",
        "date_of_birth_1": "5",
        "date_of_birth_2": "1948",
        **extra,
    }
    return client.post(reverse("people:create"), data)


class TestSuggestionsWhenAddingAPerson:
    def test_possible_matches_are_shown_before_anything_is_saved(self, practitioner_a_client, john):
        response = _create(practitioner_a_client)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Your agency may already have a record of this person" in page
        assert "John Smith" in page
        assert "This is a different person from the people listed" in page
        assert Person.objects.count() == 1

    def test_confirming_a_different_person_adds_them_and_records_the_answer(
        self, practitioner_a_client, practitioner_a, john
    ):
        response = _create(practitioner_a_client, different_person="on")
        assert response.status_code == 302
        added = Person.objects.exclude(pk=john.pk).get()
        assert added.full_name == "Jon Smyth"
        event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(added.pk))
        assert event.detail == {"declined_possible_matches": [str(john.pk)]}
        assert not PersonLink.objects.exists()  # never merged, never linked without a person deciding

    def test_no_suggestion_when_no_one_is_alike(self, practitioner_a_client, john):
        response = _create(practitioner_a_client, given_name="Aisha", family_name="Rahman")
        assert response.status_code == 302
        assert Person.objects.count() == 2

    def test_people_of_other_agencies_are_never_suggested(self, client_for, gp_c, john):
        response = _create(client_for(gp_c))
        assert response.status_code == 302
        assert "John Smith" not in response.content.decode()


class TestLinks:
    def test_a_practitioner_links_two_records_and_both_stay(self, practitioner_a, john, jon):
        link = person_link(acting_user=practitioner_a, person=jon, other=john, reason="Same NHS number on GP letter")
        assert {link.person_a, link.person_b} == {john, jon}
        assert str(link.person_a.pk) < str(link.person_b.pk)
        assert Person.objects.filter(pk__in=[john.pk, jon.pk]).count() == 2
        audited = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="linkage.personlink")
        assert {str(e.person_id) for e in audited} == {str(john.pk), str(jon.pk)}

    def test_a_pair_has_one_active_link_and_a_record_no_link_to_itself(self, practitioner_a, john, jon):
        person_link(acting_user=practitioner_a, person=john, other=jon, reason="Same person")
        with pytest.raises(ValidationError):
            person_link(acting_user=practitioner_a, person=jon, other=john, reason="Again")
        with pytest.raises(ValidationError):
            person_link(acting_user=practitioner_a, person=john, other=john, reason="Itself")
        assert PersonLink.objects.count() == 1

    def test_ending_a_link_keeps_it_with_who_when_and_why(self, practitioner_a, manager_a, john, jon):
        link = person_link(acting_user=practitioner_a, person=john, other=jon, reason="Same person")
        person_link_end(acting_user=manager_a, link=link, reason="Different NHS numbers")
        link.refresh_from_db()
        assert link.ended_by == manager_a and link.ended_at and link.end_reason == "Different NHS numbers"
        # They can be linked again later: a new row, the old one kept.
        person_link(acting_user=practitioner_a, person=john, other=jon, reason="Confirmed at visit")
        assert PersonLink.objects.count() == 2

    def test_a_failed_link_leaves_nothing_behind(self, practitioner_a, john, jon):
        with pytest.raises(ValidationError):
            person_link(acting_user=practitioner_a, person=john, other=jon, reason="  ")
        assert not PersonLink.objects.exists()
        assert not AuditEvent.objects.filter(object_type="linkage.personlink").exists()

    def test_roles_without_casework_cannot_link(self, board_officer, auditor_a, john, jon):
        # An auditor sees both records but does not record; a board officer sees no adult at all.
        for user, refusal in ((auditor_a, PermissionDenied), (board_officer, RecordNotVisible)):
            with pytest.raises(refusal):
                person_link(acting_user=user, person=john, other=jon, reason="Same")
        assert not PersonLink.objects.exists()


class TestLinkPages:
    def test_the_same_person_page_offers_the_likely_record_and_links_it(self, practitioner_a_client, john, jon):
        page = practitioner_a_client.get(reverse("linkage:same-person", kwargs={"pk": john.pk})).content.decode()
        assert "Jon Smyth" in page
        url = reverse("linkage:link", kwargs={"pk": john.pk, "other_pk": jon.pk})
        assert url in page
        empty = practitioner_a_client.post(url, {"reason": ""})
        assert "Enter why these records are the same person" in empty.content.decode()
        response = practitioner_a_client.post(url, {"reason": "Same date of birth and address"})
        assert response.status_code == 302
        person_page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": jon.pk})).content.decode()
        assert "John Smith" in person_page

    def test_the_link_can_be_ended_from_the_page(self, practitioner_a_client, practitioner_a, john, jon):
        link = person_link(acting_user=practitioner_a, person=john, other=jon, reason="Same")
        url = reverse("linkage:end-link", kwargs={"pk": john.pk, "link_pk": link.pk})
        response = practitioner_a_client.post(url, {"reason": "Twins"})
        assert response.status_code == 302
        page = practitioner_a_client.get(reverse("linkage:same-person", kwargs={"pk": john.pk})).content.decode()
        assert "Ended links" in page and "Twins" in page

    def test_other_agencies_get_404_and_the_refusal_is_audited(self, client_for, gp_c, practitioner_a, john, jon):
        link = person_link(acting_user=practitioner_a, person=john, other=jon, reason="Same")
        client = client_for(gp_c)
        for url in (
            reverse("linkage:same-person", kwargs={"pk": john.pk}),
            reverse("linkage:link", kwargs={"pk": john.pk, "other_pk": jon.pk}),
            reverse("linkage:end-link", kwargs={"pk": john.pk, "link_pk": link.pk}),
        ):
            assert client.get(url).status_code == 404
        assert AuditEvent.objects.filter(actor_user=gp_c, action=AuditAction.DENIED).count() == 3

    def test_a_link_to_a_record_the_user_cannot_see_is_not_shown(
        self, client_for, practitioner_a, gp_c, administrator, john
    ):
        hidden = PersonFactory(created_by=gp_c, given_name="John", family_name="Smith")
        # Linked from the possible-duplicates report, by an administrator who sees neither record.
        person_link(acting_user=administrator, person=john, other=hidden, reason="Same", source="duplicates_report")
        page = client_for(practitioner_a).get(reverse("people:detail", kwargs={"pk": john.pk})).content.decode()
        assert str(hidden.pk) not in page
