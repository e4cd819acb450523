"""Reminders reach people without anyone looking: time travel by passing ``now`` to the sweeps."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from marm.meetings.reminders import sweep_reviews_due
from marm.notifications.models import Notification
from marm.notifications.sweeps import run_sweeps
from marm.plans import reminders
from marm.plans.services import action_create
from tests.meetings.test_meeting_services import run_through

pytestmark = pytest.mark.django_db


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def action(planning_case, practitioner_a, police_b):
    """Led by the police officer; practitioner_a is the lead professional. Due in ten days."""
    made = action_create(
        acting_user=practitioner_a,
        case=planning_case,
        what="Welfare check after dark",
        lead_user=police_b,
        agency=police_b.agency,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    Notification.objects.all().delete()
    mail.outbox.clear()
    return made


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_nothing_before_it_is_due_soon(action, police_b):
    assert reminders.sweep_actions_due(_noon(action.due_date - datetime.timedelta(days=4))) == 0
    assert not Notification.objects.exists()


def test_due_soon_and_then_overdue_reach_the_owner_and_the_lead_professional(action, police_b, practitioner_a):
    assert reminders.sweep_actions_due(_noon(action.due_date - datetime.timedelta(days=2))) == 2
    assert _titles(police_b) == ["action_due_soon"] and _titles(practitioner_a) == ["action_due_soon"]
    assert reminders.sweep_actions_due(_noon(action.due_date)) == 0  # still the same event
    assert reminders.sweep_actions_due(_noon(action.due_date + datetime.timedelta(days=1))) == 2
    overdue = Notification.objects.get(recipient=police_b, kind="action_overdue")
    assert action.case.reference in overdue.title and "Thornbury" not in overdue.title
    assert overdue.link.endswith(f"/plan/actions/{action.pk}/")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([police_b.email, practitioner_a.email] * 2)


def test_running_the_sweep_twice_notifies_once(action):
    later = _noon(action.due_date + datetime.timedelta(days=3))
    assert run_sweeps(now=later, names=["actions-due"]) == {"actions-due": 2}
    assert run_sweeps(now=later, names=["actions-due"]) == {"actions-due": 0}
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_done_action_is_not_reminded(action, police_b):
    from marm.plans.services import action_progress

    action_progress(acting_user=police_b, action=action, expected_version=action.version, status="done", note="Done.")
    assert reminders.sweep_actions_due(_noon(action.due_date + datetime.timedelta(days=5))) == 0


def test_a_sweep_killed_half_way_and_run_again_delivers_each_notification_once(
    planning_case, practitioner_a, police_b, manager_a
):
    due = timezone.localdate() + datetime.timedelta(days=2)
    for index in range(3):
        action_create(
            acting_user=practitioner_a,
            case=planning_case,
            what=f"Action {index}",
            lead_user=police_b if index % 2 else manager_a,
            agency=(police_b if index % 2 else manager_a).agency,
            due_date=due,
        )
    Notification.objects.all().delete()
    mail.outbox.clear()
    later = _noon(due + datetime.timedelta(days=1))
    real_notify = reminders.notify
    calls = {"n": 0}

    def dies_on_the_fourth(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise SystemExit("worker killed")
        return real_notify(**kwargs)

    with mock.patch.object(reminders, "notify", side_effect=dies_on_the_fourth), pytest.raises(SystemExit):
        reminders.sweep_actions_due(later)
    assert Notification.objects.count() == 3
    reminders.sweep_actions_due(later)  # the restarted worker
    reminders.sweep_actions_due(later)
    # Three actions, each to its lead and the lead professional: six events, each once.
    assert Notification.objects.count() == 6
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    assert len(keys) == len(set(keys))
    assert len(mail.outbox) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [practitioner_a.email] * 3 + [manager_a.email] * 2 + [police_b.email]
    )


def _finished_with_review_in_30_days(planning_meeting, manager_a) -> datetime.date:
    """The planning meeting held and finished, a review meeting due in 30 days; returns that date."""
    from marm.meetings.services import meeting_finish

    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    review_by = timezone.localdate() + datetime.timedelta(days=30)
    meeting_finish(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        outcome="review",
        next_review_date=review_by,
    )
    return review_by


def test_a_review_meeting_due_reaches_the_lead_professional_and_the_chair(planning_meeting, manager_a, practitioner_a):
    review_by = _finished_with_review_in_30_days(planning_meeting, manager_a)
    Notification.objects.all().delete()
    assert sweep_reviews_due(_noon(review_by - datetime.timedelta(days=10))) == 0
    assert sweep_reviews_due(_noon(review_by - datetime.timedelta(days=5))) == 2
    assert sweep_reviews_due(_noon(review_by - datetime.timedelta(days=4))) == 0
    assert set(Notification.objects.values_list("recipient", flat=True)) == {manager_a.pk, practitioner_a.pk}
    title = Notification.objects.filter(kind="review_due").first().title
    assert planning_meeting.case.reference in title and "Thornbury" not in title


def test_no_review_reminder_once_the_review_is_scheduled(planning_meeting, manager_a):
    from marm.meetings.services import meeting_schedule
    from tests.meetings.conftest import at

    review_by = _finished_with_review_in_30_days(planning_meeting, manager_a)
    meeting_schedule(
        acting_user=manager_a,
        case=planning_meeting.case,
        kind="review",
        starts_at=at(28),
        ends_at=at(28, 11),
        chair=manager_a,
        place="Civic Centre",
    )
    assert sweep_reviews_due(_noon(review_by)) == 0


def test_a_cancelled_review_meeting_does_not_silence_the_reminder(planning_meeting, manager_a):
    from marm.meetings.services import meeting_cancel, meeting_schedule
    from tests.meetings.conftest import at

    review_by = _finished_with_review_in_30_days(planning_meeting, manager_a)
    review = meeting_schedule(
        acting_user=manager_a,
        case=planning_meeting.case,
        kind="review",
        starts_at=at(28),
        ends_at=at(28, 11),
        chair=manager_a,
        place="Civic Centre",
    )
    meeting_cancel(acting_user=manager_a, meeting=review, expected_version=review.version, reason="Chair off sick")
    assert sweep_reviews_due(_noon(review_by)) == 2
