"""Advocacy as a tracked referral: Care Act advocate or IMCA, asked for, by whom, from whom, and the outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.core.locking import StaleEditError
from marm.risk.models import AdvocacyReferral
from marm.risk.services import advocacy_referral_create, advocacy_referral_update

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _refer(user, case, **overrides):
    values = {"kind": "care_act", "requested_on": TODAY(), "provider": "Solent Advocacy"} | overrides
    return advocacy_referral_create(acting_user=user, case=case, **values)


def test_a_referral_is_recorded_with_who_asked_and_audited(accepted_case, practitioner_a):
    referral = _refer(practitioner_a, accepted_case)
    assert referral.outcome == "waiting"
    assert referral.requested_by == practitioner_a and referral.requested_by_agency == practitioner_a.agency
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="risk.advocacyreferral", object_id=str(referral.pk)
    )
    assert event.person_id == str(accepted_case.person_id)


def test_the_outcome_is_tracked_with_its_date_and_the_advocate(accepted_case, practitioner_a):
    referral = _refer(practitioner_a, accepted_case, kind="imca")
    with pytest.raises(ValidationError) as error:
        advocacy_referral_update(
            acting_user=practitioner_a, referral=referral, expected_version=referral.version, outcome="allocated"
        )
    assert set(error.value.message_dict) == {"outcome_on", "advocate_name"}
    referral.refresh_from_db()
    assert referral.outcome == "waiting" and referral.version == 1  # nothing saved
    advocacy_referral_update(
        acting_user=practitioner_a,
        referral=referral,
        expected_version=1,
        outcome="allocated",
        outcome_on=TODAY(),
        advocate_name="Jo Whitfield",
    )
    referral.refresh_from_db()
    assert (referral.outcome, referral.advocate_name, referral.version) == ("allocated", "Jo Whitfield", 2)
    # Someone working from the old version is stopped, not silently overwritten.
    with pytest.raises(StaleEditError):
        advocacy_referral_update(
            acting_user=practitioner_a,
            referral=referral,
            expected_version=1,
            outcome="declined",
            outcome_on=TODAY(),
        )


def test_a_date_in_the_future_is_refused_and_nothing_is_saved(accepted_case, practitioner_a):
    with pytest.raises(ValidationError):
        _refer(practitioner_a, accepted_case, requested_on=TODAY() + datetime.timedelta(days=1))
    assert not AdvocacyReferral.objects.exists()


def test_the_case_page_shows_the_referral_and_the_pages_add_and_update_it(client_for, accepted_case, practitioner_a):
    client = client_for(practitioner_a)
    add = reverse("risk:advocacy-add", kwargs={"case_pk": accepted_case.pk})
    bad = client.post(add, {"kind": "imca"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    assert "Enter the name of the advocacy provider" in bad.content.decode()
    assert not AdvocacyReferral.objects.exists()
    day = TODAY()
    response = client.post(
        add,
        {
            "kind": "imca",
            "requested_on_0": day.day,
            "requested_on_1": day.month,
            "requested_on_2": day.year,
            "provider": "Solent Advocacy",
        },
    )
    assert response.status_code == 302
    referral = AdvocacyReferral.objects.get()
    page = client.get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})).content.decode()
    assert "Independent mental capacity advocate (IMCA)" in page and "Solent Advocacy" in page
    update = reverse("risk:advocacy-update", kwargs={"case_pk": accepted_case.pk, "referral_id": referral.pk})
    response = client.post(
        update,
        {
            "outcome": "declined",
            "outcome_on_0": day.day,
            "outcome_on_1": day.month,
            "outcome_on_2": day.year,
            "expected_version": referral.version,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "declined"
    page = client.get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})).content.decode()
    assert "declined by the adult" in page


def test_another_agency_cannot_see_or_refer(client_for, accepted_case, practitioner_a, gp_c, auditor_a):
    referral = _refer(practitioner_a, accepted_case)
    update = reverse("risk:advocacy-update", kwargs={"case_pk": accepted_case.pk, "referral_id": referral.pk})
    add = reverse("risk:advocacy-add", kwargs={"case_pk": accepted_case.pk})
    assert client_for(gp_c).get(add).status_code == 404
    assert client_for(gp_c).get(update).status_code == 404
    assert client_for(auditor_a).get(add).status_code == 403
    assert client_for(auditor_a).post(add, {"kind": "imca", "provider": "X"}).status_code == 403
    assert AdvocacyReferral.objects.count() == 1
