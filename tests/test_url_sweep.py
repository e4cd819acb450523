"""Every URL pattern, requested as every persona.

An outsider never gets a 200 on anything about a person, and each refused
read of a person is audited. A new URL is swept automatically: if it takes
an argument this file does not know, the sweep fails until it is taught.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from marm.audit.models import AuditAction, AuditEvent

PUBLIC_URLS = {"accounts:sign-in", "health"}
# The administration site has its own staff sign-in and holds no people.
SKIPPED_NAMESPACES = {"admin"}


def _patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def _build(route: str, objects: dict) -> tuple[str, bool]:
    """A concrete URL for the route, and whether it is about a person (or their case)."""
    url = "/" + route
    about_person = "<uuid:pk>" in url or "<uuid:case_pk>" in url
    for converter, value in objects.items():
        url = url.replace(converter, str(value))
    if "<" in url:
        raise AssertionError(f"The URL sweep does not know how to fill {route!r}: teach tests/test_url_sweep.py")
    return url, about_person


def all_urls(objects):
    return [(name, *_build(route, objects)) for name, route, _ in _patterns()]


@pytest.fixture
def sweep_objects(person_a, accepted_case, practitioner_a, agency_b, chronology_entry_a):
    """person_a with an accepted case, shared in full with the police (agency B)."""
    from marm.cases.models import CaseAgency, KeyAction
    from marm.decisions.models import Decision
    from marm.sharing.models import QualityTest
    from marm.sharing.services import sharing_decide

    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_b,
        basis="crime",
        rationale="Police enquiry",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
    )
    return {
        "<uuid:pk>": person_a.pk,
        "<uuid:case_pk>": accepted_case.pk,
        "<int:role_id>": CaseAgency.objects.get(case=accepted_case, agency=practitioner_a.agency).pk,
        "<int:item_id>": KeyAction.objects.filter(case=accepted_case).first().pk,
        "<int:decision_id>": Decision.objects.filter(case=accepted_case).first().pk,
        "<int:entry_id>": chronology_entry_a.pk,
        **_closure_objects(accepted_case, practitioner_a),
    }


def _closure_objects(case, practitioner):
    """A reflective review by practitioner_a, and a section 42 referral waiting for a decision."""
    from marm.closure.services import reflective_review_write, s42_refer
    from marm.closure.vocab import ColludingQuestion
    from tests.factories import UserFactory

    review = reflective_review_write(
        acting_user=practitioner,
        case=case,
        evidence_of_increased_risk="Missed appointments while the risk grows",
        colluding_answers=dict.fromkeys(ColludingQuestion.values, "no"),
        feel_at_risk="no",
    )
    referral = s42_refer(
        acting_user=UserFactory(agency=practitioner.agency, roles=["manager"]),
        case=case,
        risk_of_serious_harm="Fire",
        steps_taken="Visits",
        why_not_enough="Refused",
        lawful_basis="risk_to_others",
        referred_to="Safeguarding hub",
        referred_on=case.raised_at.date(),
        marm_work="continue",
    )
    return {"<int:reflection_id>": review.pk, "<int:referral_id>": referral.pk}


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in_everywhere_but_the_public_pages(client, sweep_objects):
    for name, url, _ in all_urls(sweep_objects):
        response = client.get(url)
        if name in PUBLIC_URLS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "gp_c", "administrator", "board_officer"])
def test_users_who_may_not_see_the_person_get_404_and_are_audited(
    request, client_for, persona, person_a, sweep_objects
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for _name, url, about_person in all_urls(sweep_objects):
        for method in ("get", "post"):
            client.force_login(user)  # sign-out is one of the URLs swept
            before = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=user).count()
            response = getattr(client, method)(url)
            if about_person:
                assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
                assert person_a.family_name not in response.content.decode()
                after = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=user).count()
                assert after == before + 1, f"{method.upper()} {url}: refused read not audited"
            else:
                assert response.status_code in (200, 302, 403, 405), f"{method.upper()} {url}"


# What each persona that can see person_a gets on each page about them (GET).
MANAGER_ONLY = {"cases:screen": 403, "cases:reopen": 403, "cases:allocate": 403, "cases:end-role": 403}
MANAGER_ONLY.update({"closure:close": 403, "closure:s42-refer": 403, "closure:s42-outcome": 403})
MANAGER_ONLY.update({"closure:s42-resume": 403})
CASEWORK = [
    "people:edit",
    "people:add-alias",
    "people:add-address",
    "people:add-identifier",
    "people:add-related-person",
    "cases:raise",
    "cases:key-action",
    "cases:lead-worker",
    "sharing:share",
    "decisions:record",
    "decisions:amend",
    "chronology:add",
    "chronology:correct",
    "closure:attempt-new",
    "closure:flag",
    "closure:flag-lift",
    "closure:reflection-new",
    "closure:provider-new",
    "closure:check-new",
]
# A reflective review is read only by its author (practitioner_a) and their agency's managers and supervisors.
NOT_REFLECTION_READERS = {"closure:reflection": 404}
EXPECTED_FOR_VISIBLE = {
    "practitioner_a": {"people:access-log": 403, **MANAGER_ONLY},
    # The lead-worker page is for the user's own agency's part in the case: agency A's is swept.
    # Only the agency that wrote a chronology entry corrects it: the swept entry is agency A's.
    "police_b": {
        "people:access-log": 403,
        "cases:lead-worker": 404,
        "chronology:correct": 403,
        **MANAGER_ONLY,
        **NOT_REFLECTION_READERS,
    },
    # MARM work resumes only after the local authority's decision: the swept referral waits for one.
    "manager_a": {"closure:s42-resume": 404},
    "auditor_a": {**dict.fromkeys(CASEWORK, 403), **MANAGER_ONLY, **NOT_REFLECTION_READERS},
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(EXPECTED_FOR_VISIBLE))
def test_users_whose_agency_is_involved_can_open_every_page_about_the_person(
    request, client_for, persona, person_a, sweep_objects
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for name, url, about_person in all_urls(sweep_objects):
        if not about_person:
            continue
        expected = EXPECTED_FOR_VISIBLE[persona].get(name, 200)
        response = client.get(url)
        assert response.status_code == expected, f"{persona} GET {url} gave {response.status_code}"
        assert AuditEvent.objects.filter(actor_user=user, person_id=str(person_a.pk), action=AuditAction.VIEW).exists()
