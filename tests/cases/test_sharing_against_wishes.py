"""Sharing against the adult's wishes never passes in silence (001 3.3).

The concern records which agencies the adult agreed to share with. A share with any
other agency says so, is never on consent, and records whether the adult was told.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import CaseAgency
from marm.cases.services import case_raise
from marm.decisions.models import Decision, DecisionKind
from marm.notifications.models import Notification
from marm.organisations.models import AgencyKind
from marm.sharing.models import QualityTest, SharingDecision
from marm.sharing.services import sharing_decide, sharing_wishes_record
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

TOLD_ON = datetime.date(2025, 3, 4)


def _share(case, user, agency, **overrides):
    values = {
        "basis": "risk_to_others",
        "rationale": "Fire risk to neighbours; the GP can review her medication.",
        "access": "full",
        "what_is_shared": "The concern and the fire risk",
        "quality_tests": list(QualityTest.values),
    }
    values.update(overrides)
    return sharing_decide(acting_user=user, case=case, agency=agency, **values)


def _agree(case, user, *agencies, **overrides):
    values = {
        "asked_about_sharing": "yes",
        "asked_on": datetime.date(2025, 3, 1),
        "asked_by": "Sam Patel, social worker",
        "agreed_agencies": list(agencies),
        "views_on_sharing": "Happy for her GP to know, nobody else.",
    }
    values.update(overrides)
    case.refresh_from_db()
    return sharing_wishes_record(acting_user=user, case=case, expected_version=case.version, **values)


def _nothing_written(case, agency, before):
    assert not SharingDecision.objects.filter(case=case).exists()
    assert not CaseAgency.objects.filter(case=case, agency=agency).exists()
    assert Decision.objects.filter(case=case, kind=DecisionKind.SHARE).count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before
    assert not Notification.objects.filter(kind="case_shared").exists()


# The service


def test_a_share_the_adult_agreed_to_works_on_consent_as_before(accepted_case, practitioner_a, agency_c):
    _agree(accepted_case, practitioner_a, agency_c)
    sharing = _share(
        accepted_case, practitioner_a, agency_c, basis="consent", consent_details="Agreed at the home visit"
    )
    assert not sharing.against_wishes
    assert sharing.adult_told == ""
    assert "Shared without the adult's consent" not in sharing.decision.rationale
    assert "Grounds: The adult consented." in sharing.decision.rationale


def test_consent_is_refused_for_an_agency_the_adult_did_not_agree_to(accepted_case, practitioner_a, agency_b, agency_c):
    _agree(accepted_case, practitioner_a, agency_b)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    with pytest.raises(ValidationError) as refused:
        _share(
            accepted_case,
            practitioner_a,
            agency_c,
            basis="consent",
            consent_details="She said yes",
            adult_told="yes",
            adult_told_on=TOLD_ON,
            adult_told_by="Sam Patel",
        )
    assert refused.value.message_dict["basis"] == [
        f"The adult has not agreed to share their information with {agency_c}: "
        "choose the grounds for sharing without their consent"
    ]
    _nothing_written(accepted_case, agency_c, before)


def test_consent_is_refused_when_the_adult_was_never_asked(accepted_case, practitioner_a, agency_c):
    with pytest.raises(ValidationError) as refused:
        _share(accepted_case, practitioner_a, agency_c, basis="consent", consent_details="She said yes")
    assert "basis" in refused.value.message_dict
    assert "adult_told" in refused.value.message_dict


def test_an_agreed_agency_is_no_agreement_if_the_adult_was_not_asked(accepted_case, practitioner_a, agency_c):
    # An agreement stored by hand without the adult being asked does not count.
    accepted_case.sharing_agreed_agencies.add(agency_c)
    with pytest.raises(ValidationError) as refused:
        _share(accepted_case, practitioner_a, agency_c, basis="consent", consent_details="She said yes")
    assert "basis" in refused.value.message_dict


def test_a_share_against_the_adults_wishes_must_say_whether_they_were_told(accepted_case, practitioner_a, agency_c):
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    with pytest.raises(ValidationError) as refused:
        _share(accepted_case, practitioner_a, agency_c)
    assert refused.value.message_dict["adult_told"] == ["Select whether the adult has been told about this share"]
    _nothing_written(accepted_case, agency_c, before)


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"adult_told": "yes", "adult_told_by": "Sam Patel"}, "adult_told_on", "Enter the date the adult was told"),
        ({"adult_told": "yes", "adult_told_on": TOLD_ON}, "adult_told_by", "Enter who told the adult"),
        (
            {"adult_told": "yes", "adult_told_on": datetime.date(2999, 1, 1), "adult_told_by": "Sam Patel"},
            "adult_told_on",
            "The date the adult was told must be today or in the past",
        ),
        ({"adult_told": "no"}, "adult_not_told_reason", "Select why the adult has not been told"),
        (
            {"adult_told": "no", "adult_not_told_reason": "other"},
            "adult_not_told_details",
            "Say why the adult has not been told",
        ),
    ],
)
def test_each_answer_about_telling_the_adult_is_required(
    accepted_case, practitioner_a, agency_c, answers, field, message
):
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    with pytest.raises(ValidationError) as refused:
        _share(accepted_case, practitioner_a, agency_c, **answers)
    assert refused.value.message_dict[field] == [message]
    _nothing_written(accepted_case, agency_c, before)


def test_a_share_against_wishes_records_when_and_by_whom_the_adult_was_told(
    accepted_case, practitioner_a, agency_b, agency_c
):
    _agree(accepted_case, practitioner_a, agency_b)
    sharing = _share(
        accepted_case, practitioner_a, agency_c, adult_told="yes", adult_told_on=TOLD_ON, adult_told_by="Sam Patel"
    )
    sharing.refresh_from_db()
    assert sharing.against_wishes
    assert (sharing.adult_told, sharing.adult_told_on, sharing.adult_told_by) == ("yes", TOLD_ON, "Sam Patel")
    text = sharing.decision.rationale
    assert "Grounds: Others are at risk." in text
    assert "Shared without the adult's consent." in text
    assert f"The adult has not agreed to share their information with {agency_c}." in text
    assert "The adult was told about this share on 4 March 2025 by Sam Patel." in text
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.detail["against_wishes"] is True


def test_a_share_against_wishes_records_why_the_adult_was_not_told(accepted_case, practitioner_a, agency_c):
    sharing = _share(
        accepted_case,
        practitioner_a,
        agency_c,
        basis="crime",
        adult_told="no",
        adult_not_told_reason="increases_risk",
        adult_told_by="ignored when not told",
    )
    assert sharing.adult_not_told_reason == "increases_risk"
    assert sharing.adult_told_by == ""
    assert (
        "The adult has not been told about this share: telling them would increase the risk to them or to others."
        in sharing.decision.rationale
    )


def test_against_wishes_is_fixed_when_the_decision_is_made(accepted_case, practitioner_a, agency_c):
    sharing = _share(
        accepted_case, practitioner_a, agency_c, adult_told="no", adult_not_told_reason="cannot_be_reached"
    )
    _agree(accepted_case, practitioner_a, agency_c)
    sharing.refresh_from_db()
    assert sharing.against_wishes


def test_a_share_with_an_agreed_agency_on_other_grounds_needs_no_answers(accepted_case, practitioner_a, agency_c):
    _agree(accepted_case, practitioner_a, agency_c)
    sharing = _share(accepted_case, practitioner_a, agency_c)
    assert not sharing.against_wishes
    assert "Shared without the adult's consent." in sharing.decision.rationale


# Recording the adult's wishes


def test_the_lead_agency_records_the_adults_wishes_and_it_is_audited(accepted_case, practitioner_a, agency_c):
    case = _agree(accepted_case, practitioner_a, agency_c)
    case.refresh_from_db()
    assert list(case.sharing_agreed_agencies.all()) == [agency_c]
    assert case.sharing_asked_by == "Sam Patel, social worker"
    row = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(case.pk)).latest("seq")
    assert row.detail["sharing_agreed_agencies"] == [[], [agency_c.pk]]


def test_another_agency_cannot_record_the_adults_wishes(accepted_case, practitioner_a, police_b, agency_b, agency_c):
    _share(accepted_case, practitioner_a, agency_b, adult_told="no", adult_not_told_reason="crime")
    with pytest.raises(PermissionDenied):
        _agree(accepted_case, police_b, agency_c)
    assert not accepted_case.sharing_agreed_agencies.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"asked_on": None}, "asked_on", "Enter the date the adult was asked"),
        ({"asked_by": " "}, "asked_by", "Enter who asked the adult"),
        ({"asked_about_sharing": "no"}, "agreed_agencies", "Select agencies only if the adult was asked about sharing"),
    ],
)
def test_the_adults_wishes_need_when_and_by_whom(accepted_case, practitioner_a, agency_c, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        _agree(accepted_case, practitioner_a, agency_c, **overrides)
    assert refused.value.message_dict[field] == [message]
    assert not accepted_case.sharing_agreed_agencies.exists()


def test_the_adult_cannot_be_recorded_as_agreeing_to_the_board(accepted_case, practitioner_a):
    board = AgencyFactory(name="Shire Safeguarding Adults Board", kind=AgencyKind.SAFEGUARDING_ADULTS_BOARD)
    with pytest.raises(ValidationError) as refused:
        _agree(accepted_case, practitioner_a, board)
    assert "agreed_agencies" in refused.value.message_dict
    assert not accepted_case.sharing_agreed_agencies.exists()


def test_the_concern_records_the_agencies_the_adult_agreed_to(practitioner_a, person_a, agency_c):
    case = case_raise(
        acting_user=practitioner_a,
        person=person_a,
        what_is_happening="Hoarding",
        asked_about_sharing="yes",
        sharing_agreed_agencies=[agency_c],
    )
    assert list(case.sharing_agreed_agencies.all()) == [agency_c]


def test_a_concern_cannot_name_agencies_if_the_adult_was_not_asked(practitioner_a, person_a, agency_c):
    from marm.cases.models import Case

    with pytest.raises(ValidationError) as refused:
        case_raise(
            acting_user=practitioner_a,
            person=person_a,
            what_is_happening="Hoarding",
            asked_about_sharing="no",
            sharing_agreed_agencies=[agency_c],
        )
    assert "sharing_agreed_agencies" in refused.value.message_dict
    assert not Case.objects.exists()


# The pages


def _share_url(case, **query):
    url = reverse("sharing:share", kwargs={"case_pk": case.pk})
    return f"{url}?agency={query['agency']}" if query else url


def test_the_share_page_warns_before_the_form_naming_the_agency(accepted_case, practitioner_a_client, agency_c):
    page = practitioner_a_client.get(_share_url(accepted_case, agency=agency_c.pk)).content.decode()
    warning = page.index("govuk-warning-text")
    assert warning < page.index('<form method="post" novalidate>')
    assert f"The adult has not agreed to share their information with {escape(agency_c.name)}." in page
    for label in ("have they been told about this share?", "If told: the date they were told", "If not told: why not?"):
        assert escape(label) in page


def test_the_share_page_says_whom_the_adult_agreed_to(accepted_case, practitioner_a, practitioner_a_client, agency_c):
    _agree(accepted_case, practitioner_a, agency_c)
    page = practitioner_a_client.get(_share_url(accepted_case)).content.decode()
    assert f"The adult agreed to share their information only with {escape(agency_c.name)}." in page
    assert f"{escape(agency_c.name)} (the adult agreed)" in page
    page = practitioner_a_client.get(_share_url(accepted_case, agency=agency_c.pk)).content.decode()
    assert "govuk-warning-text" not in page


def _form(agency, **overrides):
    data = {
        "agency": agency.pk,
        "basis": "consent",
        "consent_details": "She said yes",
        "access": "full",
        "what_is_shared": "The concern",
        "rationale": "The GP manages her medication",
        "quality_tests": list(QualityTest.values),
    }
    data.update(overrides)
    return data


def test_a_consent_share_against_wishes_is_refused_on_the_form(accepted_case, practitioner_a_client, agency_c):
    response = practitioner_a_client.post(_share_url(accepted_case), _form(agency_c))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "choose the grounds for sharing without their consent" in page
    assert "Select whether the adult has been told about this share" in page
    # The warning names the agency chosen on the form.
    assert f"The adult has not agreed to share their information with {escape(agency_c.name)}." in page
    assert not SharingDecision.objects.exists()
    assert not CaseAgency.objects.filter(agency=agency_c).exists()


def test_a_share_against_wishes_through_the_form(accepted_case, practitioner_a_client, agency_c):
    today = timezone.localdate()
    response = practitioner_a_client.post(
        _share_url(accepted_case),
        _form(
            agency_c,
            basis="risk_to_others",
            consent_details="",
            adult_told="yes",
            adult_told_on_0=today.day,
            adult_told_on_1=today.month,
            adult_told_on_2=today.year,
            adult_told_by="Sam Patel, social worker",
        ),
    )
    assert response.status_code == 302
    sharing = SharingDecision.objects.get()
    assert sharing.against_wishes and sharing.adult_told_on == today
    log = practitioner_a_client.get(
        reverse("sharing:case-disclosures", kwargs={"case_pk": accepted_case.pk})
    ).content.decode()
    assert "Shared without the adult&#x27;s consent" in log
    assert "Others are at risk" in log
    assert f"The adult was told about this share on {today:%-d %B %Y} by Sam Patel, social worker." in log
    assert "Complete: met" in log
    decisions = practitioner_a_client.get(
        reverse("decisions:case-log", kwargs={"case_pk": accepted_case.pk})
    ).content.decode()
    assert "Shared without the adult&#x27;s consent." in decisions
    assert "The information was confirmed accurate, valid, reliable, timely, relevant and complete." in decisions


def test_the_persons_disclosure_log_shows_why_the_adult_was_not_told(
    accepted_case, practitioner_a, practitioner_a_client, agency_c, person_a
):
    _share(accepted_case, practitioner_a, agency_c, adult_told="no", adult_not_told_reason="lacks_capacity")
    page = practitioner_a_client.get(reverse("sharing:person-disclosures", kwargs={"pk": person_a.pk})).content.decode()
    assert "The adult has not been told about this share: they lack the capacity to understand it." in page
    assert "Shared without the adult&#x27;s consent" in page
    assert "Accurate: met" in page


def test_the_wishes_page_records_the_adults_agreement(accepted_case, practitioner_a_client, agency_c):
    url = reverse("sharing:wishes", kwargs={"case_pk": accepted_case.pk})
    assert practitioner_a_client.get(url).status_code == 200
    accepted_case.refresh_from_db()
    response = practitioner_a_client.post(
        url,
        {
            "asked_about_sharing": "yes",
            "asked_on_0": "1",
            "asked_on_1": "3",
            "asked_on_2": "2025",
            "asked_by": "Sam Patel",
            "agreed_agencies": [agency_c.pk],
            "views_on_sharing": "Only her GP",
            "version": accepted_case.version,
        },
    )
    assert response.status_code == 302
    accepted_case.refresh_from_db()
    assert list(accepted_case.sharing_agreed_agencies.all()) == [agency_c]
    assert accepted_case.sharing_asked_on == datetime.date(2025, 3, 1)


def test_the_wishes_page_shows_errors_and_saves_nothing(accepted_case, practitioner_a_client, agency_c):
    accepted_case.refresh_from_db()
    response = practitioner_a_client.post(
        reverse("sharing:wishes", kwargs={"case_pk": accepted_case.pk}),
        {"asked_about_sharing": "yes", "agreed_agencies": [agency_c.pk], "version": accepted_case.version},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the date the adult was asked" in page
    assert "Enter who asked the adult" in page
    assert not accepted_case.sharing_agreed_agencies.exists()


def test_the_wishes_page_is_refused_to_another_agency(accepted_case, practitioner_a, police_b_client, agency_b):
    _share(accepted_case, practitioner_a, agency_b, adult_told="no", adult_not_told_reason="crime")
    url = reverse("sharing:wishes", kwargs={"case_pk": accepted_case.pk})
    assert police_b_client.get(url).status_code == 403
    assert police_b_client.post(url, {"asked_about_sharing": "no", "version": 1}).status_code == 403


def test_the_wishes_page_is_hidden_from_an_agency_outside_the_case(accepted_case, gp_c_client):
    assert gp_c_client.get(reverse("sharing:wishes", kwargs={"case_pk": accepted_case.pk})).status_code == 404
