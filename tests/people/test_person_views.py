import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent


@pytest.mark.django_db
class TestPersonPage:
    def test_creating_agency_sees_the_person_and_the_view_is_audited(
        self, practitioner_a_client, person_a, practitioner_a
    ):
        response = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        assert response.status_code == 200
        assert "Margaret Thornbury" in response.content.decode()
        event = AuditEvent.objects.get(action=AuditAction.VIEW, person_id=str(person_a.pk))
        assert event.actor_user == practitioner_a
        assert event.actor_agency == practitioner_a.agency
        assert event.request_id

    def test_involved_agency_sees_the_person(self, police_b_client, person_a):
        response = police_b_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        assert response.status_code == 200

    def test_L8_other_agency_gets_404_and_the_attempt_is_audited(self, gp_c_client, gp_c, person_a):
        response = gp_c_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        assert response.status_code == 404
        assert "Margaret" not in response.content.decode()
        denied = AuditEvent.objects.get(action=AuditAction.DENIED)
        assert denied.actor_user == gp_c
        assert denied.person_id == str(person_a.pk)

    def test_Z1_hidden_and_missing_people_look_the_same(self, gp_c_client, person_a):
        import uuid

        hidden = gp_c_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        missing = gp_c_client.get(reverse("people:detail", kwargs={"pk": uuid.uuid4()}))
        assert hidden.status_code == missing.status_code == 404
        assert _without_csrf(hidden.content) == _without_csrf(missing.content)


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.mark.django_db
class TestAddingAPerson:
    def _post(self, client, **overrides):
        data = {
            "given_name": "Ada",
            "family_name": "Lovell",
            "date_of_birth_0": "",
            "date_of_birth_1": "3",
            "date_of_birth_2": "1950",
            "nhs_number": "943 476 5919",
            "line_1": "4 Mill Lane",
            "town": "Northdale",
            "postcode": "ND1 2AB",
        }
        data.update(overrides)
        return client.post(reverse("people:create"), data)

    def test_a_person_with_a_partial_date_of_birth_is_added(self, practitioner_a_client):
        from marm.people.models import Person

        response = self._post(practitioner_a_client)
        person = Person.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("people:detail", kwargs={"pk": person.pk})
        assert person.date_of_birth_precision == "month"
        page = practitioner_a_client.get(response["Location"]).content.decode()
        assert "March 1950 (month only)" in page
        assert "943 476 5919" in page
        assert "Ada Lovell has been added" in page

    def test_an_invalid_nhs_number_shows_the_error_summary_and_saves_nothing(self, practitioner_a_client):
        from marm.people.models import Person

        response = self._post(practitioner_a_client, nhs_number="943 476 5918")
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert 'href="#id_nhs_number"' in page
        assert "the last digit does not match" in page
        assert "govuk-input--error" in page
        assert Person.objects.count() == 0

    def test_missing_names_and_impossible_dates_are_each_explained(self, practitioner_a_client):
        response = self._post(
            practitioner_a_client, given_name="", family_name="", date_of_birth_0="31", date_of_birth_1="2"
        )
        page = response.content.decode()
        assert "Enter a first name" in page
        assert "Enter a last name" in page
        assert "Date of birth must be a real date" in page
        assert 'href="#id_date_of_birth_0"' in page

    def test_the_form_is_refused_to_roles_that_do_not_record_about_adults(self, client_for, administrator):
        response = client_for(administrator).get(reverse("people:create"))
        assert response.status_code == 403


@pytest.mark.django_db
class TestChangingDetails:
    def test_a_stale_save_shows_both_versions_and_keeps_what_was_typed(self, practitioner_a_client, police_b, person_a):
        from marm.people.models import Person
        from marm.people.services import person_update

        url = reverse("people:edit", kwargs={"pk": person_a.pk})
        form_page = practitioner_a_client.get(url).content.decode()
        assert 'name="version" value="1"' in form_page
        # The police officer saves first.
        person_update(acting_user=police_b, person=person_a, expected_version=1, preferred_name="Peggy")
        response = practitioner_a_client.post(
            url,
            {
                "given_name": "Margaret",
                "family_name": "Thornbury",
                "preferred_name": "Maggie",
                "nhs_number": person_a.nhs_number,
                "date_of_birth_0": person_a.date_of_birth.day,
                "date_of_birth_1": person_a.date_of_birth.month,
                "date_of_birth_2": person_a.date_of_birth.year,
                "version": "1",
            },
        )
        page = response.content.decode()
        assert response.status_code == 409
        assert "Someone else changed these details" in page
        assert "Peggy" in page and "Maggie" in page
        assert 'name="version" value="2"' in page
        assert Person.objects.get(pk=person_a.pk).preferred_name == "Peggy"


def _form_values(html: str) -> dict:
    """What a browser would post from the page's form: every input's value, radios only if checked."""
    values = {}
    form = next(part for part in html.split("<form")[1:] if 'name="version"' in part).split("</form>", 1)[0]
    for tag in re.findall(r"<input\b[^>]*>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if "name" not in attrs or attrs.get("type") == "submit":
            continue
        if attrs.get("type") in ("radio", "checkbox") and "checked" not in tag:
            continue
        values[attrs["name"]] = unescape(attrs.get("value", ""))
    return values


@pytest.mark.django_db
class TestSaveMyVersion:
    """Optimistic locking: "Save my version" writes only what this user changed."""

    def _start_and_lose_the_race(self, client, police_b, person_a, **my_changes):
        from marm.people.services import person_update

        url = reverse("people:edit", kwargs={"pk": person_a.pk})
        started_from = _form_values(client.get(url).content.decode())
        # The police officer saves first, changing the preferred name.
        person_update(acting_user=police_b, person=person_a, expected_version=1, preferred_name="Peggy")
        response = client.post(url, {**started_from, **my_changes})
        assert response.status_code == 409
        return url, response.content.decode()

    def test_a_field_i_did_not_touch_keeps_the_other_persons_change(self, practitioner_a_client, police_b, person_a):
        from marm.people.models import Person

        url, conflict = self._start_and_lose_the_race(
            practitioner_a_client, police_b, person_a, family_name="Thornbury-Smith"
        )
        assert 'name="keep_' not in conflict
        response = practitioner_a_client.post(url, _form_values(conflict))
        assert response.status_code == 302
        person = Person.objects.get(pk=person_a.pk)
        assert person.family_name == "Thornbury-Smith"
        assert person.preferred_name == "Peggy"

    @pytest.mark.parametrize(("keep", "expected"), [("mine", "Maggie"), ("saved", "Peggy")])
    def test_when_both_changed_a_field_i_choose_which_to_keep(
        self, practitioner_a_client, police_b, person_a, keep, expected
    ):
        from marm.people.models import Person

        url, conflict = self._start_and_lose_the_race(
            practitioner_a_client, police_b, person_a, preferred_name="Maggie", family_name="Thornbury-Smith"
        )
        assert 'name="keep_preferred_name"' in conflict
        assert 'name="keep_family_name"' not in conflict
        unanswered = practitioner_a_client.post(url, _form_values(conflict))
        assert unanswered.status_code == 200
        assert "Choose which preferred name to keep" in unanswered.content.decode()
        assert Person.objects.get(pk=person_a.pk).family_name != "Thornbury-Smith"
        response = practitioner_a_client.post(url, {**_form_values(conflict), "keep_preferred_name": keep})
        assert response.status_code == 302
        person = Person.objects.get(pk=person_a.pk)
        assert person.preferred_name == expected
        assert person.family_name == "Thornbury-Smith"


@pytest.mark.django_db
class TestSearch:
    def test_search_finds_only_people_the_agency_is_involved_with(self, gp_c_client, person_a, person_c):
        from tests.factories import PersonFactory

        PersonFactory(created_by=person_a.created_by, given_name="Doris", family_name="Okoro")
        response = gp_c_client.post(reverse("people:search"), {"name": "okoro"})
        page = response.content.decode()
        assert "Desmond Okoro" in page
        assert "Doris" not in page
        assert "1 person found" in page

    def test_searches_are_audited_with_the_results(self, gp_c_client, gp_c, person_c):
        gp_c_client.post(reverse("people:search"), {"name": "Desmond"})
        event = AuditEvent.objects.get(action=AuditAction.SEARCH)
        assert event.actor_user == gp_c
        assert event.detail == {"results": [str(person_c.pk)]}

    def test_an_empty_search_asks_for_something_to_search_for(self, gp_c_client):
        response = gp_c_client.post(reverse("people:search"), {})
        assert "Enter a name, a date of birth or an NHS number to search" in response.content.decode()
        assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


@pytest.mark.django_db
class TestWhoViewedThisPerson:
    def test_managers_see_who_viewed_including_refused_attempts(
        self, client_for, manager_a, police_b_client, gp_c_client, police_b, gp_c, person_a
    ):
        police_b_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        gp_c_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        page = client_for(manager_a).get(reverse("people:access-log", kwargs={"pk": person_a.pk})).content.decode()
        assert escape(police_b.full_name) in page
        assert "Shire Police" in page
        assert escape(gp_c.full_name) in page
        assert "Access refused" in page

    def test_practitioners_cannot_see_the_access_log(self, practitioner_a_client, person_a):
        response = practitioner_a_client.get(reverse("people:access-log", kwargs={"pk": person_a.pk}))
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("recorded", "precision", "searched", "found"),
    [
        ("1950-03-07", "exact", "7/3/1950", True),
        ("1950-03-07", "exact", "8/3/1950", False),
        ("1950-03-01", "month", "19/3/1950", True),
        ("1950-03-01", "month", "19/4/1950", False),
        ("1950-01-01", "year", "30/11/1950", True),
        ("1950-01-01", "year", "30/11/1951", False),
    ],
)
def test_date_of_birth_search_respects_partial_dates(
    practitioner_a_client, practitioner_a, recorded, precision, searched, found
):
    import datetime

    from tests.factories import PersonFactory

    PersonFactory(
        created_by=practitioner_a,
        given_name="Iris",
        date_of_birth=datetime.date.fromisoformat(recorded),
        date_of_birth_precision=precision,
    )
    day, month, year = searched.split("/")
    page = practitioner_a_client.post(
        reverse("people:search"), {"date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year}
    ).content.decode()
    assert ("Iris" in page) is found


@pytest.mark.django_db
def test_a_refused_access_log_is_not_recorded_as_a_view_of_it(practitioner_a_client, practitioner_a, person_a):
    practitioner_a_client.get(reverse("people:access-log", kwargs={"pk": person_a.pk}))
    assert not AuditEvent.objects.filter(actor_user=practitioner_a, purpose__startswith="Reviewing").exists()


@pytest.mark.django_db
def test_a_search_with_more_matches_than_shown_says_so(practitioner_a_client, practitioner_a):
    from marm.people.selectors import SEARCH_LIMIT
    from tests.factories import PersonFactory

    PersonFactory.create_batch(SEARCH_LIMIT + 1, created_by=practitioner_a, family_name="Smith")
    page = practitioner_a_client.post(reverse("people:search"), {"name": "smith"}).content.decode()
    assert f"More than {SEARCH_LIMIT} people found" in page
    assert page.count("govuk-table__row") == SEARCH_LIMIT + 1  # the header row and the first 50


@pytest.mark.django_db
def test_a_person_found_through_another_name_appears_once(practitioner_a_client, practitioner_a, person_a):
    from marm.people.services import alias_add

    alias_add(acting_user=practitioner_a, person=person_a, given_name="Peggy", family_name="Thornbury", kind="known_as")
    alias_add(acting_user=practitioner_a, person=person_a, given_name="Meg", family_name="Thornbury", kind="known_as")
    page = practitioner_a_client.post(reverse("people:search"), {"name": "thornbury"}).content.decode()
    assert "1 person found" in page
