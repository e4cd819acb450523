"""A review whose plan the police (agency B, contact police_b) and the GP practice (agency C, contact gp_c)
take part in, kept by board_officer."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from marm.sar import services


@pytest.fixture
def review(board_officer):
    return services.review_create(
        acting_user=board_officer,
        reference="SAR-101",
        title="Review of the care of A, B and C",
        adults="A, B and C",
        referred_on=datetime.date(2024, 3, 4),
        decided_on=datetime.date(2024, 4, 15),
        adult_died=True,
    )


@pytest.fixture
def plan(review, board_officer, agency_b, agency_c, police_b, gp_c):
    police = services.review_organisation_add(
        acting_user=board_officer, review=review, agency=agency_b, contact=police_b
    )
    gp = services.review_organisation_add(acting_user=board_officer, review=review, agency=agency_c, contact=gp_c)
    theme = services.theme_add(acting_user=board_officer, review=review, title="Information sharing")
    recommendation = services.recommendation_add(
        acting_user=board_officer,
        review=review,
        theme=theme,
        number=1,
        text="Partner agencies should review their information sharing protocols.",
    )
    services.recommendation_respond(acting_user=board_officer, recommendation=recommendation, response="accepted")
    action = services.review_action_add(
        acting_user=board_officer, recommendation=recommendation, text="Set up a task and finish group."
    )
    return SimpleNamespace(
        review=review,
        police=police,
        gp=gp,
        theme=theme,
        recommendation=recommendation,
        action=action,
        police_entry=action.progress.select_related("review_organisation").get(review_organisation=police),
        gp_entry=action.progress.select_related("review_organisation").get(review_organisation=gp),
    )


@pytest.fixture
def review_url():
    def url(name, review, **kwargs):
        return reverse(f"sar:{name}", kwargs={"review_id": review.pk, **kwargs})

    return url


def date_fields(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}
