"""Notifications: told once, by e-mail once, and only ever to their recipient."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from marm.notifications.models import Notification
from marm.notifications.services import notification_emails_retry, notify
from marm.notifications.sweeps import _SWEEPS, register_sweep, run_sweeps
from marm.notifications.tasks import notification_email_send


def _notify(user, key="action-overdue:1:2026-11-23", link="/notifications/"):
    return notify(
        recipient=user,
        kind="action_overdue",
        key=key,
        title="An action on case MARM-0001 is overdue",
        link=link,
    )


@pytest.mark.django_db
def test_an_event_is_notified_once_in_app_and_by_email(practitioner_a):
    first = _notify(practitioner_a)
    again = _notify(practitioner_a)

    assert first is not None and again is None
    assert Notification.objects.filter(recipient=practitioner_a).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [practitioner_a.email]
    assert "MARM-0001 is overdue" in message.subject
    assert "http://127.0.0.1:8000/notifications/" in message.body


@pytest.mark.django_db
def test_the_same_event_reaches_each_recipient(practitioner_a, manager_a):
    assert _notify(practitioner_a) is not None
    assert _notify(manager_a) is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner_a.email, manager_a.email])


@pytest.mark.django_db
def test_inactive_accounts_are_not_notified(practitioner_a):
    practitioner_a.is_active = False
    practitioner_a.save(update_fields=["is_active"])
    assert _notify(practitioner_a) is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_R2_an_email_job_run_twice_sends_once(practitioner_a):
    notification = _notify(practitioner_a)
    assert len(mail.outbox) == 1
    assert notification_email_send.call(str(notification.pk)) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_R2_emails_whose_job_never_ran_are_sent_by_the_sweep_once(practitioner_a):
    # A worker stopped before the e-mail went: the row is there, unsent.
    stuck = Notification.objects.create(
        recipient=practitioner_a, kind="review_due", key="review-due:x", title="A review meeting is due"
    )
    Notification.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    assert mail.outbox == []

    assert notification_emails_retry(timezone.now()) == 1
    assert notification_emails_retry(timezone.now()) == 0
    assert len(mail.outbox) == 1
    stuck.refresh_from_db()
    assert stuck.emailed_at is not None


@pytest.mark.django_db
def test_recent_unsent_emails_are_left_to_their_own_job(practitioner_a):
    Notification.objects.create(recipient=practitioner_a, kind="review_due", key="k", title="A review meeting is due")
    assert notification_emails_retry(timezone.now()) == 0
    assert mail.outbox == []


@pytest.fixture
def counting_sweep():
    calls = []

    def sweep(now):
        calls.append(now)
        return 0

    register_sweep("test-counting", sweep)
    yield calls
    _SWEEPS.pop("test-counting", None)


@pytest.mark.django_db
def test_run_sweeps_runs_each_registered_sweep(counting_sweep, capsys):
    call_command("run_sweeps", "--sweep", "test-counting")
    assert len(counting_sweep) == 1
    assert "test-counting: 0" in capsys.readouterr().out
    results = run_sweeps(names=["test-counting"])
    assert results == {"test-counting": 0}


@pytest.mark.django_db
def test_an_unknown_sweep_is_refused_by_name():
    with pytest.raises(CommandError, match="No sweep called 'nope'"):
        call_command("run_sweeps", "--sweep", "nope")


@pytest.mark.django_db
def test_the_notifications_page_lists_only_your_own(client_for, practitioner_a, manager_a):
    _notify(practitioner_a)
    notify(recipient=manager_a, kind="x", key="m", title="Something for the manager only")
    response = client_for(practitioner_a).get("/notifications/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "MARM-0001 is overdue" in page
    assert "for the manager only" not in page
    assert "(1 unread)" in page


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client_for, practitioner_a):
    notification = _notify(practitioner_a, link="/")
    client = client_for(practitioner_a)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == "/"
    notification.refresh_from_db()
    assert notification.is_read
    unread = client.get("/notifications/?show=unread").content.decode()
    assert "You have no unread notifications." in unread


@pytest.mark.django_db
def test_a_link_off_site_is_not_followed(client_for, practitioner_a):
    notification = _notify(practitioner_a, link="https://elsewhere.example.com/")
    response = client_for(practitioner_a).get(f"/notifications/{notification.pk}/")
    assert response["Location"] == "/notifications/"


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found(client_for, practitioner_a, manager_a):
    notification = _notify(manager_a)
    response = client_for(practitioner_a).get(f"/notifications/{notification.pk}/")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


@pytest.mark.django_db
def test_mark_all_as_read(client_for, practitioner_a):
    _notify(practitioner_a, key="a")
    _notify(practitioner_a, key="b")
    client = client_for(practitioner_a)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=practitioner_a, read_at__isnull=True).exists()
    assert "unread)" not in client.get("/notifications/").content.decode()
