"""An answer cannot be traced back to the person who gave it.

A response holds the survey, the agency, the role and the day: no user, no
invitation, no time of day, and a random key, so neither its fields nor the
order of the rows match it to an invitation.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from marm.surveys.models import Answer, Invitation, Response
from tests.surveys.conftest import scores_for

pytestmark = pytest.mark.django_db

# The models a response or an answer may point to, and why none leads to the person who answered.
ALLOWED_TARGETS = {
    "surveys.Survey": "the survey asked: the same for everyone",
    "organisations.Agency": "the respondent's agency: shown only in groups of 5 or more",
    "surveys.Response": "an answer's own response",
    "surveys.Answer": "a response's own answers",
    "surveys.Question": "the question answered",
}


@pytest.mark.parametrize("model", [Response, Answer])
def test_no_field_of_a_response_or_an_answer_leads_to_the_user(model):
    user_model = get_user_model()
    for field in model._meta.get_fields():
        if field.is_relation:
            target = field.related_model
            assert target is not user_model, f"{model.__name__}.{field.name} names a user"
            assert target is not Invitation, f"{model.__name__}.{field.name} names an invitation"
            assert target._meta.label in ALLOWED_TARGETS, f"{model.__name__}.{field.name} -> {target._meta.label}"
        # A time of day would match a response to the time its invitation was marked answered.
        assert not isinstance(field, models.DateTimeField | models.TimeField), f"{model.__name__}.{field.name}"
    # A counting key would match the order of responses to the order of invitations answered.
    assert isinstance(model._meta.pk, models.UUIDField)


def test_nothing_points_from_an_invitation_or_a_user_to_a_response():
    for model in (Invitation, get_user_model()):
        for field in model._meta.get_fields():
            if field.is_relation:
                assert field.related_model not in (Response, Answer), f"{model.__name__}.{field.name}"


def test_two_answers_on_the_same_day_cannot_be_told_apart_by_who_gave_them(
    make_survey, agency_a, practitioner_a, staff
):
    colleague = staff(agency_a, 1)[0]
    survey = make_survey(agencies=[agency_a])
    for user, score in ((practitioner_a, 5), (colleague, 1)):
        from marm.surveys.services import survey_respond

        survey_respond(acting_user=user, survey=survey, answers=scores_for(survey, score))
    stored = list(Response.objects.values())
    assert len(stored) == 2
    for row in stored:
        assert isinstance(row["id"], uuid.UUID)
        # Everything but the random key is the same for both: the survey, the agency, the role, the day.
        assert {key: value for key, value in row.items() if key != "id"} == {
            key: value for key, value in stored[0].items() if key != "id"
        }
    # The invitations say that both answered, and nothing about what.
    assert set(Invitation.objects.values_list("responded", flat=True)) == {True}
    assert {field.name for field in Invitation._meta.get_fields()} == {
        "id",
        "survey",
        "user",
        "responded",
        "responded_at",
    }
