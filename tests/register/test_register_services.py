"""The register's weekly cycle: on, reviewed, supervised, processes shown, off with a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.decisions.models import Decision
from marm.notifications.models import Notification
from marm.organisations.models import Role
from marm.register.models import RegisterEntry, RegisterReview, ReviewTask, SupportNotDelivered
from marm.register.services import (
    register_entry_add,
    register_entry_remove,
    register_process_end,
    register_review_record,
    support_not_delivered_report,
)
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_adding_a_person_records_the_decision_and_the_audit_row(entry_a, manager_a, person_a, practitioner_a):
    decision = Decision.objects.get(person=person_a)
    assert "high-risk register" in decision.summary
    assert decision.recorded_by == manager_a
    assert set(decision.participants.all()) == {manager_a, practitioner_a}
    assert AuditEvent.objects.filter(
        object_type="register.registerentry", object_id=str(entry_a.pk), action=AuditAction.CREATE
    ).exists()
    assert entry_a.criteria == ["b", "c"]


def test_practitioners_do_not_put_people_on_the_register(practitioner_a, team_a, person_a):
    with pytest.raises(PermissionDenied):
        register_entry_add(
            acting_user=practitioner_a,
            team=team_a,
            person=person_a,
            criteria=["b"],
            named_professional=practitioner_a,
            reason="x",
        )
    assert not RegisterEntry.objects.exists()


def test_a_failed_add_leaves_nothing_behind(manager_a, team_a, person_a, police_b):
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        register_entry_add(
            acting_user=manager_a,
            team=team_a,
            person=person_a,
            criteria=[],
            named_professional=police_b,  # another agency's officer cannot be named
            reason="  ",
        )
    assert set(error.value.error_dict) == {"criteria", "named_professional", "reason"}
    assert not RegisterEntry.objects.exists()
    assert not Decision.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_one_active_entry_per_team_and_person(entry_a, manager_a, team_a, person_a, practitioner_a):
    with pytest.raises(ValidationError) as error:
        register_entry_add(
            acting_user=manager_a,
            team=team_a,
            person=person_a,
            criteria=["b"],
            named_professional=practitioner_a,
            reason="Again",
        )
    assert "person" in error.value.error_dict


def test_a_manager_of_another_agency_cannot_use_this_teams_register(team_a, person_a, agency_b, practitioner_a):
    police_manager = UserFactory(agency=agency_b, roles=[Role.MANAGER])
    with pytest.raises(PermissionDenied):
        register_entry_add(
            acting_user=police_manager,
            team=team_a,
            person=person_a,
            criteria=["b"],
            named_professional=police_manager,
            reason="x",
        )


def test_a_review_records_who_when_and_outcome(entry_a, practitioner_a):
    review = register_review_record(
        acting_user=practitioner_a, entry=entry_a, outcome="stays", notes="Visited; exits still blocked."
    )
    assert review.reviewed_by == practitioner_a and review.reviewed_at is not None
    assert not review.is_supervision


def test_a_supervisor_records_a_review_with_the_lead_professional(entry_a, supervisor_a, practitioner_a):
    review = register_review_record(
        acting_user=supervisor_a,
        entry=entry_a,
        outcome="stays_changed",
        notes="Agreed a joint visit with the fire service.",
        with_lead_professional=practitioner_a,
    )
    assert review.is_supervision and review.with_lead_professional == practitioner_a


def test_only_a_supervisor_records_a_supervision(entry_a, practitioner_a, manager_a):
    with pytest.raises(ValidationError):
        register_review_record(
            acting_user=manager_a, entry=entry_a, outcome="stays", notes="x", with_lead_professional=practitioner_a
        )
    assert not RegisterReview.objects.exists()


def test_duty_officers_and_auditors_do_not_review(entry_a, duty_a, auditor_a):
    for user in (duty_a, auditor_a):
        with pytest.raises(PermissionDenied):
            register_review_record(acting_user=user, entry=entry_a, outcome="stays", notes="x")


def test_removal_needs_a_reason_and_clears_the_alert_keeping_the_history(
    entry_a, manager_a, practitioner_a, person_a, client_for
):
    page = client_for(practitioner_a).get(f"/people/{person_a.pk}/")
    assert "On the high-risk register" in page.content.decode()
    with pytest.raises(ValidationError):
        register_entry_remove(acting_user=manager_a, entry=entry_a, reason=" ")
    register_entry_remove(acting_user=manager_a, entry=entry_a, reason="Risks now managed; homecare accepted.")
    entry_a.refresh_from_db()
    assert entry_a.removed_by == manager_a and entry_a.removal_reason.startswith("Risks")
    assert Decision.objects.filter(person=person_a, summary__startswith="Removed from").exists()
    page = client_for(practitioner_a).get(f"/people/{person_a.pk}/")
    assert "On the high-risk register" not in page.content.decode()
    assert RegisterEntry.objects.filter(pk=entry_a.pk).exists()  # history kept
    with pytest.raises(ValidationError):
        register_entry_remove(acting_user=manager_a, entry=entry_a, reason="Twice")


def test_a_process_is_ended_with_its_date(process_a, practitioner_a):
    with pytest.raises(ValidationError):
        register_process_end(acting_user=practitioner_a, process=process_a, ended_on=datetime.date(2025, 1, 1))
    ended = register_process_end(acting_user=practitioner_a, process=process_a, ended_on=datetime.date(2025, 3, 1))
    assert ended.ended_on == datetime.date(2025, 3, 1) and ended.ended_by == practitioner_a


def _report(user, person, day, what="Morning personal care"):
    return support_not_delivered_report(
        acting_user=user, person=person, missed_on=day, what_was_missed=what, why="refused"
    )


def test_missed_visits_reaching_the_threshold_raise_one_review_task_for_the_lead(
    entry_a, practitioner_a, person_a, agency_a
):
    from tests.factories import AgencyFactory

    provider = AgencyFactory(name="Homecare Ltd", kind="care_provider")
    carer = UserFactory(agency=provider, roles=[Role.PRACTITIONER])
    from marm.people.models import AgencyInvolvement

    AgencyInvolvement.objects.create(person=person_a, agency=provider, basis="sharing_decision", started_by=carer)
    today = timezone.localdate()

    _report(carer, person_a, today - datetime.timedelta(days=10))
    _report(carer, person_a, today - datetime.timedelta(days=1))
    assert not ReviewTask.objects.exists(), "two visits ten days apart are not two in seven days"

    _report(carer, person_a, today)
    task = ReviewTask.objects.get()
    assert task.entry == entry_a and task.assigned_to == practitioner_a
    notification = Notification.objects.get(recipient=practitioner_a, kind="register_review_task")
    assert person_a.family_name not in notification.title

    _report(carer, person_a, today, what="Evening call")
    assert ReviewTask.objects.count() == 1, "one open review at a time"

    review = register_review_record(acting_user=practitioner_a, entry=entry_a, outcome="stays_changed", notes="x")
    task.refresh_from_db()
    assert task.done_by_review == review


def test_support_reports_need_the_person_visible(person_c, practitioner_a):
    with pytest.raises(RecordNotVisible):
        _report(practitioner_a, person_c, timezone.localdate())
    assert not SupportNotDelivered.objects.exists()


def test_entries_are_visible_only_to_the_keeping_agency_while_it_sees_the_person(entry_a, police_b, practitioner_a):
    assert RegisterEntry.objects.visible_to(practitioner_a).filter(pk=entry_a.pk).exists()
    assert not RegisterEntry.objects.visible_to(police_b).exists()
    other = PersonFactory(created_by=police_b)
    assert not RegisterEntry.objects.visible_to(practitioner_a).filter(person=other).exists()


def test_the_demo_shows_the_register_through_the_services():
    from marm.demo.seed import seed_demo
    from marm.register.models import ContactAlert

    seed_demo()
    assert RegisterEntry.objects.active().count() == 3
    assert RegisterReview.objects.filter(is_supervision=True).count() == 1
    assert ContactAlert.objects.filter(acknowledged_at__isnull=True).count() == 1
    seed_demo()
    assert RegisterEntry.objects.count() == 3
