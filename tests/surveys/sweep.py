"""The surveys URLs in the URL sweep (tests/sweep.py): pages that hold no person."""

from tests.sweep import GENERAL, OWN_RECORD

NAMESPACES = ("surveys",)

URLS = {
    "surveys:list": GENERAL,
    "surveys:new": GENERAL,
    "surveys:for-you": GENERAL,
    "surveys:detail": GENERAL,
    "surveys:edit": GENERAL,
    "surveys:question-add": GENERAL,
    "surveys:question-edit": GENERAL,
    "surveys:question-remove": GENERAL,
    "surveys:open": GENERAL,
    "surveys:close": GENERAL,
    "surveys:results": GENERAL,
    # The answer form of a survey practitioner_a was invited to: anyone else gets 404.
    "surveys:answer": OWN_RECORD,
}


def objects(shared):
    """An open survey of practitioner_a's agency, practitioner_a invited, run by a board officer of their own."""
    from django.utils import timezone

    from marm.organisations.models import Role
    from marm.surveys.services import survey_create, survey_open
    from tests.factories import UserFactory

    agency = shared["practitioner_a"].agency
    officer = UserFactory(email="surveys-sweep@board.example.org", agency=agency, roles=[Role.BOARD_OFFICER])
    today = timezone.localdate()
    survey = survey_create(
        acting_user=officer,
        title="Practitioner confidence",
        purpose="How confident you feel.",
        agencies=[agency],
        roles=[Role.PRACTITIONER],
        opens_on=today,
        closes_on=today,
    )
    survey_open(acting_user=officer, survey=survey)
    question = survey.questions.order_by("order").first()
    return {"survey_id": survey.pk, "question_id": question.pk}
