"""The meetings services act only on a case their user sees in full, and the stage 1 key action a
planning meeting settles is marked through the audited cases service, one audit row per change."""

import pytest

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import KeyAction
from marm.cases.services import key_action_update
from marm.meetings import services
from marm.meetings.models import Meeting, MinutesItem
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def _key_action_rows(key_action):
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="cases.keyaction", object_id=str(key_action.pk)
    ).order_by("seq")


def test_scheduling_a_planning_meeting_marks_the_key_action_with_an_audit_row(planning_meeting, practitioner_a):
    key_action = KeyAction.objects.get(case=planning_meeting.case, stage=1, code="planning_meeting")
    assert key_action.status == "done" and key_action.updated_by == practitioner_a
    [row] = _key_action_rows(key_action)
    assert row.actor_user == practitioner_a
    assert row.person_id == str(planning_meeting.case.person_id)
    assert row.detail["status"] == ["outstanding", "done"] and row.detail["code"] == "planning_meeting"
    assert "Planning meeting scheduled" in row.detail["reason"]


def test_cancelling_the_only_planning_meeting_reopens_the_key_action_with_an_audit_row(
    planning_meeting, practitioner_a
):
    key_action = KeyAction.objects.get(case=planning_meeting.case, stage=1, code="planning_meeting")
    version = key_action.version
    services.meeting_cancel(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        reason="The adult is in hospital",
    )
    key_action.refresh_from_db()
    assert key_action.status == "outstanding" and key_action.version == version + 1
    assert [row.detail["status"] for row in _key_action_rows(key_action)] == [
        ["outstanding", "done"],
        ["done", "outstanding"],
    ]


def test_a_key_action_marked_by_hand_is_left_as_it_is(planning_case, practitioner_a, manager_a):
    key_action = KeyAction.objects.get(case=planning_case, stage=1, code="planning_meeting")
    key_action_update(
        acting_user=practitioner_a,
        key_action=key_action,
        expected_version=key_action.version,
        status="not_applicable",
        reason="The meeting is held under MARAC instead",
    )
    before = _key_action_rows(key_action).count()
    services.meeting_schedule(
        acting_user=practitioner_a,
        case=planning_case,
        kind="planning",
        starts_at=at(3),
        ends_at=at(3, 11),
        chair=manager_a,
        place="Civic Centre",
    )
    key_action.refresh_from_db()
    assert key_action.status == "not_applicable"
    assert _key_action_rows(key_action).count() == before


def test_the_meeting_audit_row_names_the_minutes_items_written_with_it(planning_meeting):
    row = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="meetings.meeting", object_id=str(planning_meeting.pk)
    )
    assert row.detail["minutes_items"] == list(
        planning_meeting.minutes_items.order_by("position").values_list("pk", flat=True)
    )


def test_every_public_meetings_service_is_guarded():
    for name in services.__all__:
        assert getattr(getattr(services, name), "acts_on", None), f"{name} is not guarded"


def test_an_agency_with_no_part_in_the_case_cannot_schedule_and_the_refusal_is_audited(planning_case, gp_c):
    with pytest.raises(RecordNotVisible):
        services.meeting_schedule(
            acting_user=gp_c,
            case=planning_case,
            kind="planning",
            starts_at=at(3),
            ends_at=at(3, 11),
            chair=gp_c,
            place="Surgery",
        )
    assert not Meeting.objects.exists()
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, actor_user=gp_c)
    assert denied.object_type == "cases.case" and denied.object_id == str(planning_case.pk)
    assert denied.purpose == "Refused: meeting_schedule"


def test_records_under_a_meeting_are_guarded_through_its_case(planning_meeting, gp_c):
    item = planning_meeting.minutes_items.first()
    with pytest.raises(RecordNotVisible):
        services.minutes_item_record(
            acting_user=gp_c, item=item, expected_version=item.version, status="addressed", notes="Seen"
        )
    with pytest.raises(RecordNotVisible):
        services.meeting_cancel(
            acting_user=gp_c, meeting=planning_meeting, expected_version=planning_meeting.version, reason="No"
        )
    assert MinutesItem.objects.get(pk=item.pk).status == "outstanding"
    assert not Meeting.objects.get(pk=planning_meeting.pk).is_cancelled
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=gp_c).count() == 2


def test_a_name_only_share_is_not_enough_to_act_on_the_meeting(planning_meeting, manager_a, gp_c, agency_c):
    from tests.meetings.conftest import share

    share(by=manager_a, case=planning_meeting.case, agency=agency_c, access="limited")
    with pytest.raises(RecordNotVisible):
        services.invitation_add(acting_user=gp_c, meeting=planning_meeting, agency=agency_c, name="Dr Rao")
    assert planning_meeting.invitations.count() == 1
