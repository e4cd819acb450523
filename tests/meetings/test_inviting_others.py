"""Inviting beyond the agencies already involved: an agency not yet involved (through the sharing
decision, in the same flow), an organisation that does not use marm, and the adult, their advocate
or their family (001 3.2, 3.3)."""

import datetime
import io
import re

import icalendar
import pypdf
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marm.assurance.registry import compute
from marm.cases.models import CaseAgency
from marm.meetings import services
from marm.meetings.models import Invitation
from marm.sharing.models import QualityTest, SharingDecision
from marm.sharing.services import sharing_decide_several
from tests.budgets import QUERY_BUDGETS
from tests.factories import AgencyFactory
from tests.meetings.test_meeting_services import run_through

pytestmark = pytest.mark.django_db

GROUNDS = {
    "basis": "risk_to_others",
    "rationale": "The neighbours are at risk from a fire.",
    "access": "full",
    "what_is_shared": "The concern and the fire risk.",
    "adult_told": "no",
    "adult_not_told_reason": "increases_risk",
}


def _url(meeting, name="meetings:detail"):
    return reverse(name, kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk})


def _attendees(message) -> list[str]:
    """The names of the attendees in the calendar file attached to ``message``."""
    [event] = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    attendees = event.get("attendee", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return [str(attendee.params.get("CN", "")) for attendee in attendees]


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Vale Housing")


# --- An agency not yet involved: the sharing decision in the same flow ---------------------------


def test_the_invite_page_offers_agencies_not_yet_involved(planning_meeting, client_for, practitioner_a, agency_c):
    page = client_for(practitioner_a).get(_url(planning_meeting, "meetings:invite")).content.decode()
    share_url = reverse("sharing:share-several", kwargs={"case_pk": planning_meeting.case_id})
    assert share_url in page
    assert f'value="{agency_c.pk}"' in page and "Riverside Practice" in page


def test_several_agencies_are_shared_with_in_one_decision_each(planning_case, manager_a, agency_c, housing):
    decisions = sharing_decide_several(
        acting_user=manager_a,
        case=planning_case,
        agencies=[agency_c, housing],
        quality_tests=list(QualityTest.values),
        **GROUNDS,
    )
    assert [d.agency for d in decisions] == [agency_c, housing]
    assert set(
        CaseAgency.objects.filter(case=planning_case, ended_at__isnull=True).values_list("agency__name", flat=True)
    ) >= {"Riverside Practice", "Vale Housing"}


def test_a_refused_share_of_several_leaves_nothing(planning_case, manager_a, agency_c, housing):
    before = SharingDecision.objects.count()
    with pytest.raises(ValidationError) as error:
        sharing_decide_several(
            acting_user=manager_a,
            case=planning_case,
            agencies=[agency_c, housing],
            quality_tests=["accurate"],
            **GROUNDS,
        )
    assert "quality_tests" in error.value.message_dict
    assert SharingDecision.objects.count() == before
    assert not CaseAgency.objects.filter(case=planning_case, agency__in=[agency_c, housing]).exists()


def test_from_the_invite_page_to_the_sharing_decision_and_back(
    planning_meeting, client_for, manager_a, agency_c, housing, outsider
):
    client = client_for(manager_a)
    invite = _url(planning_meeting, "meetings:invite")
    share = reverse("sharing:share-several", kwargs={"case_pk": planning_meeting.case_id})
    # The decision comes pre-filled with the agencies chosen on the invite page.
    page = client.get(share, {"agency": [agency_c.pk, housing.pk], "next": invite}).content.decode()
    assert f'value="{agency_c.pk}" checked' in page and f'value="{housing.pk}" checked' in page
    # Bad input: the GOV.UK error summary, and nothing shared.
    refused = client.post(share, {"agencies": [agency_c.pk, housing.pk], "next": invite, **GROUNDS})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert not CaseAgency.objects.filter(agency__in=[agency_c, housing]).exists()
    shared = client.post(
        share,
        {"agencies": [agency_c.pk, housing.pk], "next": invite, "quality_tests": list(QualityTest.values), **GROUNDS},
    )
    assert shared.status_code == 302 and shared["Location"] == invite
    # Back on the invite page, both agencies can now be invited.
    page = client.get(invite).content.decode()
    form = page[page.index('name="agency"') :]
    assert "Riverside Practice" in form[: form.index("</select>")] and "Vale Housing" in form[: form.index("</select>")]
    # Invite one and stay on the page for the next.
    again = client.post(invite, {"agency": housing.pk, "name": "Dee Shaw", "another": "yes"})
    assert again.status_code == 302 and again["Location"] == invite
    client.post(invite, {"agency": agency_c.pk, "name": "Dr Rao"})
    assert set(planning_meeting.invitations.values_list("name", flat=True)) >= {"Dee Shaw", "Dr Rao"}
    # A link elsewhere is not followed.
    elsewhere = client.get(share, {"agency": [housing.pk], "next": "https://evil.example.org/"}).content.decode()
    assert "evil.example.org" not in elsewhere
    # An agency that cannot see the case gets a 404.
    assert client_for(outsider).get(share, {"agency": [housing.pk]}).status_code == 404


# --- An organisation that does not use marm -------------------------------------------------------


def test_an_outside_attendee_is_invited_by_name_email_and_organisation(planning_meeting, practitioner_a):
    mail.outbox.clear()
    invitation = services.invitation_add_person(
        acting_user=practitioner_a,
        meeting=planning_meeting,
        kind="outside",
        name="Pat Lowe",
        email="pat.lowe@envhealth.example.org",
        organisation_name="Environmental health",
        role_title="Environmental health officer",
    )
    assert invitation.agency is None and invitation.organisation_name == "Environmental health"
    assert [m.to for m in mail.outbox] == [["pat.lowe@envhealth.example.org"]]
    assert mail.outbox[0].attachments[0][0] == "invitation.ics"


def test_an_outside_attendee_needs_an_email_and_organisation(planning_meeting, practitioner_a, client_for, gp_c):
    before = Invitation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.invitation_add_person(
            acting_user=practitioner_a, meeting=planning_meeting, kind="outside", name="Pat Lowe"
        )
    assert {"email", "organisation_name"} <= set(error.value.message_dict)
    url = _url(planning_meeting, "meetings:invite-person")
    refused = client_for(practitioner_a).post(url, {"kind": "outside", "name": "Pat Lowe"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert Invitation.objects.count() == before
    assert client_for(gp_c).get(url).status_code == 404


# --- The adult, their advocate, their family or carers --------------------------------------------


def test_the_adult_and_their_family_are_invited_and_emailed_only_with_an_address(
    planning_meeting, practitioner_a, client_for
):
    mail.outbox.clear()
    client = client_for(practitioner_a)
    url = _url(planning_meeting, "meetings:invite-person")
    assert client.post(url, {"kind": "adult", "name": "Margaret Thornbury"}).status_code == 302
    assert mail.outbox == []
    response = client.post(
        url, {"kind": "family", "name": "June Thornbury", "email": "june@example.org", "relationship": "Niece"}
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["june@example.org"]]
    # Her own calendar file lists her; no one else's names the adult's family.
    assert "June Thornbury" in _attendees(mail.outbox[0])
    mail.outbox.clear()
    client.post(
        url,
        {
            "kind": "outside",
            "name": "Pat Lowe",
            "email": "pat@envhealth.example.org",
            "organisation_name": "Environmental health",
        },
    )
    [to_pat] = mail.outbox
    assert "Pat Lowe" in _attendees(to_pat) and not any("Thornbury" in name for name in _attendees(to_pat))
    # A family member or carer says how they are related to the adult.
    refused = client.post(url, {"kind": "family", "name": "Tom"})
    assert "govuk-error-summary" in refused.content.decode() and "relationship" in refused.content.decode().lower()
    page = client.get(_url(planning_meeting)).content.decode()
    assert "The adult" in page and "Family member or carer: Niece" in page


def test_attendance_of_the_adult_and_advocate_fills_in_their_participation(planning_meeting, manager_a, client_for):
    adult = services.invitation_add_person(
        acting_user=manager_a, meeting=planning_meeting, kind="adult", name="Margaret Thornbury"
    )
    advocate = services.invitation_add_person(
        acting_user=manager_a, meeting=planning_meeting, kind="advocate", name="Sam Reid", relationship="IMCA"
    )
    services.attendance_record(
        acting_user=manager_a,
        meeting=planning_meeting,
        entries=[
            (i, "attended" if i.pk in (adult.pk, advocate.pk) else "apologies", "not_asked")
            for i in planning_meeting.invitations.all()
        ],
    )
    page = client_for(manager_a).get(_url(planning_meeting, "meetings:adult")).content.decode()
    assert 'name="attended" type="radio" value="yes" checked' in page
    assert re.search(r'<input[^>]*name="advocate_present"[^>]*checked', page)
    assert 'name="advocate_offered" type="radio" value="yes" checked' in page
    # No family member or carer came: not ticked as present.
    assert not re.search(r'<input[^>]*name="family_or_carers_present"[^>]*checked', page)


def test_meet1_counts_agencies_only(planning_meeting, manager_a):
    services.invitation_add_person(
        acting_user=manager_a, meeting=planning_meeting, kind="adult", name="Margaret Thornbury"
    )
    services.invitation_add_person(
        acting_user=manager_a,
        meeting=planning_meeting,
        kind="outside",
        name="Pat Lowe",
        email="pat@envhealth.example.org",
        organisation_name="Environmental health",
    )
    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    services.meeting_finish(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        outcome="review",
        next_review_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    today = timezone.localdate(planning_meeting.starts_at)
    year = today.year if today.month >= 4 else today.year - 1
    result = compute("MEET1", year=year)
    assert result.groups == [manager_a.agency.name]


def test_the_meeting_page_does_not_grow_with_people_invited(planning_meeting, client_for, manager_a):
    client = client_for(manager_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(planning_meeting)).status_code == 200
        return len(queries), [q["sql"] for q in queries.captured_queries]

    count()
    small, _ = count()
    for index in range(4):
        services.invitation_add_person(
            acting_user=manager_a, meeting=planning_meeting, kind="family", name=f"Relative {index}", relationship="Son"
        )
        services.invitation_add_person(
            acting_user=manager_a,
            meeting=planning_meeting,
            kind="outside",
            name=f"Officer {index}",
            email=f"officer{index}@envhealth.example.org",
            organisation_name="Environmental health",
        )
    large, sql = count()
    assert large == small, "\n".join(sql)
    assert large <= QUERY_BUDGETS["meetings:detail"], "\n".join(sql)


def test_the_minutes_list_everyone_and_go_by_email_to_organisations_not_the_adults_family(
    planning_meeting, manager_a, client_for
):
    services.invitation_add_person(
        acting_user=manager_a,
        meeting=planning_meeting,
        kind="outside",
        name="Pat Lowe",
        email="pat@envhealth.example.org",
        organisation_name="Environmental health",
    )
    services.invitation_add_person(
        acting_user=manager_a,
        meeting=planning_meeting,
        kind="family",
        name="June Thornbury",
        email="june@example.org",
        relationship="Niece",
    )
    run_through(planning_meeting, by=manager_a)
    planning_meeting.refresh_from_db()
    services.meeting_finish(
        acting_user=manager_a,
        meeting=planning_meeting,
        expected_version=planning_meeting.version,
        outcome="review",
        next_review_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    pdf = client_for(manager_a).get(_url(planning_meeting, "meetings:minutes-pdf")).content
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())  # table cells wrap
    assert "Pat Lowe" in text and "Environmental health" in text and "June Thornbury" in text and "Niece" in text
    mail.outbox.clear()
    services.minutes_send(acting_user=manager_a, meeting=planning_meeting)
    assert [m.to for m in mail.outbox] == [["pat@envhealth.example.org"]]
