"""An agency of the Safeguarding Adults Board's kind is never shared with, whoever its members are."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import CaseAgency
from marm.decisions.models import Decision
from marm.notifications.models import Notification
from marm.organisations.models import AgencyKind
from marm.people.models import AgencyInvolvement
from marm.sharing.models import QualityTest, SharingDecision
from marm.sharing.services import sharing_decide
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    # No members at all: the kind alone keeps it out.
    return AgencyFactory(
        name="Bournemouth and Poole Safeguarding Adult Board", kind=AgencyKind.SAFEGUARDING_ADULTS_BOARD
    )


def test_the_share_form_does_not_offer_the_board(practitioner_a_client, accepted_case, board, agency_c):
    page = practitioner_a_client.get(reverse("sharing:share", kwargs={"case_pk": accepted_case.pk})).content.decode()
    assert agency_c.name in page
    assert board.name not in page


def test_sharing_with_the_board_is_refused_and_writes_nothing(practitioner_a, accepted_case, board):
    before = {
        "decisions": Decision.objects.count(),
        "audit": AuditEvent.objects.filter(action=AuditAction.EXPORT).count(),
    }
    with pytest.raises(ValidationError) as refused:
        sharing_decide(
            acting_user=practitioner_a,
            case=accepted_case,
            agency=board,
            basis="risk_to_others",
            rationale="The board asked to see the case.",
            access="full",
            what_is_shared="The whole case",
            quality_tests=list(QualityTest.values),
        )
    assert refused.value.message_dict["agency"] == [
        "The Safeguarding Adults Board sees figures, never a person's case: choose a partner agency"
    ]
    assert not SharingDecision.objects.exists()
    assert not CaseAgency.objects.filter(agency=board).exists()
    assert not AgencyInvolvement.objects.filter(agency=board).exists()
    assert not Notification.objects.filter(kind="case_shared").exists()
    assert Decision.objects.count() == before["decisions"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before["audit"]


def test_a_post_of_the_share_form_naming_the_board_is_refused_on_the_form(practitioner_a_client, accepted_case, board):
    response = practitioner_a_client.post(
        reverse("sharing:share", kwargs={"case_pk": accepted_case.pk}),
        {
            "agency": board.pk,
            "basis": "risk_to_others",
            "access": "full",
            "what_is_shared": "The whole case",
            "rationale": "The board asked to see the case.",
            "quality_tests": list(QualityTest.values),
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not SharingDecision.objects.exists()
