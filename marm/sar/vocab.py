"""The words of a Safeguarding Adults Review's action plan."""

from django.db import models


class ReviewStatus(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    CONCLUDED = "concluded", "Concluded"


class RecommendationResponse(models.TextChoices):
    """The board's response to a recommendation. The annual report lists findings not acted on and why
    (Care Act 2014, Schedule 2, paragraph 4(1))."""

    ACCEPTED = "accepted", "Accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    PENDING = "pending", "Awaiting the board's response"


class Rag(models.TextChoices):
    """An organisation's progress on an action, in the words of the composite plan's RAG column."""

    NOT_REPORTED = "not_reported", "Not reported yet"
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    COMPLETE = "complete", "Complete"


# What an organisation may report; "not reported yet" is only where every entry starts.
REPORTED = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE)
# The order the counts are shown in: the most urgent first.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE, Rag.NOT_REPORTED)

TAG_CLASS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.COMPLETE: "govuk-tag--blue",
    Rag.NOT_REPORTED: "govuk-tag--grey",
}
