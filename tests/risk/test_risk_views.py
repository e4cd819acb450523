"""The risk pages as each persona: involved agencies work in them; others get 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.risk.models import AspectAssessment, BestInterestsDecision, CapacityAssessment
from tests.risk import helpers
from tests.risk.test_capacity_services import BEST_INTERESTS

pytestmark = pytest.mark.django_db


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"case_pk": case.pk, **kwargs})


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_another_agency_not_involved_gets_404_on_every_risk_page_and_is_audited(client_for, agreed, gp_c):
    case = agreed.assessment.case
    client = client_for(gp_c)
    for name, extra in [
        ("risk:assessment", {}),
        ("risk:version", {"number": 1}),
        ("risk:copies", {}),
        ("risk:capacity", {}),
        ("risk:capacity-add", {}),
    ]:
        response = client.get(_url(name, case, **extra))
        assert response.status_code == 404, name
        assert "Thornbury" not in response.content.decode()
    assert AuditEvent.objects.filter(actor_user=gp_c, action=AuditAction.DENIED).count() == 5


def test_the_police_contribute_to_an_aspect_through_the_page(client_for, draft, police_b):
    case = draft.assessment.case
    row = AspectAssessment.objects.get(assessment_version=draft, aspect="public_safety")
    before = client_for(police_b).get(_url("risk:assessment", case)).content.decode()
    assert "Before it can be agreed: Record what is known and rate the risk for every aspect" in before
    assert "Set the overall level of risk. Summarise the plan" in before
    response = client_for(police_b).post(
        _url("risk:edit-aspect", case, aspect="public_safety"),
        {
            "what_is_known": "Two call-outs for smoke.",
            "likelihood": "3",
            "impact": "4",
            "adult_view": "",
            "version": row.version,
        },
    )
    assert response.status_code == 302
    page = client_for(police_b).get(_url("risk:assessment", case)).content.decode()
    assert "Two call-outs for smoke." in page and "Very high" in page
    assert '<td class="govuk-table__cell">Shire Police</td>' in page  # the agencies that contributed to the row
    form = client_for(police_b).get(_url("risk:edit-aspect", case, aspect="public_safety")).content.decode()
    assert "Already contributed: Shire Police." in form


def test_a_rating_needs_both_halves(client_for, draft, police_b):
    row = AspectAssessment.objects.get(assessment_version=draft, aspect="money")
    response = client_for(police_b).post(
        _url("risk:edit-aspect", draft.assessment.case, aspect="money"),
        {"what_is_known": "Debt", "likelihood": "3", "impact": "", "version": row.version},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    row.refresh_from_db()
    assert row.what_is_known == ""


def test_C1_the_second_save_shows_both_versions_and_keeps_what_was_typed(client_for, draft, practitioner_a, police_b):
    case = draft.assessment.case
    row = AspectAssessment.objects.get(assessment_version=draft, aspect="home_environment")
    opened = row.version
    url = _url("risk:edit-aspect", case, aspect="home_environment")
    first = client_for(practitioner_a).post(
        url, {"what_is_known": "Hallway blocked by boxes.", "likelihood": "3", "impact": "3", "version": opened}
    )
    assert first.status_code == 302
    second = client_for(police_b).post(
        url, {"what_is_known": "Smoke alarm taken down.", "likelihood": "4", "impact": "4", "version": opened}
    )
    assert second.status_code == 409
    content = second.content.decode()
    assert "Hallway blocked by boxes." in content and "Smoke alarm taken down." in content
    assert "Save my version" in content
    row.refresh_from_db()
    assert row.what_is_known == "Hallway blocked by boxes."
    # Saving again from the conflict page (which carries the new version) goes through.
    again = client_for(police_b).post(
        url,
        {
            "what_is_known": "Both: boxes, and the smoke alarm is down.",
            "likelihood": "4",
            "impact": "4",
            "version": row.version,
        },
    )
    assert again.status_code == 302


def test_the_overview_conflict_page_shows_both(client_for, draft, practitioner_a, police_b):
    case = draft.assessment.case
    url = _url("risk:edit-overview", case)
    opened = draft.version
    client_for(practitioner_a).post(url, {"plan_summary": "Weekly visits.", "version": opened})
    response = client_for(police_b).post(url, {"plan_summary": "Fire safety visit first.", "version": opened})
    assert response.status_code == 409
    assert "Weekly visits." in response.content.decode() and "Fire safety visit first." in response.content.decode()


def test_agreeing_through_the_page_locks_the_version_and_starting_the_next_shows_the_changes(
    client_for, draft, practitioner_a, police_b
):
    case = draft.assessment.case
    client = client_for(practitioner_a)
    assert "Not ready: Record what is known" in client.get(_url("risk:agree", case)).content.decode()
    helpers.fill_draft(police_b, draft)
    draft.refresh_from_db()
    response = client.post(
        _url("risk:agree", case),
        {
            "how": "lead_professional",
            **_date("agreed_on", timezone.localdate()),
            "note": "Agreed by phone with all.",
            "version": draft.version,
        },
    )
    assert response.status_code == 302
    assert client.post(_url("risk:start", case)).status_code == 302
    row = AspectAssessment.objects.get(assessment_version__number=2, aspect="money")
    client.post(
        _url("risk:edit-aspect", case, aspect="money"),
        {"what_is_known": "Debts cleared.", "likelihood": "1", "impact": "1", "version": row.version},
    )
    page = client.get(_url("risk:version", case, number=2)).content.decode()
    assert "Changed since version 1" in page
    assert "Money management and budgeting: level" in page and "Debts cleared." in page
    # Version 2 keeps the police's contribution to each row and adds the practitioner's agency where it wrote.
    assert f"{practitioner_a.agency.name}, {police_b.agency.name}</dd>" in page
    overview = client.get(_url("risk:assessment", case)).content.decode()
    assert "Risk trajectory" in overview and "Version 1: overall high" in overview


def test_the_police_cannot_agree(client_for, draft, police_b):
    assert client_for(police_b).get(_url("risk:agree", draft.assessment.case)).status_code == 403


def test_an_auditor_reads_but_does_not_write(client_for, agreed, auditor_a):
    case = agreed.assessment.case
    client = client_for(auditor_a)
    assert client.get(_url("risk:assessment", case)).status_code == 200
    assert client.get(_url("risk:capacity-add", case)).status_code == 403
    assert client.post(_url("risk:start", case)).status_code == 403


def test_recording_lacks_capacity_without_the_functional_test_shows_the_errors(client_for, led_case, practitioner_a):
    today = timezone.localdate()
    data = {
        "decision": "Where to live",
        **_date("assessed_on", today),
        "practicable_steps": "Explained with pictures.",
        "impairment": "yes",
        "impairment_details": "Dementia",
        "decisional_capacity": "lacks",
        "executive_capacity": "not_assessed",
        "outcome": "lacks",
        "outcome_reasons": "Could not weigh it.",
        **_date("review_by", today.replace(year=today.year + 1)),
    }
    response = client_for(practitioner_a).post(_url("risk:capacity-add", led_case), data)
    assert response.status_code == 200
    assert "Answer every part of the functional test" in response.content.decode()
    assert not CapacityAssessment.objects.exists()


def test_a_best_interests_decision_through_the_page(client_for, led_case, practitioner_a):
    assessment = helpers.assess(practitioner_a, led_case, helpers.LACKS)
    data = {k: ("on" if v is True else v) for k, v in BEST_INTERESTS.items()}
    response = client_for(practitioner_a).post(_url("risk:best-interests", led_case, assessment_id=assessment.pk), data)
    assert response.status_code == 302
    decision = BestInterestsDecision.objects.get()
    page = client_for(practitioner_a).get(_url("risk:capacity-detail", led_case, assessment_id=assessment.pk))
    assert decision.summary in page.content.decode()
    assert "Checked on the Office of the Public Guardian register" in page.content.decode()


def test_a_refusal_through_the_page_names_each_agency(client_for, led_case, practitioner_a, agency_a, agency_b):
    response = client_for(practitioner_a).post(
        _url("risk:refusal-add", led_case),
        {
            "what_is_refused": "Homecare",
            **_date("refused_on", timezone.localdate()),
            "advice_on_reducing_risk": "Keep a clear path to the door.",
            "help_later_information": "Ring 0300 555 0101 if you change your mind.",
            f"effort_{agency_a.pk}": "Three visits.",
            f"effort_{agency_b.pk}": "Welfare check.",
        },
    )
    assert response.status_code == 302
    page = client_for(practitioner_a).get(_url("risk:capacity", led_case)).content.decode()
    assert "Efforts: Shire Police" in page and "Ring 0300 555 0101" in page


def test_the_case_page_shows_presumed_capacity_then_the_look_again_dates(client_for, led_case, practitioner_a):
    client = client_for(practitioner_a)
    page = client.get(reverse("cases:detail", kwargs={"case_pk": led_case.pk})).content.decode()
    assert "Presumed to have capacity" in page
    assert _url("risk:assessment", led_case) in page and _url("risk:copies", led_case) in page
    helpers.assess(practitioner_a, led_case, helpers.LACKS)
    page = client.get(reverse("cases:detail", kwargs={"case_pk": led_case.pk})).content.decode()
    assert "Presumed to have capacity" not in page and "Look again by" in page
