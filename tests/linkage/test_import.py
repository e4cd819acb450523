"""Importing people from an agency's own system (ADR 0037): upload, preview, confirm."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from faker import Faker

from marm.audit.models import AuditAction, AuditEvent
from marm.linkage import importing
from marm.linkage.models import LinkSource, PersonImport, PersonLink
from marm.linkage.services import people_import
from marm.organisations.models import Role
from marm.people.models import Address, Person, PersonIdentifier
from marm.people.services import identifier_add
from tests.factories import PersonFactory, UserFactory, valid_nhs_number

pytestmark = pytest.mark.django_db

LABEL = "Mosaic ID"
HEADER = list(importing.COLUMNS)


def _csv(*rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def _row(reference, given, family, dob="", **extra):
    return {"agency_reference": reference, "given_name": given, "family_name": family, "date_of_birth": dob, **extra}


def _upload(client, data: bytes, label=LABEL):
    return client.post(
        reverse("linkage:import"),
        {"reference_label": label, "file": SimpleUploadedFile("people.csv", data, content_type="text/csv")},
    )


def _preview_token(page: str) -> str:
    return re.search(r'name="preview" value="([^"]+)"', page).group(1)


@pytest.fixture
def manager_client(client_for, manager_a):
    return client_for(manager_a)


@pytest.fixture
def known(practitioner_a):
    """People agency A already sees, made with Faker en_GB; the first has the agency's Mosaic ID."""
    fake = Faker("en_GB")
    fake.seed_instance(3717)
    people = [
        PersonFactory(
            created_by=practitioner_a,
            given_name=fake.first_name(),
            family_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=30, maximum_age=90),
        )
        for _ in range(6)
    ]
    identifier_add(acting_user=practitioner_a, person=people[0], label=LABEL, value="MOS-1")
    return people


def _d(date: datetime.date) -> str:
    return date.strftime("%d/%m/%Y")


def _typo(name: str) -> str:
    """One letter changed in the middle of the name."""
    middle = len(name) // 2
    return name[:middle] + ("x" if name[middle] != "x" else "y") + name[middle + 1 :]


class TestTheFile:
    def test_the_template_has_the_documented_header(self, manager_client):
        response = manager_client.get(reverse("linkage:import-template"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        header = response.content.decode().splitlines()[0].split(",")
        assert header == HEADER

    def test_practitioners_may_not_import(self, practitioner_a_client):
        assert practitioner_a_client.get(reverse("linkage:import")).status_code == 403
        assert practitioner_a_client.get(reverse("linkage:import-template")).status_code == 403

    def test_errors_name_the_row_and_column_and_nothing_is_written(self, manager_client):
        before = (Person.objects.count(), AuditEvent.objects.filter(action=AuditAction.CREATE).count())
        data = _csv(
            _row("A-1", "Ada", "Lovelace", "31/02/1950"),
            _row("A-2", "", "Brown", "01/01/1960"),
            _row("A-3", "Cyril", "Jones", "01/01/1960", nhs_number="1234567890"),
        )
        response = _upload(manager_client, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert "Row 2, date of birth: ‘31/02/1950’ is not a real date" in page
        assert "Row 3, first name: enter the first name" in page
        assert "Row 4, NHS number:" in page
        assert 'href="#id_file"' in page
        assert (Person.objects.count(), AuditEvent.objects.filter(action=AuditAction.CREATE).count()) == before

    def test_a_missing_column_is_named(self, manager_client):
        header = [name for name in HEADER if name != "date_of_birth"]
        response = _upload(manager_client, _csv(_row("A-1", "Ada", "Lovelace"), header=header))
        assert "The file has no ‘date_of_birth’ column" in response.content.decode()
        assert Person.objects.count() == 0

    def test_a_reference_twice_in_the_file_is_an_error(self, manager_client):
        response = _upload(manager_client, _csv(_row("A-1", "Ada", "Lovelace"), _row("A-1", "Bea", "Lovelace")))
        assert "Row 3, agency reference: A-1 is also in row 2" in response.content.decode()

    def test_too_many_rows_or_bytes_are_refused(self, manager_client, settings):
        settings.MARM_IMPORT_MAX_ROWS = 2
        rows = [_row(f"A-{n}", "Ada", "Lovelace") for n in range(3)]
        assert "The file must have 2 people or fewer" in _upload(manager_client, _csv(*rows)).content.decode()
        settings.MARM_IMPORT_MAX_ROWS = 200
        settings.MARM_IMPORT_MAX_BYTES = 100
        assert "The selected file must be smaller than 1 KB" in _upload(manager_client, _csv(*rows)).content.decode()

    def test_a_file_that_is_not_text_is_refused(self, manager_client):
        response = _upload(manager_client, b"\xff\xfe\x00\x00binary")
        assert "must be a CSV file saved as UTF-8" in response.content.decode()


class TestThePreview:
    def test_rows_are_exact_likely_possible_or_none(self, manager_client, known):
        first, typo, other_date = known[0], known[1], known[2]
        data = _csv(
            _row("MOS-1", first.given_name, first.family_name, _d(first.date_of_birth)),
            _row("MOS-2", typo.given_name, _typo(typo.family_name), _d(typo.date_of_birth)),
            _row("MOS-3", other_date.given_name, other_date.family_name, "01/01/1901"),
            _row("MOS-4", "Zebedee", "Quixotic-Vanderpump", "02/02/1902"),
        )
        response = _upload(manager_client, data)
        page = response.content.decode()
        assert response.status_code == 200, page
        cards = page.split('class="govuk-summary-card"')[1:]
        assert "Already recorded" in cards[0]
        assert "Likely match" in cards[1] and escape(typo.full_name) in cards[1]
        assert "Possible match" in cards[2] and escape(other_date.full_name) in cards[2]
        assert "No match" in cards[3]
        # Proposed choices: skip the recorded one, link the likely one, create the unmatched one;
        # the possible match is the user's to decide.
        assert re.search(r'value="skip" checked', cards[0])
        assert re.search(rf'value="link:{typo.pk}" checked', cards[1])
        assert "checked" not in cards[2]
        assert re.search(r'value="create" checked', cards[3])
        assert Person.objects.count() == len(known)
        search = AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_user__email="manager@a.example.org").get()
        assert str(typo.pk) in search.detail["results"]

    def test_a_possible_match_with_the_same_postcode_is_likely(self, manager_client, known, practitioner_a):
        person = known[3]
        Address.objects.create(person=person, line_1="2 High Street", town="Leeds", postcode="LS1 4AP",
                               created_by=practitioner_a)  # fmt: skip
        data = _csv(_row("MOS-9", person.given_name, person.family_name, "01/01/1901", postcode="ls1 4ap"))
        cards = _upload(manager_client, data).content.decode().split('class="govuk-summary-card"')[1:]
        assert "Likely match" in cards[0] and "same postcode" in cards[0]

    def test_people_of_other_agencies_are_not_revealed(self, manager_client, person_c, manager_a):
        data = _csv(_row("MOS-7", person_c.given_name, person_c.family_name, _d(person_c.date_of_birth)))
        page = _upload(manager_client, data).content.decode()
        assert "No match" in page
        assert str(person_c.pk) not in page
        assert "another agency" not in page.lower()
        search = AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_user=manager_a).get()
        assert search.detail["results"] == []

    def test_an_nhs_number_recorded_elsewhere_can_only_be_skipped(self, manager_client, person_c):
        data = _csv(_row("MOS-8", "Someone", "Else", "03/03/1953", nhs_number=person_c.nhs_number))
        page = _upload(manager_client, data).content.decode()
        assert "A person with this NHS number is already recorded" in page
        assert 'value="create"' not in page
        assert escape(person_c.family_name) not in page


def _confirm(client, page, **choices):
    data = {"preview": _preview_token(page), **choices}
    return client.post(reverse("linkage:import-confirm"), data)


class TestConfirming:
    def test_creates_and_links_as_chosen_and_never_merges(self, manager_client, manager_a, known):
        typo = known[1]
        before = {f: getattr(typo, f) for f in ("given_name", "family_name", "date_of_birth", "nhs_number", "version")}
        data = _csv(
            _row(
                "MOS-2",
                typo.given_name,
                _typo(typo.family_name),
                _d(typo.date_of_birth),
                postcode="LS1 4AP",
                address_line_1="3 Low Road",
                town="Leeds",
            ),  # fmt: skip
            _row("MOS-4", "Zebedee", "Quixotic-Vanderpump", "02/02/1902", nhs_number=valid_nhs_number()),
            _row("MOS-5", "Yolanda", "Unmatched-Person", "03/03/1903"),
        )
        page = _upload(manager_client, data).content.decode()
        response = _confirm(manager_client, page, row_2=f"link:{typo.pk}", row_3="create", row_4="skip")
        assert response.status_code == 302
        record = PersonImport.objects.get()
        assert response["Location"] == reverse("linkage:import-done", kwargs={"import_pk": record.pk})
        assert (record.created_count, record.linked_count, record.skipped_count) == (1, 1, 1)

        linked_new = Person.objects.get(identifiers__value="MOS-2")
        assert linked_new.pk != typo.pk
        assert linked_new.family_name == _typo(typo.family_name)
        assert linked_new.addresses.get().postcode == "LS1 4AP"
        link = PersonLink.objects.get()
        assert {link.person_a_id, link.person_b_id} == {linked_new.pk, typo.pk}
        assert link.source == LinkSource.IMPORT and link.linked_by == manager_a
        # Never merged: the record already in marm is as it was, and both records exist.
        typo.refresh_from_db()
        assert {f: getattr(typo, f) for f in before} == before
        assert Person.objects.filter(identifiers__value="MOS-4").exists()
        assert not Person.objects.filter(given_name="Yolanda").exists()
        assert PersonIdentifier.objects.get(value="MOS-4").label == LABEL

        creates = AuditEvent.objects.filter(action=AuditAction.CREATE, actor_user=manager_a)
        assert creates.filter(object_type="people.person").count() == 2
        assert creates.filter(object_type="linkage.personlink").count() == 2  # one per record linked
        assert creates.filter(object_type="linkage.personimport").count() == 1

        summary = manager_client.get(response["Location"]).content.decode()
        assert "1 created, 1 created and linked, 1 skipped" in summary
        assert escape(linked_new.full_name) in summary and escape(typo.full_name) in summary

    def test_a_possible_match_must_be_decided(self, manager_client, known):
        other_date = known[2]
        page = _upload(
            manager_client, _csv(_row("MOS-3", other_date.given_name, other_date.family_name, "01/01/1901"))
        ).content.decode()
        response = _confirm(manager_client, page)
        assert response.status_code == 200
        assert f"Row 2: select what should happen to {escape(other_date.given_name)}" in response.content.decode()
        assert not PersonImport.objects.exists()

    def test_a_failure_on_one_row_leaves_nothing(self, manager_client, practitioner_a, known):
        taken = valid_nhs_number()
        data = _csv(
            _row("MOS-4", "Zebedee", "Quixotic-Vanderpump", "02/02/1902"),
            _row("MOS-5", "Yolanda", "Unmatched-Person", "03/03/1903", nhs_number=taken),
        )
        page = _upload(manager_client, data).content.decode()
        # Between the preview and the confirmation, someone records the NHS number.
        PersonFactory(created_by=practitioner_a, nhs_number=taken)
        people = Person.objects.count()
        links = PersonLink.objects.count()
        response = _confirm(manager_client, page, row_2="create", row_3="create")
        assert response.status_code == 200
        assert "already recorded" in response.content.decode()
        assert Person.objects.count() == people
        assert PersonLink.objects.count() == links
        assert not PersonImport.objects.exists()
        assert not PersonIdentifier.objects.filter(value="MOS-4").exists()

    def test_a_changed_preview_is_refused(self, manager_client):
        page = _upload(manager_client, _csv(_row("MOS-4", "Zebedee", "Quixotic-Vanderpump"))).content.decode()
        token = _preview_token(page)
        response = manager_client.post(
            reverse("linkage:import-confirm"), {"preview": token[:-3] + "abc", "row_2": "create"}
        )
        assert response.status_code == 302
        assert not Person.objects.exists()

    def test_another_users_preview_is_refused(self, manager_client, client_for, agency_a):
        page = _upload(manager_client, _csv(_row("MOS-4", "Zebedee", "Quixotic-Vanderpump"))).content.decode()
        colleague = UserFactory(agency=agency_a, roles=[Role.MANAGER])
        response = _confirm(client_for(colleague), page, row_2="create")
        assert response.status_code == 302
        assert not Person.objects.exists()

    def test_confirming_twice_imports_once(self, manager_client):
        page = _upload(manager_client, _csv(_row("MOS-4", "Zebedee", "Quixotic-Vanderpump"))).content.decode()
        first = _confirm(manager_client, page, row_2="create")
        second = _confirm(manager_client, page, row_2="create")
        assert first["Location"] == second["Location"]
        assert Person.objects.count() == 1
        assert PersonImport.objects.count() == 1

    def test_a_row_cannot_be_linked_to_a_person_not_offered(self, manager_a, person_c, known):
        row = importing.ImportRow.from_json(
            {
                **dict.fromkeys(importing.COLUMNS, ""),
                "number": 2,
                "agency_reference": "X",
                "given_name": "A",
                "family_name": "B",
                "date_of_birth": None,
            }  # fmt: skip
        )
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            people_import(
                acting_user=manager_a,
                reference_label=LABEL,
                rows=[row],
                choices={2: ("link", str(person_c.pk))},
                candidates={2: [str(person_c.pk)]},
            )
        assert not PersonLink.objects.exists()
        assert not Person.objects.filter(given_name="A").exists()


class TestTheSummary:
    def test_another_agencys_manager_gets_404(self, manager_client, client_for, agency_c):
        page = _upload(manager_client, _csv(_row("MOS-4", "Zebedee", "Quixotic-Vanderpump"))).content.decode()
        location = _confirm(manager_client, page, row_2="create")["Location"]
        manager_c = UserFactory(agency=agency_c, roles=[Role.MANAGER])
        response = client_for(manager_c).get(location)
        assert response.status_code == 404
        assert "Zebedee" not in response.content.decode()
