"""The pages, as each persona: reflections stay with their author's agency, the closure
refusal lists what is missing, escalation shows the local authority's decision."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.lifecycle import CaseStatus
from marm.closure import services
from marm.closure.models import EngagementAttempt, ReflectiveReview
from marm.decisions.models import Decision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(name, case, **kwargs):
    return reverse(f"closure:{name}", kwargs={"case_pk": case.pk, **kwargs})


def _date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _summary_lines(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def test_a_practitioner_logs_three_missed_appointments(live_case, practitioner_a_client, today):
    for _ in range(3):
        response = practitioner_a_client.post(
            _url("attempt-new", live_case),
            {"strategy": "appointment", "outcome": "did_not_attend", "notes": "", **_date("attempted_on", today)},
        )
        assert response.status_code == 302
    page = practitioner_a_client.get(_url("engagement", live_case)).content.decode()
    assert "3 attempts; 3 without engagement." in page
    assert "The last 3 attempts to engage have failed." in page
    assert page.count("Did not attend the appointment") == 3
    case_page = practitioner_a_client.get(reverse("cases:detail", kwargs={"case_pk": live_case.pk})).content.decode()
    assert "3 attempts without engagement." in case_page


def test_a_future_attempt_is_refused_on_the_form(live_case, practitioner_a_client, today):
    response = practitioner_a_client.post(
        _url("attempt-new", live_case),
        {"strategy": "call", "outcome": "no_answer", **_date("attempted_on", today.replace(year=today.year + 1))},
    )
    assert response.status_code == 200
    assert "must be today or in the past" in response.content.decode()
    assert not EngagementAttempt.objects.exists()


def test_flagging_leads_to_the_reflective_questions(live_case, practitioner_a_client):
    response = practitioner_a_client.post(_url("flag", live_case), {"reason": "No answer to calls or letters"})
    assert response["Location"] == _url("reflection-new", live_case)
    form = practitioner_a_client.get(response["Location"]).content.decode()
    assert "Am I relieved when there is no answer at the door?" in form
    assert "Do I feel at risk?" in form
    assert "Family acting as a gatekeeper" in form or "The family is acting as a gatekeeper" in form
    page = practitioner_a_client.get(_url("engagement", live_case)).content.decode()
    assert "Flagged: the adult or family is not engaging" in page
    assert "attempts to engage have failed" not in page


def _reflection_post():
    data = {
        "evidence_of_increased_risk": "The hoarding now blocks the stairs and she has missed three reviews.",
        "feel_at_risk": "yes",
        "feel_at_risk_details": "Her son was aggressive on the doorstep.",
        "concerns": ["gatekeeper", "duress"],
        "next_steps": ["discuss_with_manager", "legal_advice"],
        **_date("next_steps_due_on", timezone.localdate() + datetime.timedelta(days=14)),
        "reflection": "I have not seen her alone since March.",
    }
    data.update({f"colluding_{code}": "no" for code in ["family_word", "minimising", "hesitant", "keeping_to_myself"]})
    data.update({"colluding_relieved": "yes", "colluding_family_needs": "perhaps"})
    return data


def test_a_reflection_is_recorded_through_the_form(live_case, practitioner_a_client):
    response = practitioner_a_client.post(_url("reflection-new", live_case), _reflection_post())
    review = ReflectiveReview.objects.get()
    assert response["Location"] == _url("reflection", live_case, reflection_id=review.pk)
    assert review.colluding_answers["relieved"] == "yes"
    assert review.next_steps == ["discuss_with_manager", "legal_advice"]
    page = practitioner_a_client.get(response["Location"]).content.decode()
    assert "Her son was aggressive on the doorstep." in page
    assert "Seek legal advice" in page


def test_an_unanswered_colluding_question_is_shown_in_the_error_summary(live_case, practitioner_a_client):
    data = _reflection_post()
    del data["colluding_relieved"]
    response = practitioner_a_client.post(_url("reflection-new", live_case), data)
    assert response.status_code == 200
    assert "Select an answer for: am i relieved when there is no answer at the door?" in _summary_lines(
        response.content.decode()
    )
    assert not ReflectiveReview.objects.exists()


@pytest.fixture
def review(live_case, practitioner_a, reflect):
    return reflect(practitioner_a, live_case, reflection="Private: I avoided the son because he frightens me.")


@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "supervisor_a"])
def test_the_author_and_their_agencys_managers_and_supervisors_read_a_reflection(
    request, client_for, persona, live_case, review
):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(_url("reflection", live_case, reflection_id=review.pk))
    assert response.status_code == 200
    assert "I avoided the son" in response.content.decode()
    listing = client.get(_url("engagement", live_case)).content.decode()
    assert _url("reflection", live_case, reflection_id=review.pk) in listing


def test_another_agency_in_the_case_never_sees_a_reflection(police_b, police_b_client, live_case, review):
    response = police_b_client.get(_url("reflection", live_case, reflection_id=review.pk))
    assert response.status_code == 404
    assert "I avoided the son" not in response.content.decode()
    assert AuditEvent.objects.filter(
        actor_user=police_b, action=AuditAction.DENIED, object_type="closure.reflectivereview"
    ).exists()
    listing = police_b_client.get(_url("engagement", live_case)).content.decode()
    assert "Reflection of" not in listing
    assert "None you can read." in listing


def test_a_manager_of_another_agency_in_the_case_does_not_see_a_reflection(client_for, agency_b, live_case, review):
    police_manager = UserFactory(agency=agency_b, roles=["manager", "supervisor"])
    response = client_for(police_manager).get(_url("reflection", live_case, reflection_id=review.pk))
    assert response.status_code == 404


def test_another_practitioner_of_the_same_agency_does_not_see_a_reflection(client_for, agency_a, live_case, review):
    colleague = UserFactory(agency=agency_a, roles=["practitioner"])
    assert client_for(colleague).get(_url("reflection", live_case, reflection_id=review.pk)).status_code == 404


def test_the_auditor_of_the_same_agency_does_not_see_a_reflection(client_for, auditor_a, live_case, review):
    assert client_for(auditor_a).get(_url("reflection", live_case, reflection_id=review.pk)).status_code == 404


@pytest.mark.parametrize("name", ["engagement", "closure", "s42", "attempt-new", "close"])
def test_an_agency_not_in_the_case_gets_404(gp_c_client, live_case, name):
    assert gp_c_client.get(_url(name, live_case)).status_code == 404


def test_the_refused_closure_lists_each_missing_item_in_the_error_summary(
    client_for, manager_a, live_case, practitioner_a, agency_a
):
    services.non_engagement_flag_raise(acting_user=practitioner_a, case=live_case, reason="No answer for weeks")
    response = client_for(manager_a).post(
        _url("close", live_case),
        {
            "reason": "non_engagement",
            "rationale": "Six weeks without contact.",
            "risk_concern-b_outcome": "managed",
            "risk_concern-b_why": "Fire service fitted alarms.",
            "ongoing_support": "GP review",
            "support_agreed_by": [agency_a.pk],
            "handover_agency": agency_a.pk,
            "handover_to": "Locality team",
        },
    )
    assert response.status_code == 200
    lines = _summary_lines(response.content.decode())
    assert lines == [
        "A case closed for non-engagement needs a current agreed risk assessment and a check with every other "
        "agency in contact with the adult. Still to do:",
        "Agree a multi-agency risk assessment: none has been agreed for this case",
        "Check with Shire Police (takes part in the case): record who you spoke to, when, and what they said",
        "Say whether this risk is resolved or managed to an acceptable level: "
        "Refusal of, or disengagement from, care and support",
        "Record the information and advice given to the adult about getting help later",
    ]
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ACCEPTED


def test_a_practitioner_cannot_open_the_closure_form(practitioner_a_client, live_case):
    assert practitioner_a_client.get(_url("close", live_case)).status_code == 403


def test_checks_and_closure_through_the_pages(
    client_for, manager_a, practitioner_a_client, live_case, agency_a, agency_b, today, agreed_risk_assessment
):
    closure_page = practitioner_a_client.get(_url("closure", live_case)).content.decode()
    assert "Not checked" in closure_page
    assert "Version 1 was agreed on" in closure_page
    response = practitioner_a_client.post(
        _url("check-new", live_case),
        {
            "agency": agency_b.pk,
            "spoke_to": "PC Evans",
            "what_they_said": "No call-outs.",
            **_date("checked_on", today),
        },
    )
    assert response.status_code == 302
    assert "PC Evans said" in practitioner_a_client.get(_url("closure", live_case)).content.decode()
    response = client_for(manager_a).post(
        _url("close", live_case),
        {
            "reason": "non_engagement",
            "rationale": "Six weeks without contact; risks managed by the homecare provider.",
            "risk_assessment-home_environment_outcome": "managed",
            "risk_assessment-home_environment_why": "Hallway clear at the last two visits.",
            "ongoing_support": "GP review every three months",
            "support_agreed_by": [agency_a.pk, agency_b.pk],
            "handover_agency": agency_a.pk,
            "handover_to": "Locality team",
            "information_given": "Duty number and a leaflet on self-referral.",
        },
    )
    assert response.status_code == 302
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.CLOSED
    page = practitioner_a_client.get(_url("closure", live_case)).content.decode()
    assert "Signed off by" in page and escape(manager_a.full_name) in page
    assert "Managed to an acceptable level: Hallway clear at the last two visits." in page
    assert f"Agreed by {agency_a.name}, {agency_b.name}</span>" in page
    case_page = practitioner_a_client.get(reverse("cases:detail", kwargs={"case_pk": live_case.pk})).content.decode()
    assert f"signed off by {escape(manager_a.full_name)}" in case_page


def test_escalation_and_the_local_authoritys_decision(client_for, manager_a, live_case, today):
    client = client_for(manager_a)
    response = client.post(
        _url("s42-refer", live_case),
        {
            "risk_of_serious_harm": "A third fire in the flat.",
            "steps_taken": "Joint visits with the fire service; two multi-agency meetings.",
            "why_not_enough": "She refuses every intervention and the fires continue.",
            "lawful_basis": "risk_to_others",
            "referred_to": "Shire Safeguarding Hub",
            "marm_work": "continue",
            **_date("referred_on", today),
        },
    )
    assert response.status_code == 302
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ESCALATED
    case_page = client.get(reverse("cases:detail", kwargs={"case_pk": live_case.pk})).content.decode()
    assert "waiting for the local authority&#x27;s decision" in case_page
    referral = live_case.s42_referrals.get()
    response = client.post(
        _url("s42-outcome", live_case, referral_id=referral.pk),
        {
            "outcome": "no_enquiry",
            "reason": "Self-neglect with capacity; MARM is the right place.",
            "decided_by": "J Patel, safeguarding team manager",
            **_date("decided_on", today),
        },
    )
    assert response.status_code == 302
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.PLANNING
    page = client.get(_url("s42", live_case)).content.decode()
    assert "No section 42 enquiry" in page
    assert "Self-neglect with capacity; MARM is the right place." in page
    assert client.get(_url("s42-outcome", live_case, referral_id=referral.pk)).status_code == 404


def test_no_prompt_to_flag_when_one_of_the_last_three_attempts_engaged(
    live_case, practitioner_a, practitioner_a_client, today
):
    for outcome in ["did_not_attend", "engaged", "no_answer", "declined"]:
        services.engagement_attempt_log(
            acting_user=practitioner_a, case=live_case, strategy="call", attempted_on=today, outcome=outcome
        )
    page = practitioner_a_client.get(_url("engagement", live_case)).content.decode()
    assert "attempts to engage have failed" not in page
    assert "4 attempts; 3 without engagement." in page


def test_next_steps_become_plan_actions_that_the_other_agency_sees_without_the_reflection(
    live_case, practitioner_a, police_b_client, reflect, today
):
    from marm.plans.models import Action

    review = reflect(practitioner_a, live_case, next_steps=["discuss_with_manager", "legal_advice"])
    actions = list(Action.objects.filter(case=live_case).order_by("pk"))
    assert [a.what for a in actions] == [
        "Discuss the adult's non-engagement with the line manager",
        "Seek legal advice",
    ]
    assert {(a.lead_user, a.source, a.due_date) for a in actions} == {
        (practitioner_a, "non_engagement", review.next_steps_due_on)
    }
    page = police_b_client.get(_url("engagement", live_case)).content.decode()
    assert "Seek legal advice" in page
    assert reverse("plans:action", kwargs={"case_pk": live_case.pk, "action_id": actions[1].pk}) in page
    assert "Her son answers every call" not in page


def _close_post(agency_a, **overrides):
    data = {
        "reason": "risks_managed",
        "rationale": "She accepts the homecare visits.",
        "risk_concern-b_outcome": "managed",
        "risk_concern-b_why": "Fire service fitted alarms.",
        "risk_concern-c_outcome": "managed",
        "risk_concern-c_why": "Accepts two visits a day.",
        "ongoing_support": "GP review",
        "support_agreed_by": [agency_a.pk],
        "handover_agency": agency_a.pk,
        "handover_to": "Locality team",
        "information_given": "Duty number and a leaflet on self-referral.",
    }
    data.update(overrides)
    return data


def test_after_failed_attempts_the_close_form_asks_why_non_engagement_does_not_apply(
    client_for, manager_a, practitioner_a, live_case, agency_a, today
):
    client = client_for(manager_a)
    assert "Why non-engagement does not apply" not in client.get(_url("close", live_case)).content.decode()
    for _ in range(3):
        services.engagement_attempt_log(
            acting_user=practitioner_a, case=live_case, strategy="call", attempted_on=today, outcome="no_answer"
        )
    page = client.get(_url("close", live_case)).content.decode()
    assert "Why non-engagement does not apply" in page
    assert "3 attempts to engage the adult failed and no risk assessment was agreed" in page
    closure_page = client.get(_url("closure", live_case)).content.decode()
    assert "whatever the reason for closing" in closure_page

    response = client.post(_url("close", live_case), _close_post(agency_a))
    assert response.status_code == 200
    assert _summary_lines(response.content.decode()) == [
        "The adult has not engaged and no risk assessment has been agreed: agree a current risk assessment and "
        "check with every other agency in contact with the adult, or say why non-engagement does not apply. "
        "Still to do:",
        "Agree a multi-agency risk assessment: none has been agreed for this case",
        "Check with Shire Police (takes part in the case): record who you spoke to, when, and what they said",
    ]
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.ACCEPTED

    why = "The calls went to an old number; she has engaged at every home visit since."
    response = client.post(_url("close", live_case), _close_post(agency_a, non_engagement_not_applicable=why))
    assert response.status_code == 302
    live_case.refresh_from_db()
    assert live_case.status == CaseStatus.CLOSED
    assert Decision.objects.filter(
        case=live_case, summary="Non-engagement does not apply to this closure", rationale__startswith=why
    ).exists()


def test_a_flagged_case_is_not_offered_the_non_engagement_does_not_apply_reason(
    client_for, manager_a, practitioner_a, live_case, today
):
    services.engagement_attempt_log(
        acting_user=practitioner_a, case=live_case, strategy="call", attempted_on=today, outcome="no_answer"
    )
    services.non_engagement_flag_raise(acting_user=practitioner_a, case=live_case, reason="No answer")
    assert (
        "Why non-engagement does not apply" not in client_for(manager_a).get(_url("close", live_case)).content.decode()
    )
