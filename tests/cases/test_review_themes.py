"""A case is tagged with the review themes it shows, so the board can cut its measures by theme."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import CaseTheme
from marm.cases.services import case_themes_set
from tests.meetings.conftest import share

pytestmark = pytest.mark.django_db


def test_the_lead_agency_tags_themes_from_the_case_page(practitioner_a_client, accepted_case):
    url = reverse("cases:themes", kwargs={"case_pk": accepted_case.pk})
    assert "Self-neglect" in practitioner_a_client.get(url).content.decode()
    response = practitioner_a_client.post(url, {"themes": ["self_neglect", "hoarding"]})
    assert response.status_code == 302
    page = practitioner_a_client.get(reverse("cases:detail", kwargs={"case_pk": accepted_case.pk})).content.decode()
    assert "Self-neglect" in page and "Hoarding" in page
    assert sorted(CaseTheme.objects.values_list("theme", flat=True)) == ["hoarding", "self_neglect"]


def test_a_theme_taken_off_is_removed_and_the_change_is_audited_once(practitioner_a, accepted_case):
    case_themes_set(acting_user=practitioner_a, case=accepted_case, themes=["self_neglect", "hoarding"])
    case_themes_set(acting_user=practitioner_a, case=accepted_case, themes=["hoarding", "exploitation"])
    assert sorted(CaseTheme.objects.values_list("theme", flat=True)) == ["exploitation", "hoarding"]
    rows = AuditEvent.objects.filter(action=AuditAction.UPDATE, detail__has_key="themes").order_by("pk")
    assert [row.detail["themes"] for row in rows] == [
        [[], ["hoarding", "self_neglect"]],
        [["hoarding", "self_neglect"], ["exploitation", "hoarding"]],
    ]


def test_an_unknown_theme_is_refused_and_nothing_is_tagged(practitioner_a, accepted_case):
    with pytest.raises(ValidationError):
        case_themes_set(acting_user=practitioner_a, case=accepted_case, themes=["self_neglect", "astrology"])
    assert not CaseTheme.objects.exists()


def test_a_partner_agency_reads_the_themes_but_does_not_tag_them(
    practitioner_a, police_b, police_b_client, accepted_case
):
    share(by=practitioner_a, case=accepted_case, agency=police_b.agency)
    response = police_b_client.post(
        reverse("cases:themes", kwargs={"case_pk": accepted_case.pk}), {"themes": ["self_neglect"]}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        case_themes_set(acting_user=police_b, case=accepted_case, themes=["self_neglect"])
    assert not CaseTheme.objects.exists()
