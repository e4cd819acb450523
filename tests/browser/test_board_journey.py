"""The Safeguarding Adults Board in a real browser, with axe on every page visited.

The board officer goes from "Your work" to the board, records review BPSCR4's
first recommendation and action (seed 004) with two organisations taking part,
and reports one organisation's progress. The other organisation's nominated
contact keeps only their own entry. Then the board officer opens the business
plan, whose SAB1 objective shows the live attendance chart and its data table.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from marm.assurance.registry import financial_year_label, financial_year_of
from marm.board import services as board_services
from marm.demo import board_seed, sar_seed
from marm.organisations.models import AgencyKind, Role
from marm.sar.models import Progress, ReviewAction
from tests.assurance.world import World, _case, _invite, _meeting
from tests.browser.signing_in import sign_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.browser

# Seed 004, review BPSCR4: the theme, and recommendation 1 with its action, as written.
_NUMBER, RECOMMENDATION, ACTION, _PROGRESS = sar_seed.RECOMMENDATIONS[0]
SAB1 = board_seed.PRIORITIES[0]


def press(page: Page, control: Locator) -> None:
    """Move the focus to a link or button and press Enter, as a keyboard user does."""
    control.focus()
    page.keyboard.press("Enter")


def choose(page: Page, radio: Locator) -> None:
    """Select a radio button from the keyboard."""
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def sign_in_on_the_way(page: Page, check_page, url: str, email: str, name: str) -> None:
    """Ask for a page, sign in on the sign-in page it sends us to, and arrive at the page."""
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    check_page(page, f"{name}-sign-in")
    sign_in(page, email)
    expect(page).to_have_url(url)


def sign_out(page: Page) -> None:
    press(page, page.get_by_role("button", name="Sign out"))
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def expect_banner(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def progress_row(page: Page, organisation: str) -> Locator:
    table = page.get_by_role("table", name="Progress by organisation on this action")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=organisation, exact=True))


@pytest.fixture
def organisations():
    """Two organisations taking part in the review, each with the person who will be its nominated contact."""
    police = AgencyFactory(name="Wessex Police", kind=AgencyKind.POLICE)
    trust = AgencyFactory(name="Wessex Healthcare NHS Trust", kind=AgencyKind.NHS_TRUST)
    return [
        (police, UserFactory(email="contact@police.example.org", agency=police, roles=[Role.PRACTITIONER])),
        (trust, UserFactory(email="contact@trust.example.org", agency=trust, roles=[Role.PRACTITIONER])),
    ]


@pytest.fixture
def plan(board_officer):
    """This year's business plan: SAB1, its objective on meetings, and the action that names measure MEET1."""
    year = financial_year_of(timezone.localdate())
    procedures = board_services.subgroup_create(acting_user=board_officer, name=board_seed.PROCEDURES)
    plan = board_services.business_plan_create(
        acting_user=board_officer, title="Safeguarding Adults Board Business Development Plan", year=year
    )
    priority = board_services.priority_create(
        acting_user=board_officer,
        plan=plan,
        code=SAB1["code"],
        title=SAB1["title"],
        joint_with=SAB1["joint_with"],
        statement=SAB1["statement"],
        rationale=SAB1["rationale"],
        what_different=SAB1["what_different"],
        partnership_lead=SAB1["partnership_lead"],
        delivery_mechanism=procedures,
    )
    objective_text, actions = next(
        (text, actions) for text, actions in SAB1["objectives"] if any(a[5] == "MEET1" for a in actions)
    )
    what, _due, _when, _subgroup, how_measured, code = next(a for a in actions if a[5] == "MEET1")
    objective = board_services.objective_create(acting_user=board_officer, priority=priority, text=objective_text)
    board_services.action_create(
        acting_user=board_officer,
        objective=objective,
        what=what,
        due_date=datetime.date(year + 1, 3, 31),
        responsible_subgroup=procedures,
        how_measured=how_measured,
        measure_code=code,
    )
    return plan


@pytest.fixture
def meetings_held():
    """Two meetings held this financial year, both in its first quarter (April to June).

    Meeting 1 invited A, B and C: A and B attended, C sent apologies. Meeting 2 invited A and B:
    A attended, B did not. Invited and attended: A 2 of 2, B 1 of 2, C 0 of 1, so 3 of 5 (60%).
    """
    today = timezone.localdate()
    start = datetime.date(financial_year_of(today), 4, 1)
    second = min(start + datetime.timedelta(days=30), today)
    world = World()
    for key, name in (("A", "Northmoor Council"), ("B", "Northmoor Police"), ("C", "Northmoor Health")):
        world.agencies[key] = AgencyFactory(name=name)
        world.users[key] = UserFactory(agency=world.agencies[key], roles=[Role.MANAGER])
    case = _case(world, "c1", lead="A", raised=start.isoformat())
    first_meeting = _meeting(world, "m1", case, on=start.isoformat())
    _invite(world, first_meeting, "A", "attended")
    _invite(world, first_meeting, "B", "attended")
    _invite(world, first_meeting, "C", "apologies")
    second_meeting = _meeting(world, "m2", case, on=second.isoformat())
    _invite(world, second_meeting, "A", "attended")
    _invite(world, second_meeting, "B", "did_not_attend")
    return start


def test_board_officer_and_a_nominated_contact_keep_a_review_plan_and_read_the_live_figures(
    page: Page, live_server, check_page, board_officer, organisations, plan, meetings_held
):
    (first, first_contact), (second, second_contact) = organisations

    # 1. The board officer signs in and goes from "Your work" to the board's home.
    sign_in_on_the_way(page, check_page, f"{live_server.url}{reverse('dashboards:home')}", board_officer.email, "b01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    check_page(page, "b02-your-work")
    press(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board"))
    expect(page).to_have_url(f"{live_server.url}{reverse('board:home')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("The board's business plans")
    check_page(page, "b03-board-home")

    # 2. The reviews: record BPSCR4 through the form, refused first without its details.
    press(page, page.get_by_role("link", name="Safeguarding Adults Reviews and their action plans"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding Adults Reviews")
    expect(page.get_by_text("No reviews yet.")).to_be_visible()
    check_page(page, "b04-reviews")
    press(page, page.get_by_role("button", name="Record a review"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a Safeguarding Adults Review")
    check_page(page, "b05-record-review")
    press(page, page.get_by_role("button", name="Save"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the review's reference, like BPSCR4")).to_be_visible()
    expect(summary.get_by_role("link", name="Select whether the adult died")).to_be_visible()
    check_page(page, "b06-record-review-errors")

    page.get_by_label("Reference").fill(sar_seed.REFERENCE)
    page.get_by_label("Title").fill(f"Multi-agency action plan for {sar_seed.REFERENCE} (X, Y and Z)")
    page.get_by_label("How the review names the adults").fill("X, Y and Z")
    fill_date(page, "Date referred for a review", datetime.date(2015, 9, 14))
    fill_date(page, "Date the board decided to hold the review", datetime.date(2015, 10, 26))
    choose(page, page.get_by_role("group", name="Did the adult die?").get_by_label("Yes"))
    page.get_by_label("Summary").fill(sar_seed.SUMMARY)
    press(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("BPSCR4 (X, Y and Z)")
    expect_banner(page, "Review recorded. Now add the organisations taking part")
    check_page(page, "b07-review-recorded")

    # Two organisations take part, each with its nominated contact.
    for number, (agency, contact) in enumerate(organisations, start=1):
        press(page, page.get_by_role("link", name="Add an organisation taking part"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation taking part")
        if number == 1:
            check_page(page, "b08-add-organisation")
        page.get_by_label("Organisation").select_option(label=agency.name)
        page.get_by_label("Nominated contact").select_option(label=f"{contact.full_name} ({agency.name})")
        press(page, page.get_by_role("button", name="Add"))
        expect_banner(page, "Organisation added to the plan")
    organisations_table = page.get_by_role("table", name="Progress entries by organisation and RAG status")
    for agency, contact in organisations:
        row = organisations_table.get_by_role("row").filter(has_text=agency.name)
        expect(row).to_contain_text(f"Contact: {contact.full_name}")
    check_page(page, "b09-organisations-added")

    # The theme, recommendation 1 and the board's response to it.
    press(page, page.get_by_role("link", name="Add a theme"))
    check_page(page, "b10-add-theme")
    page.get_by_label("Theme").fill(sar_seed.THEME)
    press(page, page.get_by_role("button", name="Add"))
    expect_banner(page, "Theme added")
    expect(page.get_by_role("heading", name=sar_seed.THEME)).to_be_visible()

    press(page, page.get_by_role("link", name="Add a recommendation"))
    check_page(page, "b11-add-recommendation")
    page.get_by_label("Theme").select_option(label=sar_seed.THEME)
    page.get_by_label("Number").fill("1")
    page.get_by_label("Recommendation").fill(RECOMMENDATION)
    press(page, page.get_by_role("button", name="Add"))
    expect_banner(page, "Recommendation added. Record the board's response to it")
    expect(page.get_by_role("heading", name=re.compile(r"^Recommendation 1"))).to_be_visible()
    expect(page.get_by_text("Review of the application of the Assessment and Care Planning policy")).to_be_visible()

    press(page, page.get_by_role("link", name="Record the response to recommendation 1"))
    check_page(page, "b12-respond")
    choose(page, page.get_by_label("Accepted", exact=True))
    press(page, page.get_by_role("button", name="Save"))
    expect_banner(page, "Response recorded")

    press(page, page.get_by_role("link", name="Add an action on recommendation 1"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action on recommendation 1")
    check_page(page, "b13-add-action")
    page.get_by_label("Action", exact=True).fill(ACTION)
    press(page, page.get_by_role("button", name="Add"))
    expect_banner(page, "Action added. Each organisation taking part can now report its progress")
    expect(page.get_by_text("Set up a Multi-Agency Task and Finish Group")).to_be_visible()
    for agency, _contact in organisations:
        expect(progress_row(page, agency.name)).to_contain_text("Not reported yet")
    check_page(page, "b14-action-added")

    # The board officer may keep any organisation's progress: they report the second one's.
    second_update = re.compile(f"^Update the progress of {second.name}$")
    press(page, progress_row(page, second.name).get_by_role("link", name=second_update))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Progress: {second.name}")
    check_page(page, "b15-progress-form-board-officer")
    page.get_by_label("Progress", exact=True).fill(
        "Named nurse for safeguarding adults joins the task and finish group."
    )
    choose(page, page.get_by_label("Amber: at risk"))
    press(page, page.get_by_role("button", name="Save progress"))
    expect_banner(page, f"Progress saved for {second.name}")
    expect(progress_row(page, second.name)).to_contain_text("Named nurse for safeguarding adults joins")
    expect(progress_row(page, second.name)).to_contain_text("Amber: at risk")
    check_page(page, "b16-progress-saved-board-officer")
    sign_out(page)

    # 3. The first organisation's nominated contact finds the review and keeps their own entry only.
    action = ReviewAction.objects.get(recommendation__review__reference=sar_seed.REFERENCE)
    reviews_url = f"{live_server.url}{reverse('sar:list')}"
    sign_in_on_the_way(page, check_page, reviews_url, first_contact.email, "b17")
    expect(page.get_by_text("The reviews your organisation takes part in")).to_be_visible()
    check_page(page, "b18-reviews-nominated-contact")
    press(page, page.get_by_role("link", name=sar_seed.REFERENCE))
    expect(page.get_by_role("heading", level=1)).to_have_text("BPSCR4 (X, Y and Z)")
    expect(page.get_by_role("link", name="Add an organisation taking part")).to_have_count(0)
    expect(progress_row(page, second.name).get_by_role("link")).to_have_count(0)
    check_page(page, "b19-review-nominated-contact")

    press(page, progress_row(page, first.name).get_by_role("link", name=f"Update the progress of {first.name}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Progress: {first.name}")
    check_page(page, "b20-progress-form-nominated-contact")
    page.get_by_label("Progress", exact=True).fill(
        "The force's safeguarding lead has joined the task and finish group."
    )
    page.get_by_label("Evidence").fill("Terms of reference, signed off in the first meeting.")
    choose(page, page.get_by_label("Green: on track"))
    press(page, page.get_by_role("button", name="Save progress"))
    expect_banner(page, f"Progress saved for {first.name}")
    saved = progress_row(page, first.name)
    expect(saved).to_contain_text("The force's safeguarding lead has joined the task and finish group.")
    expect(saved).to_contain_text("Green: on track")
    expect(saved).to_contain_text(first_contact.full_name)
    check_page(page, "b21-progress-saved-nominated-contact")
    entry = Progress.objects.get(review_action=action, review_organisation__agency=first)
    assert (entry.rag, entry.updated_by_id) == ("green", first_contact.pk)

    # The other organisation's entry is not theirs: asked for directly, the page is refused.
    other = Progress.objects.get(review_action=action, review_organisation__agency=second)
    other_url = reverse("sar:progress", kwargs={"review_id": action.recommendation.review_id, "progress_id": other.pk})
    response = page.goto(f"{live_server.url}{other_url}")
    assert response.status == 403
    check_page(page, "b22-other-organisation-refused")
    other.refresh_from_db()
    assert (other.rag, other.updated_by_id) == ("amber", board_officer.pk)
    sign_out(page)

    # 4. The board officer opens the plan: SAB1's objective shows the live attendance figures.
    sign_in_on_the_way(page, check_page, f"{live_server.url}{reverse('board:home')}", board_officer.email, "b23")
    press(page, page.get_by_role("link", name=plan.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
    sab1 = page.get_by_role("region", name=re.compile(r"^Priority SAB1"))
    expect(sab1.get_by_role("heading", level=3)).to_contain_text("Multi-agency meetings to safeguard adults")
    year_label = financial_year_label(plan.year)
    expect(sab1.get_by_role("heading", level=4)).to_have_text(
        f"Live from casework: Agencies attending the meetings they were invited to, {year_label}"
    )
    chart = sab1.get_by_role(
        "img", name=re.compile(r"^Agencies attending the meetings they were invited to, by quarter")
    )
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile(rf"Apr to Jun {plan.year}: 60%"))
    data = sab1.get_by_role("table", name="The data, by quarter")
    # Worked out by hand from the meetings held: 3 attendances out of 5 invitations.
    expect(data.get_by_role("row", name=re.compile(rf"^Apr to Jun {plan.year}"))).to_contain_text("60% (3 of 5)")
    expect(data.get_by_role("row", name=re.compile(r"^The year"))).to_contain_text("60% (3 of 5)")
    expect(data.get_by_role("row", name=re.compile(rf"^Jul to Sep {plan.year}"))).to_contain_text("No data")
    check_page(page, "b24-business-plan-live-figures")
