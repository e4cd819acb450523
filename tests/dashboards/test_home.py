"""What each role finds on "Your work", and that another agency's cases never appear."""

import pytest
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.register.duty import contact_alert_acknowledge
from tests.dashboards.conftest import accept, added_days_ago, make_overdue, raise_case

pytestmark = pytest.mark.django_db


def home(client_for, user) -> str:
    response = client_for(user).get(reverse("dashboards:home"))
    assert response.status_code == 200
    return response.content.decode()


def listed(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor_user=user, action=AuditAction.SEARCH, detail__list="your work"))


def test_a_partner_agency_sees_shared_cases_meetings_and_actions(
    client_for, police_b, planning_case, limited_case, meeting_b, action_b, case_c
):
    page = home(client_for, police_b)
    assert "Margaret Thornbury" in page and planning_case.reference in page
    assert "Winifred Ashdown" in page and "Name only" in page
    assert "you are invited" in page
    assert "Police welfare check on Friday" in page
    assert "Desmond Okoro" not in page and case_c.reference not in page
    [row] = listed(police_b)
    assert set(row.detail["cases"]) == {str(planning_case.pk), str(limited_case.pk)}
    assert str(case_c.pk) not in row.detail["cases"]


def test_a_cancelled_or_past_meeting_is_not_listed(client_for, police_b, meeting_b):
    from marm.meetings.services import meeting_cancel

    meeting_b.refresh_from_db()
    meeting_cancel(
        acting_user=meeting_b.scheduled_by, meeting=meeting_b, expected_version=meeting_b.version, reason="Ill"
    )
    assert "you are invited" not in home(client_for, police_b)


def test_a_gp_sees_only_their_own_agency_s_case(client_for, gp_c, case_c, planning_case, limited_case):
    page = home(client_for, gp_c)
    assert "Margaret Thornbury" not in page and "Winifred Ashdown" not in page
    assert "Cases shared with your agency" in page


def test_a_manager_follows_every_open_case_the_agency_leads_by_stage(
    client_for, manager_a, practitioner_a, planning_case, action_b, case_c
):
    concern = raise_case(by=practitioner_a)
    accepted = accept(raise_case(by=practitioner_a), manager=manager_a)
    make_overdue(action_b)
    page = home(client_for, manager_a)
    assert "Open cases your agency leads" in page
    assert "Concerns to screen (1)" in page and concern.reference in page
    # The case waiting for its planning meeting is still at "accepted".
    assert "Accepted, waiting for planning (2)" in page and accepted.reference in page
    assert planning_case.reference in page
    assert "Overdue by 3 days" in page and "Police welfare check on Friday" in page
    assert case_c.reference not in page and "Desmond Okoro" not in page
    [row] = listed(manager_a)
    assert {str(concern.pk), str(accepted.pk), str(planning_case.pk)} <= set(row.detail["cases"])


def test_a_manager_of_another_agency_sees_none_of_agency_a_s_cases(client_for, manager_c, planning_case, case_c):
    page = home(client_for, manager_c)
    assert "Desmond Okoro" in page and "Margaret Thornbury" not in page


def test_a_supervisor_sees_reviews_due_and_alerts_not_acknowledged(
    client_for, supervisor_a, entry_a, alert_a, register_c
):
    page = home(client_for, supervisor_a)
    assert "No one on your teams' registers is due a supervision review" in page
    added_days_ago(entry_a, 8)
    page = home(client_for, supervisor_a)
    assert "Register entries due a supervision review" in page
    assert "Margaret Thornbury" in page and "Overdue" in page
    assert reverse("register:alert", kwargs={"alert_pk": alert_a.pk}) in page
    assert "Desmond Okoro" not in page
    row = listed(supervisor_a)[-1]
    assert row.detail["register_entries"] == [str(entry_a.pk)]


def test_a_supervision_review_takes_the_entry_off_the_list(client_for, supervisor_a, practitioner_a, entry_a):
    from marm.register.services import register_review_record

    added_days_ago(entry_a, 8)
    register_review_record(
        acting_user=supervisor_a,
        entry=entry_a,
        outcome="stays",
        notes="Plan holds",
        with_lead_professional=practitioner_a,
    )
    assert "Margaret Thornbury" not in home(client_for, supervisor_a)


def test_a_duty_officer_sees_the_agency_s_alerts_and_their_state(
    client_for, duty_a, practitioner_a, alert_a, register_c
):
    page = home(client_for, duty_a)
    assert "Contact alerts from the duty desk" in page
    assert "Margaret Thornbury" in page and "Not acknowledged" in page
    assert "Desmond Okoro" not in page
    contact_alert_acknowledge(acting_user=practitioner_a, alert=alert_a)
    page = home(client_for, duty_a)
    assert "Acknowledged" in page and "Not acknowledged" not in page


def test_an_administrator_gets_links_and_no_casework(client_for, administrator, planning_case):
    page = home(client_for, administrator)
    assert reverse("admin:index") in page and reverse("linkage:duplicates-report") in page
    for heading in ("Cases you lead", "Cases shared with your agency", "Your actions", "Raise a concern"):
        assert heading not in page
    assert listed(administrator) == []


def test_a_board_officer_gets_a_short_page_with_no_person(client_for, board_officer, planning_case):
    page = home(client_for, board_officer)
    assert reverse("board:home") in page
    for heading in ("Cases you lead", "Your actions", "Open cases", "Raise a concern", "Margaret Thornbury"):
        assert heading not in page
    assert listed(board_officer) == []
