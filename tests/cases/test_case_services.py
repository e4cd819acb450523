import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditEvent
from marm.cases.lifecycle import CaseStatus, MoveNotAllowed
from marm.cases.models import Case, CaseAgency, CaseTransition, KeyAction, LeadProfessional
from marm.cases.services import (
    case_raise,
    case_reopen,
    case_screen,
    case_transition,
    key_action_update,
    lead_professional_allocate,
    routed_process_end,
)
from marm.cases.vocab import STAGE_1_KEY_ACTIONS
from marm.decisions.models import Decision, DecisionKind

pytestmark = pytest.mark.django_db


def test_the_raising_agency_leads_and_is_the_only_agency_on_the_case(concern, practitioner_a):
    assert concern.lead_agency == practitioner_a.agency
    assert concern.status == CaseStatus.CONCERN
    assert list(CaseAgency.objects.filter(case=concern).values_list("agency", "access")) == [
        (practitioner_a.agency_id, "full")
    ]
    assert CaseTransition.objects.get(case=concern).to_status == CaseStatus.CONCERN
    assert concern.reference.startswith("MARM-")
    assert AuditEvent.objects.filter(object_type="cases.case", action="create").count() == 1


def test_a_concern_can_only_be_raised_about_a_person_the_agency_can_see(gp_c, person_a):
    with pytest.raises(RecordNotVisible):
        case_raise(acting_user=gp_c, person=person_a, what_is_happening="Worried")
    assert not Case.objects.exists()


def test_others_at_risk_needs_details_and_unknown_choices_are_refused(practitioner_a, person_a):
    with pytest.raises(ValidationError) as error:
        case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", others_at_risk="yes")
    assert "others_at_risk_details" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", risk_categories=["z"])
    assert "risk_categories" in error.value.message_dict
    assert not Case.objects.exists()


def test_a_move_the_lifecycle_does_not_allow_is_refused_with_the_allowed_moves(concern, manager_a, practitioner_a):
    with pytest.raises(PermissionDenied):
        case_transition(acting_user=practitioner_a, case=concern, to_status=CaseStatus.SCREENING, reason="Start")
    with pytest.raises(MoveNotAllowed) as error:
        case_transition(acting_user=manager_a, case=concern, to_status=CaseStatus.REVIEW, reason="Skip ahead")
    assert "A case at 'Concern raised' cannot move to 'Review'" in str(error.value)
    assert "'Screening'" in str(error.value)
    concern.refresh_from_db()
    assert concern.status == CaseStatus.CONCERN
    assert CaseTransition.objects.filter(case=concern).count() == 1


def test_only_a_manager_of_the_lead_agency_screens(concern, practitioner_a, client_for, agency_b):
    from marm.organisations.models import Role
    from tests.factories import UserFactory

    police_manager = UserFactory(agency=agency_b, roles=[Role.MANAGER])
    # A practitioner of the lead agency may see the concern but not screen it; the police are not
    # part of the case, so for them it does not exist.
    for user, refusal in ((practitioner_a, PermissionDenied), (police_manager, RecordNotVisible)):
        with pytest.raises(refusal):
            case_screen(
                acting_user=user,
                case=concern,
                s42_duty_applies="no",
                better_process="none",
                outcome="accept",
                rationale="Fits",
            )
    assert concern.screenings.count() == 0


def test_accepting_records_the_decision_and_sets_up_the_stage_1_checklist(accepted_case, manager_a, care_act):
    assert accepted_case.status == CaseStatus.ACCEPTED
    decision = Decision.objects.get(case=accepted_case)
    assert decision.kind == DecisionKind.ACCEPT
    assert decision.recorded_by == manager_a
    assert list(decision.legislation.all()) == [care_act]
    assert "s42 does not apply" in decision.rationale
    statuses = list(CaseTransition.objects.filter(case=accepted_case).values_list("to_status", flat=True))
    assert statuses == [CaseStatus.CONCERN, CaseStatus.SCREENING, CaseStatus.ACCEPTED]
    assert KeyAction.objects.filter(case=accepted_case, stage=1).count() == len(STAGE_1_KEY_ACTIONS)
    done = set(KeyAction.objects.filter(case=accepted_case, status="done").values_list("code", flat=True))
    assert done == {"other_process", "s42_duty"}


def test_routing_to_marac_needs_the_dash_score_and_where_it_went(concern, manager_a):
    with pytest.raises(ValidationError) as error:
        case_screen(
            acting_user=manager_a,
            case=concern,
            s42_duty_applies="no",
            better_process="marac",
            outcome="route",
            rationale="Domestic abuse, high risk",
        )
    assert set(error.value.message_dict) == {"dash_ticks", "routed_to", "routed_on"}
    concern.refresh_from_db()
    assert concern.status == CaseStatus.CONCERN
    assert not Decision.objects.exists()


def test_a_routed_concern_reopens_into_marm_with_everything_carried_over(concern, manager_a):
    case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="marac",
        dash_ticks=15,
        outcome="route",
        rationale="DASH of 15: MARAC",
        routed_to="MARAC coordinator",
        routed_on=datetime.date(2026, 11, 20),
        what_was_sent="DASH checklist and referral form",
    )
    concern.refresh_from_db()
    assert concern.status == CaseStatus.ROUTED
    routed_process_end(
        acting_user=manager_a, routed_process=concern.routed_processes.get(), ended_on=datetime.date(2026, 11, 27)
    )
    case_reopen(acting_user=manager_a, case=concern, rationale="MARAC closed; risks from self-neglect remain")
    case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Self-neglect continues",
    )
    concern.refresh_from_db()
    assert concern.status == CaseStatus.ACCEPTED
    assert concern.what_is_happening.startswith("Hoarding")
    assert concern.screenings.count() == 2
    kinds = list(Decision.objects.filter(case=concern).order_by("recorded_at").values_list("kind", flat=True))
    assert kinds == [DecisionKind.ROUTE, DecisionKind.REOPEN, DecisionKind.ACCEPT]


def test_no_further_action_closes_the_concern(concern, manager_a):
    case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="single_agency",
        outcome="nfa",
        rationale="Single-agency support is enough",
    )
    concern.refresh_from_db()
    assert concern.status == CaseStatus.CLOSED


def test_allocating_the_lead_professional(accepted_case, manager_a, practitioner_a, police_b):
    with pytest.raises(ValidationError):  # police are not on the case yet
        lead_professional_allocate(acting_user=manager_a, case=accepted_case, user=police_b, rationale="x")
    lead_professional_allocate(
        acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows the adult best"
    )
    lead_professional_allocate(acting_user=manager_a, case=accepted_case, user=manager_a, rationale="Cover")
    assert LeadProfessional.objects.filter(case=accepted_case).count() == 2
    assert LeadProfessional.objects.get(case=accepted_case, ended_at__isnull=True).user == manager_a
    assert KeyAction.objects.get(case=accepted_case, code="allocate_lead").status == "done"
    assert Decision.objects.filter(case=accepted_case, kind=DecisionKind.ALLOCATE).count() == 2


def test_a_concern_not_yet_accepted_has_no_lead_professional(concern, manager_a, practitioner_a):
    with pytest.raises(ValidationError):
        lead_professional_allocate(acting_user=manager_a, case=concern, user=practitioner_a, rationale="x")


def test_key_actions_not_applicable_need_a_reason_and_stale_saves_are_refused(accepted_case, practitioner_a):
    from marm.core.locking import StaleEditError

    item = KeyAction.objects.get(case=accepted_case, code="capacity_assessment")
    with pytest.raises(ValidationError):
        key_action_update(acting_user=practitioner_a, key_action=item, expected_version=1, status="not_applicable")
    key_action_update(
        acting_user=practitioner_a,
        key_action=item,
        expected_version=1,
        status="not_applicable",
        reason="No doubt about capacity for this decision",
    )
    stale = KeyAction.objects.get(pk=item.pk)
    stale.version = 1
    with pytest.raises(StaleEditError):
        key_action_update(acting_user=practitioner_a, key_action=stale, expected_version=1, status="done")
    assert KeyAction.objects.get(pk=item.pk).status == "not_applicable"
