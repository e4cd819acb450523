import re

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent


@pytest.mark.django_db
class TestPersonPage:
    def test_creating_agency_sees_the_person_and_the_view_is_audited(self, practitioner_a_client, person_a, practitioner_a):
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

    def test_other_agency_gets_404_and_the_attempt_is_audited(self, gp_c_client, gp_c, person_a):
        response = gp_c_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        assert response.status_code == 404
        assert "Margaret" not in response.content.decode()
        denied = AuditEvent.objects.get(action=AuditAction.DENIED)
        assert denied.actor_user == gp_c
        assert denied.person_id == str(person_a.pk)

    def test_hidden_and_missing_people_look_the_same(self, gp_c_client, person_a):
        import uuid

        hidden = gp_c_client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
        missing = gp_c_client.get(reverse("people:detail", kwargs={"pk": uuid.uuid4()}))
        assert hidden.status_code == missing.status_code == 404
        assert _without_csrf(hidden.content) == _without_csrf(missing.content)


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
