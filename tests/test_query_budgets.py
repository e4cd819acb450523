"""Busy pages cost a fixed number of queries, however much data there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marm.people.models import Address, PersonAlias, PersonIdentifier, RelatedPerson
from tests.budgets import QUERY_BUDGETS
from tests.factories import AgencyFactory, PersonFactory
from tests.test_url_sweep import url_patterns

pytestmark = pytest.mark.django_db


def test_each_budget_names_a_page_that_exists():
    names = {name for name, _route in url_patterns()}
    assert [key for key in QUERY_BUDGETS if key.split(" (")[0] not in names] == []


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _add_records(person, user, how_many):
    for index in range(how_many):
        PersonAlias.objects.create(person=person, given_name=f"Alias{index}", family_name="X", created_by=user)
        Address.objects.create(person=person, line_1=f"{index} Road", town="Town", created_by=user)
        RelatedPerson.objects.create(person=person, name=f"Rel {index}", relationship="family", created_by=user)
        agency = AgencyFactory()
        PersonIdentifier.objects.create(person=person, agency=agency, label="Ref", value=str(index), created_by=user)


def test_the_person_page_does_not_grow_with_the_record(practitioner_a_client, practitioner_a):
    small = PersonFactory(created_by=practitioner_a)
    large = PersonFactory(created_by=practitioner_a, involved=[practitioner_a.agency, *AgencyFactory.create_batch(5)])
    _add_records(small, practitioner_a, 1)
    _add_records(large, practitioner_a, 15)
    _count(practitioner_a_client, reverse("people:detail", kwargs={"pk": small.pk}))  # warm: audit chain exists
    small_count, _ = _count(practitioner_a_client, reverse("people:detail", kwargs={"pk": small.pk}))
    large_count, sql = _count(practitioner_a_client, reverse("people:detail", kwargs={"pk": large.pk}))
    assert large_count == small_count, "\n".join(sql)
    assert large_count <= QUERY_BUDGETS["people:detail"], "\n".join(sql)


def test_the_home_page_does_not_grow_with_the_caseload(practitioner_a_client, practitioner_a):
    before, _ = _count(practitioner_a_client, reverse("dashboards:home"))
    PersonFactory.create_batch(30, created_by=practitioner_a)
    after, sql = _count(practitioner_a_client, reverse("dashboards:home"))
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home"], "\n".join(sql)


def test_the_home_page_does_not_grow_with_cases_led_or_concerns_to_screen(client_for, manager_a, practitioner_a):
    from marm.cases.services import case_raise, case_screen, lead_professional_allocate

    def add_case():
        person = PersonFactory(created_by=practitioner_a)
        case = case_raise(acting_user=practitioner_a, person=person, what_is_happening="Self-neglect")
        return case

    first = add_case()
    case_screen(
        acting_user=manager_a,
        case=first,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Fits",
    )
    lead_professional_allocate(acting_user=manager_a, case=first, user=manager_a, rationale="Knows them")
    add_case()
    client = client_for(manager_a)
    before, _ = _count(client, reverse("dashboards:home"))
    for _ in range(20):
        case = add_case()
        if _ % 2:
            case_screen(
                acting_user=manager_a,
                case=case,
                s42_duty_applies="no",
                better_process="none",
                outcome="accept",
                rationale="Fits",
            )
            lead_professional_allocate(acting_user=manager_a, case=case, user=manager_a, rationale="Knows them")
    after, sql = _count(client, reverse("dashboards:home"))
    page = client.get(reverse("dashboards:home")).content.decode()
    assert "Cases you lead" in page and "Concerns to screen" in page
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home (manager)"], "\n".join(sql)


def _partner_case(*, practitioner_a, manager_a, police_b, access):
    """A case agency A leads, shared with the police; a full share also brings a meeting the
    police officer is invited to and an action they own."""
    import datetime

    from django.utils import timezone

    from marm.cases.services import lead_professional_allocate
    from marm.meetings.services import invitation_add, meeting_schedule
    from marm.plans.services import action_create
    from tests.dashboards.conftest import accept, raise_case
    from tests.meetings.conftest import at, share

    case = accept(raise_case(by=practitioner_a), manager=manager_a)
    share(by=manager_a, case=case, agency=police_b.agency, access=access)
    if access == "full":
        lead_professional_allocate(acting_user=manager_a, case=case, user=practitioner_a, rationale="Knows them")
        meeting = meeting_schedule(
            acting_user=practitioner_a,
            case=case,
            kind="planning",
            starts_at=at(7),
            ends_at=at(7, 11),
            chair=manager_a,
            place="Civic Centre",
        )
        invitation_add(acting_user=practitioner_a, meeting=meeting, agency=police_b.agency, user=police_b)
        action_create(
            acting_user=practitioner_a,
            case=case,
            what="Welfare check",
            lead_user=police_b,
            agency=police_b.agency,
            due_date=timezone.localdate() + datetime.timedelta(days=3),
        )
    return case


def test_the_home_page_of_a_partner_agency_does_not_grow_with_shared_cases(
    client_for, practitioner_a, manager_a, police_b
):
    client = client_for(police_b)
    for access in ("full", "limited"):
        _partner_case(practitioner_a=practitioner_a, manager_a=manager_a, police_b=police_b, access=access)
    _count(client, reverse("dashboards:home"))
    before, _ = _count(client, reverse("dashboards:home"))
    for _ in range(4):
        for access in ("full", "limited"):
            _partner_case(practitioner_a=practitioner_a, manager_a=manager_a, police_b=police_b, access=access)
    after, sql = _count(client, reverse("dashboards:home"))
    page = client.get(reverse("dashboards:home")).content.decode()
    assert page.count("Name only") == 5 and page.count("you are invited") == 5
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home (partner agency)"], "\n".join(sql)


def _register_with_alerts(*, how_many, manager_a, practitioner_a, duty_a):
    """People on agency A's register, each added over a week ago and with a contact alert."""
    import datetime

    from django.utils import timezone

    from marm.organisations.models import Team
    from marm.register.duty import duty_contact_log
    from marm.register.models import RegisterEntry
    from marm.register.services import register_entry_add

    team = Team.objects.get(memberships__user=practitioner_a)
    for _ in range(how_many):
        person = PersonFactory(created_by=practitioner_a)
        entry = register_entry_add(
            acting_user=manager_a,
            team=team,
            person=person,
            criteria=["b"],
            named_professional=practitioner_a,
            reason="Refuses care",
        )
        RegisterEntry.objects.filter(pk=entry.pk).update(added_at=timezone.now() - datetime.timedelta(days=8))
        duty_contact_log(acting_user=duty_a, person=person, caller="Neighbour", about="Smoke from the flat")


def test_the_home_page_of_a_supervisor_does_not_grow_with_the_register(
    client_for, supervisor_a, manager_a, practitioner_a, duty_a
):
    client = client_for(supervisor_a)
    _register_with_alerts(how_many=1, manager_a=manager_a, practitioner_a=practitioner_a, duty_a=duty_a)
    _count(client, reverse("dashboards:home"))
    before, _ = _count(client, reverse("dashboards:home"))
    _register_with_alerts(how_many=8, manager_a=manager_a, practitioner_a=practitioner_a, duty_a=duty_a)
    after, sql = _count(client, reverse("dashboards:home"))
    page = client.get(reverse("dashboards:home")).content.decode()
    assert page.count("Overdue</strong>") == 9 and page.count("contact logged") == 9
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home (supervisor)"], "\n".join(sql)


def test_the_home_page_of_a_duty_officer_does_not_grow_with_the_alerts(client_for, manager_a, practitioner_a, duty_a):
    client = client_for(duty_a)
    _register_with_alerts(how_many=1, manager_a=manager_a, practitioner_a=practitioner_a, duty_a=duty_a)
    _count(client, reverse("dashboards:home"))
    before, _ = _count(client, reverse("dashboards:home"))
    _register_with_alerts(how_many=8, manager_a=manager_a, practitioner_a=practitioner_a, duty_a=duty_a)
    after, sql = _count(client, reverse("dashboards:home"))
    assert client.get(reverse("dashboards:home")).content.decode().count("Not acknowledged</strong>") == 9
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home (duty officer)"], "\n".join(sql)


@pytest.mark.parametrize("persona", ["administrator", "board_officer"])
def test_the_home_page_of_roles_that_see_no_adult_reads_no_casework(
    request, client_for, persona, practitioner_a, manager_a, police_b
):
    client = client_for(request.getfixturevalue(persona))
    _count(client, reverse("dashboards:home"))
    before, _ = _count(client, reverse("dashboards:home"))
    for access in ("full", "limited"):
        _partner_case(practitioner_a=practitioner_a, manager_a=manager_a, police_b=police_b, access=access)
    after, sql = _count(client, reverse("dashboards:home"))
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS[f"dashboards:home ({persona.replace('_', ' ')})"], "\n".join(sql)
