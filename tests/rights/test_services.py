"""Subject access services: only an auditor whose agency can see the person works a request, each
step is audited, and a refused step leaves nothing behind."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.rights import documents, services
from marm.rights.dates import due_on
from marm.rights.models import DisclosureItem, RequestStatus, SubjectAccessDisclosure, SubjectAccessRequest
from tests.factories import UserFactory
from tests.rights.conftest import check_identity, register

pytestmark = pytest.mark.django_db


def test_registering_sets_the_due_date_and_is_audited(auditor_a, person_a):
    sar = register(auditor_a, person_a, received_on=datetime.date(2026, 1, 31))
    assert sar.due_on == datetime.date(2026, 2, 28)
    assert sar.status == RequestStatus.REGISTERED
    row = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="rights.subjectaccessrequest")
    assert row.person_id == str(person_a.pk) and row.actor_user == auditor_a


def test_a_practitioner_who_sees_the_person_may_not_register_and_nothing_is_left(practitioner_a, person_a):
    with pytest.raises(PermissionDenied):
        register(practitioner_a, person_a)
    assert not SubjectAccessRequest.objects.exists()


def test_an_auditor_of_an_agency_not_involved_is_refused_as_if_the_person_did_not_exist(agency_c, person_a):
    auditor_c = UserFactory(agency=agency_c, roles=["auditor"])
    with pytest.raises(RecordNotVisible):
        register(auditor_c, person_a)
    assert not SubjectAccessRequest.objects.exists()
    assert AuditEvent.objects.filter(actor_user=auditor_c, action=AuditAction.DENIED).count() == 1


def test_a_request_received_in_the_future_is_refused(auditor_a, person_a):
    with pytest.raises(ValidationError) as error:
        register(auditor_a, person_a, received_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "received_on" in error.value.message_dict
    assert not SubjectAccessRequest.objects.exists()


def test_records_are_gathered_only_once_identity_is_checked(auditor_a, sar_a):
    with pytest.raises(ValidationError, match="identity"):
        services.subject_access_gather(acting_user=auditor_a, subject_access=sar_a)
    assert not DisclosureItem.objects.exists()
    sar = check_identity(auditor_a, sar_a)
    assert sar.status == RequestStatus.GATHERING and sar.identity_checked_by == auditor_a
    count = services.subject_access_gather(acting_user=auditor_a, subject_access=sar)
    assert count == DisclosureItem.objects.filter(request=sar).count() > 0
    sar.refresh_from_db()
    assert sar.status == RequestStatus.REDACTING


def test_an_extension_of_two_further_months_at_most_with_its_reason(auditor_a, person_a):
    sar = register(auditor_a, person_a, received_on=timezone.localdate().replace(day=1))
    first_due = sar.due_on
    sar = services.subject_access_extend(
        acting_user=auditor_a, subject_access=sar, months=1, reason="complex", details="Records in four agencies"
    )
    assert sar.extension_months == 1 and sar.due_on > first_due
    with pytest.raises(ValidationError) as error:
        services.subject_access_extend(
            acting_user=auditor_a, subject_access=sar, months=2, reason="complex", details="Still more"
        )
    assert "months" in error.value.message_dict
    sar.refresh_from_db()
    assert sar.extension_months == 1
    sar = services.subject_access_extend(
        acting_user=auditor_a, subject_access=sar, months=1, reason="complex", details="Still more"
    )
    assert sar.due_on == due_on(sar.received_on, 2)


def test_redacting_needs_a_reason_and_a_refused_decision_changes_nothing(auditor_a, gathered_sar):
    daughter = DisclosureItem.objects.get(request=gathered_sar, value="Beatrice Fairweather")
    with pytest.raises(ValidationError) as error:
        services.subject_access_decide(
            acting_user=auditor_a, subject_access=gathered_sar, item_ids=[daughter.pk], decision="redact"
        )
    assert "reason" in error.value.message_dict
    daughter.refresh_from_db()
    assert daughter.decision == "include" and daughter.decided_by is None


def test_items_of_another_request_cannot_be_decided_on(auditor_a, gathered_sar, person_c, agency_c):
    with pytest.raises(ValidationError) as error:
        services.subject_access_decide(
            acting_user=auditor_a,
            subject_access=gathered_sar,
            item_ids=[999999],
            decision="redact",
            reason="third_party",
        )
    assert "items" in error.value.message_dict


def test_the_response_carries_no_redacted_value_and_counts_what_is_withheld(auditor_a, gathered_sar):
    daughter = DisclosureItem.objects.get(request=gathered_sar, value="Beatrice Fairweather")
    phone = DisclosureItem.objects.get(request=gathered_sar, value="07700 900123")
    services.subject_access_decide(
        acting_user=auditor_a,
        subject_access=gathered_sar,
        item_ids=[daughter.pk],
        decision="redact",
        reason="third_party",
    )
    services.subject_access_decide(
        acting_user=auditor_a,
        subject_access=gathered_sar,
        item_ids=[phone.pk],
        decision="withhold",
        reason="third_party",
    )
    response = documents.response_for(gathered_sar)
    content = documents.response_json(response)
    assert b"Beatrice Fairweather" not in content and b"07700 900123" not in content
    document = json.loads(content)
    assert document["items_redacted"] == 1 and document["items_withheld"] == 1
    assert "Home visit: the hallway is blocked" in content.decode()
    related = next(record for record in document["records"] if record["kind"] == "Related persons")
    assert related["fields"]["Name"] == "[Redacted]"
    assert "Phone" not in related["fields"]


def test_each_download_is_an_audited_disclosure(auditor_a, gathered_sar, person_a):
    response = documents.response_for(gathered_sar)
    content = documents.response_json(response)
    disclosure = services.subject_access_disclose(
        acting_user=auditor_a,
        subject_access=gathered_sar,
        document_format="json",
        content=content,
        counts=response.counts,
    )
    assert disclosure.items_disclosed == response.counts["disclosed"] > 0
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, actor_user=auditor_a)
    assert export.person_id == str(person_a.pk)
    assert export.detail["sha256"] == disclosure.sha256


def test_answering_needs_a_response_given_and_records_a_late_answer(auditor_a, person_a, records_about_person_a):
    sar = check_identity(
        auditor_a, register(auditor_a, person_a, received_on=timezone.localdate() - datetime.timedelta(days=60))
    )
    services.subject_access_gather(acting_user=auditor_a, subject_access=sar)
    with pytest.raises(ValidationError, match="Download the response"):
        services.subject_access_answer(acting_user=auditor_a, subject_access=sar, answered_on=timezone.localdate())
    sar.refresh_from_db()
    assert sar.status == RequestStatus.REDACTING and sar.answered_on is None
    response = documents.response_for(sar)
    services.subject_access_disclose(
        acting_user=auditor_a,
        subject_access=sar,
        document_format="json",
        content=documents.response_json(response),
        counts=response.counts,
    )
    sar = services.subject_access_answer(acting_user=auditor_a, subject_access=sar, answered_on=timezone.localdate())
    assert sar.status == RequestStatus.ANSWERED
    assert AuditEvent.objects.filter(purpose="Subject access: answered", detail__late=True).exists()
    assert SubjectAccessDisclosure.objects.filter(request=sar).count() == 1


def test_a_withdrawn_request_is_closed(auditor_a, sar_a):
    sar = services.subject_access_withdraw(acting_user=auditor_a, subject_access=sar_a, reason="Asked by letter")
    assert sar.status == RequestStatus.WITHDRAWN and not sar.is_open
    with pytest.raises(ValidationError):
        services.subject_access_withdraw(acting_user=auditor_a, subject_access=sar, reason="Again")


def test_records_are_gathered_once_and_a_second_gathering_adds_nothing(auditor_a, gathered_sar):
    count = DisclosureItem.objects.filter(request=gathered_sar).count()
    with pytest.raises(ValidationError, match="already been gathered"):
        services.subject_access_gather(acting_user=auditor_a, subject_access=gathered_sar)
    assert DisclosureItem.objects.filter(request=gathered_sar).count() == count
