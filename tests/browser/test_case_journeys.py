"""A case's journey through marm in a real browser: a concern raised, screened,
allocated, shared, routed elsewhere and reopened, each page checked with axe
and kept as a screenshot."""

import datetime
import importlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.cases.models import Case
from marm.decisions.models import LegislationReference
from marm.organisations.models import AgencyKind, Role
from tests.browser.signing_in import sign_in
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser

LEGISLATION = importlib.import_module("marm.decisions.migrations.0002_legislation_and_append_only")

WHAT_IS_HAPPENING = "Hoarding blocks the stairs and front door; the smoke alarm has been taken down twice."


def open_signed_in(page: Page, url: str, email: str) -> None:
    """Go to a page that needs signing in, and sign in through the real form on the way."""
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    sign_in(page, email)
    expect(page).to_have_url(url)


def sign_out(page: Page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base}{reverse('accounts:sign-in')}")


def group(page: Page, legend: str):
    """A fieldset of radios or checkboxes, found by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def expect_status(page: Page, label: str) -> None:
    expect(page.locator("h1 + p > strong.govuk-tag")).to_have_text(label)


def expect_banner(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def legislation_list() -> None:
    """Put back marm's list of legislation and guidance.

    A data migration fills it, but a live-server test empties every table
    when it ends, so a later test would find the list gone.
    """
    for order, (code, title, summary) in enumerate(LEGISLATION.REFERENCES, start=1):
        LegislationReference.objects.update_or_create(
            code=code, defaults={"title": title, "summary": summary, "sort_order": order}
        )


def raise_concern(page: Page, check_page, name: str, shot: str) -> Case:
    """From the person's page, raise a concern that meets the entry criteria and the at-risk test."""
    page.get_by_role("link", name="Raise a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a concern")
    check_page(page, f"{shot}1-raise-a-concern")

    page.get_by_label("What is happening?").fill(WHAT_IS_HAPPENING)
    risks = group(page, "Categories of risk")
    risks.get_by_label("Self-neglect, including hoarding and fire safety").check()
    risks.get_by_label("Refusal of, or disengagement from, care and support").check()
    group(page, "Types of abuse or neglect").get_by_label("Self-neglect", exact=True).check()
    group(page, "Are children or other adults at risk?").get_by_label("Yes", exact=True).check()
    page.get_by_label("Who else is at risk?").fill("The family upstairs: their only way out is past the door.")
    group(page, "First view of decisional capacity").get_by_label("No concerns: capacity is assumed").check()
    group(page, "First view of executive capacity").get_by_label("There are concerns").check()
    group(page, "Is a mental capacity assessment needed?").get_by_label("No", exact=True).check()
    group(page, "Was the adult asked about sharing this information?").get_by_label("Yes", exact=True).check()
    page.get_by_label("What did they say?").fill("They do not want anyone told.")
    page.get_by_label("The adult is unable or unwilling to provide adequate care for themselves").check()
    group(page, "And at least one of these").get_by_label(re.compile(r"^Has refused essential services")).check()
    criteria = group(page, "Entry criteria: all must hold").get_by_role("checkbox")
    expect(criteria).to_have_count(5)
    for index in range(5):
        criteria.nth(index).check()
    areas = group(page, "Areas of daily life the adult struggles to manage")
    areas.get_by_label("Home environment").check()
    areas.get_by_label("Safety").check()
    page.get_by_role("button", name="Raise concern").click()

    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case = Case.objects.get(pk=page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(f"Case {case.reference}", exact=True)).to_be_visible()
    expect_banner(page, f"Concern {case.reference} raised")
    expect_status(page, "Concern raised")
    expect(page.get_by_text(re.compile(r"Met: all \d+ entry criteria are recorded as holding\."))).to_be_visible()
    expect(page.get_by_text(WHAT_IS_HAPPENING)).to_be_visible()
    check_page(page, f"{shot}2-concern-raised")
    return case


def test_fire_concern_is_accepted_allocated_and_shared_with_housing(page: Page, live_server, check_page):
    base = live_server.url
    fire = AgencyFactory(name="Shire Fire and Rescue", kind=AgencyKind.FIRE_AND_RESCUE)
    housing = AgencyFactory(name="Shire Homes", kind=AgencyKind.HOUSING)
    firefighter = UserFactory(
        email="practitioner@fire.example.org", full_name="Sam Ashworth", agency=fire, roles=[Role.PRACTITIONER]
    )
    fire_manager = UserFactory(
        email="manager@fire.example.org", full_name="Dana Okafor", agency=fire, roles=[Role.MANAGER]
    )
    housing_officer = UserFactory(
        email="practitioner@housing.example.org", full_name="Lee Marsh", agency=housing, roles=[Role.PRACTITIONER]
    )
    person = PersonFactory(created_by=firefighter, given_name="Walter", family_name="Hessle")
    legislation_list()
    wellbeing = LegislationReference.objects.get(code="care-act-2014-s1")
    person_url = f"{base}{reverse('people:detail', kwargs={'pk': person.pk})}"

    # The fire service practitioner raises the concern.
    open_signed_in(page, person_url, firefighter.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Walter Hessle")
    check_page(page, "60-fire-person")
    case = raise_concern(page, check_page, "Walter Hessle", shot="6")
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"
    sign_out(page, base)

    # Housing is not part of the case yet: the case is not there for them.
    sign_in(page, housing_officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    response = page.goto(case_url)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text(WHAT_IS_HAPPENING)).to_have_count(0)
    check_page(page, "63-housing-case-not-found")
    sign_out(page, base)

    # A fire service manager screens the concern and accepts it into MARM.
    open_signed_in(page, case_url, fire_manager.email)
    expect_status(page, "Concern raised")
    check_page(page, "64-manager-case")
    page.get_by_role("link", name="Screen the concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screen the concern")
    check_page(page, "65-screen-the-concern")
    group(page, "Does the section 42 enquiry duty apply?").get_by_label("No", exact=True).check()
    page.get_by_label("Would another process fit better?").select_option(label="No other process: MARM fits")
    group(page, "Outcome").get_by_label("Accept into MARM").check()
    page.get_by_label("Rationale").fill(
        "Capacity is assumed and he refuses help; no one else is abusing him, so section 42 does not apply."
    )
    group(page, "Legislation and guidance relied on").get_by_label(wellbeing.title).check()
    page.get_by_role("button", name="Record screening").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "Screening recorded")
    expect_status(page, "Accepted into MARM")
    key_actions = page.get_by_role("table", name="Stage 1 key actions")
    expect(page.get_by_role("heading", name="Stage 1 key actions")).to_be_visible()
    allocate_row = key_actions.get_by_role("row").filter(has_text="Allocate the case to a lead professional")
    expect(allocate_row).to_contain_text("Outstanding")
    check_page(page, "66-accepted")

    # The manager allocates the practitioner as the lead professional.
    page.get_by_role("link", name="Allocate the lead professional").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate the lead professional")
    check_page(page, "67-allocate-the-lead-professional")
    page.get_by_label("Lead professional").select_option(label="Sam Ashworth (Shire Fire and Rescue)")
    page.get_by_label("Why them?").fill("Sam knows him from two home fire safety visits and he lets Sam in.")
    page.get_by_role("button", name="Allocate").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "Sam Ashworth is the lead professional")
    expect(page.get_by_text("Lead professional: Sam Ashworth (Shire Fire and Rescue).")).to_be_visible()
    expect(allocate_row).to_contain_text("Done")
    check_page(page, "68-allocated")

    # The manager shares the full case with housing: others are at risk.
    page.get_by_role("link", name="Share with an agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share the case with an agency")
    check_page(page, "69-share")
    page.get_by_label("Share with").select_option(label="Shire Homes")
    # The adult has not agreed to share with housing: the page says so, and asks whether they were told.
    expect(page.locator("#against-wishes-warning")).to_contain_text("has not agreed to share their information")
    group(page, "Grounds for sharing").get_by_label("Others are at risk").check()
    told = "If the adult has not agreed to share with this agency: have they been told about this share?"
    group(page, told).get_by_label("No", exact=True).check()
    group(page, "If not told: why not?").get_by_label("They cannot be reached").check()
    page.get_by_label("If not told: more about why").fill("In hospital; the ward will tell us when she can talk.")
    group(page, "What will the agency be able to see?").get_by_label("The full case").check()
    page.get_by_label("What is being shared").fill("The concern and the fire risk to the flat upstairs.")
    page.get_by_label("Rationale").fill(
        "The family upstairs cannot get out past his door in a fire; housing is the landlord and can act."
    )
    group(page, "Legislation and guidance relied on").get_by_label("Data Protection Act 2018 and UK GDPR").check()
    tests = group(page, "The information is").get_by_role("checkbox")
    expect(tests).to_have_count(6)
    for index in range(6):
        tests.nth(index).check()
    page.get_by_role("button", name="Record and share").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "Shared with Shire Homes. Its users can now open the case")
    agencies = page.get_by_role("heading", name="Agencies").locator("xpath=following-sibling::ul[1]")
    expect(agencies).to_contain_text("Shire Homes")
    check_page(page, "6a-shared")

    page.get_by_role("link", name="Decision log").click()
    expect(page).to_have_url(f"{base}{reverse('decisions:case-log', kwargs={'case_pk': case.pk})}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision log")
    titles = page.locator(".govuk-summary-card__title")
    expect(titles).to_have_count(3)
    expect(titles.nth(0)).to_contain_text("Accept into MARM")
    expect(titles.nth(1)).to_contain_text("Allocate the lead professional")
    expect(titles.nth(2)).to_contain_text("Share information")
    cards = page.locator(".govuk-summary-card")
    expect(cards.nth(0)).to_contain_text(wellbeing.title)
    expect(cards.nth(1)).to_contain_text("Sam Ashworth (Shire Fire and Rescue) is the lead professional")
    expect(cards.nth(2)).to_contain_text("Share the full case with Shire Homes")
    expect(cards.nth(2)).to_contain_text("Shared without the adult's consent.")
    expect(cards.nth(2)).to_contain_text("The adult has not been told about this share: they cannot be reached.")
    expect(cards.nth(2)).to_contain_text("Data Protection Act 2018 and UK GDPR")
    check_page(page, "6b-decision-log")
    sign_out(page, base)

    # Housing can now open the case, and sees on what grounds it was shared.
    open_signed_in(page, case_url, housing_officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Walter Hessle")
    expect(page.get_by_text(WHAT_IS_HAPPENING)).to_be_visible()
    expect(page.get_by_role("link", name="Screen the concern")).to_have_count(0)
    check_page(page, "6c-housing-case")
    page.get_by_role("link", name="Disclosure log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure log")
    disclosure = page.get_by_role("table", name="Disclosures").get_by_role("row").filter(has_text="Shire Homes")
    expect(disclosure).to_have_count(1)
    expect(disclosure).to_contain_text("Others are at risk")
    expect(disclosure).to_contain_text("Dana Okafor")
    check_page(page, "6d-housing-disclosure-log")


def test_police_concern_is_routed_to_marac_then_reopened_into_marm(page: Page, live_server, check_page):
    base = live_server.url
    police = AgencyFactory(name="Shire Police", kind=AgencyKind.POLICE)
    officer = UserFactory(
        email="practitioner@police.example.org", full_name="Chris Dunmore", agency=police, roles=[Role.PRACTITIONER]
    )
    sergeant = UserFactory(
        email="manager@police.example.org", full_name="Jo Whitfield", agency=police, roles=[Role.MANAGER]
    )
    person = PersonFactory(created_by=officer, given_name="Aileen", family_name="Corrie")
    legislation_list()
    person_url = f"{base}{reverse('people:detail', kwargs={'pk': person.pk})}"

    open_signed_in(page, person_url, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aileen Corrie")
    check_page(page, "70-police-person")
    case = raise_concern(page, check_page, "Aileen Corrie", shot="7")
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"
    sign_out(page, base)

    # The manager routes it to MARAC, and is first told what a route needs.
    open_signed_in(page, case_url, sergeant.email)
    check_page(page, "73-manager-case")
    page.get_by_role("link", name="Screen the concern").click()
    check_page(page, "74-screen-the-concern")
    group(page, "Does the section 42 enquiry duty apply?").get_by_label("No", exact=True).check()
    page.get_by_label("Would another process fit better?").select_option(
        label="MARAC (domestic abuse, high risk on the DASH checklist)"
    )
    group(page, "Outcome").get_by_label("Route to another process").check()
    page.get_by_label("Rationale").fill("Her son's violence scores high on the DASH checklist: MARAC fits.")
    page.get_by_role("button", name="Record screening").click()
    expect_error_summary(
        page,
        "Enter how many DASH checklist questions were ticked",
        "Say who the concern was sent to",
        "Enter the date it was sent",
    )
    expect(page.get_by_label("DASH checklist: how many questions were ticked?")).to_have_attribute(
        "aria-invalid", "true"
    )
    date_link = page.locator(".govuk-error-summary").get_by_role("link", name="Enter the date it was sent")
    expect(date_link).to_have_attribute("href", "#id_routed_on_0")
    expect(group(page, "Outcome").get_by_label("Route to another process")).to_be_checked()
    check_page(page, "75-screen-the-concern-errors")

    page.get_by_label("DASH checklist: how many questions were ticked?").fill("15")
    page.get_by_label("If routed: sent to (process, team or person)").fill("MARAC coordinator")
    sent_on = timezone.localdate() - datetime.timedelta(days=1)
    date_sent = group(page, "If routed: date sent")
    date_sent.get_by_label("Day").fill(str(sent_on.day))
    date_sent.get_by_label("Month").fill(str(sent_on.month))
    date_sent.get_by_label("Year").fill(str(sent_on.year))
    page.get_by_label("If routed: what was sent").fill("The DASH checklist and the concern.")
    page.get_by_role("button", name="Record screening").click()
    expect(page).to_have_url(case_url)
    expect_status(page, "Routed to another process")
    routed = page.locator(".govuk-summary-list__row").filter(has_text="Routed")
    expect(routed).to_contain_text("To MARAC coordinator")
    expect(page.get_by_text("(DASH: 15 ticks)")).to_be_visible()
    check_page(page, "76-routed")

    # MARAC hands it back: the manager records that MARAC has ended, then reopens the case into MARM
    # and accepts it.
    page.get_by_role("link", name=re.compile("Record that it ended")).click()
    ended = page.get_by_role("group", name="When did the process end?")
    today = timezone.localdate()
    ended.get_by_label("Day").fill(str(today.day))
    ended.get_by_label("Month").fill(str(today.month))
    ended.get_by_label("Year").fill(str(today.year))
    check_page(page, "76a-process-ended")
    page.get_by_role("button", name="Record the end").click()
    expect(page).to_have_url(case_url)
    page.get_by_role("link", name="Reopen into MARM").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reopen the case")
    check_page(page, "77-reopen")
    page.get_by_label("Rationale").fill("MARAC has closed its plan; the self-neglect and hoarding risks remain.")
    page.get_by_role("button", name="Reopen").click()
    expect(page).to_have_url(case_url)
    expect_status(page, "Reopened")
    check_page(page, "78-reopened")

    page.get_by_role("link", name="Screen the concern").click()
    check_page(page, "79-screen-again")
    group(page, "Does the section 42 enquiry duty apply?").get_by_label("No", exact=True).check()
    page.get_by_label("Would another process fit better?").select_option(label="No other process: MARM fits")
    group(page, "Outcome").get_by_label("Accept into MARM").check()
    page.get_by_label("Rationale").fill("Self-neglect with capacity and refusal: MARM fits now MARAC has closed.")
    page.get_by_role("button", name="Record screening").click()
    expect(page).to_have_url(case_url)
    expect_status(page, "Accepted into MARM")
    # Everything recorded before the route is carried over.
    expect(page.get_by_text(WHAT_IS_HAPPENING)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Met: all \d+ entry criteria are recorded as holding\."))).to_be_visible()
    expect(page.get_by_role("table", name="Stage 1 key actions")).to_be_visible()
    check_page(page, "7a-reopened-and-accepted")

    page.get_by_role("link", name="Decision log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision log")
    titles = page.locator(".govuk-summary-card__title")
    expect(titles).to_have_count(3)
    expect(titles.nth(0)).to_contain_text("Route to another process")
    expect(titles.nth(1)).to_contain_text("Reopen")
    expect(titles.nth(2)).to_contain_text("Accept into MARM")
    cards = page.locator(".govuk-summary-card")
    expect(cards.nth(0)).to_contain_text(
        "Routed to MARAC (domestic abuse, high risk on the DASH checklist): sent to MARAC coordinator"
    )
    check_page(page, "7b-decision-log")
