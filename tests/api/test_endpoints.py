"""Each endpoint reads through the same guarded selectors as its page: an involved agency sees the
record (audited as a VIEW or a SEARCH), another agency gets 404 and a DENIED row, as on the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.chronology.models import ChronologyEntry

pytestmark = pytest.mark.django_db


def _denied(user) -> int:
    return AuditEvent.objects.filter(actor_user=user, action=AuditAction.DENIED).count()


def _assert_hidden(api, user, url, person):
    before = _denied(user)
    response = api.get(url)
    assert response.status_code == 404, url
    assert person.family_name not in response.content.decode()
    assert _denied(user) == before + 1, f"{url}: refused read not audited"


def test_a_person_their_cases_and_their_chronology(
    api_for, police_b, gp_c, person_a, accepted_case, chronology_entry_a
):
    api = api_for(police_b)
    person = api.get(f"/api/people/{person_a.pk}/")
    assert person.status_code == 200
    assert person.json()["family_name"] == "Thornbury"
    assert {"Shire Police", "Shire Adult Social Care"} <= {a["agency"] for a in person.json()["agencies"]}
    assert AuditEvent.objects.filter(actor_user=police_b, action=AuditAction.VIEW, person_id=str(person_a.pk)).exists()
    entries = api.get(f"/api/people/{person_a.pk}/chronology/").json()
    assert [entry["id"] for entry in entries] == [chronology_entry_a.pk]
    # The police are not part of the case: it is not listed, and not named beside the entry.
    assert api.get(f"/api/people/{person_a.pk}/cases/").json() == []
    assert entries[0]["case_id"] is None
    outsider = api_for(gp_c)
    for url in (
        f"/api/people/{person_a.pk}/",
        f"/api/people/{person_a.pk}/cases/",
        f"/api/people/{person_a.pk}/chronology/",
    ):
        _assert_hidden(outsider, gp_c, url, person_a)


def test_a_case_its_actions_and_its_meetings(api_for, practitioner_a, gp_c, person_a, planning_meeting, action_a):
    case = planning_meeting.case
    api = api_for(practitioner_a)
    cases = api.get(f"/api/people/{person_a.pk}/cases/").json()
    assert [c["reference"] for c in cases] == [case.reference]
    detail = api.get(f"/api/cases/{case.pk}/").json()
    assert detail["access"] == "full" and detail["what_is_happening"] == case.what_is_happening
    actions = api.get(f"/api/cases/{case.pk}/actions/").json()
    assert [a["what"] for a in actions] == ["Home safety visit"]
    meetings = api.get(f"/api/cases/{case.pk}/meetings/").json()
    assert [m["id"] for m in meetings] == [planning_meeting.pk]
    assert meetings[0]["place"] == "Civic Centre, Room 4"
    outsider = api_for(gp_c)
    for url in (f"/api/cases/{case.pk}/", f"/api/cases/{case.pk}/actions/", f"/api/cases/{case.pk}/meetings/"):
        _assert_hidden(outsider, gp_c, url, person_a)


def test_the_people_search_is_scoped_audited_and_limited(api_for, practitioner_a, gp_c, person_a, settings):
    found = api_for(practitioner_a).get("/api/people/", {"name": "Margret Thornbury"})
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(person_a.pk)]
    search = AuditEvent.objects.filter(actor_user=practitioner_a, action=AuditAction.SEARCH).latest("seq")
    assert search.detail["results"] == [str(person_a.pk)]
    assert api_for(gp_c).get("/api/people/", {"name": "Margaret Thornbury"}).json()["results"] == []
    assert api_for(practitioner_a).get("/api/people/").status_code == 400
    # Per user, whatever the token: one search so far this minute, one more allowed.
    settings.MARM_LIMIT_SEARCH_PER_MINUTE = 2
    api = api_for(practitioner_a)
    assert api.get("/api/people/", {"name": "Thornbury"}).status_code == 200
    refused = api.get("/api/people/", {"name": "Thornbury"})
    assert refused.status_code == 429
    assert AuditEvent.objects.filter(actor_user=practitioner_a, action=AuditAction.THROTTLED).exists()


def test_the_register_is_the_keeping_agencys(api_for, practitioner_a, police_b, entry_a, team_a):
    rows = api_for(practitioner_a).get("/api/register/").json()
    assert [row["id"] for row in rows] == [str(entry_a.pk)]
    assert rows[0]["person"]["family_name"] == "Thornbury"
    assert api_for(practitioner_a).get("/api/register/", {"team": team_a.pk}).status_code == 200
    # The police see the person but keep no register of them; another agency's team is a 404.
    assert api_for(police_b).get("/api/register/").json() == []
    assert api_for(police_b).get("/api/register/", {"team": team_a.pk}).status_code == 404


def test_the_duty_search_is_for_duty_officers(api_for, duty_a, practitioner_a, gp_c, person_a, entry_a):
    cards = api_for(duty_a).get("/api/duty/search/", {"name": "Margaret Thornbury"}).json()
    assert [card["person_id"] for card in cards] == [str(person_a.pk)]
    assert cards[0]["on_register"] is True
    assert "nhs_number" not in cards[0]
    assert api_for(practitioner_a).get("/api/duty/search/", {"name": "Thornbury"}).status_code == 403
    assert api_for(duty_a).get("/api/duty/search/").status_code == 400


def test_the_board_reads_figures_never_a_person(api_for, board_officer, practitioner_a, person_a, accepted_case):
    api = api_for(board_officer, scopes=("board",))
    response = api.get("/api/board/measures/")
    assert response.status_code == 200
    body = response.json()
    assert body["measures"] and all(len(m["quarters"]) == 4 for m in body["measures"])
    text = response.content.decode()
    assert person_a.family_name not in text and accepted_case.reference not in text
    assert api.get("/api/board/measures/", {"year": 2001}).status_code == 400
    # The board officer's token reads nothing about people, and a practitioner's no measures.
    assert api.get(f"/api/people/{person_a.pk}/").status_code == 403
    assert api_for(practitioner_a, scopes=("read",)).get("/api/board/measures/").status_code == 403


ENTRY = {
    "occurred_on": "2026-03-04",
    "occurred_at_time": "09:05",
    "entry_type": "joint_visit",
    "significance": "significant",
    "summary": "Joint visit with the fire service.",
}


def _rows_since(seq):
    return list(
        AuditEvent.objects.filter(seq__gt=seq)
        .order_by("seq")
        .values_list("action", "object_type", "person_id", "purpose", "actor_user_id")
    )


def _last_seq():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_an_entry_added_through_the_api_is_on_the_page_and_audited_as_through_the_form(
    api_for, practitioner_a, practitioner_a_client, person_a, accepted_case
):
    api = api_for(practitioner_a)
    start = _last_seq()
    response = api.post(
        f"/api/people/{person_a.pk}/chronology/",
        {**ENTRY, "case_id": str(accepted_case.pk)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    entry = ChronologyEntry.objects.get()
    assert response.json()["id"] == entry.pk and response.json()["case_id"] == str(accepted_case.pk)
    assert (entry.author, entry.agency, entry.case) == (practitioner_a, practitioner_a.agency, accepted_case)
    through_api = _rows_since(start)
    page = practitioner_a_client.get(reverse("chronology:list", kwargs={"pk": person_a.pk})).content.decode()
    assert "4 March 2026, 09:05: Joint visit" in page
    start = _last_seq()
    practitioner_a_client.post(
        reverse("chronology:add", kwargs={"pk": person_a.pk}),
        {
            "occurred_on_0": "4",
            "occurred_on_1": "3",
            "occurred_on_2": "2026",
            "occurred_at_time": "09:05",
            "entry_type": "joint_visit",
            "significance": "significant",
            "summary": "Joint visit with the fire service.",
            "case": str(accepted_case.pk),
        },
    )
    assert ChronologyEntry.objects.count() == 2
    assert _rows_since(start) == through_api
    assert [row[:2] for row in through_api] == [
        (AuditAction.VIEW, "people.person"),
        (AuditAction.CREATE, "chronology.chronologyentry"),
    ]


def test_a_bad_entry_gives_400_with_each_fields_message_and_writes_nothing(api_for, practitioner_a, person_a):
    api = api_for(practitioner_a)
    url = f"/api/people/{person_a.pk}/chronology/"
    response = api.post(
        url, {**ENTRY, "occurred_on": "2026-02-30", "entry_type": "party"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"occurred_on", "entry_type"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api.post(url, {**ENTRY, "occurred_on": str(tomorrow)}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"occurred_on": ["The date of the event must be today or in the past"]}
    assert not ChronologyEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="chronology.chronologyentry").exists()


def test_another_agency_cannot_write_and_an_auditor_may_not(api_for, gp_c, auditor_a, person_a):
    url = f"/api/people/{person_a.pk}/chronology/"
    before = _denied(gp_c)
    assert api_for(gp_c).post(url, ENTRY, content_type="application/json").status_code == 404
    assert _denied(gp_c) == before + 1
    assert api_for(auditor_a).post(url, ENTRY, content_type="application/json").status_code == 403
    assert not ChronologyEntry.objects.exists()


def test_the_same_submission_key_adds_one_entry(api_for, practitioner_a, person_a):
    api = api_for(practitioner_a)
    body = {**ENTRY, "submission_key": "8d0f4a4e-3c1b-4a55-9d3c-3f1f6c1b2a10"}
    url = f"/api/people/{person_a.pk}/chronology/"
    first = api.post(url, body, content_type="application/json").json()
    second = api.post(url, body, content_type="application/json").json()
    assert first["id"] == second["id"] and ChronologyEntry.objects.count() == 1
