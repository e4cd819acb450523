"""Splink's scores in the import preview (ADR 0037): the nightly duplicates run keeps its trained model
(parameters only), and the preview scores each row's candidates with it."""

import datetime
import functools
import json
import random
import re
from importlib.metadata import version

import pandas as pd
import pytest
from django.utils.html import escape
from faker import Faker

from marm.audit.models import AuditAction, AuditEvent
from marm.audit.services import SystemActor
from marm.linkage import matching, services
from marm.linkage.models import LinkageModel, PersonLink
from marm.people.models import Address, Person
from tests.factories import PersonFactory, valid_nhs_number
from tests.linkage.test_import import _confirm, _csv, _d, _row, _upload

pytestmark = pytest.mark.django_db

NO_MODEL = "No trained model yet: matched by the tolerant search only"


@functools.cache
def _trained_settings() -> str:
    """A model trained, as the nightly run trains it, on 1,000 synthetic people and 100 second records
    of them with a slip each (a letter dropped from the last name, the year of birth one out, no
    postcode, no NHS number). Kept as JSON text so each test gets its own copy."""
    fake = Faker("en_GB")
    fake.seed_instance(37)
    rng = random.Random(37)
    people = [
        {
            "given_name": fake.first_name(),
            "family_name": fake.last_name(),
            "date_of_birth": fake.date_of_birth(minimum_age=18, maximum_age=95),
            "postcode": fake.postcode() if rng.random() < 0.7 else "",
            "nhs_number": valid_nhs_number(rng) if rng.random() < 0.8 else "",
        }
        for _ in range(1000)
    ]
    seconds = []
    for n, person in enumerate(rng.sample(people, 100)):
        second = dict(person)
        if n % 4 == 0:
            at = rng.randrange(len(second["family_name"]))
            second["family_name"] = second["family_name"][:at] + second["family_name"][at + 1 :]
        elif n % 4 == 1 and (person["date_of_birth"].month, person["date_of_birth"].day) != (2, 29):
            second["date_of_birth"] = person["date_of_birth"].replace(year=person["date_of_birth"].year + 1)
        elif n % 4 == 2:
            second["postcode"] = ""
        else:
            second["nhs_number"] = ""
        seconds.append(second)
    frame = pd.DataFrame.from_records(
        [matching.record(n, exact_date=True, **person) for n, person in enumerate(people + seconds)],
        columns=matching.COLUMNS,
    )
    _, model = matching.likely_duplicates_and_model(frame)
    return json.dumps(model)


@pytest.fixture
def kept_model():
    return LinkageModel.objects.create(
        trained_at=datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC),
        record_count=1100,
        splink_version=version("splink"),
        settings=json.loads(_trained_settings()),
    )


@pytest.fixture
def manager_client(client_for, manager_a):
    return client_for(manager_a)


def _cards(response) -> list[str]:
    assert response.status_code == 200
    return response.content.decode().split('class="govuk-summary-card"')[1:]


class TestTheNightlyRunKeepsItsModel:
    def test_the_model_is_kept_with_parameters_and_no_person(self, practitioner_a, gp_c, monkeypatch):
        fake = Faker("en_GB")
        fake.seed_instance(41)
        people = [
            PersonFactory(
                created_by=practitioner_a,
                given_name=fake.first_name(),
                family_name=fake.last_name(),
                date_of_birth=fake.date_of_birth(minimum_age=18, maximum_age=95),
            )
            for _ in range(60)
        ]
        for person in people[:6]:
            PersonFactory(
                created_by=gp_c,
                given_name=person.given_name,
                family_name=person.family_name[:-1],
                date_of_birth=person.date_of_birth,
                nhs_number="",
            )
        for n, person in enumerate(people[:30]):
            Address.objects.create(
                person=person, line_1=f"{n} High Street", town="Leeds", postcode=f"LS{n % 9 + 1} 4AP",
                created_by=practitioner_a,
            )  # fmt: skip
        assert not LinkageModel.objects.exists()

        services.duplicates_find(actor=SystemActor("test"))

        kept = LinkageModel.objects.get()
        assert kept.record_count == Person.objects.count()
        assert kept.splink_version == version("splink")
        comparisons = {c["output_column_name"]: c for c in kept.settings["comparisons"]}
        assert set(comparisons) == {"first_name", "surname", "date_of_birth", "postcode", "nhs_number"}
        assert any("u_probability" in level for level in comparisons["surname"]["comparison_levels"])
        assert 0 < kept.settings["probability_two_random_records_match"] < 1
        # Parameters only: no name, date of birth, postcode, address or NHS number of anyone.
        text = json.dumps(kept.settings).lower()
        for person in Person.objects.all():
            for value in (person.given_name, person.family_name):
                assert not re.search(rf"\b{re.escape(value.lower())}\b", text), value
            assert person.date_of_birth.isoformat() not in text
            assert not person.nhs_number or person.nhs_number not in text
        for address in Address.objects.all():
            assert address.postcode.lower() not in text
            assert address.postcode.replace(" ", "").lower() not in text
            assert address.line_1.lower() not in text
        export = AuditEvent.objects.get(action=AuditAction.EXPORT, system_actor="test")
        assert export.detail["model"] == kept.pk

        # The next run keeps its own model, and only the latest few are kept.
        monkeypatch.setattr(services, "MODELS_KEPT", 1)
        services.duplicates_find(actor=SystemActor("test"))
        assert LinkageModel.objects.get().pk != kept.pk


class TestThePreviewWithTheModel:
    def test_without_a_model_the_preview_says_so_and_matches_by_search(self, manager_client, practitioner_a):
        known = PersonFactory(
            created_by=practitioner_a, given_name="Eleanor", family_name="Whitfield",
            date_of_birth=datetime.date(1941, 3, 9),
        )  # fmt: skip
        response = _upload(manager_client, _csv(_row("MOS-1", "Eleanor", "Whitfield", "09/03/1941")))
        page = response.content.decode()
        assert NO_MODEL in page
        assert "Splink:" not in page
        assert "Likely match" in page and escape(known.full_name) in page

    def test_a_possible_match_splink_scores_highly_is_likely_and_shows_its_probability(
        self, manager_client, manager_a, practitioner_a
    ):
        known = PersonFactory(
            created_by=practitioner_a, given_name="Eleanor", family_name="Whitfield",
            date_of_birth=datetime.date(1941, 3, 9),
        )  # fmt: skip
        # The same names, the year of birth one out: the search alone offers a possible match.
        data = _csv(_row("MOS-1", "Eleanor", "Whitfield", "09/03/1942"))
        [card] = _cards(_upload(manager_client, data))
        assert "Possible match" in card and "checked" not in card

        model = LinkageModel.objects.create(
            trained_at=datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC),
            record_count=1100,
            splink_version=version("splink"),
            settings=json.loads(_trained_settings()),
        )
        response = _upload(manager_client, data)
        page = response.content.decode()
        [card] = _cards(response)
        assert NO_MODEL not in page
        assert "trained on 1100 records on 1 December 2026" in page
        assert "1 likely match, 0 possible matches and 0 with no match" in page
        assert "Likely match" in card
        assert re.search(r"Splink: (over 99|9\d)% likely the same person", card), card
        assert re.search(rf'value="link:{known.pk}" checked', card)
        search = AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_user=manager_a).last()
        assert search.detail["linkage_model"] == model.pk

        # Confirming scores the file again and links as proposed.
        response = _confirm(manager_client, page, row_2=f"link:{known.pk}")
        assert response.status_code == 302
        link = PersonLink.objects.get()
        assert known.pk in {link.person_a_id, link.person_b_id}

    def test_a_candidate_splink_scores_below_a_tenth_is_never_likely(self, manager_client, practitioner_a, kept_model):
        known = PersonFactory(
            created_by=practitioner_a, given_name="Eleanor", family_name="Whitfield",
            date_of_birth=datetime.date(1941, 3, 9),
        )  # fmt: skip
        other_number = valid_nhs_number(random.Random(5))
        assert other_number != known.nhs_number
        # The same names and date of birth (the search's best), but another NHS number.
        data = _csv(_row("MOS-1", "Eleanor", "Whitfield", "09/03/1941", nhs_number=other_number))
        [card] = _cards(_upload(manager_client, data))
        assert "Possible match" in card and "Likely match" not in card
        assert "Splink: under 1% likely the same person" in card
        assert "checked" not in card

    def test_a_damaged_model_leaves_the_search_to_match_and_says_so(
        self, manager_client, manager_a, practitioner_a, kept_model, caplog
    ):
        PersonFactory(
            created_by=practitioner_a, given_name="Eleanor", family_name="Whitfield",
            date_of_birth=datetime.date(1941, 3, 9),
        )  # fmt: skip
        kept_model.settings = {**kept_model.settings, "comparisons": [{"output_column_name": "first_name"}]}
        kept_model.save()
        response = _upload(manager_client, _csv(_row("MOS-1", "Eleanor", "Whitfield", "09/03/1942")))
        assert response.status_code == 200
        page = response.content.decode()
        assert "The trained model could not be used: matched by the tolerant search only" in page
        [card] = _cards(response)
        assert "Possible match" in card and "Splink:" not in card
        assert "could not score an import" in caplog.text
        search = AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_user=manager_a).last()
        assert search.detail["linkage_model"] is None

    def test_a_model_from_another_splink_is_not_used(self, manager_client, practitioner_a, kept_model):
        kept_model.splink_version = "0.0.1"
        kept_model.save(update_fields=["splink_version"])
        PersonFactory(created_by=practitioner_a, given_name="Eleanor", family_name="Whitfield")
        page = _upload(manager_client, _csv(_row("MOS-1", "Eleanor", "Whitfield"))).content.decode()
        assert NO_MODEL in page and "Splink:" not in page

    def test_no_person_outside_the_managers_sight_is_scored(
        self, manager_client, practitioner_a, gp_c, kept_model, monkeypatch
    ):
        seen = PersonFactory(
            created_by=practitioner_a, given_name="Eleanor", family_name="Whitfeld",
            date_of_birth=datetime.date(1941, 3, 9),
        )  # fmt: skip
        # Agency C's record agrees on every detail, and agency A is not involved with it.
        hidden = PersonFactory(
            created_by=gp_c, given_name="Eleanor", family_name="Whitfield", date_of_birth=datetime.date(1941, 3, 9)
        )
        scored = []
        real = matching.score_pairs

        def spy(model, left, right, pairs, **kwargs):
            scored.append((set(right["unique_id"]), list(pairs)))
            return real(model, left, right, pairs, **kwargs)

        monkeypatch.setattr(matching, "score_pairs", spy)
        data = _csv(_row("MOS-1", "Eleanor", "Whitfield", _d(hidden.date_of_birth)))
        [card] = _cards(_upload(manager_client, data))
        [(people, pairs)] = scored
        assert people == {str(seen.pk)}
        assert pairs == [("2", str(seen.pk))]
        assert str(hidden.pk) not in card
        assert "Splink:" in card
