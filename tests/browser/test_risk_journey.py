"""The risk assessment in a real browser: two agencies contribute to a draft, the lead
professional agrees it, capacity is recorded for one decision (decisional yes, executive
no) and a best-interests decision for another, and both of the adult's copies are
downloaded. Each page is checked with axe and kept as a screenshot."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.cases.services import lead_professional_allocate
from marm.organisations.models import AgencyKind, Role
from marm.risk.models import AspectAssessment, RiskAssessmentVersion
from marm.risk.services import aspect_update
from tests.browser.test_case_journeys import expect_banner, group, legislation_list, open_signed_in, sign_in
from tests.browser.test_more_case_pages import accepted_case_shared_in_full
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def fill_date(page: Page, legend: str, day) -> None:
    dates = group(page, legend)
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))


def rate_the_rest(version, user) -> None:
    """The aspects nobody has written yet, as a third agency's worth of work done elsewhere."""
    for row in AspectAssessment.objects.filter(assessment_version=version, likelihood__isnull=True):
        aspect_update(
            acting_user=user,
            aspect=row,
            expected_version=row.version,
            what_is_known=f"Nothing of concern known about {row.get_aspect_display().lower()}.",
            likelihood=1,
            impact=2,
        )


def functional_test(page: Page, answers: list[str]) -> None:
    questions = [
        ("Can they understand the information relevant to the decision?", "Evidence: understanding"),
        ("Can they retain that information long enough to make the decision?", "Evidence: retaining"),
        ("Can they use or weigh that information as part of deciding?", "Evidence: using or weighing"),
        ("Can they communicate their decision, by any means?", "Evidence: communicating"),
    ]
    for (question, evidence), answer in zip(questions, answers, strict=True):
        group(page, question).get_by_label(answer, exact=True).check()
        page.get_by_label(evidence).fill(f"{answer}: seen at the visit and confirmed with her niece.")


def test_two_agencies_assess_risk_the_lead_agrees_capacity_is_recorded_and_the_adult_gets_copies(
    page: Page, live_server, check_page
):
    base = live_server.url
    legislation_list()
    council = AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    police = AgencyFactory(name="Shire Police", kind=AgencyKind.POLICE)
    lead = UserFactory(email="lead@council.example.org", full_name="Ruth Ellison", agency=council)
    manager = UserFactory(
        email="manager@council.example.org", full_name="Amir Haddad", agency=council, roles=[Role.MANAGER]
    )
    officer = UserFactory(email="officer@police.example.org", full_name="Tom Reeve", agency=police)
    person = PersonFactory(created_by=lead, given_name="Edith", family_name="Crowther")
    case = accepted_case_shared_in_full(practitioner=lead, manager=manager, person=person, agency=police)
    lead_professional_allocate(acting_user=manager, case=case, user=lead, rationale="Ruth knows Edith well.")
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"

    # The lead professional starts the risk assessment from the case page.
    open_signed_in(page, case_url, lead.email)
    expect(page.get_by_text("Presumed to have capacity: no assessment recorded.")).to_be_visible()
    check_page(page, "r01-case-before")
    page.get_by_role("link", name="The risk assessment").click()
    check_page(page, "r02-no-assessment")
    page.get_by_role("link", name="Start the risk assessment").click()
    check_page(page, "r03-start")
    page.get_by_role("button", name="Start the draft").click()
    expect_banner(page, "Version 1 started as a draft")
    page.get_by_role("link", name="Observation of the home situation and environmental factors").click()
    check_page(page, "r04-aspect")
    page.get_by_label("What is known").fill("Boxes fill the hallway; the back door is blocked.")
    group(page, "How likely is harm?").get_by_label(re.compile(r"^Likely")).check()
    group(page, "How bad would it be?").get_by_label(re.compile(r"^Grave")).check()
    page.get_by_label("The adult's own view").fill("I know where everything is.")
    page.get_by_role("button", name="Save this aspect").click()
    expect_banner(page, "saved for Shire Adult Social Care")
    sign_out(page)

    # The police add what they know to the same draft.
    sign_in(page, officer.email)
    page.goto(f"{base}{reverse('risk:assessment', kwargs={'case_pk': case.pk})}")
    page.get_by_role("link", name="Public safety and risks to others").click()
    page.get_by_label("What is known").fill("Two call-outs for smoke from the flat this year.")
    group(page, "How likely is harm?").get_by_label(re.compile(r"^Possible")).check()
    group(page, "How bad would it be?").get_by_label(re.compile(r"^Serious")).check()
    page.get_by_role("button", name="Save this aspect").click()
    expect_banner(page, "saved for Shire Police")
    row = page.locator("#aspect-public_safety")
    expect(row).to_contain_text("Medium")
    expect(row).to_contain_text("Shire Police")
    check_page(page, "r05-draft-two-agencies")
    sign_out(page)

    # The rest is filled in; the lead writes the overview and plan, and agrees it.
    version = RiskAssessmentVersion.objects.get(assessment__case=case)
    rate_the_rest(version, lead)
    sign_in(page, lead.email)
    page.goto(f"{base}{reverse('risk:edit-overview', kwargs={'case_pk': case.pk})}")
    page.get_by_label("What matters to the adult").fill("Her garden, her cat and staying in her own home.")
    page.get_by_label("The adult's strengths").fill("Talks to her neighbour every day.")
    group(page, "Overall level of risk").get_by_label("High", exact=True).check()
    page.get_by_label("Summary of the plan").fill(
        "Ruth will visit every week. The fire service will fit smoke alarms. The police will check at night."
    )
    check_page(page, "r06-overview")
    page.get_by_role("button", name="Save the overview").click()
    page.get_by_role("link", name="Agree version 1").click()
    check_page(page, "r07-agree")
    group(page, "How was it agreed?").get_by_label("At a multi-agency meeting").check()
    fill_date(page, "Date agreed", timezone.localdate())
    page.get_by_label("Who agreed it, and where").fill("Planning meeting: council, police and fire attended.")
    page.get_by_role("button", name="Agree and lock this version").click()
    expect_banner(page, "Version 1 agreed and locked")
    expect(page.get_by_text("Agreed and locked", exact=True)).to_be_visible()
    check_page(page, "r08-agreed")
    page.get_by_role("link", name="Back to the risk assessment").click()
    expect(page.get_by_role("heading", name="Risk trajectory")).to_be_visible()
    check_page(page, "r09-trajectory")

    # Capacity for one decision: she can decide, but cannot carry it out.
    page.goto(f"{base}{reverse('risk:capacity-add', kwargs={'case_pk': case.pk})}")
    check_page(page, "r10-capacity-form")
    page.get_by_label("The decision", exact=True).fill("Whether to accept help to clear the hallway")
    fill_date(page, "Date of the assessment", timezone.localdate())
    page.get_by_label("Practicable steps taken to help the adult decide").fill("Morning visit, her niece there.")
    functional_test(page, ["Yes", "Yes", "Yes", "Yes"])
    group(page, "Decisional capacity").get_by_label("Has capacity").check()
    group(page, "Executive capacity").get_by_label("Cannot carry the decision out").check()
    page.get_by_label("Evidence about carrying the decision out").fill("Agreed three times; has not started.")
    group(page, "Outcome for this decision").get_by_label("Has capacity").check()
    page.get_by_label("Reasons for the outcome").fill("Understands and decides; needs help to act on it.")
    fill_date(page, "Look at capacity again by", timezone.localdate().replace(year=timezone.localdate().year + 1))
    page.get_by_role("button", name="Record the assessment").click()
    expect_banner(page, "Capacity assessment recorded")
    expect(page.get_by_text("Cannot carry the decision out")).to_be_visible()
    check_page(page, "r11-capacity-decisional-yes-executive-no")

    # Another decision, which she lacks capacity for, and a best-interests decision on it.
    page.goto(f"{base}{reverse('risk:capacity-add', kwargs={'case_pk': case.pk})}")
    page.get_by_label("The decision", exact=True).fill("Whether to have a four-week respite stay")
    fill_date(page, "Date of the assessment", timezone.localdate())
    page.get_by_label("Practicable steps taken to help the adult decide").fill("Photographs of the home; two visits.")
    group(page, "Is there an impairment of, or disturbance in, the functioning of the mind or brain?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("What is the impairment or disturbance?").fill("Vascular dementia, diagnosed 2024.")
    functional_test(page, ["No", "No", "No", "Yes"])
    group(page, "Decisional capacity").get_by_label("Lacks capacity").check()
    group(page, "Executive capacity").get_by_label("Not assessed").check()
    group(page, "Outcome for this decision").get_by_label("Lacks capacity").check()
    page.get_by_label("Reasons for the outcome").fill("Cannot understand, retain or weigh what a stay involves.")
    fill_date(page, "Look at capacity again by", timezone.localdate().replace(year=timezone.localdate().year + 1))
    page.get_by_role("button", name="Record the assessment").click()
    page.get_by_role("link", name="Record a best-interests decision").click()
    check_page(page, "r12-best-interests-form")
    page.get_by_label("Could they regain capacity for this decision?").fill("Not expected to: dementia.")
    group(page, "Can the decision wait until then?").get_by_label("No", exact=True).check()
    page.get_by_label("Their wishes, feelings, values and beliefs").fill("Wants to be near her garden.")
    page.get_by_label("Views of family, carers and others interested in their welfare").fill("Niece supports it.")
    group(page, "Is there an attorney?").get_by_label("No attorney known").check()
    group(page, "Is there a deputy appointed by the Court of Protection?").get_by_label("No", exact=True).check()
    page.get_by_label(re.compile(r"^The decision is not based merely")).check()
    page.get_by_label(re.compile(r"^No one is motivated")).check()
    group(page, "Advocate or IMCA").get_by_label(re.compile(r"^An Independent Mental Capacity Advocate")).check()
    page.get_by_label("The advocate: who, and what they said").fill("Priya Shah (IMCA): she settles with company.")
    page.get_by_label("Less restrictive options considered").fill("More homecare visits; a sitter at night.")
    page.get_by_label("The decision", exact=True).fill("A four-week respite stay at Seaview House.")
    page.get_by_label("Rationale").fill("Least restrictive way to clear the fire risk while she is safe.")
    page.get_by_role("button", name="Record the decision").click()
    expect_banner(page, "Best-interests decision recorded in the decision log")
    check_page(page, "r13-best-interests-recorded")
    page.get_by_role("link", name="Back to mental capacity").click()
    check_page(page, "r14-capacity-list")

    # The adult is given both copies; each is downloaded as a PDF.
    page.goto(f"{base}{reverse('risk:copies', kwargs={'case_pk': case.pk})}")
    check_page(page, "r15-copies")
    for label, name in [("Printable copy", "risk-assessment"), ("Easy-read copy", "easy-read")]:
        group(page, "Which copy?").get_by_label(label).check()
        fill_date(page, "Date given to the adult", timezone.localdate())
        group(page, "How was it given?").get_by_label("Handed to them in person").check()
        page.get_by_role("button", name="Record and make the copy").click()
        expect_banner(page, "Recorded")
        with page.expect_download() as download_info:
            page.get_by_role("link", name=re.compile(rf"Download PDF.*{label}", re.IGNORECASE)).click()
        download = download_info.value
        assert name in download.suggested_filename
        with open(download.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
    check_page(page, "r16-copies-given")
    page.goto(case_url)
    expect(page.get_by_text(re.compile(r"Last given .*: (easy-read|printable) copy of version 1"))).to_be_visible()
    check_page(page, "r17-case-after")
