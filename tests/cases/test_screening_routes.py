"""Screening that keeps the records straight: a high DASH score accepted into MARM says why,
routing to MARAC, MAPPA, Channel or CPA records that process for the person, and reopening while
it runs asks why MARM should run alongside it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditEvent
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import CaseTransition, RoutedProcess, Screening
from marm.cases.services import case_reopen, case_screen, routed_process_end
from marm.decisions.models import Decision, DecisionKind

pytestmark = pytest.mark.django_db

ROUTED_ON = datetime.date(2025, 3, 3)


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"case_pk": case.pk, **kwargs})


def _route(case, manager, process="marac", **extra):
    screening = case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process=process,
        dash_ticks=extra.pop("dash_ticks", 16 if process == "marac" else None),
        outcome="route",
        rationale="Domestic abuse at high risk: the other process fits better",
        routed_to="The coordinator",
        routed_on=ROUTED_ON,
        **extra,
    )
    case.refresh_from_db()
    return screening


# 1. A DASH count of 14 or more, accepted into MARM, says why.


def test_accepting_a_high_dash_score_without_a_reason_is_refused_and_writes_nothing(concern, manager_a):
    decisions, audit_rows = Decision.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        case_screen(
            acting_user=manager_a,
            case=concern,
            s42_duty_applies="no",
            better_process="none",
            dash_ticks=14,
            outcome="accept",
            rationale="Self-neglect is the main risk",
        )
    assert "dash_reason" in refused.value.error_dict
    concern.refresh_from_db()
    assert concern.status == CaseStatus.CONCERN
    assert not Screening.objects.filter(case=concern).exists()
    assert CaseTransition.objects.filter(case=concern).count() == 1
    assert (Decision.objects.count(), AuditEvent.objects.count()) == (decisions, audit_rows)


def test_a_high_dash_score_accepted_with_a_reason_is_kept_and_shown(client_for, manager_a, concern):
    screening = case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="none",
        dash_ticks=17,
        dash_reason="MARAC already heard this; the hoarding and fire risk need MARM",
        outcome="accept",
        rationale="Self-neglect is the main risk",
    )
    assert screening.dash_reason == "MARAC already heard this; the hoarding and fire risk need MARM"
    decision = Decision.objects.get(case=concern, kind=DecisionKind.ACCEPT)
    assert "high-risk DASH checklist (17 ticks)" in decision.summary
    assert "Why MARM rather than MARAC: MARAC already heard this" in decision.rationale
    page = client_for(manager_a).get(_url("cases:detail", concern)).content.decode()
    assert "Why MARM rather than MARAC" in page
    assert "the hoarding and fire risk need MARM" in page


def test_a_low_dash_score_or_another_outcome_asks_no_reason(concern, manager_a):
    screening = case_screen(
        acting_user=manager_a,
        case=concern,
        s42_duty_applies="no",
        better_process="none",
        dash_ticks=13,
        dash_reason="Not asked for",
        outcome="accept",
        rationale="Self-neglect is the main risk",
    )
    assert screening.dash_reason == ""


def test_the_form_asks_for_the_reason_only_when_the_score_is_high_and_the_case_accepted(client_for, manager_a, concern):
    client = client_for(manager_a)
    assert 'name="dash_reason"' not in client.get(_url("cases:screen", concern)).content.decode()
    data = {"s42_duty_applies": "no", "better_process": "none", "outcome": "accept", "rationale": "Self-neglect"}
    response = client.post(_url("cases:screen", concern), {**data, "dash_ticks": "15"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Say why the case should be accepted into MARM rather than referred to MARAC" in page
    assert 'name="dash_reason"' in page
    assert not Screening.objects.filter(case=concern).exists()
    response = client.post(_url("cases:screen", concern), {**data, "dash_ticks": "15", "dash_reason": "Known to MARAC"})
    assert response.status_code == 302
    assert Screening.objects.get(case=concern).dash_reason == "Known to MARAC"


# 2. Routing to MARAC, MAPPA, Channel or CPA records the process for the person.


@pytest.mark.parametrize("process", ["marac", "mappa", "channel", "cpa"])
def test_routing_to_another_process_records_it_as_active_for_the_person(concern, manager_a, process):
    screening = _route(concern, manager_a, process)
    routed = RoutedProcess.objects.get(person=concern.person)
    assert (routed.process, routed.started_on, routed.case, routed.screening) == (
        process,
        ROUTED_ON,
        concern,
        screening,
    )
    assert routed.started_by == manager_a
    assert routed.is_active
    assert AuditEvent.objects.filter(object_type="cases.routedprocess", object_id=str(routed.pk)).exists()


def test_routing_to_a_section_42_enquiry_records_no_other_process(concern, manager_a):
    _route(concern, manager_a, "s42")
    assert concern.status == CaseStatus.ROUTED
    assert not RoutedProcess.objects.exists()


def test_the_person_page_shows_the_process_and_the_case_it_came_from(client_for, manager_a, police_b, concern):
    _route(concern, manager_a)
    page = client_for(manager_a).get(reverse("people:detail", kwargs={"pk": concern.person.pk})).content.decode()
    assert "Other processes" in page
    assert "MARAC: from 3 March 2025" in page
    assert (
        f'Routed from case <a href="{_url("cases:detail", concern)}" class="govuk-link">{concern.reference}</a>' in page
    )
    # The police are involved with the person but take no part in the case: the process, not the case.
    page = client_for(police_b).get(reverse("people:detail", kwargs={"pk": concern.person.pk})).content.decode()
    assert "MARAC: from 3 March 2025" in page
    assert concern.reference not in page


def test_the_manager_records_the_end_of_the_process(client_for, manager_a, concern):
    _route(concern, manager_a)
    routed = RoutedProcess.objects.get()
    url = _url("cases:routed-process-end", concern, process_id=routed.pk)
    response = client_for(manager_a).post(url, {"ended_on_0": "", "ended_on_1": "", "ended_on_2": ""})
    assert "Enter the date the process ended" in response.content.decode()
    assert RoutedProcess.objects.get().is_active
    response = client_for(manager_a).post(url, {"ended_on_0": "10", "ended_on_1": "4", "ended_on_2": "2025"})
    assert response.status_code == 302
    routed.refresh_from_db()
    assert (routed.ended_on, routed.ended_by) == (datetime.date(2025, 4, 10), manager_a)
    page = client_for(manager_a).get(_url("cases:detail", concern)).content.decode()
    assert "MARAC: from 3 March 2025" in page
    assert "to 10 April 2025" in page


def test_only_the_lead_agencys_manager_ends_the_process(client_for, practitioner_a, gp_c, manager_a, concern):
    _route(concern, manager_a)
    routed = RoutedProcess.objects.get()
    url = _url("cases:routed-process-end", concern, process_id=routed.pk)
    assert client_for(practitioner_a).get(url).status_code == 403
    assert client_for(gp_c).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        routed_process_end(acting_user=practitioner_a, routed_process=routed, ended_on=timezone.localdate())
    routed.refresh_from_db()
    assert routed.is_active


def test_reopening_while_the_process_runs_warns_and_asks_why(client_for, manager_a, concern):
    _route(concern, manager_a)
    client = client_for(manager_a)
    page = client.get(_url("cases:reopen", concern)).content.decode()
    assert "govuk-warning-text" in page
    assert "MARAC is still active" in page
    response = client.post(_url("cases:reopen", concern), {"rationale": "Self-neglect risks remain"})
    page = response.content.decode()
    assert "Say why MARM should run alongside MARAC" in page
    concern.refresh_from_db()
    assert concern.status == CaseStatus.ROUTED
    assert not Decision.objects.filter(case=concern, kind=DecisionKind.REOPEN).exists()
    with pytest.raises(ValidationError):
        case_reopen(acting_user=manager_a, case=concern, rationale="Self-neglect risks remain")
    response = client.post(
        _url("cases:reopen", concern),
        {"rationale": "Self-neglect risks remain", "alongside_reason": "MARAC covers the abuse, not the hoarding"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(case=concern, kind=DecisionKind.REOPEN)
    assert decision.summary == "Reopened into MARM alongside MARAC, which is still active"
    assert "Why MARM should run alongside MARAC: MARAC covers the abuse, not the hoarding" in decision.rationale


def test_once_the_process_has_ended_reopening_asks_nothing_more(client_for, manager_a, concern):
    _route(concern, manager_a)
    routed_process_end(acting_user=manager_a, routed_process=RoutedProcess.objects.get(), ended_on=ROUTED_ON)
    assert "govuk-warning-text" not in client_for(manager_a).get(_url("cases:reopen", concern)).content.decode()
    case_reopen(acting_user=manager_a, case=concern, rationale="MARAC closed; self-neglect remains")
    assert Decision.objects.get(case=concern, kind=DecisionKind.REOPEN).summary == "Reopened into MARM"


# 3. The summaries on the case page agree with the lists under them.


def _page(client_for, user, case):
    return client_for(user).get(_url("cases:detail", case)).content.decode()


def test_nothing_recorded_is_said_to_be_not_recorded(client_for, practitioner_a, concern):
    concern.entry_criteria, concern.daily_life_areas, concern.at_risk_tests = [], [], []
    concern.unable_or_unwilling_to_self_care = False
    concern.save()
    page = _page(client_for, practitioner_a, concern)
    assert "do not hold" not in page
    assert "Not met: none of the 5 entry criteria is recorded as holding." in page
    assert page.count("Not recorded</strong>") == 5 + 1 + 4
    assert (
        "Not shown to be at risk: being unable or unwilling to care for themselves is not recorded "
        "and none of the 4 circumstances is recorded." in page
    )


def test_some_recorded_counts_what_the_list_shows(client_for, practitioner_a, concern):
    # The daily-life criterion without an area does not hold: it is listed, and counted, as not recorded.
    concern.entry_criteria, concern.daily_life_areas = ["harm", "partners", "daily_life"], []
    concern.unable_or_unwilling_to_self_care, concern.at_risk_tests = False, ["refused"]
    concern.save()
    page = _page(client_for, practitioner_a, concern)
    assert "Not met: 2 of 5 entry criteria recorded as holding; 3 not recorded." in page
    assert page.count("Holds</strong>") == 2 + 1
    assert page.count("Not recorded</strong>") == 3 + 1 + 3
    assert "Not shown to be at risk: being unable or unwilling to care for themselves is not recorded." in page


def test_all_recorded_says_met(client_for, practitioner_a, concern):
    concern.entry_criteria = ["harm", "refuses", "not_mitigated", "daily_life", "partners"]
    concern.daily_life_areas = ["home"]
    concern.unable_or_unwilling_to_self_care, concern.at_risk_tests = True, ["care", "decide", "protect", "refused"]
    concern.save()
    page = _page(client_for, practitioner_a, concern)
    assert "Met: all 5 entry criteria are recorded as holding." in page
    assert "Not recorded</strong>" not in page
    assert "At risk: the adult is recorded as unable or unwilling to care for themselves, with all of the 4" in page


def test_the_key_action_counts_match_the_table(client_for, manager_a, accepted_case):
    page = _page(client_for, manager_a, accepted_case)
    assert "14 of 16 key actions outstanding; 2 done, 0 not applicable." in page
    assert page.count('govuk-tag--yellow">Outstanding') == 14
    assert page.count('govuk-tag--green">Done') == 2
    for item in accepted_case.key_actions.all():
        item.status, item.reason = ("not_applicable", "No carer") if item.position % 2 else ("done", "")
        item.save()
    page = _page(client_for, manager_a, accepted_case)
    assert "All 16 key actions are settled: 8 done, 8 not applicable." in page
    assert "Outstanding</strong>" not in page
