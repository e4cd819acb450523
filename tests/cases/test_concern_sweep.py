"""The concerns sweep: a concern waiting for screening more than 2 working days reminds the lead agency's managers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marm.cases.models import Case
from marm.cases.sweeps import working_days_between
from marm.notifications.models import Notification
from marm.notifications.sweeps import registered_sweeps, run_sweeps
from marm.organisations.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _raised_on(case, day):
    Case.objects.filter(pk=case.pk).update(raised_at=_at(day))


def test_working_days_leave_out_the_weekend():
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=2)) == 2  # Wednesday
    friday = MONDAY + datetime.timedelta(days=4)
    assert working_days_between(friday, friday + datetime.timedelta(days=3)) == 1  # the next Monday
    assert working_days_between(friday, friday + datetime.timedelta(days=5)) == 3  # the next Wednesday


def test_the_sweep_is_registered():
    assert "concerns-waiting" in registered_sweeps()


def test_a_concern_waiting_more_than_2_working_days_reminds_the_lead_agencys_managers_once(
    concern, manager_a, practitioner_a, agency_b
):
    second_manager = UserFactory(agency=concern.lead_agency, roles=[Role.MANAGER])
    UserFactory(agency=agency_b, roles=[Role.MANAGER])  # another agency's manager: not told
    friday = MONDAY + datetime.timedelta(days=4)
    _raised_on(concern, friday)
    # The next Tuesday is 2 working days on: not yet.
    assert run_sweeps(now=_at(friday + datetime.timedelta(days=4)), names=["concerns-waiting"]) == {
        "concerns-waiting": 0
    }
    wednesday = friday + datetime.timedelta(days=5)
    assert run_sweeps(now=_at(wednesday), names=["concerns-waiting"]) == {"concerns-waiting": 2}
    rows = Notification.objects.filter(kind="concern_waiting")
    assert {row.recipient for row in rows} == {manager_a, second_manager}
    for row in rows:
        assert concern.reference in row.title
        assert "Thornbury" not in row.title + row.body
        assert row.link == reverse("cases:detail", kwargs={"case_pk": concern.pk})
    assert run_sweeps(now=_at(wednesday + datetime.timedelta(days=1)), names=["concerns-waiting"]) == {
        "concerns-waiting": 0
    }
    assert not Notification.objects.filter(kind="concern_waiting", recipient=practitioner_a).exists()


def test_a_screened_concern_is_not_reminded_of(accepted_case, manager_a):
    _raised_on(accepted_case, MONDAY)
    assert run_sweeps(now=_at(MONDAY + datetime.timedelta(days=10)), names=["concerns-waiting"]) == {
        "concerns-waiting": 0
    }
