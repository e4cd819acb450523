"""Permissions that know the case's stage: screening, allocating and reopening.

Each action is one named permission whose rule includes the case's status (marm/cases/rules.py);
the case page, the form pages and the services all ask it.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marm.cases.lifecycle import ALLOWED_MOVES, CaseStatus, MoveNotAllowed, moves_into
from marm.cases.models import Case, LeadProfessional
from marm.cases.services import case_reopen, case_screen, lead_professional_allocate
from marm.decisions.models import Decision, DecisionKind
from marm.organisations.models import Role
from tests.factories import UserFactory

S = CaseStatus
STAGES = {
    "cases.screen_case": {S.CONCERN, S.SCREENING, S.REOPENED},
    "cases.allocate_lead_professional": {S.ACCEPTED, S.PLANNING, S.REVIEW, S.ESCALATED},
    "cases.reopen_case": {S.ROUTED, S.CLOSED},
}


def test_moves_into_reads_the_move_table():
    assert moves_into(S.REOPENED) == {S.ROUTED, S.CLOSED}
    assert moves_into(S.ESCALATED) == {S.ACCEPTED, S.PLANNING, S.REVIEW}
    for target in S:
        assert moves_into(target) == {s for s, targets in ALLOWED_MOVES.items() if target in targets}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("perm", sorted(STAGES))
def test_a_manager_of_the_lead_agency_may_act_only_at_the_action_s_stages(
    perm, status, concern, manager_a, practitioner_a, agency_b
):
    police_manager = UserFactory(agency=agency_b, roles=[Role.MANAGER])
    concern.status = status
    assert manager_a.has_perm(perm, concern) is (status in STAGES[perm])
    # The role and the agency still decide first: at no stage may anyone else.
    assert not practitioner_a.has_perm(perm, concern)
    assert not police_manager.has_perm(perm, concern)
    assert not manager_a.has_perm(perm)


@pytest.mark.parametrize("status", list(S))
def test_ending_an_agency_s_part_is_open_at_every_stage(status, concern, manager_a, practitioner_a):
    concern.status = status
    assert manager_a.has_perm("cases.end_involvement", concern)
    assert not practitioner_a.has_perm("cases.end_involvement", concern)


def test_screening_an_accepted_case_is_refused_saying_why(accepted_case, manager_a, practitioner_a):
    arguments = {
        "case": accepted_case,
        "s42_duty_applies": "no",
        "better_process": "none",
        "outcome": "accept",
        "rationale": "Fits",
    }
    with pytest.raises(MoveNotAllowed) as error:
        case_screen(acting_user=manager_a, **arguments)
    assert "A case at 'Accepted into MARM' cannot move to 'Screening'" in str(error.value)
    with pytest.raises(PermissionDenied):
        case_screen(acting_user=practitioner_a, **arguments)
    assert accepted_case.screenings.count() == 1


def test_allocating_before_acceptance_is_refused_saying_why(concern, manager_a, practitioner_a):
    with pytest.raises(ValidationError) as error:
        lead_professional_allocate(acting_user=manager_a, case=concern, user=practitioner_a, rationale="Knows her")
    assert "allocated once the case has been accepted into MARM" in str(error.value)
    with pytest.raises(PermissionDenied):
        lead_professional_allocate(acting_user=practitioner_a, case=concern, user=practitioner_a, rationale="Me")
    assert not LeadProfessional.objects.exists()


def test_reopening_a_live_case_is_refused_saying_why(accepted_case, manager_a, practitioner_a):
    with pytest.raises(MoveNotAllowed) as error:
        case_reopen(acting_user=manager_a, case=accepted_case, rationale="New concerns")
    assert "A case at 'Accepted into MARM' cannot move to 'Reopened'" in str(error.value)
    with pytest.raises(PermissionDenied):
        case_reopen(acting_user=practitioner_a, case=accepted_case, rationale="New concerns")
    assert not Decision.objects.filter(case=accepted_case, kind=DecisionKind.REOPEN).exists()


BUTTONS = {
    "screen": "Screen the concern",
    "allocate": "Allocate the lead professional",
    "reopen": "Reopen into MARM",
}


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (S.CONCERN, {"screen"}),
        (S.REOPENED, {"screen"}),
        (S.ACCEPTED, {"allocate"}),
        (S.ESCALATED, {"allocate"}),
        (S.ROUTED, {"reopen"}),
        (S.CLOSED, {"reopen"}),
    ],
)
def test_the_case_page_offers_only_what_the_stage_allows(status, shown, concern, manager_a, client_for):
    Case.objects.filter(pk=concern.pk).update(status=status)
    page = client_for(manager_a).get(reverse("cases:detail", kwargs={"case_pk": concern.pk})).content.decode()
    for name, label in BUTTONS.items():
        assert (label in page) is (name in shown), label


def test_a_practitioner_is_offered_none_of_the_manager_s_actions(concern, practitioner_a_client):
    page = practitioner_a_client.get(reverse("cases:detail", kwargs={"case_pk": concern.pk})).content.decode()
    assert not any(label in page for label in BUTTONS.values())


def test_a_form_opened_after_the_case_moved_on_says_why_on_submit(accepted_case, manager_a, client_for):
    client = client_for(manager_a)
    url = reverse("cases:reopen", kwargs={"case_pk": accepted_case.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"rationale": "New concerns"})
    assert response.status_code == 200
    assert "cannot move to" in response.content.decode()
    accepted_case.refresh_from_db()
    assert accepted_case.status == S.ACCEPTED
