"""Non-engagement, the closure guard and escalation in a real browser (002; 000 5.4, 6.2),
each page checked with axe and kept as a screenshot."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.cases.services import case_raise, case_screen, lead_professional_allocate
from marm.organisations.models import AgencyKind, Role
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.browser.test_case_journeys import (
    expect_banner,
    expect_status,
    group,
    legislation_list,
    open_signed_in,
    sign_in,
    sign_out,
)
from tests.factories import AgencyFactory, PersonFactory, UserFactory
from tests.risk import helpers

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db):
    legislation_list()
    council = AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    police = AgencyFactory(name="Shire Police", kind=AgencyKind.POLICE)
    worker = UserFactory(
        email="worker@council.example.org", full_name="Priya Natt", agency=council, roles=[Role.PRACTITIONER]
    )
    manager = UserFactory(
        email="manager@council.example.org", full_name="Tom Ellery", agency=council, roles=[Role.MANAGER]
    )
    officer = UserFactory(
        email="officer@police.example.org", full_name="Kay Rudd", agency=police, roles=[Role.PRACTITIONER]
    )
    person = PersonFactory(created_by=worker, given_name="Edith", family_name="Marlow")
    case = case_raise(
        acting_user=worker,
        person=person,
        what_is_happening="Hoarding blocks the stairs; she refuses the homecare visits.",
        risk_categories=["b"],
        current_care_and_support="Homecare twice a day, often refused.",
    )
    case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Self-neglect with capacity assumed; MARM fits.",
    )
    lead_professional_allocate(acting_user=manager, case=case, user=worker, rationale="Knows her")
    sharing_decide(
        acting_user=worker,
        case=case,
        agency=police,
        basis="risk_to_others",
        rationale="Fire risk to neighbours",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="increases_risk",
    )
    return {"case": case, "worker": worker, "manager": manager, "officer": officer}


def fill_date(page: Page, legend: str, day) -> None:
    when = group(page, legend)
    when.get_by_label("Day").fill(str(day.day))
    when.get_by_label("Month").fill(str(day.month))
    when.get_by_label("Year").fill(str(day.year))


def summary_items(page: Page):
    return page.locator(".govuk-error-summary__list li")


def test_missed_appointments_a_refused_closure_then_checks_and_sign_off(page: Page, live_server, check_page, world):
    base = live_server.url
    case = world["case"]
    today = timezone.localdate()
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"

    # The practitioner logs three missed appointments.
    open_signed_in(page, case_url, world["worker"].email)
    page.get_by_role("link", name="Engagement log and reflections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement")
    check_page(page, "c0-engagement-empty")
    for attempt in range(3):
        page.get_by_role("link", name="Log an engagement attempt").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Log an engagement attempt")
        if attempt == 0:
            page.get_by_role("button", name="Log the attempt").click()
            expect(summary_items(page).first).to_be_visible()
            check_page(page, "c1-log-attempt-errors")
        group(page, "How did you try to engage?").get_by_label("Appointment offered").check()
        fill_date(page, "Date of the attempt", today)
        group(page, "What happened?").get_by_label("Did not attend the appointment").check()
        page.get_by_role("button", name="Log the attempt").click()
        expect_banner(page, "Engagement attempt logged")
    expect(page.get_by_text("3 attempts; 3 without engagement.")).to_be_visible()
    expect(page.locator("#engagement-attempts tbody tr")).to_have_count(3)
    expect(page.get_by_text("The last 3 attempts to engage have failed.")).to_be_visible()
    check_page(page, "c2-three-missed")

    # Prompted, she flags the case and reflects, through 002's questions.
    page.get_by_role("link", name="Flag the case and reflect").click()
    check_page(page, "c3-flag")
    page.get_by_label("Reason").fill("Three missed appointments and no answer at the door.")
    page.get_by_role("button", name="Flag the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on non-engagement")
    page.get_by_label("Am I concerned just because").fill("The hoarding has reached the stairs since March.")
    answers = {
        "Am I relieved when there is no answer at the door?": "Yes",
    }
    for legend in [
        "Am I colluding to avoid conflict, taking the word of a family member rather than speaking to the adult "
        "themselves?",
        "Am I minimising negative information in order to avoid provoking a reaction?",
        "Am I hesitant to share my concerns in order to avoid confrontation?",
        "Am I keeping my concerns to myself rather than sharing them with my line manager?",
        "Am I relieved when there is no answer at the door?",
        "Am I focusing on the family's needs, not the needs of the adult at risk?",
        "Do I feel at risk?",
    ]:
        group(page, legend).get_by_label(answers.get(legend, "No"), exact=True).check()
    group(page, "Concerns or issues raised").get_by_label("Has capacity but is still vulnerable").check()
    group(page, "Next steps").get_by_label("Discuss with my line manager").check()
    fill_date(page, "Next steps due by", today + datetime.timedelta(days=7))
    check_page(page, "c4-reflect")
    page.get_by_role("button", name="Record the reflection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflective review")
    expect(page.get_by_text("Discuss with my line manager")).to_be_visible()
    check_page(page, "c5-reflection")
    page.get_by_role("link", name="Back to engagement").click()
    expect(page.locator("#next-steps")).to_contain_text("Discuss the adult's non-engagement with the line manager")
    sign_out(page, base)

    # The manager tries to close the case: refused, with what is missing.
    open_signed_in(page, case_url, world["manager"].email)
    expect(page.get_by_text("Not engaging", exact=True)).to_be_visible()
    page.get_by_role("link", name="Agency checks and closure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closing the case")
    check_page(page, "c6-closure-page")
    page.get_by_role("link", name="Close the case").click()
    group(page, "Why is the case closing?").get_by_label("The adult or family is not engaging").check()
    page.get_by_label("Rationale").fill("No contact for six weeks; the risks are managed by the homecare provider.")
    group(page, "Risk: Self-neglect, including hoarding and fire safety").get_by_label(
        "Managed to an acceptable level"
    ).check()
    page.get_by_label("Why, for: Self-neglect, including hoarding and fire safety").fill(
        "Fire service fitted alarms and a sprinkler."
    )
    page.get_by_label("Ongoing support").fill("Homecare continues; a fire safety visit every six months.")
    group(page, "Agencies that agreed the ongoing support").get_by_label("Shire Adult Social Care").check()
    page.get_by_label("Handed over to single-agency case management in").select_option(label="Shire Adult Social Care")
    page.get_by_label("Handed over to (team or person)").fill("Locality Team North")
    page.get_by_label("Information and advice given to the adult").fill(
        "The duty number, and that she can ask for a reassessment at any time."
    )
    page.get_by_role("button", name="Sign off the closure").click()
    items = summary_items(page)
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("A case closed for non-engagement needs")
    expect(items.nth(1)).to_have_text("Agree a multi-agency risk assessment: none has been agreed for this case")
    expect(items.nth(2)).to_have_text(
        "Check with Shire Police (takes part in the case): record who you spoke to, when, and what they said"
    )
    check_page(page, "c7-closure-refused")

    # The agency is checked with.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Record a check with Shire Police").click()
    expect(page.get_by_label("Agency checked with")).to_have_value(str(world["officer"].agency_id))
    page.get_by_label("Who did you speak to?").fill("PC Kay Rudd")
    fill_date(page, "When", today)
    page.get_by_label("What did they say?").fill("No call-outs since March; neighbours report no smoke.")
    check_page(page, "c8-record-check")
    page.get_by_role("button", name="Record the check").click()
    expect_banner(page, "Check with Shire Police recorded")
    expect(page.locator("#agency-checks")).to_contain_text("Checked")
    expect(page.locator("#risk-assessment-status")).to_contain_text("Not agreed")

    # The risk assessment is agreed at a meeting (its own pages are the risk app's journey); it
    # identifies one risk, the home environment.
    helpers.agreed_version(
        case, world["worker"], world["manager"], likelihood=1, impact=1, overrides={"home_environment": (3, 3)}
    )
    page.reload()
    expect(page.locator("#risk-assessment-status")).to_contain_text("Current")
    check_page(page, "c8b-closure-page-ready")

    # Now the manager signs the closure off, accounting for the risk the assessment identified.
    page.get_by_role("link", name="Close the case").click()
    group(page, "Why is the case closing?").get_by_label("The adult or family is not engaging").check()
    page.get_by_label("Rationale").fill("No contact for six weeks; the risks are managed by the homecare provider.")
    home = "Observation of the home situation and environmental factors (High risk)"
    group(page, f"Risk: {home}").get_by_label("Managed to an acceptable level").check()
    page.get_by_label(f"Why, for: {home}").fill("Hallway and stairs clear at the last two visits.")
    page.get_by_label("Ongoing support").fill("Homecare continues; a fire safety visit every six months.")
    group(page, "Agencies that agreed the ongoing support").get_by_label("Shire Police").check()
    page.get_by_label("Handed over to single-agency case management in").select_option(label="Shire Adult Social Care")
    page.get_by_label("Handed over to (team or person)").fill("Locality Team North")
    page.get_by_label("Information and advice given to the adult").fill(
        "The duty number, and that she can ask for a reassessment at any time."
    )
    page.get_by_role("button", name="Sign off the closure").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "The case is closed and the closure signed off")
    expect_status(page, "Closed")
    check_page(page, "c9-closed")
    page.get_by_role("link", name="Decision log").click()
    expect(page.locator(".govuk-summary-card").last).to_contain_text("Handed over to Locality Team North")
    sign_out(page, base)

    # The police officer sees the engagement log, but not the reflection.
    sign_in(page, world["officer"].email)
    page.goto(f"{base}{reverse('closure:engagement', kwargs={'case_pk': case.pk})}")
    expect(page.get_by_text("None you can read.")).to_be_visible()
    check_page(page, "ca-police-engagement")


def test_escalation_to_s42_with_the_local_authoritys_decision(page: Page, live_server, check_page, world):
    base = live_server.url
    case = world["case"]
    today = timezone.localdate()
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"

    open_signed_in(page, case_url, world["manager"].email)
    page.get_by_role("link", name="Section 42 escalation").click()
    expect(page.get_by_text("The case has not been escalated.")).to_be_visible()
    check_page(page, "s0-s42-none")
    page.get_by_role("link", name="Escalate to a section 42 enquiry").click()
    page.get_by_role("button", name="Record the referral").click()
    expect(summary_items(page).first).to_be_visible()
    check_page(page, "s1-refer-errors")
    page.get_by_label("The risk of serious harm that remains").fill("A third fire in the flat this month.")
    page.get_by_label("The steps already taken").fill("Joint visits with the fire service; two MARM meetings.")
    page.get_by_label("Why they were not enough").fill("She refuses every intervention and the fires continue.")
    group(page, "Lawful basis for sharing with the local authority").get_by_label("Others are at risk").check()
    page.get_by_label("Referred to (local authority team)").fill("Shire Safeguarding Hub")
    fill_date(page, "Date of the referral", today)
    group(page, "While the local authority decides").get_by_label("MARM work continues alongside").check()
    page.get_by_role("button", name="Record the referral").click()
    expect_banner(page, "Escalated to the local authority for a section 42 decision")
    expect(page.get_by_text("Waiting for the local authority")).to_be_visible()
    check_page(page, "s2-referred")

    page.get_by_role("link", name="Record the local authority's decision").click()
    group(page, "The local authority's decision").get_by_label("A section 42 enquiry has been opened").check()
    page.get_by_label("Their reason").fill("A neighbour reports her son takes her pension: possible financial abuse.")
    fill_date(page, "Date of the decision", today)
    page.get_by_label("Who decided (name and role)").fill("J Patel, safeguarding team manager")
    check_page(page, "s3-decision")
    page.get_by_role("button", name="Record the decision").click()
    expect_banner(page, "The local authority's decision is recorded")
    expect(page.locator(".govuk-summary-card")).to_contain_text("possible financial abuse")
    page.get_by_role("link", name="Back to the case").click()
    expect_status(page, "Escalated to a section 42 enquiry")
    expect(page.get_by_text("Section 42: A section 42 enquiry has been opened")).to_be_visible()
    check_page(page, "s4-case-escalated")
