import datetime
import re

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.chronology.models import ChronologyEntry
from marm.chronology.services import chronology_entry_correct

pytestmark = pytest.mark.django_db


def _list_url(person):
    return reverse("chronology:list", kwargs={"pk": person.pk})


def _entry_ids(page: str) -> list[int]:
    """The entries listed, in page order."""
    return [int(pk) for pk in re.findall(r'class="govuk-summary-card" id="entry-(\d+)"', page)]


def _mark_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-entry-id="(\d+)"', page)]


@pytest.mark.parametrize("persona", ["outsider", "gp_c", "board_officer", "administrator"])
@pytest.mark.parametrize("name", ["chronology:list", "chronology:add", "chronology:correct"])
def test_users_whose_agency_is_not_involved_get_404_and_are_audited(
    request, client_for, persona, name, person_a, chronology_entry_a
):
    user = request.getfixturevalue(persona)
    kwargs = {"pk": person_a.pk}
    if name == "chronology:correct":
        kwargs["entry_id"] = chronology_entry_a.pk
    response = client_for(user).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 404
    assert person_a.family_name not in response.content.decode()
    assert chronology_entry_a.summary not in response.content.decode()
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, actor_user=user)
    assert denied.person_id == str(person_a.pk)


def test_an_involved_agency_sees_every_agencys_entries_merged_newest_first(
    police_b_client, police_b, person_a, chronology_entry_a, police_entry, add_entry, practitioner_a
):
    older = add_entry(practitioner_a, person_a, occurred_on=datetime.date(2024, 11, 5), summary="First contact.")
    same_day_untimed = add_entry(practitioner_a, person_a, occurred_on=datetime.date(2025, 4, 2), summary="Letter.")
    response = police_b_client.get(_list_url(person_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert _entry_ids(page) == [police_entry.pk, same_day_untimed.pk, chronology_entry_a.pk, older.pk]
    assert "Shire Police" in page and "Shire Adult Social Care" in page
    assert "Called by a neighbour about smoke" in page
    view = AuditEvent.objects.get(action=AuditAction.VIEW, actor_user=police_b)
    assert view.person_id == str(person_a.pk)
    assert view.purpose == "Reading the chronology"


def test_the_chronology_can_be_filtered_by_agency_and_by_type(
    practitioner_a_client, agency_b, person_a, chronology_entry_a, police_entry, add_entry, practitioner_a
):
    letter = add_entry(practitioner_a, person_a, entry_type="letter", summary="Letter about the clearance.")
    by_agency = practitioner_a_client.get(_list_url(person_a), {"agency": agency_b.pk}).content.decode()
    assert _entry_ids(by_agency) == [police_entry.pk]
    assert _mark_ids(by_agency) == [police_entry.pk]
    assert "1 matching entry" in by_agency
    by_type = practitioner_a_client.get(_list_url(person_a), {"entry_type": ["letter", "home_visit"]}).content.decode()
    assert set(_entry_ids(by_type)) == {letter.pk, chronology_entry_a.pk}
    both = practitioner_a_client.get(
        _list_url(person_a), {"agency": practitioner_a.agency_id, "entry_type": "police_call_out"}
    ).content.decode()
    assert _entry_ids(both) == []
    assert "No entries match the filters." in both
    assert "Clear filters" in both


def test_a_filter_naming_an_agency_that_wrote_nothing_shows_an_error_and_everything(
    practitioner_a_client, agency_c, person_a, chronology_entry_a, police_entry
):
    page = practitioner_a_client.get(_list_url(person_a), {"agency": agency_c.pk}).content.decode()
    assert "There is a problem" in page
    assert set(_entry_ids(page)) == {chronology_entry_a.pk, police_entry.pk}


def test_the_picture_has_one_mark_per_entry_one_lane_per_agency_and_a_text_alternative(
    practitioner_a_client, person_a, chronology_entry_a, police_entry, add_entry, practitioner_a
):
    third = add_entry(practitioner_a, person_a, occurred_on=datetime.date(2024, 12, 24))
    page = practitioner_a_client.get(_list_url(person_a)).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="timeline-title"' in svg
    assert 'aria-describedby="timeline-desc"' in svg
    assert (
        '<title id="timeline-title">Timeline of 3 entries from 2 agencies, 24 December 2024 to 2 April 2025</title>'
        in svg
    )
    assert "Shire Police: 1 entry (1 critical)" in svg
    assert "Shire Adult Social Care: 2 entries (1 significant, 1 routine)" in svg
    assert sorted(_mark_ids(svg)) == sorted([chronology_entry_a.pk, police_entry.pk, third.pk])
    # Marks are placed by date: the December entry is left of the March one, left of the April one.
    x = {int(pk): float(left) for pk, left in re.findall(r'data-entry-id="(\d+)" d="M([\d.]+),', svg)}
    assert x[third.pk] < x[chronology_entry_a.pk] < x[police_entry.pk]
    # Colour and shape come from presentation attributes: the policy allows no inline style.
    assert "style=" not in page
    assert "<script>" not in page


def test_no_picture_and_no_filters_without_entries(practitioner_a_client, person_a):
    page = practitioner_a_client.get(_list_url(person_a)).content.decode()
    assert "<svg" not in page
    assert "No entries recorded yet." in page
    assert "Apply filters" not in page


def test_adding_an_entry_through_the_form(practitioner_a_client, practitioner_a, person_a, accepted_case):
    url = reverse("chronology:add", kwargs={"pk": person_a.pk})
    form = practitioner_a_client.get(url).content.decode()
    assert accepted_case.reference in form
    response = practitioner_a_client.post(
        url,
        {
            "occurred_on_0": "4",
            "occurred_on_1": "3",
            "occurred_on_2": "2025",
            "occurred_at_time": "9.05",
            "entry_type": "joint_visit",
            "significance": "significant",
            "summary": "Joint visit with the fire service.",
            "case": str(accepted_case.pk),
        },
    )
    entry = ChronologyEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_list_url(person_a)}#entry-{entry.pk}"
    assert entry.occurred_on == datetime.date(2025, 3, 4)
    assert entry.occurred_at_time == datetime.time(9, 5)
    assert entry.case == accepted_case
    assert entry.agency == practitioner_a.agency
    page = practitioner_a_client.get(response["Location"]).content.decode()
    assert "4 March 2025, 09:05: Joint visit" in page
    assert accepted_case.reference in page


def test_the_add_form_explains_each_problem(practitioner_a_client, person_a):
    response = practitioner_a_client.post(
        reverse("chronology:add", kwargs={"pk": person_a.pk}), {"occurred_at_time": "25:00"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Enter the date of the event",
        "Enter the time on the 24-hour clock",
        "Select the type of event",
        "Select how significant the event was",
        "Enter what happened",
    ):
        assert message in page
    assert not ChronologyEntry.objects.exists()


def test_the_case_list_holds_only_cases_the_agency_fully_sees(police_b_client, person_a, accepted_case):
    page = police_b_client.get(reverse("chronology:add", kwargs={"pk": person_a.pk})).content.decode()
    assert accepted_case.reference not in page
    assert 'name="case"' not in page


def test_a_case_is_named_beside_an_entry_only_for_agencies_that_fully_see_it(
    police_b_client, practitioner_a, person_a, accepted_case, add_entry
):
    entry = add_entry(practitioner_a, person_a, case=accepted_case)
    page = police_b_client.get(_list_url(person_a)).content.decode()
    assert entry.pk in _entry_ids(page)
    assert accepted_case.reference not in page


def test_correcting_an_entry_through_the_form_keeps_the_original_struck_through(
    practitioner_a_client, person_a, chronology_entry_a
):
    url = reverse("chronology:correct", kwargs={"pk": person_a.pk, "entry_id": chronology_entry_a.pk})
    form = practitioner_a_client.get(url).content.decode()
    assert chronology_entry_a.summary in form  # prefilled
    assert 'value="10:30"' in form
    assert 'name="occurred_on_2" value="2025"' in form
    response = practitioner_a_client.post(
        url,
        {
            "occurred_on_0": "11",
            "occurred_on_1": "3",
            "occurred_on_2": "2025",
            "occurred_at_time": "10:30",
            "entry_type": "home_visit",
            "significance": "significant",
            "summary": chronology_entry_a.summary,
            "reason": "The visit was on the 11th",
        },
    )
    correction = ChronologyEntry.objects.get(supersedes=chronology_entry_a)
    assert response.status_code == 302
    assert correction.occurred_on == datetime.date(2025, 3, 11)
    page = practitioner_a_client.get(_list_url(person_a)).content.decode()
    assert set(_entry_ids(page)) == {chronology_entry_a.pk, correction.pk}
    original_card = page[page.index(f'id="entry-{chronology_entry_a.pk}"') :]
    original_card = original_card[: original_card.index('class="govuk-summary-card" id=', 1)]
    assert "<s>12 March 2025, 10:30: Home visit</s>" in original_card
    assert "Corrected</strong>" in original_card
    assert f"#entry-{correction.pk}" in original_card
    assert "The visit was on the 11th" in page
    assert f'href="{url}"' not in page  # a corrected entry offers no second correction


def test_the_correction_form_needs_a_reason(practitioner_a_client, person_a, chronology_entry_a):
    url = reverse("chronology:correct", kwargs={"pk": person_a.pk, "entry_id": chronology_entry_a.pk})
    page = practitioner_a_client.post(
        url,
        {
            "occurred_on_0": "12",
            "occurred_on_1": "3",
            "occurred_on_2": "2025",
            "entry_type": "home_visit",
            "significance": "routine",
            "summary": "Changed",
        },
    ).content.decode()
    assert "Enter why you are correcting the entry" in page
    assert ChronologyEntry.objects.count() == 1


def test_an_already_corrected_entry_sends_the_user_to_its_correction(
    practitioner_a_client, practitioner_a, person_a, chronology_entry_a
):
    correction = chronology_entry_correct(
        acting_user=practitioner_a, entry=chronology_entry_a, reason="Typo", summary="Fixed"
    )
    url = reverse("chronology:correct", kwargs={"pk": person_a.pk, "entry_id": chronology_entry_a.pk})
    response = practitioner_a_client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{correction.pk}")
    response = practitioner_a_client.post(url, {"reason": "Again", "summary": "Other"})
    assert response.status_code == 302
    assert ChronologyEntry.objects.count() == 2


def test_another_agency_may_read_but_not_correct(police_b_client, person_a, chronology_entry_a, police_entry):
    page = police_b_client.get(_list_url(person_a)).content.decode()
    correct_a = reverse("chronology:correct", kwargs={"pk": person_a.pk, "entry_id": chronology_entry_a.pk})
    correct_b = reverse("chronology:correct", kwargs={"pk": person_a.pk, "entry_id": police_entry.pk})
    assert correct_a not in page
    assert correct_b in page
    assert police_b_client.get(correct_a).status_code == 403
    assert police_b_client.post(correct_a, {"reason": "x"}).status_code == 403
    assert ChronologyEntry.objects.count() == 2


def test_an_entry_of_another_person_is_not_found_under_this_one(
    practitioner_a_client, practitioner_a, person_a, chronology_entry_a, add_entry
):
    from tests.factories import PersonFactory

    other = PersonFactory(created_by=practitioner_a)
    url = reverse("chronology:correct", kwargs={"pk": other.pk, "entry_id": chronology_entry_a.pk})
    assert practitioner_a_client.get(url).status_code == 404


def test_an_auditor_reads_the_chronology_but_adds_nothing(client_for, auditor_a, person_a, chronology_entry_a):
    client = client_for(auditor_a)
    page = client.get(_list_url(person_a)).content.decode()
    assert chronology_entry_a.summary in page
    assert reverse("chronology:add", kwargs={"pk": person_a.pk}) not in page
    assert client.get(reverse("chronology:add", kwargs={"pk": person_a.pk})).status_code == 403


def test_the_person_page_links_to_the_chronology(practitioner_a_client, person_a):
    page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    assert f'href="{_list_url(person_a)}"' in page
    assert "View the chronology" in page
