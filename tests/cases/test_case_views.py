import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.decisions.models import Decision, LegislationReference
from marm.sharing.models import QualityTest
from tests.budgets import QUERY_BUDGETS

pytestmark = pytest.mark.django_db


def _case_url(name, case, **kwargs):
    return reverse(name, kwargs={"case_pk": case.pk, **kwargs})


def test_raising_a_concern_through_the_form(practitioner_a_client, person_a):
    response = practitioner_a_client.post(
        reverse("cases:raise", kwargs={"pk": person_a.pk}),
        {
            "what_is_happening": "Hoarding; blocked exits",
            "risk_categories": ["b"],
            "others_at_risk": "no",
            "decisional_capacity": "no_concerns",
            "executive_capacity": "concerns",
            "capacity_assessment_needed": "unknown",
            "asked_about_sharing": "yes",
            "views_on_sharing": "Agreed to the council and the fire service knowing",
            "unable_or_unwilling_to_self_care": "on",
            "at_risk_tests": ["refused"],
            "entry_criteria": ["harm", "refuses", "not_mitigated", "daily_life", "partners"],
            "daily_life_areas": ["home"],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    page = practitioner_a_client.get(response["Location"]).content.decode()
    assert "Met: all 5 entry criteria are recorded as holding." in page
    assert "At risk: the adult is recorded as unable or unwilling to care for themselves" in page
    assert case.reference in page


def test_a_concern_form_with_gaps_explains_each(practitioner_a_client, person_a):
    response = practitioner_a_client.post(
        reverse("cases:raise", kwargs={"pk": person_a.pk}),
        {"others_at_risk": "yes", "entry_criteria": ["daily_life"]},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Describe what is happening" in page
    assert "Say who else is at risk" in page
    assert "Select the areas of daily life" in page
    assert not Case.objects.exists()


def test_the_entry_criteria_say_plainly_when_they_are_not_met(practitioner_a_client, concern):
    concern.entry_criteria = ["harm"]
    concern.save()
    page = practitioner_a_client.get(_case_url("cases:detail", concern)).content.decode()
    assert "Not met: 1 of 5 entry criteria recorded as holding; 4 not recorded." in page


def test_other_agencies_get_404_until_shared_and_see_it_after(
    practitioner_a_client, gp_c_client, gp_c, agency_c, accepted_case
):
    url = _case_url("cases:detail", accepted_case)
    assert gp_c_client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=gp_c).exists()
    response = practitioner_a_client.post(
        _case_url("sharing:share", accepted_case),
        {
            "agency": agency_c.pk,
            "basis": "risk_to_others",
            "access": "full",
            "what_is_shared": "The concern and the screening",
            "rationale": "The GP manages the adult's medication",
            "adult_told": "no",
            "adult_not_told_reason": "increases_risk",
            "quality_tests": list(QualityTest.values),
            "legislation": [LegislationReference.objects.get(code="dpa-2018").pk],
        },
    )
    assert response.status_code == 302
    page = gp_c_client.get(url).content.decode()
    assert accepted_case.reference in page
    assert "Hoarding" in page
    log = gp_c_client.get(_case_url("sharing:case-disclosures", accepted_case)).content.decode()
    assert "Others are at risk" in log
    assert escape(agency_c.name) in log


def test_a_limited_share_shows_only_the_name_and_agencies(practitioner_a, gp_c_client, agency_c, accepted_case):
    from marm.sharing.services import sharing_decide

    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_c,
        basis="crime",
        rationale="Police enquiry",
        access="limited",
        what_is_shared="Name and agencies",
        quality_tests=list(QualityTest.values),
        adult_told="no",
        adult_not_told_reason="crime",
    )
    page = gp_c_client.get(_case_url("cases:detail", accepted_case)).content.decode()
    assert "name and the agencies involved only" in page
    assert "Hoarding" not in page
    for name in ("decisions:case-log", "sharing:case-disclosures", "cases:screen", "sharing:share"):
        assert gp_c_client.get(_case_url(name, accepted_case)).status_code == 404, name


def test_a_manager_screens_and_accepts_through_the_form(client_for, manager_a, concern, care_act):
    response = client_for(manager_a).post(
        _case_url("cases:screen", concern),
        {
            "s42_duty_applies": "no",
            "better_process": "none",
            "outcome": "accept",
            "rationale": "Refusing care with capacity; no third party harm",
            "legislation": [LegislationReference.objects.get(code="care-act-2014-s42").pk],
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == CaseStatus.ACCEPTED
    assert Decision.objects.get(case=concern).legislation.get().code == "care-act-2014-s42"


def test_practitioners_cannot_screen(practitioner_a_client, concern):
    assert practitioner_a_client.get(_case_url("cases:screen", concern)).status_code == 403


def test_the_decision_log_lists_each_decision_with_its_rationale_and_legislation(client_for, manager_a, accepted_case):
    page = client_for(manager_a).get(_case_url("decisions:case-log", accepted_case)).content.decode()
    assert "Accept into MARM" in page
    assert "s42 does not apply" in page
    assert "Care Act 2014, section 42" in page
    screener = Decision.objects.get(case=accepted_case).participants.get()
    assert f'Who took part</dt><dd class="govuk-summary-list__value">{escape(screener.full_name)}</dd>' in page
    assert "Unchanged since recorded" in page
    assert "Complete" in page


def test_amending_a_decision_keeps_the_original(client_for, manager_a, accepted_case):
    original = Decision.objects.get(case=accepted_case)
    response = client_for(manager_a).post(
        _case_url("decisions:amend", accepted_case, decision_id=original.pk),
        {"summary": "Accepted into MARM", "rationale": "Also: repeated fire service call-outs"},
    )
    assert response.status_code == 302
    assert Decision.objects.filter(case=accepted_case).count() == 2
    assert Decision.objects.get(pk=original.pk).rationale == original.rationale
    page = client_for(manager_a).get(_case_url("decisions:case-log", accepted_case)).content.decode()
    assert "Amended by" in page and "Amends" in page


def test_the_case_page_query_count_does_not_grow(client_for, manager_a, accepted_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marm.cases.services import case_transition

    client = client_for(manager_a)
    url = _case_url("cases:detail", accepted_case)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    case_transition(acting_user=manager_a, case=accepted_case, to_status="planning", reason="Meeting booked")
    for index in range(10):
        case_transition(acting_user=manager_a, case=accepted_case, to_status="review", reason=f"Review {index}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before), "\n".join(q["sql"] for q in after.captured_queries)
    assert len(after) <= QUERY_BUDGETS["cases:detail"], "\n".join(q["sql"] for q in after.captured_queries)


def test_person_page_lists_cases_and_offers_to_raise_a_concern(practitioner_a_client, concern, person_a):
    page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    assert concern.reference in page
    assert re.search(r'href="/people/[0-9a-f-]+/concerns/new/"', page)


def test_the_decision_log_costs_the_same_with_more_decisions(client_for, manager_a, accepted_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marm.decisions.services import decision_record

    client = client_for(manager_a)
    url = _case_url("decisions:case-log", accepted_case)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for index in range(15):
        decision_record(
            acting_user=manager_a,
            person=accepted_case.person,
            case=accepted_case,
            kind="other",
            summary=f"Decision {index}",
            rationale="Because",
            participants=[manager_a],
            legislation=list(LegislationReference.objects.all()[:2]),
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before), "\n".join(q["sql"] for q in after.captured_queries)


def test_a_manager_ends_an_agencys_involvement_and_its_users_are_refused(
    client_for, manager_a, practitioner_a, gp_c_client, agency_c, accepted_case
):
    from marm.cases.models import CaseAgency
    from marm.sharing.services import sharing_decide

    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_c,
        basis="crime",
        rationale="Enquiry",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        adult_told="no",
        adult_not_told_reason="crime",
    )
    assert gp_c_client.get(_case_url("cases:detail", accepted_case)).status_code == 200
    role = CaseAgency.objects.get(case=accepted_case, agency=agency_c)
    response = client_for(manager_a).post(
        _case_url("cases:end-role", accepted_case, role_id=role.pk),
        {"reason": "The GP practice has closed its involvement"},
    )
    assert response.status_code == 302
    assert gp_c_client.get(_case_url("cases:detail", accepted_case)).status_code == 404


def test_the_case_page_costs_the_same_with_a_thousand_chronology_entries(client_for, manager_a, accepted_case):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marm.chronology.models import ChronologyEntry

    client = client_for(manager_a)
    url = _case_url("cases:detail", accepted_case)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            person=accepted_case.person,
            agency=manager_a.agency,
            author=manager_a,
            case=accepted_case,
            occurred_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 600),
            entry_type="home_visit",
            summary=f"Visit {index}",
            significance="routine",
        )
        for index in range(1000)
    )
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after) == len(before), "\n".join(q["sql"] for q in after.captured_queries)
    assert page.count("Home visit (") == 5
