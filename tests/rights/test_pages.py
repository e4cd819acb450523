"""The subject access pages, as the officer uses them: register, check identity, gather, redact,
download, answer; refused to other roles (403) and invisible to other agencies (404)."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.rights.models import DisclosureItem, RequestStatus, SubjectAccessDisclosure, SubjectAccessRequest
from tests.factories import UserFactory
from tests.rights.conftest import register

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_an_auditor_registers_a_request_from_the_person_page(client_for, auditor_a, person_a):
    client = client_for(auditor_a)
    page = client.get(reverse("people:detail", kwargs={"pk": person_a.pk})).content.decode()
    new = reverse("rights:register", kwargs={"pk": person_a.pk})
    assert new in page
    response = client.post(
        new,
        {
            **_date("received_on", datetime.date(2026, 1, 31)),
            "requester": "subject",
            "requester_name": "Margaret Thornbury",
            "requester_contact": "12 Mill Lane",
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rights:detail", kwargs={"sar_id": sar.pk})
    assert sar.due_on == datetime.date(2026, 2, 28)
    detail = client.get(response["Location"]).content.decode()
    assert "28 February 2026" in detail


def test_bad_input_is_shown_in_an_error_summary_and_nothing_is_saved(client_for, auditor_a, person_a):
    response = client_for(auditor_a).post(
        reverse("rights:register", kwargs={"pk": person_a.pk}), {"requester_name": "Margaret Thornbury"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the date the request was received" in page and "Select who made the request" in page
    assert not SubjectAccessRequest.objects.exists()


def test_other_roles_who_see_the_person_are_refused_and_other_agencies_find_nothing(
    client_for, practitioner_a, manager_a, gp_c, agency_c, sar_a, person_a
):
    detail = reverse("rights:detail", kwargs={"sar_id": sar_a.pk})
    for user in (practitioner_a, manager_a):
        assert client_for(user).get(detail).status_code == 403
        assert client_for(user).get(reverse("rights:list")).status_code == 403
    auditor_c = UserFactory(agency=agency_c, roles=["auditor"])
    for user in (gp_c, auditor_c):
        response = client_for(user).get(detail)
        assert response.status_code == 404 and person_a.family_name not in response.content.decode()
        assert AuditEvent.objects.filter(actor_user=user, action=AuditAction.DENIED).exists()
    # An auditor of another agency sees no request in their list either.
    page = client_for(auditor_c).get(reverse("rights:list")).content.decode()
    assert person_a.family_name not in page


def test_the_list_shows_open_requests_soonest_due_first_with_the_overdue_standing_out(
    client_for, auditor_a, person_a, person_c
):
    today = timezone.localdate()
    late = register(auditor_a, person_a, received_on=today - datetime.timedelta(days=45))
    soon = register(auditor_a, person_a, received_on=today - datetime.timedelta(days=2))
    response = client_for(auditor_a).get(reverse("rights:list"))
    page = response.content.decode()
    assert page.index(late.reference) < page.index(soon.reference)
    assert "govuk-tag--red" in page and "Overdue by" in page
    search = AuditEvent.objects.get(actor_user=auditor_a, action=AuditAction.SEARCH)
    assert search.detail["person_ids"] == [str(person_a.pk)]


def test_the_officer_redacts_a_third_party_name_and_downloads_the_response(client_for, auditor_a, gathered_sar):
    client = client_for(auditor_a)
    items_url = reverse("rights:items", kwargs={"sar_id": gathered_sar.pk})
    page = client.get(items_url).content.decode()
    assert "Beatrice Fairweather" in page and "May identify someone else" in page
    daughter = DisclosureItem.objects.get(request=gathered_sar, value="Beatrice Fairweather")
    # Redacting without a reason: the error summary, and nothing decided.
    response = client.post(items_url, {"items": [daughter.pk], "decision": "redact"})
    assert "govuk-error-summary" in response.content.decode()
    assert "Select why the items are not disclosed" in response.content.decode()
    daughter.refresh_from_db()
    assert daughter.decision == "include"
    # Nothing selected.
    response = client.post(items_url, {"decision": "include"})
    assert "Select at least one item" in response.content.decode()
    response = client.post(items_url, {"items": [daughter.pk], "decision": "redact", "reason": "third_party"})
    assert response.status_code == 302
    daughter.refresh_from_db()
    assert daughter.decision == "redact" and daughter.decided_by == auditor_a

    content = client.get(reverse("rights:download-json", kwargs={"sar_id": gathered_sar.pk}))
    assert content["Content-Disposition"] == f'attachment; filename="{gathered_sar.reference}.json"'
    body = b"".join(content.streaming_content) if content.streaming else content.content
    assert b"Beatrice Fairweather" not in body
    assert json.loads(body)["items_redacted"] == 1
    pdf = client.get(reverse("rights:download-pdf", kwargs={"sar_id": gathered_sar.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert SubjectAccessDisclosure.objects.filter(request=gathered_sar).count() == 2
    assert AuditEvent.objects.filter(actor_user=auditor_a, action=AuditAction.EXPORT).count() == 2

    detail = client.get(reverse("rights:detail", kwargs={"sar_id": gathered_sar.pk})).content.decode()
    assert "Responses downloaded" in detail
    response = client.post(
        reverse("rights:answer", kwargs={"sar_id": gathered_sar.pk}), _date("answered_on", timezone.localdate())
    )
    assert response.status_code == 302
    gathered_sar.refresh_from_db()
    assert gathered_sar.status == RequestStatus.ANSWERED


def test_an_answer_after_the_due_date_stands_out(client_for, auditor_a, person_a):
    sar = register(auditor_a, person_a, received_on=timezone.localdate() - datetime.timedelta(days=70))
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(
        status=RequestStatus.ANSWERED, answered_on=timezone.localdate()
    )
    page = client_for(auditor_a).get(reverse("rights:detail", kwargs={"sar_id": sar.pk})).content.decode()
    assert "Answered late" in page


def test_gathering_is_a_post_from_the_request_page(client_for, auditor_a, sar_a, records_about_person_a):
    client = client_for(auditor_a)
    client.post(
        reverse("rights:identity", kwargs={"sar_id": sar_a.pk}),
        {**_date("checked_on", sar_a.received_on), "method": "documents"},
    )
    gather = reverse("rights:gather", kwargs={"sar_id": sar_a.pk})
    assert gather in client.get(reverse("rights:detail", kwargs={"sar_id": sar_a.pk})).content.decode()
    assert client.get(gather).status_code == 405
    response = client.post(gather)
    assert response["Location"] == reverse("rights:items", kwargs={"sar_id": sar_a.pk})
    assert DisclosureItem.objects.filter(request=sar_a).exists()


def test_the_menu_leads_auditors_to_the_open_requests(client_for, auditor_a, practitioner_a):
    link = f'href="{reverse("rights:list")}"'
    assert link in client_for(auditor_a).get(reverse("notifications:list")).content.decode()
    assert link not in client_for(practitioner_a).get(reverse("notifications:list")).content.decode()
