import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.audit.models import AuditEvent
from marm.core.locking import StaleEditError
from marm.people.models import AgencyInvolvement, InvolvementBasis, Person, PersonIdentifier
from marm.people.services import (
    identifier_add,
    involvement_end,
    involvement_start,
    person_create,
    person_update,
    related_person_add,
)
from tests.factories import valid_nhs_number

pytestmark = pytest.mark.django_db


def test_the_creating_agency_becomes_involved(practitioner_a):
    person = person_create(
        acting_user=practitioner_a,
        given_name=" Ada ",
        family_name="Lovell",
        date_of_birth=datetime.date(1950, 3, 1),
        date_of_birth_precision="month",
        nhs_number="943 476 5919",
        local_identifier="MOS-1",
        address={"line_1": "4 Mill Lane", "town": "Northdale", "postcode": "nd1 2ab"},
    )
    assert person.given_name == "Ada"
    assert person.nhs_number == "9434765919"
    involvement = AgencyInvolvement.objects.get(person=person)
    assert involvement.agency == practitioner_a.agency
    assert involvement.basis == InvolvementBasis.CREATED_RECORD
    assert person.addresses.get().postcode == "ND1 2AB"
    assert person.identifiers.get().value == "MOS-1"


def test_an_invalid_nhs_number_is_refused_and_nothing_is_saved(practitioner_a):
    with pytest.raises(ValidationError) as error:
        person_create(acting_user=practitioner_a, given_name="Ada", family_name="Lovell", nhs_number="9434765918")
    assert "nhs_number" in error.value.message_dict
    assert Person.objects.count() == 0
    assert AgencyInvolvement.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_an_nhs_number_already_recorded_is_refused_without_saying_whose(practitioner_a, person_c):
    with pytest.raises(ValidationError) as error:
        person_create(
            acting_user=practitioner_a, given_name="Ada", family_name="Lovell", nhs_number=person_c.nhs_number
        )
    message = error.value.message_dict["nhs_number"][0]
    assert "already recorded" in message
    assert person_c.family_name not in message
    assert Person.objects.count() == 1


def test_an_identifier_clash_rolls_back_the_whole_person(practitioner_a):
    person_create(acting_user=practitioner_a, given_name="Ada", family_name="Lovell", local_identifier="MOS-1")
    with pytest.raises(ValidationError):
        person_create(acting_user=practitioner_a, given_name="Bea", family_name="Lovell", local_identifier="MOS-1")
    assert list(Person.objects.values_list("given_name", flat=True)) == ["Ada"]
    assert PersonIdentifier.objects.count() == 1


def test_roles_that_do_not_work_with_adults_cannot_create_people(administrator, board_officer):
    for user in (administrator, board_officer):
        with pytest.raises(PermissionDenied):
            person_create(acting_user=user, given_name="Ada", family_name="Lovell")
    assert Person.objects.count() == 0


def test_an_update_from_a_stale_version_is_refused(practitioner_a, police_b, person_a):
    first = Person.objects.get(pk=person_a.pk)
    second = Person.objects.get(pk=person_a.pk)
    person_update(acting_user=practitioner_a, person=first, expected_version=first.version, preferred_name="Peggy")
    with pytest.raises(StaleEditError) as conflict:
        person_update(acting_user=police_b, person=second, expected_version=second.version, preferred_name="Maggie")
    assert conflict.value.current.preferred_name == "Peggy"
    stored = Person.objects.get(pk=person_a.pk)
    assert stored.preferred_name == "Peggy"
    assert stored.version == 2


def test_an_update_records_which_fields_changed_but_not_their_values(practitioner_a, person_a):
    person_update(
        acting_user=practitioner_a, person=person_a, expected_version=person_a.version, family_name="Thornbury-Lee"
    )
    event = AuditEvent.objects.get(action="update")
    assert event.detail == {"fields": ["family_name"]}
    assert "Thornbury-Lee" not in str(event.detail)


def test_an_invalid_update_changes_nothing(practitioner_a, person_a):
    with pytest.raises(ValidationError):
        person_update(acting_user=practitioner_a, person=person_a, expected_version=1, nhs_number="123")
    stored = Person.objects.get(pk=person_a.pk)
    assert stored.nhs_number == Person.objects.get(pk=person_a.pk).nhs_number != "123"
    assert stored.version == 1


def test_a_lasting_power_of_attorney_needs_its_type(practitioner_a, person_a):
    with pytest.raises(ValidationError):
        related_person_add(acting_user=practitioner_a, person=person_a, name="Jo Bloggs", relationship="lpa_attorney")
    attorney = related_person_add(
        acting_user=practitioner_a,
        person=person_a,
        name="Jo Bloggs",
        relationship="lpa_attorney",
        attorney_type="health_welfare",
    )
    assert attorney.get_attorney_type_display() == "Health and welfare"


def test_ending_involvement_hides_the_person_and_keeps_history(practitioner_a, police_b, person_a):
    involvement = AgencyInvolvement.objects.get(person=person_a, agency=police_b.agency)
    assert Person.objects.visible_to(police_b).filter(pk=person_a.pk).exists()
    involvement_end(acting_user=practitioner_a, involvement=involvement, reason="Police enquiry closed")
    assert not Person.objects.visible_to(police_b).filter(pk=person_a.pk).exists()
    assert AgencyInvolvement.objects.filter(person=person_a, agency=police_b.agency).count() == 1
    # Joining again is a new involvement; the ended one stays.
    involvement_start(
        acting_user=practitioner_a, person=person_a, agency=police_b.agency, basis=InvolvementBasis.SHARING_DECISION
    )
    assert AgencyInvolvement.objects.filter(person=person_a, agency=police_b.agency).count() == 2
    assert Person.objects.visible_to(police_b).filter(pk=person_a.pk).exists()


def test_identifiers_are_unique_within_an_agency_only(practitioner_a, police_b, person_a):
    identifier_add(acting_user=practitioner_a, person=person_a, label="Ref", value="42")
    identifier_add(acting_user=police_b, person=person_a, label="Ref", value="42")
    with pytest.raises(ValidationError):
        identifier_add(acting_user=practitioner_a, person=person_a, label="Ref", value="42")


def test_visibility_follows_involvement_not_role(
    administrator, board_officer, auditor_a, practitioner_a, gp_c, person_a, person_c
):
    assert list(Person.objects.visible_to(practitioner_a)) == [person_a]
    assert list(Person.objects.visible_to(gp_c)) == [person_c]
    assert list(Person.objects.visible_to(auditor_a)) == [person_a]
    # Administrators and board officers of agency A see no one, although A is involved with person_a.
    assert not Person.objects.visible_to(administrator).exists()
    assert not Person.objects.visible_to(board_officer).exists()


def test_inactive_users_see_no_one(practitioner_a, person_a):
    practitioner_a.is_active = False
    practitioner_a.save()
    assert not Person.objects.visible_to(practitioner_a).exists()


def test_valid_nhs_numbers_from_the_factory_are_valid():
    from marm.people import nhs_number

    assert all(nhs_number.is_valid(valid_nhs_number()) for _ in range(50))


def test_an_update_stamps_the_time_and_an_empty_edit_changes_nothing(practitioner_a, person_a):
    before = Person.objects.get(pk=person_a.pk).updated_at
    person_update(acting_user=practitioner_a, person=person_a, expected_version=1, preferred_name="Peggy")
    stored = Person.objects.get(pk=person_a.pk)
    assert stored.updated_at > before
    person_update(acting_user=practitioner_a, person=stored, expected_version=2, preferred_name="Peggy")
    assert Person.objects.get(pk=person_a.pk).version == 2
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_a_superuser_account_grants_nothing_by_itself(agency_outside):
    from tests.factories import UserFactory

    superuser = UserFactory(agency=agency_outside, roles=[], is_superuser=True, is_staff=True)
    assert not superuser.has_perm("people.add_person")
    with pytest.raises(PermissionDenied):
        person_create(acting_user=superuser, given_name="Ada", family_name="Lovell")
