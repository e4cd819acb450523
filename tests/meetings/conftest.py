"""A case ready for its planning meeting: accepted, with a lead professional, shared in full with
the police (agency B). The GP practice (agency C) takes no part."""

import datetime

import pytest
from django.utils import timezone

from marm.cases.services import lead_professional_allocate
from marm.meetings.services import meeting_finish, meeting_schedule
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide


def share(*, by, case, agency, access="full"):
    return sharing_decide(
        acting_user=by,
        case=case,
        agency=agency,
        basis="risk_to_others",
        rationale="The neighbours are at risk from a fire.",
        access=access,
        what_is_shared="The concern and the fire risk.",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="increases_risk",
    )


def at(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local (Europe/London) time ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def hours_ago(hours: float) -> datetime.datetime:
    """A time earlier today or late yesterday: a meeting held then can be finished now, whatever the hour."""
    # Whole minutes, as people book meetings (and as calendar files carry times).
    return (timezone.now() - datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)


@pytest.fixture
def planning_case(accepted_case, manager_a, practitioner_a, agency_b):
    share(by=manager_a, case=accepted_case, agency=agency_b)
    lead_professional_allocate(
        acting_user=manager_a, case=accepted_case, user=practitioner_a, rationale="Knows Margaret well"
    )
    accepted_case.refresh_from_db()
    return accepted_case


@pytest.fixture
def planning_meeting(planning_case, practitioner_a, manager_a):
    """A planning meeting held a few hours ago (so it can be finished), chaired by manager_a."""
    return meeting_schedule(
        acting_user=practitioner_a,
        case=planning_case,
        kind="planning",
        starts_at=hours_ago(4),
        ends_at=hours_ago(3),
        chair=manager_a,
        place="Civic Centre, Room 4",
        agenda="Fire risk; refusal of care",
    )


def finish_meeting(meeting, by):
    """Finish the meeting: continue, with the next review in six weeks."""
    meeting.refresh_from_db()
    meeting_finish(
        acting_user=by,
        meeting=meeting,
        expected_version=meeting.version,
        outcome="review",
        next_review_date=timezone.localdate() + datetime.timedelta(days=42),
    )


def review_meeting(case, by):
    """A review meeting held an hour ago, chaired by ``by``."""
    return meeting_schedule(
        acting_user=by,
        case=case,
        kind="review",
        starts_at=hours_ago(2),
        ends_at=hours_ago(1),
        chair=by,
        place="Civic Centre, Room 4",
    )


@pytest.fixture
def first_review(planning_meeting, manager_a):
    """The planning meeting held and finished; the first review, an hour ago."""
    from tests.meetings.test_meeting_services import run_through

    run_through(planning_meeting, by=manager_a)
    finish_meeting(planning_meeting, manager_a)
    planning_meeting.case.refresh_from_db()
    return review_meeting(planning_meeting.case, manager_a)
