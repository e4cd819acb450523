"""A review cannot record "Update the risk assessment" unless the records bear it out: a version of
the risk assessment agreed since the previous meeting (000 Appendix A stage 3)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marm.audit.models import AuditEvent
from marm.meetings import services
from marm.meetings.models import MinutesItem
from marm.risk.services import risk_assessment_start
from tests.meetings.conftest import finish_meeting, review_meeting
from tests.meetings.test_meeting_services import run_through
from tests.risk.helpers import agree, agreed_version, fill_draft

pytestmark = pytest.mark.django_db

UPDATE = "update_assessment"


def _item(meeting):
    return MinutesItem.objects.get(meeting=meeting, code=UPDATE)


def _mark(meeting, by):
    item = _item(meeting)
    return services.minutes_item_record(
        acting_user=by, item=item, expected_version=item.version, status="addressed", notes="Reviewed together."
    )


def test_update_the_risk_assessment_is_refused_without_a_version_agreed_since_the_last_meeting(first_review, manager_a):
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        _mark(first_review, manager_a)
    assert (
        "No new version of the risk assessment has been agreed since the last meeting"
        in error.value.message_dict["status"][0]
    )
    item = _item(first_review)
    assert item.status == "outstanding" and item.notes == "" and item.updated_by is None
    assert AuditEvent.objects.count() == audit_rows
    # Not addressed, with the reason, is always open to the meeting.
    services.minutes_item_record(
        acting_user=manager_a, item=item, expected_version=item.version, status="not_addressed", reason="Next time."
    )


def test_a_version_agreed_before_the_planning_meeting_closed_does_not_count(
    planning_meeting, manager_a, practitioner_a
):
    # Agreed at the planning meeting, before its record was closed: the review must agree a new one.
    # Dated the meeting's day, which is yesterday when the tests run in the first hours after midnight.
    version = risk_assessment_start(acting_user=practitioner_a, case=planning_meeting.case)
    fill_draft(practitioner_a, version)
    agree(manager_a, version, agreed_on=timezone.localdate(planning_meeting.starts_at))
    run_through(planning_meeting, by=manager_a)
    finish_meeting(planning_meeting, manager_a)
    planning_meeting.case.refresh_from_db()
    review = review_meeting(planning_meeting.case, manager_a)
    with pytest.raises(ValidationError) as error:
        _mark(review, manager_a)
    assert "No new version of the risk assessment has been agreed since the last meeting" in str(error.value)
    assert _item(review).status == "outstanding"
    # A version agreed after the planning meeting: the review may record the assessment updated.
    agreed_version(planning_meeting.case, practitioner_a, manager_a)
    assert _mark(review, manager_a).status == "addressed"


def test_the_minutes_page_shows_the_refusal_on_the_form_and_saves_nothing(first_review, client_for, manager_a, gp_c):
    item = _item(first_review)
    url = reverse(
        "meetings:minutes-item",
        kwargs={"case_pk": first_review.case_id, "meeting_id": first_review.pk, "minutes_item_id": item.pk},
    )
    response = client_for(manager_a).post(
        url, {"status": "addressed", "notes": "Reviewed together.", "version": item.version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "govuk-error-summary" in page
        and "No new version of the risk assessment has been agreed since the last meeting" in page
    )
    assert _item(first_review).status == "outstanding"
    # Another agency, not involved in the case, does not learn the meeting exists.
    assert client_for(gp_c).post(url, {"status": "addressed", "notes": "x", "version": 0}).status_code == 404


def test_an_item_the_records_contradict_is_never_shown_as_done(first_review, client_for, manager_a):
    # Marked addressed before the rule, or by a route that skipped it: the records still say no.
    MinutesItem.objects.filter(meeting=first_review, code=UPDATE).update(status="addressed", notes="Said so.")
    url = reverse("meetings:detail", kwargs={"case_pk": first_review.case_id, "meeting_id": first_review.pk})
    page = client_for(manager_a).get(url).content.decode()
    row = page[page.index(f'id="minutes-{UPDATE}"') :]
    row = row[: row.index("</tr>")]
    assert "Not done" in row and "Addressed" not in row
    assert "No new version of the risk assessment has been agreed since the last meeting" in row
    # And the meeting cannot be finished on it.
    first_review.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.meeting_finish(
            acting_user=manager_a,
            meeting=first_review,
            expected_version=first_review.version,
            outcome="close",
            rationale="Risks managed.",
        )
    assert "risk assessment" in " ".join(error.value.message_dict["minutes"])
