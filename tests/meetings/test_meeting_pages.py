"""The meeting pages as each persona; the ICS and the minutes PDF read back; query budgets."""

import datetime
import io
import zoneinfo

import icalendar
import pypdf
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.meetings import services
from marm.plans.services import action_create, contingency_plan_agree
from tests.budgets import QUERY_BUDGETS
from tests.meetings.conftest import at
from tests.meetings.test_meeting_services import run_through

pytestmark = pytest.mark.django_db


def _url(meeting, name="meetings:detail"):
    return reverse(name, kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk})


def test_the_meeting_page_for_each_persona(planning_meeting, client_for, practitioner_a, police_b, gp_c, outsider):
    page = client_for(police_b).get(_url(planning_meeting))
    assert page.status_code == 200 and "Thornbury" in page.content.decode()
    for stranger in (gp_c, outsider):
        response = client_for(stranger).get(_url(planning_meeting))
        assert response.status_code == 404
        assert AuditEvent.objects.filter(actor_user=stranger, action=AuditAction.DENIED).exists()
    # Only a manager of the lead agency finishes the meeting.
    assert client_for(practitioner_a).get(_url(planning_meeting, "meetings:finish")).status_code == 403
    assert client_for(police_b).get(_url(planning_meeting, "meetings:finish")).status_code == 403


def test_scheduling_through_the_page_warns_when_the_chair_is_not_a_manager(planning_case, client_for, police_b):
    day = timezone.localdate() + datetime.timedelta(days=7)
    response = client_for(police_b).post(
        reverse("meetings:schedule", kwargs={"case_pk": planning_case.pk}),
        {
            "kind": "planning",
            "date_0": day.day,
            "date_1": day.month,
            "date_2": day.year,
            "start_time": "10:00",
            "end_time": "11:30",
            "place": "Police station, interview suite",
            "chair": police_b.pk,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Planning meeting scheduled" in page
    assert "does not work for the lead coordinating agency" in page


def test_a_form_error_shows_the_error_summary(planning_case, client_for, practitioner_a):
    response = client_for(practitioner_a).post(reverse("meetings:schedule", kwargs={"case_pk": planning_case.pk}), {})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and "Select who will chair" in page


def test_the_calendar_file_has_the_right_times_in_london_across_the_clock_change(
    planning_case, client_for, practitioner_a, manager_a
):
    # 28 June is in British Summer Time: 10:00 in London is 09:00 UTC.
    summer = datetime.datetime(timezone.localdate().year + 1, 6, 28, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    meeting = services.meeting_schedule(
        acting_user=practitioner_a,
        case=planning_case,
        kind="planning",
        starts_at=summer,
        ends_at=summer + datetime.timedelta(minutes=90),
        chair=manager_a,
        place="Civic Centre",
    )
    response = client_for(practitioner_a).get(_url(meeting, "meetings:ics"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    event = calendar.events[0]
    assert event.start.hour == 10 and str(event.start.tzinfo) == "Europe/London"
    assert event.start.astimezone(datetime.UTC).hour == 9
    assert event.end - event.start == datetime.timedelta(minutes=90)
    assert "Thornbury" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(meeting.pk)).exists()


def test_the_minutes_pdf_is_made_from_the_record_and_sending_it_is_audited(
    planning_meeting, client_for, manager_a, agency_b
):
    services.invitation_add(
        acting_user=manager_a,
        meeting=planning_meeting,
        agency=agency_b,
        name="Sergeant Alan Whitby",
        email="alan.whitby@police.example.org",
    )
    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    services.meeting_change(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        starts_at=planning_meeting.starts_at,
        ends_at=planning_meeting.ends_at,
        place="Civic Centre, Room 5",
        reason="Room 4 flooded",
    )
    services.meeting_decision_record(
        acting_user=manager_a,
        meeting=planning_meeting,
        summary="The fire service leads on fire safety",
        rationale="Two small fires in a month; they hold the expertise.",
    )
    contingency_plan_agree(
        acting_user=manager_a,
        case=planning_meeting.case,
        meeting=planning_meeting,
        triggers=[
            {
                "kind": "fire_safety",
                "threshold": "Any fire",
                "what_to_do": "Joint visit within a day",
                "who_to_contact": "Station Manager Kaur",
                "escalation_route": "s42_referral",
            }
        ],
    )
    # The meeting page reads the lists its selector prepared: each shows what was recorded.
    page = client_for(manager_a).get(_url(planning_meeting)).content.decode()
    for expected in (
        '<td class="govuk-table__cell">Sergeant Alan Whitby',
        'id="minutes-smart_action_plan"',
        "with 1 trigger.",
        "The fire service leads on fire safety",
        "Room 4 flooded",
    ):
        assert expected in page, expected
    planning_meeting.refresh_from_db()
    services.meeting_finish(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        outcome="review",
        next_review_date=timezone.localdate() + datetime.timedelta(days=42),
    )
    response = client_for(manager_a).get(_url(planning_meeting, "meetings:minutes-pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Margaret Thornbury",
        planning_meeting.case.reference,
        "Sergeant Alan Whitby",
        "I want to stay in my flat",
        "Fire service home safety visit",
        "Agree a SMART action plan",
        "The fire service leads on fire safety",
        "Joint visit within a day",
    ):
        assert expected in text, expected
    mail.outbox.clear()
    client_for(manager_a).post(_url(planning_meeting, "meetings:send-minutes"))
    [sent] = [m for m in mail.outbox if m.to == ["alan.whitby@police.example.org"]]
    assert sent.attachments[0][2] == "application/pdf" and "Thornbury" not in sent.subject + sent.body
    export = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="meetings.meeting").last()
    assert "alan.whitby@police.example.org" in export.detail["recipients"]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_the_meeting_page_does_not_grow_with_invitations_and_actions(planning_meeting, client_for, manager_a, agency_b):
    client = client_for(manager_a)
    _count(client, _url(planning_meeting))
    small, _ = _count(client, _url(planning_meeting))
    for index in range(8):
        services.invitation_add(
            acting_user=manager_a, meeting=planning_meeting, agency=agency_b, name=f"Officer {index}"
        )
        action_create(
            acting_user=manager_a,
            case=planning_meeting.case,
            what=f"Action {index}",
            lead_name=f"Officer {index}",
            agency=agency_b,
            due_date=timezone.localdate() + datetime.timedelta(days=index + 1),
            meeting=planning_meeting,
        )
    services.attendance_record(
        acting_user=manager_a,
        meeting=planning_meeting,
        entries=[(i, "apologies", "not_asked") for i in planning_meeting.invitations.all()],
    )
    large, sql = _count(client, _url(planning_meeting))
    assert large == small, "\n".join(sql)
    assert large <= QUERY_BUDGETS["meetings:detail"], "\n".join(sql)


def test_your_actions_on_the_home_page_do_not_grow_with_the_actions(planning_case, client_for, practitioner_a):
    client = client_for(practitioner_a)

    def add(n):
        for index in range(n):
            action_create(
                acting_user=practitioner_a,
                case=planning_case,
                what=f"Action {index}",
                lead_user=practitioner_a,
                agency=practitioner_a.agency,
                due_date=timezone.localdate() + datetime.timedelta(days=index),
            )

    add(1)
    _count(client, reverse("dashboards:home"))
    before, _ = _count(client, reverse("dashboards:home"))
    add(15)
    after, sql = _count(client, reverse("dashboards:home"))
    assert after == before, "\n".join(sql)
    assert after <= QUERY_BUDGETS["dashboards:home (your actions)"], "\n".join(sql)
    assert "Action 14" in client.get(reverse("dashboards:home")).content.decode()


def test_the_plan_and_action_pages_for_each_persona(planning_case, client_for, practitioner_a, police_b, gp_c):
    action = action_create(
        acting_user=practitioner_a,
        case=planning_case,
        what="Welfare check",
        lead_user=police_b,
        agency=police_b.agency,
        due_date=at(3).date(),
    )
    plan = reverse("plans:case-plan", kwargs={"case_pk": planning_case.pk})
    detail = reverse("plans:action", kwargs={"case_pk": planning_case.pk, "action_id": action.pk})
    assert client_for(police_b).get(plan).status_code == 200
    assert client_for(gp_c).get(plan).status_code == 404
    assert client_for(gp_c).get(detail).status_code == 404
    response = client_for(police_b).post(detail, {"status": "done", "note": "Visited; all well.", "version": 1})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert "Visited; all well." in client_for(police_b).get(detail).content.decode()
    trigger = {"kind": "fire_safety", "what_to_do": "Joint visit within a day", "escalation_route": "none"}
    trigger["who_to_contact"] = "Station Manager Kaur"
    contingency_plan_agree(acting_user=practitioner_a, case=planning_case, triggers=[trigger])
    contingency_plan_agree(
        acting_user=practitioner_a, case=planning_case, triggers=[{**trigger, "what_to_do": "Call the duty team"}]
    )
    # The current version and the earlier one, each with its own triggers; a new version starts from the current.
    page = client_for(police_b).get(plan).content.decode()
    assert "Call the duty team" in page and "Joint visit within a day" in page
    new_version = reverse("plans:contingency-new", kwargs={"case_pk": planning_case.pk})
    assert "Call the duty team" in client_for(practitioner_a).get(new_version).content.decode()
