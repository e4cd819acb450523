"""The people app's panel on the "Your work" page (registered in PeopleConfig.ready)."""

from marm.core.panels import register_panel
from marm.people.selectors import emergency_accesses_to_review


def _emergency_reviews(*, user):
    """ADR 0026: a manager reviews each emergency access by their agency's users or to their agency's people."""
    if not user.has_perm("people.review_emergency_access"):
        return None
    accesses = emergency_accesses_to_review(user=user)
    return {"accesses": accesses} if accesses else None


def register() -> None:
    register_panel(
        page="home",
        name="emergency-access-reviews",
        template="people/_home_emergency_reviews.html",
        context=_emergency_reviews,
        region="main",
        order=10,
    )
