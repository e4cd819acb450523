"""The Safeguarding Adults Review URLs in the URL sweep (tests/sweep.py): pages that hold no person."""

from tests.sweep import GENERAL

NAMESPACES = ("sar",)

# A review names the adults only as the review anonymises them: no page is about a person.
URLS = {
    "sar:list": GENERAL,
    "sar:review-new": GENERAL,
    "sar:review": GENERAL,
    "sar:review-edit": GENERAL,
    "sar:review-conclude": GENERAL,
    "sar:organisation-new": GENERAL,
    "sar:theme-new": GENERAL,
    "sar:recommendation-new": GENERAL,
    "sar:recommendation-respond": GENERAL,
    "sar:action-new": GENERAL,
    "sar:action-sign-off": GENERAL,
    "sar:progress": GENERAL,
    "sar:plan-new": GENERAL,
}


def objects(shared):
    """A review with one theme, recommendation and action, and the police (agency B) taking part."""
    import datetime

    from marm.organisations.models import Role
    from marm.sar import services
    from tests.factories import UserFactory

    officer = UserFactory(agency=shared["practitioner_a"].agency, roles=[Role.BOARD_OFFICER])
    review = services.review_create(
        acting_user=officer,
        reference="SWEEP1",
        title="Review for the sweep",
        adults="A",
        referred_on=datetime.date(2024, 1, 8),
        decided_on=datetime.date(2024, 2, 5),
        adult_died=False,
    )
    organisation = services.review_organisation_add(acting_user=officer, review=review, agency=shared["agency_b"])
    theme = services.theme_add(acting_user=officer, review=review, title="Information sharing")
    recommendation = services.recommendation_add(
        acting_user=officer, review=review, theme=theme, number=1, text="Review the protocols"
    )
    action = services.review_action_add(acting_user=officer, recommendation=recommendation, text="Set up a group")
    return {
        "review_id": review.pk,
        "recommendation_id": recommendation.pk,
        "action_id": action.pk,
        "progress_id": action.progress.get(review_organisation=organisation).pk,
    }
