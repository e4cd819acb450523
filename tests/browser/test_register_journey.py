"""The duty desk in a real browser: a neighbour calls about a man on the high-risk
register, the duty officer finds him, logs the call, and the named professional
acknowledges the alert. Every page is checked with axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marm.organisations.models import AgencyKind, Role, Team
from marm.register.models import ContactAlert
from marm.register.services import register_entry_add
from tests.browser.test_case_journeys import group, open_signed_in, sign_out
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def _set_up():
    council = AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    team = Team.objects.create(agency=council, name="Locality team north")
    social_worker = UserFactory(
        email="named@council.example.org",
        full_name="Priya Natarajan",
        phone="01632 960 123",
        agency=council,
        roles=[Role.PRACTITIONER],
    )
    manager = UserFactory(
        email="manager@council.example.org", full_name="Tom Ellery", agency=council, roles=[Role.MANAGER]
    )
    duty = UserFactory(
        email="duty@council.example.org", full_name="Alex Brennan", agency=council, roles=[Role.DUTY_OFFICER]
    )
    for user in (social_worker, manager, duty):
        assert user.memberships.get().team == team
    person = PersonFactory(created_by=social_worker, given_name="John", family_name="Smith")
    PersonFactory(created_by=social_worker, given_name="Joan", family_name="Smithers")
    return team, social_worker, manager, duty, person


def _journey(page: Page, base: str, check_page, search_for: str, shot: str) -> None:
    team, social_worker, manager, duty, person = _set_up()
    register_entry_add(
        acting_user=manager,
        team=team,
        person=person,
        criteria=["b", "c"],
        named_professional=social_worker,
        reason="Hoarding and fire risk; refuses homecare.",
    )

    # The duty officer takes the call and searches as the caller spells the name.
    open_signed_in(page, f"{base}{reverse('register:duty')}", duty.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Duty desk")
    check_page(page, f"{shot}0-duty-desk")
    page.get_by_label("Name").fill(search_for)
    page.get_by_role("button", name="Search").click()
    card = page.locator(".govuk-summary-card", has=page.get_by_role("heading", name="John Smith"))
    expect(card).to_be_visible()
    expect(card).to_contain_text("On the register")
    expect(card).to_contain_text("Priya Natarajan")
    expect(card).to_contain_text("01632 960 123")
    check_page(page, f"{shot}1-duty-results")

    # The call is logged; the named professional is alerted at once.
    card.get_by_role("link", name="Log a contact about John Smith").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a contact")
    page.get_by_role("button", name="Log the contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say who made contact")
    check_page(page, f"{shot}2-contact-errors")
    page.get_by_label("Who made contact?").fill("Neighbour, Mrs Patel")
    page.get_by_label("What was it about?").fill("Smoke smell from the flat since this morning; no answer at the door.")
    page.get_by_role("button", name="Log the contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("named professional has been alerted")
    check_page(page, f"{shot}3-duty-card")
    sign_out(page, base)

    # The named professional opens the notification and acknowledges.
    open_signed_in(page, f"{base}{reverse('notifications:list')}", social_worker.email)
    page.get_by_role("link", name=re.compile("A contact was logged about someone on your register")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact alert")
    expect(page.get_by_text("Smoke smell from the flat")).to_be_visible()
    check_page(page, f"{shot}4-alert")
    page.get_by_role("button", name="Acknowledge the alert").click()
    expect(page.locator("strong.govuk-tag", has_text="Acknowledged")).to_be_visible()
    expect(page.get_by_text("by Priya Natarajan")).to_be_visible()
    check_page(page, f"{shot}5-acknowledged")
    alert = ContactAlert.objects.get()
    assert alert.acknowledged_by == social_worker

    # The register shows him, and his record carries the alert.
    page.get_by_role("link", name="Back to the register entry").click()
    expect(page.get_by_text("Acknowledged by Priya Natarajan")).to_be_visible()
    check_page(page, f"{shot}6-entry")
    page.get_by_role("link", name="John Smith").first.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "On the high-risk register of Locality team north"
    )
    check_page(page, f"{shot}7-person")


def test_the_duty_officer_finds_jon_smyth_logs_the_call_and_the_named_professional_acknowledges(
    page: Page, live_server, check_page
):
    _journey(page, live_server.url, check_page, search_for="Jon Smyth", shot="r1")


def test_the_duty_officer_logs_a_call_and_the_named_professional_acknowledges(page: Page, live_server, check_page):
    _journey(page, live_server.url, check_page, search_for="John Smith", shot="r2")


def test_a_manager_adds_a_person_and_a_supervisor_records_the_weekly_review(page: Page, live_server, check_page):
    base = live_server.url
    team, social_worker, manager, _duty, person = _set_up()
    supervisor = UserFactory(
        email="supervisor@council.example.org", full_name="Ruth Okonjo", agency=team.agency, roles=[Role.SUPERVISOR]
    )
    open_signed_in(page, f"{base}{reverse('people:detail', kwargs={'pk': person.pk})}", manager.email)
    page.get_by_role("link", name="Add to the high-risk register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add to the high-risk register")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the criteria the person meets")
    check_page(page, "r30-add-errors")
    page.get_by_label("Whose register").select_option(label=str(team))
    group(page, "Which criteria does the person meet?").get_by_label(
        "Self-neglect, including hoarding and fire safety"
    ).check()
    page.get_by_label("Named professional").select_option(label=str(social_worker))
    page.get_by_label("Why are they on the register?").fill("Hoarding and fire risk; refuses homecare.")
    page.get_by_label("Missed visits that trigger a review (optional)").fill("2")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is on the register of")
    check_page(page, "r31-entry")
    sign_out(page, base)

    open_signed_in(page, f"{base}{reverse('register:list')}", supervisor.email)
    check_page(page, "r32-register")
    page.get_by_role("link", name="John Smith").click()
    page.get_by_role("link", name="Record a review").click()
    group(page, "Outcome of the review").get_by_label("Stays on the register: plan unchanged").check()
    page.get_by_label("What did the review find?").fill("Visited with the fire service; exits clear this week.")
    page.get_by_label("Supervision: the lead professional you reviewed with").select_option(label=str(social_worker))
    check_page(page, "r33-review")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("supervision with Priya Natarajan")).to_be_visible()
    check_page(page, "r34-reviewed")


def test_a_manager_hands_the_entry_to_a_colleague_and_sets_the_teams_wait(page: Page, live_server, check_page):
    base = live_server.url
    team, social_worker, manager, _duty, person = _set_up()
    colleague = UserFactory(
        email="colleague@council.example.org", full_name="Sam Whitfield", agency=team.agency, roles=[Role.PRACTITIONER]
    )
    entry = register_entry_add(
        acting_user=manager,
        team=team,
        person=person,
        criteria=["b"],
        named_professional=social_worker,
        reason="Hoarding and fire risk; refuses homecare.",
    )
    open_signed_in(page, f"{base}{reverse('register:entry', kwargs={'entry_pk': entry.pk})}", manager.email)
    page.get_by_role("link", name="Change the named professional").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the named professional")
    page.get_by_role("button", name="Change the named professional").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the new named professional")
    check_page(page, "r40-change-errors")
    page.get_by_label("New named professional").select_option(label=str(colleague))
    page.get_by_label("Why is the named professional changing?").fill("Priya moves to the hospital team")
    page.get_by_role("button", name="Change the named professional").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Sam Whitfield is now the named professional"
    )
    expect(page.get_by_text("Priya Natarajan, until")).to_be_visible()
    check_page(page, "r41-changed")

    page.goto(f"{base}{reverse('register:list')}")
    page.get_by_role("link", name="Register settings").click()
    page.get_by_label("Minutes to acknowledge a contact alert").fill("2")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter at least 5 minutes")
    check_page(page, "r42-settings-errors")
    page.get_by_label("Minutes to acknowledge a contact alert").fill("15")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Register settings of")
    sign_out(page, base)

    # The new named professional has been told.
    open_signed_in(page, f"{base}{reverse('notifications:list')}", colleague.email)
    expect(page.get_by_text("You are now the named professional")).to_be_visible()
    check_page(page, "r43-told")
