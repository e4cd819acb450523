"""The risk assessment, version by version: contributing, agreeing, locking, the next draft."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.core.locking import StaleEditError
from marm.decisions.models import Decision
from marm.risk import vocab
from marm.risk.models import AspectAssessment, RiskAssessment, RiskAssessmentVersion
from marm.risk.selectors import agreed_version_for_case
from marm.risk.services import aspect_update, risk_assessment_agree, risk_assessment_start, risk_assessment_update
from tests.risk import helpers

pytestmark = pytest.mark.django_db


def _aspect(version, code):
    return AspectAssessment.objects.get(assessment_version=version, aspect=code)


def test_a_first_draft_holds_the_14_aspects_of_000_4_4_in_order(draft):
    aspects = [row.aspect for row in draft.aspects.all()]
    assert aspects == list(vocab.RiskAspect.values)
    assert len(aspects) == 14
    assert draft.number == 1 and draft.status == vocab.VersionStatus.DRAFT


def test_two_agencies_contribute_to_the_same_draft_and_both_are_named(draft, practitioner_a, police_b):
    home = _aspect(draft, "home_environment")
    aspect_update(
        acting_user=practitioner_a,
        aspect=home,
        expected_version=home.version,
        what_is_known="Hallway blocked.",
        likelihood=3,
        impact=4,
    )
    home.refresh_from_db()
    aspect_update(
        acting_user=police_b,
        aspect=home,
        expected_version=home.version,
        what_is_known="Hallway blocked. Two call-outs for smoke in March.",
        likelihood=4,
        impact=4,
        adult_view="It is my home and I know where everything is.",
    )
    home.refresh_from_db()
    assert {a.name for a in home.contributing_agencies.all()} == {"Shire Adult Social Care", "Shire Police"}
    assert home.level == vocab.RiskLevel.VERY_HIGH
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="risk.aspectassessment").count() == 2


def test_the_second_of_two_saves_from_the_same_starting_point_is_refused_and_the_first_kept(
    draft, practitioner_a, police_b
):
    row = _aspect(draft, "money")
    opened_at = row.version
    aspect_update(
        acting_user=practitioner_a,
        aspect=row,
        expected_version=opened_at,
        what_is_known="Rent arrears.",
        likelihood=2,
        impact=2,
    )
    stale = _aspect(draft, "money")
    with pytest.raises(StaleEditError) as conflict:
        aspect_update(
            acting_user=police_b,
            aspect=stale,
            expected_version=opened_at,
            what_is_known="Cash taken by a visitor.",
            likelihood=3,
            impact=3,
        )
    assert conflict.value.current.what_is_known == "Rent arrears."
    saved = _aspect(draft, "money")
    assert saved.what_is_known == "Rent arrears."
    assert [a.name for a in saved.contributing_agencies.all()] == ["Shire Adult Social Care"]


def test_agreeing_needs_every_aspect_rated_an_overall_level_and_a_plan(draft, practitioner_a):
    with pytest.raises(ValidationError) as error:
        helpers.agree(practitioner_a, draft)
    assert {"aspects", "overall_level", "plan_summary"} <= set(error.value.error_dict)
    draft.refresh_from_db()
    assert draft.status == vocab.VersionStatus.DRAFT
    assert not Decision.objects.filter(case=draft.assessment.case, summary__startswith="Risk assessment").exists()


def test_the_lead_professional_agrees_a_version_which_records_a_decision(draft, practitioner_a, police_b):
    helpers.fill_draft(police_b, draft)
    agreed = helpers.agree(practitioner_a, draft)
    assert agreed.status == vocab.VersionStatus.AGREED
    assert agreed.decision.summary == "Risk assessment version 1 agreed: overall risk high"
    assert "Sam from the council" in agreed.decision.rationale
    assert agreed_version_for_case(draft.assessment.case) == agreed


def test_an_agency_that_is_not_the_lead_cannot_agree(draft, police_b):
    helpers.fill_draft(police_b, draft)
    with pytest.raises(PermissionDenied):
        helpers.agree(police_b, draft)


def test_a_manager_of_the_lead_agency_agrees_at_a_meeting(draft, police_b, manager_a):
    helpers.fill_draft(police_b, draft)
    assert helpers.agree(manager_a, draft).agreed_by == manager_a


def test_an_agreed_version_is_locked_against_every_change(agreed, practitioner_a):
    row = _aspect(agreed, "medical")
    with pytest.raises(ValidationError, match="agreed and is locked"):
        aspect_update(
            acting_user=practitioner_a,
            aspect=row,
            expected_version=row.version,
            what_is_known="Changed",
            likelihood=1,
            impact=1,
        )
    with pytest.raises(ValidationError, match="agreed and is locked"):
        risk_assessment_update(
            acting_user=practitioner_a, version=agreed, expected_version=agreed.version, plan_summary="Changed"
        )
    with pytest.raises(ValidationError, match="agreed and is locked"):
        helpers.agree(practitioner_a, agreed)
    assert _aspect(agreed, "medical").what_is_known == "Known about underlying medical conditions."
    agreed.refresh_from_db()
    assert agreed.plan_summary == helpers.PLAN


def test_the_next_draft_starts_from_the_agreed_version_and_leaves_it_unchanged(agreed, practitioner_a, police_b):
    draft = risk_assessment_start(acting_user=police_b, case=agreed.assessment.case)
    assert draft.number == 2 and draft.based_on == agreed
    assert draft.plan_summary == agreed.plan_summary
    money = _aspect(draft, "money")
    assert money.what_is_known == "Known about money management and budgeting."
    assert [a.name for a in money.contributing_agencies.all()] == ["Shire Adult Social Care"]
    aspect_update(
        acting_user=police_b,
        aspect=money,
        expected_version=money.version,
        what_is_known="Paid off.",
        likelihood=1,
        impact=1,
    )
    assert _aspect(agreed, "money").what_is_known == "Known about money management and budgeting."


def test_only_one_draft_at_a_time(draft, police_b):
    with pytest.raises(ValidationError, match="already open"):
        risk_assessment_start(acting_user=police_b, case=draft.assessment.case)
    assert RiskAssessmentVersion.objects.count() == 1


def test_a_concern_not_yet_accepted_has_no_risk_assessment_and_nothing_is_left_behind(concern, practitioner_a):
    with pytest.raises(ValidationError):
        risk_assessment_start(acting_user=practitioner_a, case=concern)
    assert not RiskAssessment.objects.exists()


def test_an_agency_not_involved_cannot_contribute(draft, gp_c):
    row = _aspect(draft, "medical")
    with pytest.raises(RecordNotVisible):
        aspect_update(
            acting_user=gp_c, aspect=row, expected_version=row.version, what_is_known="x", likelihood=1, impact=1
        )
    with pytest.raises(RecordNotVisible):
        risk_assessment_start(acting_user=gp_c, case=draft.assessment.case)


def test_identified_risks_are_the_aspects_rated_above_low(led_case, practitioner_a):
    version = risk_assessment_start(acting_user=practitioner_a, case=led_case)
    helpers.fill_draft(
        practitioner_a, version, likelihood=1, impact=2, overrides={"money": (2, 2), "public_safety": (4, 4)}
    )
    agreed = helpers.agree(practitioner_a, version)
    risks = agreed.identified_risks()
    assert [(r.aspect, r.level) for r in risks] == [("money", "medium"), ("public_safety", "very_high")]
    assert risks[0].get_aspect_display() == "Money management and budgeting"


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, "low"),
        (1, 3, "low"),
        (2, 2, "medium"),
        (3, 2, "medium"),
        (2, 4, "high"),
        (3, 3, "high"),
        (3, 4, "very_high"),
        (4, 4, "very_high"),
        (None, None, None),
    ],
)
def test_the_scale_of_adr_0011(likelihood, impact, level):
    assert vocab.level_for(likelihood, impact) == level


def test_a_stale_agreement_is_refused(draft, practitioner_a, police_b):
    helpers.fill_draft(police_b, draft)
    opened_at = draft.version
    risk_assessment_update(acting_user=police_b, version=draft, expected_version=opened_at, plan_summary="New plan")
    draft.refresh_from_db()
    with pytest.raises(StaleEditError):
        risk_assessment_agree(
            acting_user=practitioner_a,
            version=draft,
            expected_version=opened_at,
            how="meeting",
            agreed_on=draft.started_at.date(),
            note="Meeting",
        )
    draft.refresh_from_db()
    assert draft.status == "draft"
