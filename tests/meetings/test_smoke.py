import pytest

pytestmark = pytest.mark.django_db


def test_scheduling(planning_meeting):
    assert planning_meeting.minutes_items.count() == 14
