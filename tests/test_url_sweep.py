"""Every URL pattern, requested as every persona.

An outsider never gets a 200 on anything about a person, and each refused
read of a person is audited. A new URL is swept automatically: if it takes
an argument this file does not know, the sweep fails until it is taught.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from marm.audit.models import AuditAction, AuditEvent
from tests.register.conftest import register_sweep_objects

PUBLIC_URLS = {"accounts:sign-in", "health"}
# Pages about one user's own records (their notifications): anyone else gets 404.
OWN_RECORDS = {"notifications:open"}
# The administration site has its own staff sign-in and holds no people.
SKIPPED_NAMESPACES = {"admin"}
# Arguments that name a record about a person (a register entry, a contact alert).
PERSON_RECORD_ARGS = ("<uuid:entry_pk>", "<uuid:alert_pk>")


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
    about_person = about_person or any(arg in url for arg in PERSON_RECORD_ARGS)
    for converter, value in objects.items():
        url = url.replace(converter, str(value))
    if "<" in url:
        raise AssertionError(f"The URL sweep does not know how to fill {route!r}: teach tests/test_url_sweep.py")
    return url, about_person


def all_urls(objects):
    return [(name, *_build(route, objects)) for name, route, _ in _patterns()]


@pytest.fixture
def sweep_objects(person_a, accepted_case, practitioner_a, agency_b, chronology_entry_a, manager_a):
    """person_a with an accepted case, shared in full with the police (agency B)."""
    from marm.cases.models import CaseAgency, KeyAction
    from marm.decisions.models import Decision
    from marm.notifications.services import notify
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
    meeting, action = _meeting_and_action(accepted_case, practitioner_a)
    risk = _risk_objects(accepted_case, practitioner_a, manager_a)
    # A second record of the same adult, seen by agencies A and B, linked to person_a.
    from marm.linkage.services import person_link
    from marm.people.models import AgencyInvolvement, InvolvementBasis
    from tests.factories import PersonFactory

    same_adult = PersonFactory(created_by=practitioner_a, given_name=person_a.given_name, family_name="Thornbery")
    AgencyInvolvement.objects.create(
        person=same_adult, agency=agency_b, basis=InvolvementBasis.SHARING_DECISION, started_by=practitioner_a
    )
    link = person_link(acting_user=practitioner_a, person=person_a, other=same_adult, reason="Same NHS number")
    from django.utils import timezone

    from marm.linkage.models import DuplicateSuggestion

    pair = sorted([person_a, PersonFactory(created_by=practitioner_a)], key=lambda p: str(p.pk))
    suggestion = DuplicateSuggestion.objects.create(
        person_a=pair[0], person_b=pair[1], match_probability=0.95, match_weight=6.0, found_at=timezone.now()
    )
    return {
        **risk,
        "<int:suggestion_pk>": suggestion.pk,
        "<uuid:other_pk>": same_adult.pk,
        "<int:link_pk>": link.pk,
        "<uuid:pk>": person_a.pk,
        "<uuid:case_pk>": accepted_case.pk,
        "<int:role_id>": CaseAgency.objects.get(case=accepted_case, agency=practitioner_a.agency).pk,
        "<int:item_id>": KeyAction.objects.filter(case=accepted_case).first().pk,
        "<int:decision_id>": Decision.objects.filter(case=accepted_case).first().pk,
        "<int:entry_id>": chronology_entry_a.pk,
        "<uuid:notification_id>": notify(
            recipient=practitioner_a, kind="test", key="sweep", title="A notification for the sweep"
        ).pk,
        "<int:meeting_id>": meeting.pk,
        "<int:minutes_item_id>": meeting.minutes_items.first().pk,
        "<int:action_id>": action.pk,
        **register_sweep_objects(person_a=person_a, practitioner_a=practitioner_a),
        **_closure_objects(accepted_case, practitioner_a),
    }


def _meeting_and_action(case, practitioner):
    """A planning meeting chaired by the practitioner, and an action they lead."""
    import datetime

    from django.utils import timezone

    from marm.meetings.services import meeting_schedule
    from marm.plans.services import action_create

    start = timezone.now() + datetime.timedelta(days=3)
    meeting = meeting_schedule(
        acting_user=practitioner,
        case=case,
        kind="planning",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        chair=practitioner,
        place="Civic Centre",
    )
    action = action_create(
        acting_user=practitioner,
        case=case,
        what="Home safety visit",
        lead_user=practitioner,
        agency=practitioner.agency,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    return meeting, action


def _risk_objects(case, practitioner, manager):
    """An agreed risk assessment with a draft after it, a capacity assessment and a copy given."""
    from django.utils import timezone

    from marm.risk.services import adult_copy_give, risk_assessment_start
    from tests.risk import helpers

    agreed = helpers.agreed_version(case, practitioner, manager)
    risk_assessment_start(acting_user=practitioner, case=case)
    assessment = helpers.assess(practitioner, case, helpers.LACKS)
    copy = adult_copy_give(
        acting_user=practitioner, version=agreed, format="standard", given_on=timezone.localdate(), given_how="post"
    )
    return {
        "<int:number>": agreed.number,
        "<slug:aspect>": "home_environment",
        "<int:assessment_id>": assessment.pk,
        "<int:copy_id>": copy.pk,
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
                allowed = (200, 302, 403, 404, 405) if _name in OWN_RECORDS else (200, 302, 403, 405)
                assert response.status_code in allowed, f"{method.upper()} {url}"


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
    "risk:start",
    "risk:edit-overview",
    "risk:edit-aspect",
    "risk:agree",
    "risk:copy-pdf",
    "risk:capacity-add",
    "risk:best-interests",
    "risk:refusal-add",
]
# A reflective review is read only by its author (practitioner_a) and their agency's managers and supervisors.
NOT_REFLECTION_READERS = {"closure:reflection": 404}
# A version is agreed by the lead professional or a manager of the lead agency (none is allocated here).
LEAD_OR_CHAIR = {"risk:agree": 403}
EXPECTED_FOR_VISIBLE = {
    "practitioner_a": {"people:access-log": 403, **MANAGER_ONLY, **LEAD_OR_CHAIR},
    # The lead-worker page is for the user's own agency's part in the case: agency A's is swept.
    # Only the agency that wrote a chronology entry corrects it: the swept entry is agency A's.
    "police_b": {
        "people:access-log": 403,
        "cases:lead-worker": 404,
        "chronology:correct": 403,
        **MANAGER_ONLY,
        **NOT_REFLECTION_READERS,
        **LEAD_OR_CHAIR,
    },
    # MARM work resumes only after the local authority's decision: the swept referral waits for one.
    "manager_a": {"closure:s42-resume": 404},
    "auditor_a": {
        **dict.fromkeys(CASEWORK, 403),
        **MANAGER_ONLY,
        **NOT_REFLECTION_READERS,
        "linkage:link": 403,
        "linkage:end-link": 403,
    },
}

# The register is agency A's: another agency that sees the person gets 404 on it. The duty
# desk card is for duty officers only: everyone else gets 404 (tests/register covers duty_a).
REGISTER_ENTRY_PAGES = ["register:entry", "register:review", "register:process-add", "register:process-end"]
REGISTER_ENTRY_PAGES += ["register:remove", "register:named-professional", "register:alert"]
DUTY_CARD_PAGES = dict.fromkeys(["register:duty-card", "register:duty-contact", "register:duty-open"], 404)
REGISTER_MANAGERS_ONLY = dict.fromkeys(["register:add", "register:remove", "register:named-professional"], 403)
EXPECTED_FOR_VISIBLE["practitioner_a"].update({**REGISTER_MANAGERS_ONLY, **DUTY_CARD_PAGES})
EXPECTED_FOR_VISIBLE["police_b"].update(
    {"register:add": 403, **dict.fromkeys(REGISTER_ENTRY_PAGES, 404), **DUTY_CARD_PAGES}
)
EXPECTED_FOR_VISIBLE["manager_a"].update(DUTY_CARD_PAGES)
EXPECTED_FOR_VISIBLE["auditor_a"].update(
    {
        **REGISTER_MANAGERS_ONLY,
        **dict.fromkeys(["register:review", "register:process-add", "register:process-end", "register:support"], 403),
        **DUTY_CARD_PAGES,
    }
)


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


# Meetings and the plan: only a manager of the lead agency finishes a meeting; sending the
# minutes is a POST; auditors read but do not record; only the action's lead, its agency or
# the lead agency updates an action.
MEETING_WRITES = [
    "meetings:schedule",
    "meetings:change",
    "meetings:cancel",
    "meetings:invite",
    "meetings:attendance",
    "meetings:adult",
    "meetings:minutes-item",
    "meetings:decision",
    "plans:action-add",
    "plans:action-revise",
    "plans:contingency-new",
]
EXPECTED_FOR_VISIBLE["practitioner_a"].update({"meetings:finish": 403, "meetings:send-minutes": 405})
EXPECTED_FOR_VISIBLE["police_b"].update(
    {"meetings:finish": 403, "meetings:send-minutes": 405, "plans:action-revise": 403}
)
EXPECTED_FOR_VISIBLE["manager_a"].update({"meetings:send-minutes": 405})
EXPECTED_FOR_VISIBLE["auditor_a"].update(
    {**dict.fromkeys(MEETING_WRITES, 403), "meetings:finish": 403, "meetings:send-minutes": 405}
)
