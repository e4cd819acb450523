"""Practitioner confidence surveys for the demo (003 SAB1): a closed survey before the new
approach, with about 40 answers, and an open one after it with about 25 so far.

The answers are written through the services, by synthetic practitioners and
managers (Faker en_GB, fixed seed; e-mail addresses at .example.org, no
password, so nobody signs in as them). The demo's own personas are asked but
never answer, so a practitioner who signs in finds the open survey under
"Surveys for you". Running it again changes nothing.
"""

import datetime
import random
import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from marm.organisations.models import Agency, Membership, Role, Team
from marm.surveys.models import Survey
from marm.surveys.services import survey_close, survey_create, survey_open, survey_respond
from marm.surveys.vocab import SurveyPhase

BASELINE_TITLE = "Practitioner confidence before the new approach"
FOLLOW_UP_TITLE = "Practitioner confidence after the new approach"

# 003 SAB1: "Measure current levels of confidence regarding safeguarding adults across a variety of
# practitioners", then "Re-measure confidence" once the guidance is in place.
BASELINE_PURPOSE = (
    "The Safeguarding Adults Board wants to measure current levels of confidence regarding safeguarding "
    "adults across a variety of practitioners, before the new approach to multi-agency meetings for adults "
    "at risk whose needs do not meet the threshold for a safeguarding enquiry. It takes about 3 minutes. "
    "Your answers are anonymous."
)
FOLLOW_UP_PURPOSE = (
    "The new approach to multi-agency meetings for adults at risk is now in place. The Safeguarding Adults "
    "Board is re-measuring confidence to see what has changed. It takes about 3 minutes. "
    "Your answers are anonymous."
)

# Synthetic staff per demo agency: (agency key, practitioners, managers).
STAFF = [
    ("asc", 9, 3),
    ("trust", 7, 2),
    ("police", 7, 2),
    ("housing", 6, 0),
    ("voluntary", 5, 0),
    ("gp1", 3, 0),
    ("gp2", 2, 0),
    ("fire", 3, 0),
    ("care", 3, 0),
]
SURVEYED = [key for key, _, _ in STAFF]
# How many users the surveys add to the demo's personas.
SYNTHETIC_STAFF = sum(practitioners + managers for _, practitioners, managers in STAFF)
BASELINE_ANSWERS = 40
FOLLOW_UP_ANSWERS = 25
# The mean confidence on each default question, before the change; after it, each rises.
BASELINE_MEANS = [3.3, 2.2, 2.6, 2.8, 2.5]
FOLLOW_UP_RISE = [0.3, 1.2, 0.9, 0.8, 0.6]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _staff(agencies: dict) -> list[tuple]:
    """The synthetic staff, made once: practitioners and managers of the surveyed agencies."""
    User = get_user_model()
    fake = Faker("en_GB")
    fake.seed_instance(3003)
    made = []
    for key, practitioners, managers in STAFF:
        agency = agencies[key]
        team = Team.objects.filter(agency=agency).order_by("pk").first()
        for index in range(practitioners + managers):
            role = Role.MANAGER if index >= practitioners else Role.PRACTITIONER
            first, last = fake.first_name(), fake.last_name()
            email = f"{_slug(first)}.{_slug(last)}.{index + 1}@{key}.example.org"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    None,  # no password: nobody signs in as them
                    full_name=f"{first} {last}",
                    agency=agency,
                    job_title="Team manager" if role == Role.MANAGER else "Practitioner",
                )
            Membership.objects.get_or_create(user=user, team=team, role=role)
            made.append((user, role))
    return made


def _answers(survey, rng: random.Random, means: list[float]) -> dict[int, int]:
    questions = list(survey.questions.order_by("order", "pk"))
    return {
        question.pk: max(1, min(5, round(rng.gauss(means[index % len(means)], 0.9))))
        for index, question in enumerate(questions)
    }


@transaction.atomic
def seed_surveys(board) -> dict:
    """The two surveys, answered through the services by the board officer's synthetic respondents."""
    if Survey.objects.filter(title=BASELINE_TITLE).exists():
        return {"surveys_created": 0}
    from marm.demo.seed import AGENCIES  # the demo's agencies, by key

    names = {key: name for key, name, *_ in AGENCIES}
    agencies = {agency_key: Agency.objects.get(name=names[agency_key]) for agency_key in SURVEYED}
    staff = _staff(agencies)
    rng = random.Random(3003)
    managers = [user for user, role in staff if role == Role.MANAGER]
    practitioners = [user for user, role in staff if role == Role.PRACTITIONER]

    def answering(how_many: int, of_them_managers: int) -> list:
        """Who answers: enough managers for the results by role to show them, the rest practitioners."""
        rng.shuffle(managers)
        rng.shuffle(practitioners)
        return managers[:of_them_managers] + practitioners[: how_many - of_them_managers]

    today = timezone.localdate()
    asked = {"agencies": list(agencies.values()), "roles": [Role.PRACTITIONER, Role.MANAGER]}

    baseline = survey_create(
        acting_user=board,
        title=BASELINE_TITLE,
        purpose=BASELINE_PURPOSE,
        opens_on=today - datetime.timedelta(weeks=6),
        closes_on=today,
        phase=SurveyPhase.BASELINE,
        **asked,
    )
    survey_open(acting_user=board, survey=baseline)
    for user in answering(BASELINE_ANSWERS, 6):
        survey_respond(acting_user=user, survey=baseline, answers=_answers(baseline, rng, BASELINE_MEANS))
    survey_close(acting_user=board, survey=baseline)

    follow_up = survey_create(
        acting_user=board,
        title=FOLLOW_UP_TITLE,
        purpose=FOLLOW_UP_PURPOSE,
        opens_on=today,
        closes_on=today + datetime.timedelta(weeks=4),
        phase=SurveyPhase.FOLLOW_UP,
        baseline=baseline,
        **asked,
    )
    survey_open(acting_user=board, survey=follow_up)
    after = [mean + rise for mean, rise in zip(BASELINE_MEANS, FOLLOW_UP_RISE, strict=True)]
    for user in answering(FOLLOW_UP_ANSWERS, 5):
        survey_respond(acting_user=user, survey=follow_up, answers=_answers(follow_up, rng, after))
    # Closed early, so its results show: an open survey's results would change answer by answer.
    survey_close(acting_user=board, survey=follow_up)
    return {"surveys_created": 2}
