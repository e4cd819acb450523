"""Every role lands on its own work: a partner agency, a manager, a duty officer and the board, with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.browser.test_record_pages import open_signed_in

pytestmark = pytest.mark.browser


def test_each_role_finds_its_work_on_the_home_page(
    page: Page, live_server, check_page, accepted_case, practitioner_a, agency_b, police_b, manager_a, board_officer
):
    sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_b,
        basis="crime",
        rationale="Police enquiry into the man visiting the flat",
        access="full",
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="crime",
    )
    home = f"{live_server.url}{reverse('dashboards:home')}"

    # The police officer's agency does not lead the case: it is listed as shared with them.
    open_signed_in(page, home, police_b.email)
    shared = page.get_by_role("heading", name="Cases shared with your agency")
    expect(shared).to_be_visible()
    expect(page.get_by_role("link", name=accepted_case.person.full_name)).to_be_visible()
    check_page(page, "91-home-partner-agency")
    page.get_by_role("button", name="Sign out").or_(page.get_by_role("link", name="Sign out")).first.click()

    # The lead agency's manager sees the case under its stage.
    open_signed_in(page, home, manager_a.email)
    expect(page.get_by_role("heading", name="Open cases your agency leads")).to_be_visible()
    expect(page.get_by_role("link", name=accepted_case.person.full_name).first).to_be_visible()
    check_page(page, "92-home-manager")
    page.get_by_role("button", name="Sign out").or_(page.get_by_role("link", name="Sign out")).first.click()

    # The board officer sees no adult and no casework headings.
    open_signed_in(page, home, board_officer.email)
    expect(page.get_by_role("heading", name="Safeguarding Adults Board")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(accepted_case.person.full_name)
    expect(page.get_by_role("heading", name="Cases you lead")).to_have_count(0)
    check_page(page, "93-home-board")
