"""Writes on a Safeguarding Adults Review and its composite action plan (004).

Each service is one transaction with its audit row. Nothing here takes a
record about a person: reviews name the adults only as the review anonymises
them. So the records they take are not annotated with their models, which
would ask tests/test_service_guard.py to guard them as records about a person.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.core.locking import save_if_current
from marm.govuk_forms.submission import first_submission, save_once
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
from marm.sar.vocab import REPORTED, RecommendationResponse, ReviewStatus


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _made_by(model, acting_user, field: str = "created_by"):
    return model.objects.filter(**{field: acting_user})


def _save_new(instance, earlier_from):
    """Save a new record once per form token: ``(record, made)``."""
    instance.full_clean(exclude=["submission_key"], validate_unique=False)
    return save_once(instance, earlier_from)


def _review_errors(*, reference, title, adults, referred_on, decided_on, adult_died, review=None) -> dict:
    errors = {}
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = "Enter the review's reference, like BPSCR4"
    elif Review.objects.filter(reference__iexact=reference).exclude(pk=getattr(review, "pk", None)).exists():
        errors["reference"] = f"A review with the reference {reference} already exists"
    if not (title or "").strip():
        errors["title"] = "Enter the review's title"
    if not (adults or "").strip():
        errors["adults"] = "Enter how the review names the adults, like X, Y and Z"
    today = timezone.localdate()
    if referred_on is None:
        errors["referred_on"] = "Enter the date the case was referred for a review"
    elif referred_on > today:
        errors["referred_on"] = "The referral date must be today or in the past"
    if decided_on is not None:
        if decided_on > today:
            errors["decided_on"] = "The decision date must be today or in the past"
        elif referred_on is not None and decided_on < referred_on:
            errors["decided_on"] = "The decision date must be the same as or after the referral date"
    if adult_died is None:
        errors["adult_died"] = "Select whether the adult died"
    return errors


@transaction.atomic
def review_create(
    *,
    acting_user,
    reference: str,
    title: str,
    adults: str,
    referred_on: datetime.date,
    adult_died: bool,
    decided_on: datetime.date | None = None,
    summary: str = "",
    submission_key: uuid.UUID | None = None,
) -> Review:
    """Record a Safeguarding Adults Review: its reference, the adults as the review names them, and its dates."""
    require(acting_user, "sar.manage_reviews")
    earlier = first_submission(_made_by(Review, acting_user), submission_key)
    if earlier is not None:
        return earlier
    _raise_if(
        _review_errors(
            reference=reference,
            title=title,
            adults=adults,
            referred_on=referred_on,
            decided_on=decided_on,
            adult_died=adult_died,
        )
    )
    review, made = _save_new(
        Review(
            reference=reference.strip(),
            title=title.strip(),
            adults=adults.strip(),
            referred_on=referred_on,
            decided_on=decided_on,
            adult_died=adult_died,
            summary=(summary or "").strip(),
            created_by=acting_user,
            submission_key=submission_key,
        ),
        _made_by(Review, acting_user),
    )
    if made:
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=review,
            detail={"reference": review.reference, "adult_died": adult_died},
        )
    return review


REVIEW_FIELDS = ("reference", "title", "adults", "referred_on", "decided_on", "adult_died", "summary")


@transaction.atomic
def review_edit(
    *,
    acting_user,
    review,
    reference: str,
    title: str,
    adults: str,
    referred_on: datetime.date,
    adult_died: bool,
    decided_on: datetime.date | None = None,
    summary: str = "",
) -> Review:
    """Correct a review's details; the audit row keeps what changed."""
    require(acting_user, "sar.manage_reviews")
    errors = _review_errors(
        reference=reference,
        title=title,
        adults=adults,
        referred_on=referred_on,
        decided_on=decided_on,
        adult_died=adult_died,
        review=review,
    )
    if review.concluded_on and decided_on and review.concluded_on < decided_on:
        errors.setdefault("decided_on", "The decision date must be before the date the review concluded")
    _raise_if(errors)
    review = Review.objects.select_for_update().get(pk=review.pk)
    before = {field: getattr(review, field) for field in REVIEW_FIELDS}
    review.reference = reference.strip()
    review.title = title.strip()
    review.adults = adults.strip()
    review.referred_on = referred_on
    review.decided_on = decided_on
    review.adult_died = adult_died
    review.summary = (summary or "").strip()
    review.full_clean(exclude=["submission_key"])
    review.save(update_fields=list(REVIEW_FIELDS))
    changes = {
        field: [str(before[field]), str(getattr(review, field))]
        for field in REVIEW_FIELDS
        if before[field] != getattr(review, field)
    }
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=review, detail=changes)
    return review


@transaction.atomic
def review_conclude(*, acting_user, review, concluded_on: datetime.date) -> Review:
    """Record that the review has concluded. Its action plan carries on until every action is signed off."""
    require(acting_user, "sar.manage_reviews")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status == ReviewStatus.CONCLUDED:
        raise ValidationError("This review has already concluded")
    errors = {}
    if review.decided_on is None:
        errors["concluded_on"] = "Record the date the board decided to hold the review before concluding it"
    elif concluded_on is None:
        errors["concluded_on"] = "Enter the date the review concluded"
    elif concluded_on > timezone.localdate():
        errors["concluded_on"] = "The date the review concluded must be today or in the past"
    elif concluded_on < review.decided_on:
        errors["concluded_on"] = "The review cannot conclude before the board decided to hold it"
    _raise_if(errors)
    review.status = ReviewStatus.CONCLUDED
    review.concluded_on = concluded_on
    review.full_clean(exclude=["submission_key"])
    review.save(update_fields=["status", "concluded_on"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=review,
        detail={"status": [ReviewStatus.ONGOING, ReviewStatus.CONCLUDED], "concluded_on": concluded_on.isoformat()},
    )
    return review


@transaction.atomic
def review_organisation_add(
    *, acting_user, review, agency, contact=None, submission_key: uuid.UUID | None = None
) -> ReviewOrganisation:
    """Add an organisation to the review's plan, with its nominated contact. It gets a progress entry on
    every action already in the plan."""
    require(acting_user, "sar.manage_reviews")
    added_before = _made_by(ReviewOrganisation, acting_user, "added_by").filter(review=review)
    earlier = first_submission(added_before, submission_key)
    if earlier is not None:
        return earlier
    errors = {}
    if agency is None:
        errors["agency"] = "Select the organisation"
    elif ReviewOrganisation.objects.filter(review=review, agency=agency).exists():
        errors["agency"] = f"{agency} already takes part in this review"
    if contact is not None and agency is not None:
        if contact.agency_id != agency.pk:
            errors["contact"] = f"{contact.full_name} does not work for {agency}: choose someone who does"
        elif not contact.is_active:
            errors["contact"] = "Choose someone whose account is active"
    _raise_if(errors)
    organisation, made = _save_new(
        ReviewOrganisation(
            review=review, agency=agency, contact=contact, added_by=acting_user, submission_key=submission_key
        ),
        added_before,
    )
    if not made:
        return organisation
    actions = ReviewAction.objects.filter(recommendation__review=review)
    Progress.objects.bulk_create(Progress(review_action=action, review_organisation=organisation) for action in actions)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=organisation,
        detail={"review": review.pk, "agency": agency.pk, "contact": contact.pk if contact else None},
    )
    return organisation


@transaction.atomic
def theme_add(*, acting_user, review, title: str, submission_key: uuid.UUID | None = None) -> Theme:
    """Add a theme the review's recommendations are grouped under."""
    require(acting_user, "sar.manage_reviews")
    added_before = _made_by(Theme, acting_user).filter(review=review)
    earlier = first_submission(added_before, submission_key)
    if earlier is not None:
        return earlier
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the theme"})
    # Lock the review so two themes added at once cannot take the same place.
    Review.objects.select_for_update().filter(pk=review.pk).first()
    if Theme.objects.filter(review=review, title__iexact=title).exists():
        raise ValidationError({"title": "This review already has a theme with that title"})
    order = (Theme.objects.filter(review=review).aggregate(n=Max("order"))["n"] or 0) + 1
    theme, made = _save_new(
        Theme(review=review, title=title, order=order, created_by=acting_user, submission_key=submission_key),
        added_before,
    )
    if made:
        audit_record(actor=acting_user, action=AuditAction.CREATE, obj=theme, detail={"review": review.pk})
    return theme


@transaction.atomic
def recommendation_add(
    *,
    acting_user,
    review,
    theme,
    number: int,
    text: str,
    submission_key: uuid.UUID | None = None,
) -> Recommendation:
    """Add one of the review's recommendations under a theme, awaiting the board's response."""
    require(acting_user, "sar.manage_reviews")
    added_before = _made_by(Recommendation, acting_user).filter(review=review)
    earlier = first_submission(added_before, submission_key)
    if earlier is not None:
        return earlier
    errors = {}
    if theme is None:
        errors["theme"] = "Select the theme"
    elif theme.review_id != review.pk:
        errors["theme"] = "Select a theme of this review"
    if number is None or number < 1:
        errors["number"] = "Enter the recommendation's number, like 1"
    elif Recommendation.objects.filter(review=review, number=number).exists():
        errors["number"] = f"Recommendation {number} is already in this review: enter another number"
    if not (text or "").strip():
        errors["text"] = "Enter the recommendation"
    _raise_if(errors)
    recommendation, made = _save_new(
        Recommendation(
            review=review,
            theme=theme,
            number=number,
            text=text.strip(),
            created_by=acting_user,
            submission_key=submission_key,
        ),
        added_before,
    )
    if made:
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=recommendation,
            detail={"review": review.pk, "number": number, "theme": theme.pk},
        )
    return recommendation


@transaction.atomic
def recommendation_respond(
    *, acting_user, recommendation, response: str, not_accepted_reason: str = ""
) -> Recommendation:
    """Record the board's response to a recommendation; one not accepted says why (Care Act 2014,
    Schedule 2, paragraph 4(1)(g))."""
    require(acting_user, "sar.manage_reviews")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    reason = (not_accepted_reason or "").strip()
    errors = {}
    if response not in RecommendationResponse.values:
        errors["response"] = "Select the board's response"
    elif response == RecommendationResponse.NOT_ACCEPTED:
        if not reason:
            errors["not_accepted_reason"] = "Say why the recommendation was not accepted"
        elif ReviewAction.objects.filter(recommendation=recommendation).exists():
            errors["response"] = "Actions have been agreed on this recommendation, so it cannot be marked not accepted"
    _raise_if(errors)
    before = recommendation.response
    recommendation.response = response
    recommendation.not_accepted_reason = reason if response == RecommendationResponse.NOT_ACCEPTED else ""
    recommendation.responded_by = acting_user
    recommendation.responded_at = timezone.now()
    recommendation.full_clean(exclude=["submission_key"])
    recommendation.save(update_fields=["response", "not_accepted_reason", "responded_by", "responded_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=recommendation,
        detail={"response": [before, response], "not_accepted_reason": recommendation.not_accepted_reason},
    )
    return recommendation


@transaction.atomic
def review_action_add(
    *,
    acting_user,
    recommendation,
    text: str,
    due_date: datetime.date | None = None,
    submission_key: uuid.UUID | None = None,
) -> ReviewAction:
    """Add an action on a recommendation, with an empty progress entry for every participating organisation."""
    require(acting_user, "sar.manage_reviews")
    added_before = _made_by(ReviewAction, acting_user).filter(recommendation=recommendation)
    earlier = first_submission(added_before, submission_key)
    if earlier is not None:
        return earlier
    # Read the response as it stands now: it may have changed since the caller read the recommendation.
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    errors = {}
    if recommendation.response == RecommendationResponse.NOT_ACCEPTED:
        errors["text"] = "This recommendation was not accepted, so it takes no actions"
    elif not (text or "").strip():
        errors["text"] = "Enter the action"
    _raise_if(errors)
    action, made = _save_new(
        ReviewAction(
            recommendation=recommendation,
            text=text.strip(),
            due_date=due_date,
            created_by=acting_user,
            submission_key=submission_key,
        ),
        added_before,
    )
    if not made:
        return action
    organisations = ReviewOrganisation.objects.filter(review_id=recommendation.review_id)
    Progress.objects.bulk_create(
        Progress(review_action=action, review_organisation=organisation) for organisation in organisations
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=action,
        detail={"recommendation": recommendation.pk, "due_date": due_date.isoformat() if due_date else None},
    )
    return action


@transaction.atomic
def progress_update(
    *, acting_user, progress, expected_version: int, text: str, rag: str, evidence: str = ""
) -> Progress:
    """Report an organisation's progress on an action. Only that organisation's nominated contact (or
    the board officer) may; a save over someone else's newer one raises StaleEditError and writes nothing."""
    require(acting_user, "sar.update_progress", progress)
    if ReviewAction.objects.filter(pk=progress.review_action_id, signed_off_at__isnull=False).exists():
        raise ValidationError("This action has been signed off: its progress can no longer change")
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Say what progress has been made"
    if rag not in REPORTED:
        errors["rag"] = "Select the RAG status"
    _raise_if(errors)
    before = {"text": progress.text, "evidence": progress.evidence, "rag": progress.rag}
    progress.text = text.strip()
    progress.evidence = (evidence or "").strip()
    progress.rag = rag
    progress.updated_by = acting_user
    progress.updated_at = timezone.now()
    save_if_current(
        progress, expected_version=expected_version, fields=["text", "evidence", "rag", "updated_by", "updated_at"]
    )
    ProgressChange.objects.create(
        progress=progress,
        changed_by=acting_user,
        text_before=before["text"],
        text_after=progress.text,
        evidence_before=before["evidence"],
        evidence_after=progress.evidence,
        rag_before=before["rag"],
        rag_after=progress.rag,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=progress,
        detail={"rag": [before["rag"], rag], "organisation": progress.review_organisation.agency_id},
    )
    return progress


@transaction.atomic
def review_action_sign_off(*, acting_user, review_action, reason: str = "") -> ReviewAction:
    """Sign an action off: when every participating organisation reports it complete with evidence, or with
    the board officer's reason for signing it off without that."""
    require(acting_user, "sar.sign_off_action")
    review_action = ReviewAction.objects.select_for_update().get(pk=review_action.pk)
    if review_action.is_signed_off:
        raise ValidationError("This action has already been signed off")
    entries = list(Progress.objects.filter(review_action=review_action).select_related("review_organisation__agency"))
    short = [entry for entry in entries if not entry.is_complete_with_evidence]
    reason = (reason or "").strip()
    if not entries and not reason:
        raise ValidationError({"reason": "No organisation takes part in this action: say why it is signed off"})
    if short and not reason:
        names = ", ".join(entry.review_organisation.agency.name for entry in short)
        raise ValidationError(
            {
                "reason": "Not every organisation has reported this action complete with evidence "
                f"({names}): say why it is signed off anyway"
            }
        )
    review_action.signed_off_by = acting_user
    review_action.signed_off_at = timezone.now()
    review_action.sign_off_reason = reason
    review_action.save(update_fields=["signed_off_by", "signed_off_at", "sign_off_reason"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=review_action,
        detail={
            "signed_off": True,
            "without_complete_evidence": [entry.review_organisation.agency_id for entry in short],
            "reason": reason,
        },
    )
    return review_action


@transaction.atomic
def single_agency_plan_add(
    *,
    acting_user,
    review_organisation,
    title: str,
    received_on: datetime.date,
    summary: str = "",
    submission_key: uuid.UUID | None = None,
) -> SingleAgencyPlan:
    """Link an organisation's single-agency action plan to the composite plan."""
    require(acting_user, "sar.manage_reviews")
    added_before = _made_by(SingleAgencyPlan, acting_user, "added_by").filter(review_organisation=review_organisation)
    earlier = first_submission(added_before, submission_key)
    if earlier is not None:
        return earlier
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter the plan's title"
    if received_on is None:
        errors["received_on"] = "Enter the date the plan was received"
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date the plan was received must be today or in the past"
    _raise_if(errors)
    plan, made = _save_new(
        SingleAgencyPlan(
            review_organisation=review_organisation,
            title=title.strip(),
            summary=(summary or "").strip(),
            received_on=received_on,
            added_by=acting_user,
            submission_key=submission_key,
        ),
        added_before,
    )
    if made:
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=plan,
            detail={"review": review_organisation.review_id, "agency": review_organisation.agency_id},
        )
    return plan
