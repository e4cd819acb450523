"""More of a case in a real browser: a key action marked not applicable, a
lead worker named, an agency's involvement ended, a decision recorded and
amended, and a chronology entry added and corrected, each page checked with
axe (and its errors first, where a form has them) and kept as a screenshot."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.cases.services import case_raise, case_screen
from marm.decisions.models import LegislationReference
from marm.organisations.models import AgencyKind, Role
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.browser.test_case_journeys import (
    expect_banner,
    expect_error_summary,
    group,
    legislation_list,
    open_signed_in,
)
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def accepted_case_shared_in_full(*, practitioner, manager, person, agency):
    """A concern raised by the practitioner, accepted by the manager and shared in full with ``agency``."""
    case = case_raise(
        acting_user=practitioner,
        person=person,
        what_is_happening="Hoarding has blocked the exits; two small fires in a month.",
        risk_categories=["b", "c"],
        abuse_types=["self_neglect"],
        current_care_and_support="Homecare twice a day, often refused.",
        others_at_risk="yes",
        others_at_risk_details="Neighbours in the adjoining flat (fire risk).",
        unable_or_unwilling_to_self_care=True,
        at_risk_tests=["refused"],
        entry_criteria=["harm", "refuses", "not_mitigated", "daily_life", "partners"],
        daily_life_areas=["home", "safety"],
    )
    case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Capacity assumed; refusing care; no third-party abuse, so s42 does not apply. MARM fits.",
        legislation=[LegislationReference.objects.get(code="care-act-2014-s42")],
    )
    case.refresh_from_db()
    sharing_decide(
        acting_user=manager,
        case=case,
        agency=agency,
        basis="risk_to_others",
        rationale="The neighbours are at risk from a fire; the police can check on the flat at night.",
        access="full",
        what_is_shared="The concern and the fire risk.",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="increases_risk",
    )
    return case


def test_manager_updates_the_case_decisions_and_chronology(page: Page, live_server, check_page):
    base = live_server.url
    social_care = AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    police = AgencyFactory(name="Shire Police", kind=AgencyKind.POLICE)
    practitioner = UserFactory(
        email="practitioner@asc.example.org",
        full_name="Priya Nandra",
        agency=social_care,
        roles=[Role.PRACTITIONER],
    )
    manager = UserFactory(
        email="manager@asc.example.org", full_name="Tom Ellery", agency=social_care, roles=[Role.MANAGER]
    )
    person = PersonFactory(created_by=practitioner, given_name="Margaret", family_name="Thornbury")
    legislation_list()
    case = accepted_case_shared_in_full(practitioner=practitioner, manager=manager, person=person, agency=police)
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"

    open_signed_in(page, case_url, manager.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Margaret Thornbury")
    check_page(page, "80-manager-case")

    # A key action that does not apply needs a reason.
    key_actions = page.get_by_role("table", name="Stage 1 key actions")
    key_actions.get_by_role("link", name="Discussion with the person raising the concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Update a key action")
    check_page(page, "81-key-action")
    group(page, "Status").get_by_label("Not applicable").check()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Say why this does not apply")
    expect(group(page, "Status").get_by_label("Not applicable")).to_be_checked()
    check_page(page, "82-key-action-errors")
    page.get_by_label("If not applicable, why?").fill("Margaret raised the concern herself, by phone.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "Key action updated")
    row = key_actions.get_by_role("row").filter(has_text="Discussion with the person raising the concern")
    expect(row).to_contain_text("Not applicable")
    expect(row).to_contain_text("Margaret raised the concern herself, by phone.")
    check_page(page, "83-key-action-updated")

    # The manager names social care's lead worker.
    page.get_by_role("link", name="name your agency's lead worker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name the lead worker for Shire Adult Social Care")
    check_page(page, "84-lead-worker")
    page.get_by_label("Your agency's lead worker").select_option(label="Priya Nandra")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "Lead worker named")
    agencies = page.get_by_role("heading", name="Agencies").locator("xpath=following-sibling::ul[1]")
    expect(agencies.get_by_role("listitem").filter(has_text="Shire Adult Social Care")).to_contain_text(
        "Lead worker: Priya Nandra"
    )
    check_page(page, "85-lead-worker-named")

    # The manager ends the police's part in the case, and is first asked why.
    page.get_by_role("link", name="End involvement of Shire Police").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End Shire Police's involvement")
    check_page(page, "86-end-involvement")
    page.get_by_role("button", name="End involvement").click()
    expect_error_summary(page, "Say why the agency's involvement is ending")
    check_page(page, "87-end-involvement-errors")
    page.get_by_label("Why is the agency's involvement ending?").fill(
        "The flat has been cleared and the fire risk to the neighbours has gone."
    )
    page.get_by_role("button", name="End involvement").click()
    expect(page).to_have_url(case_url)
    expect_banner(page, "Shire Police's involvement has ended. Its users can no longer open the case")
    expect(agencies).not_to_contain_text("Shire Police")
    check_page(page, "88-involvement-ended")

    # A decision is recorded in the log, then amended.
    page.get_by_role("link", name="Decision log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision log")
    check_page(page, "89-decision-log")
    page.get_by_role("link", name="Record a decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a decision")
    check_page(page, "8a-record-a-decision")
    page.get_by_role("button", name="Record").click()
    expect_error_summary(page, "Enter the decision")
    check_page(page, "8b-record-a-decision-errors")
    page.get_by_label("The decision").fill("Hold a multi-agency risk planning meeting within two weeks.")
    page.get_by_label("Rationale").fill("The fires are getting more frequent and Margaret still refuses help.")
    page.get_by_role("button", name="Record").click()
    expect(page).to_have_url(f"{base}{reverse('decisions:case-log', kwargs={'case_pk': case.pk})}")
    expect_banner(page, "Decision recorded")
    cards = page.locator(".govuk-summary-card")
    decision = cards.filter(has_text="Hold a multi-agency risk planning meeting within two weeks.")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text("The fires are getting more frequent and Margaret still refuses help.")
    check_page(page, "8c-decision-recorded")

    decision.get_by_role("link", name=re.compile(r"^Amend")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amend a decision")
    expect(page.get_by_label("The decision")).to_have_value(
        "Hold a multi-agency risk planning meeting within two weeks."
    )
    check_page(page, "8d-amend-a-decision")
    page.get_by_label("The decision").fill("Hold a multi-agency risk planning meeting within one week.")
    page.get_by_role("button", name="Record").click()
    expect_banner(page, "Amendment recorded")
    expect(decision).to_contain_text("Amended by")
    amendment = cards.filter(has_text="Hold a multi-agency risk planning meeting within one week.")
    expect(amendment).to_contain_text("Amends")
    check_page(page, "8e-decision-amended")

    # From the person's page, the manager adds to the chronology and then corrects the entry.
    page.get_by_role("link", name="Back to the case").click()
    page.get_by_role("link", name="Person's record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Margaret Thornbury")
    page.get_by_role("link", name="View the chronology").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology")
    check_page(page, "8f-chronology-empty")
    page.get_by_role("link", name="Add to the chronology").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add to the chronology")
    check_page(page, "90-add-to-the-chronology")
    page.get_by_role("button", name="Add the entry").click()
    expect_error_summary(
        page, "Enter the date of the event", "Select the type of event", "Select how significant the event was"
    )
    expect_error_summary(page, "Enter what happened")
    check_page(page, "91-add-to-the-chronology-errors")
    visited_on = timezone.localdate() - datetime.timedelta(days=3)
    when = group(page, "Date of the event")
    when.get_by_label("Day").fill(str(visited_on.day))
    when.get_by_label("Month").fill(str(visited_on.month))
    when.get_by_label("Year").fill(str(visited_on.year))
    page.get_by_label("Type of event").select_option(label="Home visit")
    group(page, "How significant was it?").get_by_label("Significant").check()
    page.get_by_label("What happened").fill("Home visit: the hallway is blocked again; Margaret declined help.")
    page.get_by_role("button", name="Add the entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology")
    expect_banner(page, "The entry has been added to the chronology")
    picture = page.locator("svg[role='img']")
    expect(picture).to_be_visible()
    expect(picture.locator(".marm-timeline__mark")).to_have_count(1)
    entry = page.locator(".govuk-summary-card").filter(has_text="the hallway is blocked again")
    expect(entry).to_contain_text("Home visit")
    check_page(page, "92-chronology-entry-added")

    entry.get_by_role("link", name=re.compile(r"^Correct")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct a chronology entry")
    check_page(page, "93-correct-the-entry")
    page.get_by_label("What happened").fill("Home visit: the hallway and the stairs are blocked; she declined help.")
    page.get_by_label("Why are you correcting this entry?").fill("The stairs were blocked too; I left them out.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology")
    expect_banner(page, "The correction has been added; the original entry is kept, marked corrected")
    titles = page.locator(".govuk-summary-card__title")
    expect(titles).to_have_count(2)
    expect(titles.filter(has_text="Corrected")).to_have_count(1)
    correction = page.locator(".govuk-summary-card").filter(has_text="the hallway and the stairs are blocked")
    expect(correction).to_contain_text("The stairs were blocked too; I left them out.")
    expect(page.locator("svg[role='img'] .marm-timeline__mark")).to_have_count(2)
    check_page(page, "94-chronology-corrected")
