"""One concern form, one case: a repeated post of the same form raises nothing new."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import Case
from marm.cases.services import case_raise
from marm.govuk_forms import submission

pytestmark = pytest.mark.django_db

CONCERN = {
    "what_is_happening": "Hoarding; blocked exits",
    "others_at_risk": "no",
    "decisional_capacity": "no_concerns",
    "executive_capacity": "concerns",
    "capacity_assessment_needed": "unknown",
    "asked_about_sharing": "yes",
    "views_on_sharing": "Agreed",
}


def _token(page: str) -> str:
    match = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert match, "the form carries its token in a hidden field"
    return match.group(1)


def test_posting_the_same_concern_form_twice_raises_one_case(practitioner_a_client, person_a):
    url = reverse("cases:raise", kwargs={"pk": person_a.pk})
    token = _token(practitioner_a_client.get(url).content.decode())
    first = practitioner_a_client.post(url, {**CONCERN, "submission_key": token})
    second = practitioner_a_client.post(url, {**CONCERN, "submission_key": token})
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("cases:detail", kwargs={"case_pk": case.pk})
    assert case.submission_key == uuid.UUID(token)


def test_each_showing_of_the_form_has_its_own_token(practitioner_a_client, person_a):
    url = reverse("cases:raise", kwargs={"pk": person_a.pk})
    first = _token(practitioner_a_client.get(url).content.decode())
    second = _token(practitioner_a_client.get(url).content.decode())
    assert first != second
    practitioner_a_client.post(url, {**CONCERN, "submission_key": first})
    practitioner_a_client.post(url, {**CONCERN, "submission_key": second})
    assert Case.objects.count() == 2


def test_a_form_shown_again_with_errors_keeps_its_token(practitioner_a_client, person_a):
    url = reverse("cases:raise", kwargs={"pk": person_a.pk})
    token = _token(practitioner_a_client.get(url).content.decode())
    response = practitioner_a_client.post(url, {"submission_key": token})
    assert response.status_code == 200
    assert _token(response.content.decode()) == token


def test_a_post_without_a_token_raises_a_case_as_before(practitioner_a_client, person_a):
    url = reverse("cases:raise", kwargs={"pk": person_a.pk})
    practitioner_a_client.post(url, CONCERN)
    practitioner_a_client.post(url, {**CONCERN, "submission_key": "not-a-token"})
    assert Case.objects.count() == 2


def test_case_raise_twice_with_one_key_gives_the_first_case_and_one_audit_row(practitioner_a, person_a):
    key = uuid.uuid4()
    first = case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", submission_key=key)
    second = case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", submission_key=key)
    assert second.pk == first.pk
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(first.pk)).count() == 1


def test_a_concurrent_post_with_the_same_key_gets_the_case_the_first_one_raised(practitioner_a, person_a, monkeypatch):
    """The second post passed the look-up before the first was saved: the unique key catches it."""
    key = uuid.uuid4()
    first = case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", submission_key=key)
    monkeypatch.setattr("marm.cases.services.first_submission", lambda queryset, key: None)
    second = case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", submission_key=key)
    assert second.pk == first.pk
    assert Case.objects.count() == 1
    assert submission.first_submission(Case.objects.all(), key) == first


def test_another_users_key_is_refused_not_handed_their_case(practitioner_a, manager_a, person_a):
    key = uuid.uuid4()
    case_raise(acting_user=practitioner_a, person=person_a, what_is_happening="x", submission_key=key)
    with pytest.raises(ValidationError) as refused:
        case_raise(acting_user=manager_a, person=person_a, what_is_happening="x", submission_key=key)
    assert "already been sent" in str(refused.value)
    assert Case.objects.count() == 1
