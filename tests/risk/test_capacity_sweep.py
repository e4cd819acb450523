"""The capacity sweep: a "look again by" date reached or passed reminds the assessor and the lead professional."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.cases.services import lead_professional_allocate
from marm.notifications.models import Notification
from marm.notifications.sweeps import registered_sweeps, run_sweeps
from marm.organisations.models import Role
from tests.factories import UserFactory
from tests.risk import helpers

pytestmark = pytest.mark.django_db


def _assess(user, case, *, review_in_days):
    today = timezone.localdate()
    return helpers.assess(
        user,
        case,
        helpers.LACKS,
        assessed_on=today - datetime.timedelta(days=60),
        review_by=today + datetime.timedelta(days=review_in_days),
    )


@pytest.fixture
def lead_case(accepted_case, manager_a, practitioner_a):
    lead_professional_allocate(acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows her")
    return accepted_case


@pytest.fixture
def assessor(agency_a):
    return UserFactory(agency=agency_a, roles=[Role.PRACTITIONER])


def test_the_sweep_is_registered():
    assert "capacity-review-due" in registered_sweeps()


def test_an_assessment_past_its_date_reminds_the_assessor_and_the_lead_professional_once(
    lead_case, practitioner_a, assessor
):
    assessment = _assess(assessor, lead_case, review_in_days=-1)
    _assess(assessor, lead_case, review_in_days=10)  # not due yet: nothing
    assert run_sweeps(names=["capacity-review-due"]) == {"capacity-review-due": 2}
    rows = Notification.objects.filter(kind="capacity_review_due")
    assert {row.recipient for row in rows} == {assessor, practitioner_a}
    for row in rows:
        assert lead_case.reference in row.title
        assert "Thornbury" not in row.title and "Margaret" not in row.title + row.body
        assert row.link == reverse(
            "risk:capacity-detail", kwargs={"case_pk": lead_case.pk, "assessment_id": assessment.pk}
        )
    # A second run tells no one again.
    assert run_sweeps(names=["capacity-review-due"]) == {"capacity-review-due": 0}
    assert rows.count() == 2


def test_the_day_itself_is_due(lead_case, practitioner_a):
    _assess(practitioner_a, lead_case, review_in_days=0)
    assert run_sweeps(names=["capacity-review-due"]) == {"capacity-review-due": 1}  # assessor and lead are one
    assert "is due to be looked at again" in Notification.objects.get(kind="capacity_review_due").title
