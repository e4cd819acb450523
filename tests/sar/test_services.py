"""The review services: the board officer keeps the plan, each nominated contact keeps only their own
organisation's progress, and a refusal leaves nothing behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marm.audit.models import AuditAction, AuditEvent
from marm.core.locking import StaleEditError
from marm.sar import services
from marm.sar.models import (
    Progress,
    ProgressChange,
    Recommendation,
    Review,
    ReviewAction,
    ReviewOrganisation,
    SingleAgencyPlan,
    Theme,
)
from marm.sar.vocab import Rag
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _new_review(user, **overrides):
    values = {
        "reference": "SAR-202",
        "title": "Review of the care of D",
        "adults": "D",
        "referred_on": datetime.date(2024, 5, 1),
        "decided_on": datetime.date(2024, 6, 3),
        "adult_died": False,
    }
    values.update(overrides)
    return services.review_create(acting_user=user, **values)


def _errors(refusal) -> dict:
    return refusal.value.message_dict


def test_the_board_officer_records_a_review_and_it_is_audited(board_officer):
    review = _new_review(board_officer)
    assert review.status == "ongoing"
    assert review.days_to_decision == 33
    row = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="sar.review")
    assert row.actor_user == board_officer
    assert row.object_id == str(review.pk)
    assert row.person_id == ""


@pytest.mark.parametrize("persona", ["practitioner_a", "manager_a", "police_b", "outsider", "administrator"])
def test_only_the_board_officer_may_record_a_review(request, persona):
    with pytest.raises(PermissionDenied):
        _new_review(request.getfixturevalue(persona))
    assert not Review.objects.exists()
    assert not AuditEvent.objects.filter(object_type="sar.review").exists()


def test_a_review_decided_before_its_referral_or_with_a_reference_in_use_is_refused(board_officer, review):
    with pytest.raises(ValidationError) as refused:
        _new_review(board_officer, decided_on=datetime.date(2024, 4, 1))
    assert _errors(refused)["decided_on"] == ["The decision date must be the same as or after the referral date"]
    with pytest.raises(ValidationError) as refused:
        _new_review(board_officer, reference="sar-101")
    assert _errors(refused)["reference"] == ["A review with the reference sar-101 already exists"]
    with pytest.raises(ValidationError) as refused:
        _new_review(board_officer, adults=" ", adult_died=None)
    assert set(_errors(refused)) == {"adults", "adult_died"}
    assert list(Review.objects.all()) == [review]


def test_a_second_post_of_the_same_form_makes_one_review(board_officer):
    key = "5c0a5b4e-7a4f-4f43-9a53-3b2a3c1d9e10"
    first = _new_review(board_officer, submission_key=key)
    second = _new_review(board_officer, submission_key=key)
    assert first == second
    assert Review.objects.count() == 1


def test_concluding_needs_the_date_and_a_decision_to_hold_the_review(board_officer):
    undecided = _new_review(board_officer, decided_on=None)
    with pytest.raises(ValidationError) as refused:
        services.review_conclude(acting_user=board_officer, review=undecided, concluded_on=datetime.date(2024, 9, 1))
    assert "Record the date the board decided" in _errors(refused)["concluded_on"][0]
    undecided.refresh_from_db()
    assert undecided.status == "ongoing"
    assert undecided.concluded_on is None


def test_a_review_concludes_once(board_officer, review):
    with pytest.raises(ValidationError):
        services.review_conclude(acting_user=board_officer, review=review, concluded_on=datetime.date(2024, 4, 1))
    services.review_conclude(acting_user=board_officer, review=review, concluded_on=datetime.date(2024, 11, 29))
    review.refresh_from_db()
    assert (review.status, review.concluded_on) == ("concluded", datetime.date(2024, 11, 29))
    with pytest.raises(ValidationError, match="already concluded"):
        services.review_conclude(acting_user=board_officer, review=review, concluded_on=datetime.date(2024, 12, 2))


def test_the_nominated_contact_must_work_for_the_organisation(board_officer, review, agency_b, gp_c):
    with pytest.raises(ValidationError) as refused:
        services.review_organisation_add(acting_user=board_officer, review=review, agency=agency_b, contact=gp_c)
    assert _errors(refused)["contact"] == [f"{gp_c.full_name} does not work for {agency_b}: choose someone who does"]
    assert not ReviewOrganisation.objects.exists()
    assert not AuditEvent.objects.filter(object_type="sar.revieworganisation").exists()


def test_an_organisation_takes_part_once_and_gets_an_entry_on_every_action(board_officer, plan, agency_outside):
    with pytest.raises(ValidationError, match="already takes part"):
        services.review_organisation_add(acting_user=board_officer, review=plan.review, agency=plan.police.agency)
    late = services.review_organisation_add(acting_user=board_officer, review=plan.review, agency=agency_outside)
    entry = Progress.objects.get(review_organisation=late)
    assert entry.review_action == plan.action
    assert entry.rag == Rag.NOT_REPORTED
    assert Progress.objects.filter(review_action=plan.action).count() == 3


def test_a_recommendation_needs_a_theme_of_its_review_and_a_number_not_in_use(board_officer, plan):
    other = _new_review(board_officer)
    other_theme = services.theme_add(acting_user=board_officer, review=other, title="Transitions")
    with pytest.raises(ValidationError) as refused:
        services.recommendation_add(acting_user=board_officer, review=plan.review, theme=other_theme, number=1, text="")
    assert _errors(refused) == {
        "theme": ["Select a theme of this review"],
        "number": ["Recommendation 1 is already in this review: enter another number"],
        "text": ["Enter the recommendation"],
    }
    assert Recommendation.objects.count() == 1


def test_a_recommendation_not_accepted_says_why_and_takes_no_actions(board_officer, plan):
    recommendation = services.recommendation_add(
        acting_user=board_officer, review=plan.review, theme=plan.theme, number=2, text="Buy a new case system."
    )
    with pytest.raises(ValidationError) as refused:
        services.recommendation_respond(
            acting_user=board_officer, recommendation=recommendation, response="not_accepted"
        )
    assert _errors(refused)["not_accepted_reason"] == ["Say why the recommendation was not accepted"]
    recommendation.refresh_from_db()
    assert recommendation.response == "pending"
    services.recommendation_respond(
        acting_user=board_officer,
        recommendation=recommendation,
        response="not_accepted",
        not_accepted_reason="The partnership already shares one case system.",
    )
    with pytest.raises(ValidationError, match="was not accepted"):
        services.review_action_add(acting_user=board_officer, recommendation=recommendation, text="Procure")
    assert not ReviewAction.objects.filter(recommendation=recommendation).exists()
    # One with actions cannot be turned down afterwards.
    with pytest.raises(ValidationError, match="Actions have been agreed"):
        services.recommendation_respond(
            acting_user=board_officer,
            recommendation=plan.recommendation,
            response="not_accepted",
            not_accepted_reason="No",
        )


def test_the_contact_reports_their_organisations_progress_and_leaves_a_trail(plan, police_b):
    entry = plan.police_entry
    services.progress_update(
        acting_user=police_b,
        progress=entry,
        expected_version=entry.version,
        text="The protocol has been reviewed with the mental health trust.",
        evidence="Revised protocol, version 3",
        rag=Rag.COMPLETE,
    )
    entry.refresh_from_db()
    assert (entry.rag, entry.updated_by, entry.version) == (Rag.COMPLETE, police_b, 2)
    change = ProgressChange.objects.get(progress=entry)
    assert (change.changed_by, change.rag_before, change.rag_after) == (police_b, Rag.NOT_REPORTED, Rag.COMPLETE)
    assert (change.text_before, change.text_after) == (
        "",
        "The protocol has been reviewed with the mental health trust.",
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="sar.progress", actor_user=police_b
    ).exists()


def test_a_contact_cannot_update_another_organisations_progress(plan, police_b):
    entry = plan.gp_entry
    with pytest.raises(PermissionDenied):
        services.progress_update(
            acting_user=police_b, progress=entry, expected_version=entry.version, text="Done", rag=Rag.GREEN
        )
    entry.refresh_from_db()
    assert (entry.text, entry.rag, entry.version) == ("", Rag.NOT_REPORTED, 1)
    assert not ProgressChange.objects.exists()
    assert not AuditEvent.objects.filter(object_type="sar.progress").exists()


@pytest.mark.parametrize("persona", ["practitioner_a", "outsider", "manager_a"])
def test_nobody_else_may_update_progress(request, plan, persona):
    entry = plan.police_entry
    with pytest.raises(PermissionDenied):
        services.progress_update(
            acting_user=request.getfixturevalue(persona),
            progress=entry,
            expected_version=entry.version,
            text="Done",
            rag=Rag.GREEN,
        )
    assert not ProgressChange.objects.exists()


def test_a_contact_who_has_moved_agency_no_longer_keeps_the_entry(plan, police_b, agency_c):
    police_b.agency = agency_c
    police_b.save()
    with pytest.raises(PermissionDenied):
        services.progress_update(
            acting_user=police_b, progress=plan.police_entry, expected_version=1, text="Done", rag=Rag.GREEN
        )


def test_a_stale_edit_is_detected_and_the_first_save_stands(plan, police_b, board_officer):
    entry = plan.police_entry
    opened = entry.version
    services.progress_update(
        acting_user=board_officer, progress=entry, expected_version=opened, text="Group set up.", rag=Rag.GREEN
    )
    mine = Progress.objects.select_related("review_organisation").get(pk=entry.pk)
    with pytest.raises(StaleEditError) as stale:
        services.progress_update(
            acting_user=police_b, progress=mine, expected_version=opened, text="Nothing yet.", rag=Rag.RED
        )
    assert stale.value.current.text == "Group set up."
    entry.refresh_from_db()
    assert (entry.text, entry.rag, entry.updated_by) == ("Group set up.", Rag.GREEN, board_officer)
    assert ProgressChange.objects.count() == 1


def test_progress_needs_words_and_a_reported_rag(plan, police_b):
    with pytest.raises(ValidationError) as refused:
        services.progress_update(
            acting_user=police_b, progress=plan.police_entry, expected_version=1, text=" ", rag=Rag.NOT_REPORTED
        )
    assert _errors(refused) == {"text": ["Say what progress has been made"], "rag": ["Select the RAG status"]}
    assert not ProgressChange.objects.exists()


def _complete(entry, user, evidence="Minutes of the task and finish group"):
    services.progress_update(
        acting_user=user,
        progress=entry,
        expected_version=Progress.objects.get(pk=entry.pk).version,
        text="Done",
        evidence=evidence,
        rag=Rag.COMPLETE,
    )


def test_sign_off_waits_for_complete_progress_with_evidence_or_a_reason(plan, board_officer, police_b):
    _complete(plan.police_entry, police_b)
    _complete(plan.gp_entry, board_officer, evidence="")
    with pytest.raises(ValidationError) as refused:
        services.review_action_sign_off(acting_user=board_officer, review_action=plan.action)
    assert plan.gp.agency.name in _errors(refused)["reason"][0]
    plan.action.refresh_from_db()
    assert not plan.action.is_signed_off
    assert not AuditEvent.objects.filter(object_type="sar.reviewaction", action=AuditAction.UPDATE).exists()
    services.review_action_sign_off(
        acting_user=board_officer, review_action=plan.action, reason="The practice closed; its list moved."
    )
    plan.action.refresh_from_db()
    assert (plan.action.signed_off_by, plan.action.sign_off_reason) == (
        board_officer,
        "The practice closed; its list moved.",
    )
    with pytest.raises(ValidationError, match="signed off"):
        services.progress_update(
            acting_user=police_b, progress=plan.police_entry, expected_version=3, text="More", rag=Rag.GREEN
        )


def test_an_action_complete_with_evidence_everywhere_is_signed_off_without_a_reason(
    plan, board_officer, police_b, gp_c
):
    _complete(plan.police_entry, police_b)
    _complete(plan.gp_entry, gp_c)
    services.review_action_sign_off(acting_user=board_officer, review_action=plan.action)
    plan.action.refresh_from_db()
    assert plan.action.is_signed_off
    assert plan.action.sign_off_reason == ""
    with pytest.raises(ValidationError, match="already been signed off"):
        services.review_action_sign_off(acting_user=board_officer, review_action=plan.action)


def test_a_contact_cannot_sign_off(plan, police_b, gp_c):
    _complete(plan.police_entry, police_b)
    _complete(plan.gp_entry, gp_c)
    with pytest.raises(PermissionDenied):
        services.review_action_sign_off(acting_user=police_b, review_action=plan.action)
    plan.action.refresh_from_db()
    assert not plan.action.is_signed_off


def test_single_agency_plans_are_linked_by_the_board_officer(plan, board_officer, police_b):
    with pytest.raises(PermissionDenied):
        services.single_agency_plan_add(
            acting_user=police_b,
            review_organisation=plan.police,
            title="Police plan",
            received_on=datetime.date(2024, 7, 1),
        )
    with pytest.raises(ValidationError) as refused:
        services.single_agency_plan_add(
            acting_user=board_officer, review_organisation=plan.police, title="", received_on=None
        )
    assert set(_errors(refused)) == {"title", "received_on"}
    assert not SingleAgencyPlan.objects.exists()
    services.single_agency_plan_add(
        acting_user=board_officer,
        review_organisation=plan.police,
        title="Police plan",
        received_on=datetime.date(2024, 7, 1),
    )
    assert SingleAgencyPlan.objects.get().review_organisation == plan.police


def test_themes_are_kept_in_order_and_named_once(board_officer, review):
    first = services.theme_add(acting_user=board_officer, review=review, title="Transitions")
    second = services.theme_add(acting_user=board_officer, review=review, title="Mental capacity")
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(ValidationError):
        services.theme_add(acting_user=board_officer, review=review, title="transitions")
    assert Theme.objects.count() == 2


def test_a_board_officer_of_any_agency_manages_reviews(review):
    officer = UserFactory(agency=AgencyFactory(kind="sab"), roles=["board_officer"])
    services.theme_add(acting_user=officer, review=review, title="Self-neglect")
    assert Theme.objects.filter(created_by=officer).exists()
