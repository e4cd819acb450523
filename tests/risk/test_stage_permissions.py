"""Starting a risk assessment is one named permission whose rule includes the case's status
(marm/risk/rules.py): the assessment page and the service ask it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case
from marm.risk.models import RiskAssessmentVersion
from marm.risk.services import risk_assessment_start

pytestmark = pytest.mark.django_db

S = CaseStatus
ASSESSABLE = {S.ACCEPTED, S.PLANNING, S.REVIEW, S.ESCALATED}


@pytest.mark.parametrize("status", list(S))
def test_an_assessment_starts_only_once_the_case_is_in_marm(status, concern, practitioner_a, police_b, auditor_a):
    concern.status = status
    assert practitioner_a.has_perm("risk.start_assessment", concern) is (status in ASSESSABLE)
    assert police_b.has_perm("risk.start_assessment", concern) is (status in ASSESSABLE)
    assert not auditor_a.has_perm("risk.start_assessment", concern)


def test_starting_on_a_concern_is_refused_saying_why(concern, practitioner_a, auditor_a):
    with pytest.raises(ValidationError) as refused:
        risk_assessment_start(acting_user=practitioner_a, case=concern)
    assert "A risk assessment starts once the case is accepted into MARM" in str(refused.value)
    with pytest.raises(PermissionDenied):
        risk_assessment_start(acting_user=auditor_a, case=concern)
    assert not RiskAssessmentVersion.objects.exists()


@pytest.mark.parametrize(("status", "shown"), [(S.ACCEPTED, True), (S.REVIEW, True), (S.CLOSED, False)])
def test_the_start_button_shows_only_while_an_assessment_can_start(status, shown, shared_case, practitioner_a_client):
    Case.objects.filter(pk=shared_case.pk).update(status=status)
    page = practitioner_a_client.get(reverse("risk:assessment", kwargs={"case_pk": shared_case.pk})).content.decode()
    assert ("Start the risk assessment" in page) is shown


def test_a_closed_case_s_start_form_says_why_on_submit(shared_case, practitioner_a_client):
    Case.objects.filter(pk=shared_case.pk).update(status=S.CLOSED)
    url = reverse("risk:start", kwargs={"case_pk": shared_case.pk})
    assert practitioner_a_client.get(url).status_code == 200
    page = practitioner_a_client.post(url, {}).content.decode()
    assert "A risk assessment starts once the case is accepted into MARM" in page
    assert not RiskAssessmentVersion.objects.exists()
