import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from marm.access.guard import RecordNotVisible
from marm.cases.models import Case, CaseAgency
from marm.decisions import integrity
from marm.decisions.models import Decision, DecisionKind, LegislationReference
from marm.decisions.services import decision_record
from marm.people.models import Person
from marm.sharing.models import QualityTest, SharingDecision
from marm.sharing.services import case_agency_end, sharing_decide, sharing_wishes_record

pytestmark = pytest.mark.django_db
ALL_TESTS = list(QualityTest.values)


def _share(case, user, agency, **overrides):
    values = {
        "basis": "risk_to_others",
        "rationale": "Fire risk to neighbours; the fire service can fit safety measures.",
        "access": "full",
        # Without the adult's consent: whether they were told is recorded (001 3.3).
        "adult_told": "no",
        "adult_not_told_reason": "increases_risk",
        "what_is_shared": "The concern, the chronology and the risk assessment",
        "quality_tests": ALL_TESTS,
    }
    values.update(overrides)
    return sharing_decide(acting_user=user, case=case, agency=agency, **values)


def test_an_agency_sees_a_case_only_after_a_sharing_decision(accepted_case, practitioner_a, gp_c, agency_c):
    assert not Case.objects.visible_to(gp_c).exists()
    assert not Person.objects.visible_to(gp_c).filter(pk=accepted_case.person_id).exists()
    sharing = _share(accepted_case, practitioner_a, agency_c)
    assert list(Case.objects.visible_to(gp_c)) == [accepted_case]
    assert Person.objects.visible_to(gp_c).filter(pk=accepted_case.person_id).exists()
    assert sharing.decision.kind == DecisionKind.SHARE
    assert CaseAgency.objects.get(case=accepted_case, agency=agency_c).sharing_decision == sharing


def test_Z3_a_limited_share_shows_the_case_but_not_its_record_or_the_person(
    accepted_case, practitioner_a, gp_c, agency_c
):
    _share(accepted_case, practitioner_a, agency_c, access="limited")
    assert Case.objects.visible_to(gp_c).exists()
    assert not Case.objects.fully_visible_to(gp_c).exists()
    assert not Person.objects.visible_to(gp_c).filter(pk=accepted_case.person_id).exists()


def test_sharing_needs_all_six_quality_tests(accepted_case, practitioner_a, agency_c):
    with pytest.raises(ValidationError) as error:
        _share(accepted_case, practitioner_a, agency_c, quality_tests=["accurate", "valid", "relevant"])
    message = error.value.message_dict["quality_tests"][0]
    assert "reliable, timely, complete" in message
    assert not SharingDecision.objects.exists()
    assert not Decision.objects.filter(kind=DecisionKind.SHARE).exists()


def test_consent_must_say_how_it_was_given(accepted_case, practitioner_a, agency_c):
    sharing_wishes_record(
        acting_user=practitioner_a,
        case=accepted_case,
        expected_version=accepted_case.version,
        asked_about_sharing="yes",
        asked_on=datetime.date(2025, 11, 20),
        asked_by="Sam Patel, social worker",
        agreed_agencies=[agency_c],
    )
    with pytest.raises(ValidationError) as error:
        _share(accepted_case, practitioner_a, agency_c, basis="consent")
    assert "consent_details" in error.value.message_dict
    _share(
        accepted_case,
        practitioner_a,
        agency_c,
        basis="consent",
        consent_details="Agreed in person on the home visit of 20 November",
    )


def test_an_agency_without_the_full_case_cannot_share_it(accepted_case, practitioner_a, gp_c, agency_c, agency_b):
    _share(accepted_case, practitioner_a, agency_c, access="limited")
    with pytest.raises(RecordNotVisible):
        _share(accepted_case, gp_c, agency_b)


def test_an_agency_already_involved_is_not_added_twice(accepted_case, practitioner_a, agency_c):
    _share(accepted_case, practitioner_a, agency_c)
    with pytest.raises(ValidationError) as error:
        _share(accepted_case, practitioner_a, agency_c)
    assert "already involved" in error.value.message_dict["agency"][0]


def test_ending_involvement_refuses_later_reads_and_keeps_history(
    accepted_case, practitioner_a, manager_a, gp_c, agency_c
):
    _share(accepted_case, practitioner_a, agency_c)
    role = CaseAgency.objects.get(case=accepted_case, agency=agency_c)
    with pytest.raises(PermissionDenied):
        case_agency_end(acting_user=practitioner_a, case_agency=role, reason="No longer involved")
    case_agency_end(acting_user=manager_a, case_agency=role, reason="No longer involved")
    assert not Case.objects.visible_to(gp_c).exists()
    assert not Person.objects.visible_to(gp_c).filter(pk=accepted_case.person_id).exists()
    assert SharingDecision.objects.filter(case=accepted_case, agency=agency_c).exists()
    assert CaseAgency.objects.filter(case=accepted_case, agency=agency_c).count() == 1


def test_a_decision_is_untouched_until_someone_changes_it(accepted_case, practitioner_a):
    decision = Decision.objects.get(case=accepted_case)
    assert integrity.check(decision).untouched
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE decisions_decision SET rationale = %s WHERE id = %s", ["Rewritten later", decision.pk])
    assert not integrity.check(Decision.objects.get(pk=decision.pk)).untouched


def test_adding_legislation_after_the_fact_is_detected(accepted_case):
    decision = Decision.objects.get(case=accepted_case)
    decision.legislation.add(LegislationReference.objects.get(code="hra-1998"))
    assert not integrity.check(Decision.objects.get(pk=decision.pk)).untouched


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_change_a_decision(accepted_case):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Decision.objects.filter(case=accepted_case).update(rationale="changed")


def test_an_amendment_is_a_new_decision_that_points_to_the_original(accepted_case, manager_a):
    original = Decision.objects.get(case=accepted_case)
    amendment = decision_record(
        acting_user=manager_a,
        person=accepted_case.person,
        case=accepted_case,
        kind=DecisionKind.ACCEPT,
        summary="Accepted into MARM",
        rationale="Also: the adult's GP shares the concern",
        amends=original,
    )
    assert amendment.amends == original
    assert list(original.amendments.all()) == [amendment]
    assert Decision.objects.get(pk=original.pk).rationale == original.rationale


def test_a_decision_shows_what_it_lacks(practitioner_a, person_a):
    decision = decision_record(
        acting_user=practitioner_a, person=person_a, kind=DecisionKind.SHARE, summary="Share with the GP"
    )
    assert integrity.missing_parts(decision) == ["rationale", "legislation or guidance relied on", "who took part"]


def test_decisions_verify_reports_a_changed_decision(accepted_case):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("decisions_verify")
    decision = Decision.objects.get(case=accepted_case)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE decisions_decision SET summary = %s WHERE id = %s", ["Rejected", decision.pk])
    with pytest.raises(CommandError, match=f"decision {decision.pk}"):
        call_command("decisions_verify")


def test_a_persons_disclosure_log_hides_cases_the_reader_does_not_see(
    accepted_case, practitioner_a, police_b, client_for, agency_c, person_a
):
    from django.urls import reverse

    from marm.cases.services import case_raise

    _share(accepted_case, practitioner_a, agency_c, what_is_shared="Only for the GP")
    # The police know person_a but take no part in this case.
    page = client_for(police_b).get(reverse("sharing:person-disclosures", kwargs={"pk": person_a.pk})).content
    assert b"Only for the GP" not in page
    assert accepted_case.reference.encode() not in page
    other = case_raise(acting_user=police_b, person=person_a, what_is_happening="Police concern")
    assert other.reference  # the police's own case, with nothing shared yet
    assert (
        b"Nothing has been shared yet"
        in client_for(police_b).get(reverse("sharing:person-disclosures", kwargs={"pk": person_a.pk})).content
    )


def test_a_participant_named_twice_does_not_look_like_tampering(practitioner_a, person_a):
    decision = decision_record(
        acting_user=practitioner_a,
        person=person_a,
        kind=DecisionKind.OTHER,
        summary="Visit weekly",
        participants=[practitioner_a, practitioner_a],
    )
    assert integrity.check(Decision.objects.get(pk=decision.pk)).untouched


def test_the_administrator_retires_legislation_but_cannot_delete_it(client_for, administrator, care_act):
    ref = LegislationReference.objects.get(code="hra-1998")
    assert client_for(administrator).get(f"/admin/decisions/legislationreference/{ref.pk}/change/").status_code == 200
    assert client_for(administrator).get(f"/admin/decisions/legislationreference/{ref.pk}/delete/").status_code == 403
