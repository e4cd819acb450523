"""The adult's copies: recorded, audited as a disclosure, and readable PDFs."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from marm.audit.models import AuditAction, AuditEvent
from marm.risk import vocab
from marm.risk.models import AdultCopy
from marm.risk.services import adult_copy_give, adult_copy_render

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def _give(user, version, format_):
    return adult_copy_give(
        acting_user=user, version=version, format=format_, given_on=timezone.localdate(), given_how="in_person"
    )


def test_giving_a_copy_is_recorded_and_audited_as_an_export_to_the_adult(agreed, practitioner_a):
    copy = _give(practitioner_a, agreed, "standard")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="risk.adultcopy", object_id=str(copy.pk))
    assert event.detail["to"] == "the adult"
    assert event.person_id == str(agreed.assessment.case.person_id)


def test_only_an_agreed_version_can_be_given(draft, practitioner_a):
    with pytest.raises(ValidationError):
        _give(practitioner_a, draft, "standard")
    assert not AdultCopy.objects.exists()


def test_the_printable_copy_names_the_adult_every_aspect_and_the_plan(agreed, practitioner_a):
    pdf = adult_copy_render(acting_user=practitioner_a, copy=_give(practitioner_a, agreed, "standard"))
    text, _ = _text(pdf)
    assert "Margaret Thornbury" in text
    for aspect in vocab.RiskAspect:
        assert aspect.label in text, aspect.label
    assert "Sam from the council will visit every Tuesday" in text
    assert re.search(r"Overall level of risk: ?High", text)
    assert f"From: {practitioner_a.agency.name}." in " ".join(text.split())  # who contributed to each aspect


def test_the_easy_read_copy_has_one_topic_per_page_in_plain_words(agreed, practitioner_a):
    pdf = adult_copy_render(acting_user=practitioner_a, copy=_give(practitioner_a, agreed, "easy_read"))
    text, pages = _text(pdf)
    assert "Your risk plan" in text and "Margaret Thornbury" in text
    for aspect in vocab.RiskAspect:
        assert vocab.EASY_READ_ASPECT[aspect] in text
        assert aspect.label in text
    assert "Sam from the council will visit every Tuesday" in text
    # A cover, the key, overall, what matters, 14 aspects, others, involvement, the plan, who will do what,
    # if things get worse, if you are not happy, your choices.
    assert pages == 25
    reader = PdfReader(io.BytesIO(pdf))
    plan_pages = [i for i, page in enumerate(reader.pages) if "What will happen next" in page.extract_text()]
    assert len(plan_pages) == 1


def test_downloading_a_copy_is_audited_each_time(client_for, agreed, practitioner_a):
    copy = _give(practitioner_a, agreed, "easy_read")
    url = reverse("risk:copy-pdf", kwargs={"case_pk": agreed.assessment.case.pk, "copy_id": copy.pk})
    response = client_for(practitioner_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "easy-read" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="risk.adultcopy", object_id=str(copy.pk))
    assert exports.count() == 2


def test_the_case_page_records_when_and_how_the_adult_was_given_a_copy(client_for, agreed, practitioner_a):
    _give(practitioner_a, agreed, "easy_read")
    page = client_for(practitioner_a).get(reverse("cases:detail", kwargs={"case_pk": agreed.assessment.case.pk}))
    content = page.content.decode()
    assert "easy-read copy of version 1, handed to them in person" in content
