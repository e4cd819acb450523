"""The adult's copies say what happens next: the plan's actions, the contingency plan, how to complain;
and they are tagged PDFs a screen reader can follow."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from marm.plans.services import action_create, action_progress, contingency_plan_agree
from marm.risk.services import adult_copy_give, adult_copy_render
from tests.risk.helpers import inflated

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def _render(user, version, format_):
    copy = adult_copy_give(
        acting_user=user, version=version, format=format_, given_on=timezone.localdate(), given_how="in_person"
    )
    return adult_copy_render(acting_user=user, copy=copy)


@pytest.fixture
def planned(agreed, practitioner_a):
    case = agreed.assessment.case
    lead_agency = case.lead_agency
    lead_agency.phone = "023 8083 1234"
    lead_agency.email = "adultcare@example.gov.uk"
    lead_agency.save()
    due = timezone.localdate() + datetime.timedelta(days=14)
    action_create(
        acting_user=practitioner_a,
        case=case,
        what="Arrange a deep clean of the kitchen",
        lead_user=practitioner_a,
        agency=practitioner_a.agency,
        due_date=due,
    )
    done = action_create(
        acting_user=practitioner_a,
        case=case,
        what="Book the hearing test",
        lead_name="Priya Shah",
        agency=practitioner_a.agency,
        due_date=due,
    )
    action_progress(acting_user=practitioner_a, action=done, expected_version=done.version, status="done", note="Done")
    contingency_plan_agree(
        acting_user=practitioner_a,
        case=case,
        summary="If the house becomes unsafe again",
        triggers=[
            {
                "kind": "fire_safety",
                "threshold": "",
                "what_to_do": "Fire service visit within a day",
                "who_to_contact": "Duty fire safety officer on 0800 000 111",
                "escalation_route": "reconvene",
            }
        ],
    )
    return agreed, due


def test_the_printable_copy_lists_the_actions_still_to_do_the_contingency_plan_and_how_to_complain(
    planned, practitioner_a
):
    version, due = planned
    text = _text(_render(practitioner_a, version, "standard"))
    assert "What happens next" in text
    assert "Arrange a deep clean of the kitchen" in text
    assert f"{practitioner_a.full_name}, {practitioner_a.agency.name}" in text
    assert due.strftime("%-d %B %Y") in text
    assert "Book the hearing test" not in text  # done: nothing left to happen
    assert "If things get worse" in text
    assert "Fire service visit within a day" in text
    assert "Duty fire safety officer on 0800 000 111" in text
    assert "If you disagree with a decision or want to complain" in text
    case = version.assessment.case
    assert case.lead_agency.name in text
    assert "023 8083 1234" in text and "adultcare@example.gov.uk" in text


def test_the_easy_read_copy_says_who_will_do_what_and_who_to_call_in_plain_words(planned, practitioner_a):
    version, due = planned
    text = _text(_render(practitioner_a, version, "easy_read"))
    assert "Who will do what" in text
    assert (
        f"{practitioner_a.full_name} from {practitioner_a.agency.name} will do this by {due.strftime('%-d %B %Y')}"
        in text
    )
    assert "If things get worse" in text and "Call: Duty fire safety officer on 0800 000 111" in text
    assert "If you are not happy" in text
    assert "023 8083 1234" in text and "adultcare@example.gov.uk" in text


def test_a_copy_with_no_plan_yet_says_so(agreed, practitioner_a):
    text = _text(_render(practitioner_a, agreed, "standard"))
    assert "There are no actions in your plan yet" in text
    assert "No contingency plan has been agreed yet" in text
    assert agreed.assessment.case.lead_agency.name in text


@pytest.mark.parametrize("format_", ["standard", "easy_read"])
def test_the_adults_copies_are_tagged_pdfs_with_a_language_and_title(agreed, practitioner_a, format_):
    pdf = inflated(_render(practitioner_a, agreed, format_))
    assert b"/StructTreeRoot" in pdf
    assert b"/Lang" in pdf
    assert b"/DisplayDocTitle true" in pdf
