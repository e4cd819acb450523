"""Sharing decisions: the board is never shared with, the six tests stay visible, the agency is told."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marm.cases.models import CaseAgency
from marm.notifications.models import Notification
from marm.organisations.models import AgencyKind, Role
from marm.sharing.models import QualityTest, SharingDecision
from marm.sharing.selectors import agencies_to_share_with
from marm.sharing.services import sharing_decide
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _share(case, user, agency, **overrides):
    values = {
        "basis": "risk_to_others",
        "rationale": "Fire risk to neighbours; the fire service can fit safety measures.",
        "access": "full",
        # Without the adult's consent: whether they were told is recorded (001 3.3).
        "adult_told": "no",
        "adult_not_told_reason": "increases_risk",
        "what_is_shared": "The concern and the risk assessment",
        "quality_tests": list(QualityTest.values),
    }
    values.update(overrides)
    return sharing_decide(acting_user=user, case=case, agency=agency, **values)


@pytest.fixture
def board_agency(db):
    agency = AgencyFactory(name="Shire Safeguarding Adults Board", kind=AgencyKind.OTHER)
    UserFactory(email="board@sab.example.org", agency=agency, roles=[Role.BOARD_OFFICER])
    return agency


def test_the_board_is_not_offered_as_an_agency_to_share_with(accepted_case, board_agency, agency_c):
    offered = list(agencies_to_share_with(case=accepted_case))
    assert board_agency not in offered
    assert agency_c in offered


def test_sharing_with_the_board_is_refused_and_leaves_nothing(accepted_case, practitioner_a, board_agency):
    with pytest.raises(ValidationError) as refused:
        _share(accepted_case, practitioner_a, board_agency)
    assert "Safeguarding Adults Board" in str(refused.value.message_dict["agency"])
    assert not SharingDecision.objects.exists()
    assert not CaseAgency.objects.filter(agency=board_agency).exists()


def test_an_agency_with_a_board_officer_and_caseworkers_can_still_be_shared_with(
    accepted_case, practitioner_a, agency_c, gp_c
):
    UserFactory(email="board@c.example.org", agency=agency_c, roles=[Role.BOARD_OFFICER])
    assert agency_c in list(agencies_to_share_with(case=accepted_case))
    _share(accepted_case, practitioner_a, agency_c)


def test_the_six_tests_are_in_the_decision_and_the_disclosure_log(
    accepted_case, practitioner_a, practitioner_a_client, agency_c
):
    sharing = _share(accepted_case, practitioner_a, agency_c)
    sentence = "The information was confirmed accurate, valid, reliable, timely, relevant and complete."
    assert sentence in sharing.decision.rationale
    page = practitioner_a_client.get(
        reverse("sharing:case-disclosures", kwargs={"case_pk": accepted_case.pk})
    ).content.decode()
    for test in ("Accurate", "Valid", "Reliable", "Timely", "Relevant", "Complete"):
        assert f"{test}: met" in page


def test_the_receiving_agencys_practitioners_and_managers_are_told_without_names(
    accepted_case, practitioner_a, agency_c, gp_c
):
    manager_c = UserFactory(email="manager@c.example.org", agency=agency_c, roles=[Role.MANAGER])
    UserFactory(email="board@c.example.org", agency=agency_c, roles=[Role.BOARD_OFFICER])
    _share(accepted_case, practitioner_a, agency_c)
    told = Notification.objects.filter(kind="case_shared")
    assert {n.recipient for n in told} == {gp_c, manager_c}
    person = accepted_case.person
    for notification in told:
        assert accepted_case.reference in notification.title
        assert notification.link == reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})
        for text in (notification.title, notification.body):
            assert person.family_name not in text
            assert person.given_name not in text
