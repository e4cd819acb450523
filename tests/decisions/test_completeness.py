"""A decision is incomplete only for what it could have had: the legislation relied on is asked
of the kinds of decision that rest on the law, whose forms ask for it or whose services add it;
a decision recorded through a form that never asks is not flagged incomplete for ever."""

import pytest
from django.urls import reverse

from marm.cases import forms as case_forms
from marm.cases.services import lead_professional_allocate
from marm.closure import forms as closure_forms
from marm.closure.services import s42_refer
from marm.decisions import integrity
from marm.decisions.models import Decision, DecisionKind, LegislationReference
from marm.decisions.services import decision_record
from marm.organisations.models import Team
from marm.register.services import register_entry_add
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide

pytestmark = pytest.mark.django_db

LEGISLATION = "legislation or guidance relied on"


def _share(case, acting_user, agency, **kwargs):
    return sharing_decide(
        acting_user=acting_user,
        case=case,
        agency=agency,
        basis="risk_to_others",
        rationale="The GP manages the adult's medication",
        access="full",
        what_is_shared="The concern and the screening",
        quality_tests=list(QualityTest.values),
        adult_told="no",
        adult_not_told_reason="increases_risk",
        **kwargs,
    )


def test_a_share_without_the_legislation_relied_on_is_incomplete(accepted_case, practitioner_a, agency_c):
    decision = _share(accepted_case, practitioner_a, agency_c).decision
    assert integrity.missing_parts(decision) == [LEGISLATION]


def test_a_share_with_it_is_complete(accepted_case, practitioner_a, agency_c):
    dpa = LegislationReference.objects.get(code="dpa-2018")
    decision = _share(accepted_case, practitioner_a, agency_c, legislation=[dpa]).decision
    assert integrity.missing_parts(decision) == []


@pytest.mark.parametrize(
    ("kinds", "form_class"),
    [
        ((DecisionKind.ACCEPT, DecisionKind.ROUTE, DecisionKind.NO_FURTHER_ACTION), case_forms.ScreeningForm),
        ((DecisionKind.REOPEN,), case_forms.ReasonForm),
        ((DecisionKind.SHARE,), case_forms.ShareForm),
        ((DecisionKind.CLOSE,), closure_forms.CloseForm),
        ((DecisionKind.ESCALATE,), closure_forms.S42ReferralForm),
    ],
)
def test_every_kind_the_check_asks_it_of_has_a_form_that_asks_for_it(kinds, form_class):
    assert set(kinds) <= integrity.LEGISLATION_EXPECTED
    assert "legislation" in form_class.base_fields


def test_the_kinds_asked_are_the_ones_with_a_form_or_a_service_that_gives_it():
    expected = {
        DecisionKind.ACCEPT,
        DecisionKind.ROUTE,
        DecisionKind.NO_FURTHER_ACTION,
        DecisionKind.REOPEN,
        DecisionKind.SHARE,
        DecisionKind.CLOSE,
        # Their services add it: section 42, and the Mental Capacity Act.
        DecisionKind.ESCALATE,
        DecisionKind.BEST_INTERESTS,
    }
    assert set(integrity.LEGISLATION_EXPECTED) == expected


def test_an_escalation_is_given_section_42_even_if_none_is_ticked(accepted_case, manager_a):
    referral = s42_refer(
        acting_user=manager_a,
        case=accepted_case,
        risk_of_serious_harm="Fire",
        steps_taken="Visits",
        why_not_enough="Refused",
        lawful_basis="risk_to_others",
        referred_to="Safeguarding hub",
        referred_on=accepted_case.raised_at.date(),
        marm_work="continue",
    )
    assert integrity.missing_parts(referral.decision) == []


def test_a_register_decision_is_complete_without_legislation_its_form_never_asks(manager_a, practitioner_a, person_a):
    register_entry_add(
        acting_user=manager_a,
        team=Team.objects.get(memberships__user=practitioner_a),
        person=person_a,
        criteria=["b"],
        named_professional=practitioner_a,
        reason="Hoarding blocks the exits.",
    )
    decision = Decision.objects.get(person=person_a, summary__startswith="Added to the high-risk register")
    assert decision.kind == DecisionKind.OTHER
    assert not decision.legislation.exists()
    assert integrity.missing_parts(decision) == []


def test_allocating_the_lead_professional_rests_on_no_act(accepted_case, manager_a, practitioner_a):
    lead_professional_allocate(
        acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows the adult well"
    )
    decision = Decision.objects.get(case=accepted_case, kind=DecisionKind.ALLOCATE)
    assert integrity.missing_parts(decision) == []


def test_other_parts_are_still_asked_of_every_kind(person_a, practitioner_a):
    decision = decision_record(acting_user=practitioner_a, person=person_a, kind=DecisionKind.OTHER, summary="Visit")
    assert integrity.missing_parts(decision) == ["rationale", "who took part"]


def test_the_decision_log_shows_both(client_for, manager_a, practitioner_a, agency_c, accepted_case):
    share = _share(accepted_case, practitioner_a, agency_c).decision
    lead_professional_allocate(
        acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows the adult well"
    )
    allocation = Decision.objects.get(case=accepted_case, kind=DecisionKind.ALLOCATE)
    html = client_for(manager_a).get(reverse("decisions:case-log", kwargs={"case_pk": accepted_case.pk})).content
    cards = {
        decision.pk: html.decode().split(f'id="decision-{decision.pk}"', 1)[1].split('id="decision-', 1)[0]
        for decision in (share, allocation)
    }
    assert f"Incomplete</strong> Missing: {LEGISLATION}." in cards[share.pk]
    assert "Incomplete" not in cards[allocation.pk]
    assert ">Complete</strong>" in cards[allocation.pk]
