"""Reads of Safeguarding Adults Reviews. They hold no person, so nothing here is a guarded or audited
read: who may open a review is the named permissions' concern (marm/sar/rules.py)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.http import Http404

from marm.organisations.models import Agency
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


def rag_count_name(rag: str) -> str:
    return f"progress_{rag}"


def reviews_for(*, user) -> list[Review]:
    """The reviews the user may see, newest referral first, each with its progress entries counted by RAG
    (``progress_red``, ``progress_amber``, ...)."""
    path = "recommendations__actions__progress"
    counts = {rag_count_name(rag): Count(path, filter=Q(**{f"{path}__rag": rag}), distinct=True) for rag in Rag.values}
    return list(Review.objects.visible_to(user).annotate(**counts).order_by("-referred_on", "reference"))


def review_get(*, review_id) -> Review:
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review")
    return review


@dataclass
class ReviewPlan:
    """A review's composite plan as the review page shows it."""

    organisations: list[ReviewOrganisation]
    themes: list[Theme]


def _progress_queryset():
    return Progress.objects.select_related("review_organisation__agency", "updated_by").order_by(
        "review_organisation__agency__name", "pk"
    )


def review_plan(*, review) -> ReviewPlan:
    """The organisations (with their single-agency plans) and the themes, each with its recommendations,
    their actions and every organisation's progress on them: a fixed number of queries however large."""
    organisations = list(
        ReviewOrganisation.objects.filter(review=review)
        .select_related("agency", "contact")
        .prefetch_related(
            Prefetch(
                "single_agency_plans",
                queryset=SingleAgencyPlan.objects.order_by("received_on", "pk"),
                to_attr="plans_list",
            )
        )
        .order_by("agency__name")
    )
    actions = ReviewAction.objects.select_related("signed_off_by").prefetch_related(
        Prefetch("progress", queryset=_progress_queryset(), to_attr="progress_list")
    )
    recommendations = Recommendation.objects.order_by("number").prefetch_related(
        Prefetch("actions", queryset=actions.order_by("pk"), to_attr="actions_list")
    )
    themes = list(
        Theme.objects.filter(review=review)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("recommendations", queryset=recommendations, to_attr="recommendations_list"))
    )
    return ReviewPlan(organisations=organisations, themes=themes)


def themes_of_review(*, review):
    """The review's themes, in order, to choose from."""
    return Theme.objects.filter(review=review).order_by("order", "pk")


def organisations_of_review(*, review):
    """The organisations taking part in the review, by name, to choose from."""
    return ReviewOrganisation.objects.filter(review=review).select_related("agency").order_by("agency__name")


def recommendation_of_review(*, review, recommendation_id) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(review=review, pk=recommendation_id).select_related("theme", "review").first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def action_of_review(*, review, action_id) -> ReviewAction:
    """An action of the review, with every organisation's progress on it (``progress_list``)."""
    action = (
        ReviewAction.objects.filter(recommendation__review=review, pk=action_id)
        .select_related("recommendation__theme", "signed_off_by")
        .prefetch_related(Prefetch("progress", queryset=_progress_queryset(), to_attr="progress_list"))
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def progress_of_review(*, review, progress_id) -> Progress:
    """One progress entry of the review, with its trail (``changes_list``), oldest first."""
    progress = (
        Progress.objects.filter(review_action__recommendation__review=review, pk=progress_id)
        .select_related(
            "review_action__recommendation__theme",
            "review_organisation__agency",
            "review_organisation__contact",
            "updated_by",
        )
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=ProgressChange.objects.select_related("changed_by").order_by("changed_at", "pk"),
                to_attr="changes_list",
            )
        )
        .first()
    )
    if progress is None:
        raise Http404("No such progress entry")
    return progress


def agencies_to_add(*, review):
    """Agencies not yet taking part in the review, by name."""
    taking_part = ReviewOrganisation.objects.filter(review=review).values("agency_id")
    return Agency.objects.exclude(pk__in=taking_part).order_by("name")


def possible_contacts():
    """Active users, with their agency, to name as an organisation's contact (the service checks the agency)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("agency__name", "full_name")
    )


def reviews_reported_on(*, user) -> list[Review]:
    """The reviews where the user is their organisation's nominated contact, newest referral first."""
    return list(Review.objects.filter(organisations__contact=user).distinct().order_by("-referred_on", "reference"))
