"""A person's access log reads in words: what was done to which record, why, by whom and when;
never an internal name of a record, an id or a hash."""

import html
import re

import pytest
from django.apps import apps
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.audit.services import SystemActor, audit_record
from marm.people import presenters
from marm.people.services import person_update


def _rows(page: str) -> list[str]:
    """The log's rows as text, one string a row, cells separated by " | "."""
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.DOTALL):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        rows.append(" | ".join(cells))
    return rows


@pytest.fixture
def log_page(client_for, manager_a, police_b, gp_c, practitioner_a, duty_a, person_a, accepted_case):
    """The police (B) view the person; the GP (C) is refused the case; A changes the person's details;
    a duty officer reads the risk assessment for a call; the reminders job writes a row."""
    client_for(police_b).get(reverse("people:detail", kwargs={"pk": person_a.pk}))
    client_for(gp_c).get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk}))
    person_update(
        acting_user=practitioner_a, person=person_a, expected_version=person_a.version, preferred_name="Peggy"
    )
    audit_record(
        actor=duty_a,
        action=AuditAction.VIEW,
        object_type="risk.riskassessment",
        object_id="record-9182",
        person_id=person_a.pk,
        purpose="Duty call",
    )
    audit_record(
        actor=SystemActor("reminders"), action=AuditAction.UPDATE, object_type="plans.action", person_id=person_a.pk
    )
    response = client_for(manager_a).get(reverse("people:access-log", kwargs={"pk": person_a.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_L9_each_row_says_what_was_done_to_which_record_and_why(log_page, police_b, gp_c, practitioner_a, duty_a):
    rows = _rows(log_page)
    # Newest first: the manager's own view of the log heads it.
    assert rows[0].endswith("| Viewed the person's record, purpose: reviewing who accessed the record")
    assert any(row.endswith("| marm's reminders | None | Changed an action") for row in rows)
    assert any(
        f"| {duty_a.full_name} | Shire Adult Social Care | Viewed the risk assessment, purpose: duty call" in row
        for row in rows
    )
    assert any(
        f"| {practitioner_a.full_name} | Shire Adult Social Care | Changed the person's details" in row for row in rows
    )
    refused = [row for row in rows if "Access refused: the case" in row]
    assert len(refused) == 1
    assert f"| {gp_c.full_name} |" in refused[0]
    assert any(f"| {police_b.full_name} | Shire Police | Viewed the person's record" in row for row in rows)


@pytest.mark.django_db
def test_each_audit_row_is_one_row_of_the_log(log_page, person_a):
    assert len(_rows(log_page)) == AuditEvent.objects.filter(person_id=str(person_a.pk)).count()


@pytest.mark.django_db
def test_no_internal_name_id_or_hash_is_shown(log_page, person_a, accepted_case):
    for event in AuditEvent.objects.filter(person_id=str(person_a.pk)):
        assert event.row_hash not in log_page
        if event.object_type:
            assert event.object_type not in log_page, event.object_type
    # "record-9182" has letters no identifier in a URL has, so it cannot turn up by chance.
    for raw in ("record-9182", str(accepted_case.pk), "reminders |", "denied", "risk.riskassessment"):
        assert raw not in log_page


@pytest.mark.django_db
def test_a_practitioner_may_not_read_the_access_log(practitioner_a_client, person_a):
    assert practitioner_a_client.get(reverse("people:access-log", kwargs={"pk": person_a.pk})).status_code == 403


@pytest.mark.django_db
def test_another_agency_that_may_not_see_the_person_gets_404(client_for, gp_c, person_a):
    assert client_for(gp_c).get(reverse("people:access-log", kwargs={"pk": person_a.pk})).status_code == 404


@pytest.mark.parametrize(
    ("object_type", "name"),
    [
        ("risk.riskassessment", "the risk assessment"),
        ("organisations.team", "the team"),  # not in the list: the model's own name
        ("measure", "the measure"),  # not a model
        ("", "a record"),
    ],
)
def test_a_record_is_named_from_the_list_then_from_its_model(object_type, name):
    assert presenters.record_name(object_type) == name


def test_every_record_named_in_the_list_is_a_model():
    for object_type in presenters.RECORD_NAMES:
        assert apps.get_model(object_type)._meta.label_lower == object_type
