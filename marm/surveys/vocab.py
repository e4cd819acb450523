"""The surveys' lists: phase, status, the five-point confidence scale and the default questions.

003 SAB1: "measure current levels of confidence regarding safeguarding adults
across a variety of practitioners", then "re-measure confidence" once the new
approach is in place.
"""

from django.db import models


class SurveyPhase(models.TextChoices):
    BASELINE = "baseline", "Before the change"
    FOLLOW_UP = "follow_up", "After the change"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ConfidenceScore(models.IntegerChoices):
    """The answer scale. Integers so the mean is worked out by the database."""

    NOT_AT_ALL = 1, "Not at all confident"
    SLIGHTLY = 2, "Slightly confident"
    SOMEWHAT = 3, "Somewhat confident"
    FAIRLY = 4, "Fairly confident"
    VERY = 5, "Very confident"


# Scores that count as "confident" in the results.
CONFIDENT_SCORES = (ConfidenceScore.FAIRLY, ConfidenceScore.VERY)

# Groups smaller than this are not shown on their own, so no one can be identified.
MIN_GROUP_SIZE = 5

DEFAULT_QUESTIONS = (
    "How confident are you in recognising when an adult may need safeguarding?",
    "How confident are you in knowing what to do when the threshold for a safeguarding enquiry is not met?",
    "How confident are you in knowing your responsibilities in multi-agency risk management?",
    "How confident are you in contributing to a multi-agency risk assessment?",
    "How confident are you in making and recording a defensible decision?",
)


def unanswered_message(text: str) -> str:
    """The error for a question left unanswered: "Select how confident you are in ...", from its wording."""
    lead = "How confident are you "
    if text.startswith(lead):
        return "Select how confident you are " + text[len(lead) :].rstrip("?")
    return f"Select an answer to: {text}"
