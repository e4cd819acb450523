"""The demo's review plan: seed 004's BPSCR4 plan as written, its organisations and two nominated contacts."""

import re

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from marm.demo.sar_seed import REVIEW_CONTACTS, seed_review_plan
from marm.demo.seed import AGENCIES, DEMO_PASSWORD, PERSONAS
from marm.organisations.models import Agency, AgencyKind, Role
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

pytestmark = pytest.mark.django_db


def _entry(number, organisation) -> Progress:
    return Progress.objects.select_related("updated_by").get(
        review_action__recommendation__number=number, review_organisation__agency__name=organisation
    )


def test_the_plan_loads_as_written_and_a_second_run_changes_nothing(board_officer):
    review = seed_review_plan(board_officer)
    assert seed_review_plan(board_officer) == review
    assert (review.reference, review.adults) == ("BPSCR4", "X, Y and Z")
    assert Review.objects.count() == 1
    assert ReviewOrganisation.objects.count() == 6
    assert list(Theme.objects.values_list("title", flat=True)) == ["Care planning / risk assessment / risk management"]
    assert list(Recommendation.objects.values_list("number", "response")) == [
        (1, "accepted"),
        (2, "accepted"),
        (3, "accepted"),
    ]
    assert ReviewAction.objects.count() == 3
    assert Progress.objects.count() == 18  # one entry per organisation on each action
    assert Progress.objects.filter(rag=Rag.COMPLETE).count() == 6
    assert Progress.objects.filter(rag=Rag.NOT_REPORTED).count() == 12
    assert ProgressChange.objects.count() == 6
    assert SingleAgencyPlan.objects.count() == 5


def test_progress_is_split_to_the_organisation_the_plan_names(board_officer):
    seed_review_plan(board_officer)
    police_contact = next(contact for contact in REVIEW_CONTACTS if contact.agency == "Dorset Police")
    assert _entry(1, "Dorset Clinical Commissioning Group").text.startswith("2. Dorset CCG have liaised with the GP's")
    police = _entry(3, "Dorset Police")
    assert police.text.startswith("Dorset Police have confirmed they are unable to provide a blanket list")
    assert police.updated_by.email == police_contact.email
    assert "Poole uses form and protocol" in _entry(1, "Borough of Poole").text
    assert "In Bournemouth staff always link directly" in _entry(1, "Bournemouth Borough Council").text
    board = _entry(1, "Bournemouth and Poole Safeguarding Adult Board").text
    assert board.startswith("3. There is a Pan Dorset DAAT")
    assert "MARMM) is now in place following work by the Policy and Procedures sub group" in board
    assert _entry(2, "Bournemouth and Poole Safeguarding Adult Board").text.startswith(
        "Organisation responses are listed below:"
    )
    assert _entry(2, "Dorset HealthCare").rag == Rag.NOT_REPORTED


def test_the_organisations_are_agencies_of_the_right_kinds(board_officer):
    seed_review_plan(board_officer)
    kinds = dict(Agency.objects.values_list("name", "kind"))
    assert kinds["Bournemouth and Poole Safeguarding Adult Board"] == AgencyKind.SAFEGUARDING_ADULTS_BOARD
    assert kinds["Dorset Police"] == AgencyKind.POLICE
    assert kinds["Dorset HealthCare"] == AgencyKind.NHS_TRUST
    assert kinds["Dorset Clinical Commissioning Group"] == AgencyKind.INTEGRATED_CARE_BOARD
    demo_board = next(row for row in AGENCIES if row[0] == "sab")
    assert demo_board[2] == AgencyKind.SAFEGUARDING_ADULTS_BOARD


def test_the_two_contacts_sign_in_and_are_listed_with_the_demo_personas(board_officer):
    seed_review_plan(board_officer)
    request = RequestFactory().post("/sign-in/")
    assert {contact.agency for contact in REVIEW_CONTACTS} == {"Dorset Police", "Dorset HealthCare"}
    for contact in REVIEW_CONTACTS:
        assert contact in PERSONAS
        assert contact.email.endswith(".example.org")
        user = authenticate(request, username=contact.email, password=DEMO_PASSWORD)
        assert user is not None, contact.email
        assert user.agency.name == contact.agency
        assert set(user.memberships.values_list("role", flat=True)) == {Role.PRACTITIONER}
        assert ReviewOrganisation.objects.get(contact=user).agency == user.agency


def test_the_police_contact_finds_the_review_and_updates_only_the_polices_entries(client_for, board_officer):
    review = seed_review_plan(board_officer)
    police = ReviewOrganisation.objects.get(agency__name="Dorset Police")
    client = client_for(police.contact)
    assert "BPSCR4" in client.get(reverse("sar:list")).content.decode()
    page = client.get(reverse("sar:review", kwargs={"review_id": review.pk})).content.decode()
    links = set(re.findall(r'href="/board/reviews/\d+/progress/(\d+)/"', page))
    assert links == {str(pk) for pk in Progress.objects.filter(review_organisation=police).values_list("pk", flat=True)}
    assert len(links) == 3
