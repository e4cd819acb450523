"""Two journeys in a real browser, each page checked with axe.

1. From a concern to closure, following the case page's "What next" alone: the manager opens the
   first task still to do, completes it, comes back to the case page, and goes on until the case is
   closed. After the planning meeting What next leads to the records the planning stage owes (the
   risk assessment agreed, capacity assessed, the adult's copy, the contingency plan) before setting
   up the review; the first review continues the plan, the second recommends closure, and What next
   leads the manager to the closure checks and the sign-off.
2. The duty desk with a name and a year of birth alone ("born 1950"): the duty officer finds the
   man on the high-risk register among namesakes, opens his card and logs the call, and the named
   professional finds the alert waiting on their home page.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from marm.cases.models import Case
from marm.meetings.models import Meeting
from marm.meetings.vocab import MeetingKind
from marm.organisations.models import Team
from marm.register.models import ContactAlert
from marm.register.services import register_entry_add
from marm.risk.models import RiskAssessmentVersion
from tests.browser.test_case_journeys import (
    expect_banner,
    group,
    open_signed_in,
    raise_concern,
    sign_out,
)
from tests.browser.test_risk_journey import functional_test, rate_the_rest
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser

# Most tasks take one form; a meeting takes several. Enough rounds for the path to closure.
MOST_TASKS = 20

CLOSURE_RECOMMENDED = "Recommend closure: risks resolved or managed to an acceptable level"

# The planning meeting's key actions done only by records What next offers after it: minuted then
# as not addressed, with the reason the records give.
MADE_AFTER_PLANNING = [
    "Produce a collaborative and holistic assessment of the risks",
    "Agree a contingency and an escalation plan",
    "Ensure the adult is given a copy of the risk assessment",
]


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    dates = group(page, legend)
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# What next on the case page: the task list labelled by its heading.


def what_next(page: Page) -> Locator:
    return page.get_by_role("list", name="What next")


def stage_line(page: Page) -> Locator:
    return page.get_by_text(re.compile(r"Stage \d of \d: "))


@dataclass(frozen=True)
class Task:
    text: str
    status: str
    link: Locator | None


def tasks(page: Page) -> list[Task]:
    """Each line of What next: its text, its status (Done, To do, Overdue) and its link, if it has one."""
    expect(page.get_by_role("heading", name="What next")).to_be_visible()
    found = []
    for item in what_next(page).get_by_role("listitem").all():
        links = item.get_by_role("link")
        link = links.first if links.count() else None
        name = item.locator(".govuk-task-list__name-and-hint > :first-child")
        status = item.locator(".govuk-task-list__status").inner_text().strip()
        found.append(Task(name.inner_text().strip(), status, link))
    return found


def first_task_to_do(page: Page) -> Task:
    """The first task not done that offers a link; fail naming the task What next is stuck on."""
    lines = tasks(page)
    to_do = [task for task in lines if task.status != "Done"]
    for task in to_do:
        if task.link is not None:
            return task
    stuck = to_do[0].text if to_do else "nothing is left to do"
    pytest.fail(
        f"What next offers no link to go on before the first review: stuck on {stuck!r} "
        f"({stage_line(page).inner_text()}). Lines: {[(task.text, task.status) for task in lines]}",
        pytrace=False,
    )


def expect_task(page: Page, pattern: str, status: str) -> None:
    # Matched on the text of the line (its status follows the text).
    line = what_next(page).get_by_role("listitem").filter(has_text=re.compile(pattern))
    expect(line).to_have_count(1)
    expect(line.locator(".govuk-task-list__status")).to_have_text(status)


def expect_no_task(page: Page, pattern: str) -> None:
    expect(what_next(page).get_by_role("listitem").filter(has_text=re.compile(pattern))).to_have_count(0)


# The forms each task leads to, completed with valid synthetic data.


@dataclass
class Journey:
    page: Page
    check_page: Callable
    case_url: str
    manager: object
    lead: object
    seen: set
    planning_held: bool = False
    # A version of the risk assessment agreed after the planning meeting: the review may say it
    # updated the assessment.
    agreed_since_planning: bool = False
    # The day the planning meeting was held: the risk assessment is agreed as of that day.
    planning_day: datetime.date | None = None

    def check_once(self, kind: str) -> None:
        """Run check_page on the first page of each kind visited."""
        if kind not in self.seen:
            self.seen.add(kind)
            self.check_page(self.page, f"what-next-{len(self.seen):02d}-{kind}")

    def heading(self, text: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(text)


def screen_the_concern(journey: Journey) -> None:
    page = journey.page
    journey.heading("Screen the concern")
    journey.check_once("screen")
    group(page, "Does the section 42 enquiry duty apply?").get_by_label("No", exact=True).check()
    page.get_by_label("Would another process fit better?").select_option(label="No other process: MARM fits")
    group(page, "Outcome").get_by_label("Accept into MARM").check()
    page.get_by_label("Rationale").fill(
        "Capacity to decide is assumed and she refuses care; no one else harms her, so section 42 does not apply."
    )
    group(page, "Legislation and guidance relied on").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Record screening").click()
    expect(page).to_have_url(journey.case_url)
    expect_banner(page, "Screening recorded")


def allocate_the_lead(journey: Journey) -> None:
    page = journey.page
    journey.heading("Allocate the lead professional")
    journey.check_once("allocate")
    page.get_by_label("Lead professional").select_option(label=f"{journey.lead.full_name} ({journey.lead.agency})")
    page.get_by_label("Why them?").fill("She has visited twice and the adult lets her in.")
    page.get_by_role("button", name="Allocate").click()
    expect(page).to_have_url(journey.case_url)
    expect_banner(page, "is the lead professional")


def name_the_lead_worker(journey: Journey) -> None:
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Name the lead worker")
    journey.check_once("lead-worker")
    page.get_by_label("Your agency's lead worker").select_option(label=str(journey.lead))
    page.get_by_role("button").filter(has_text=re.compile("Name|Save|Continue")).first.click()
    expect(page).to_have_url(journey.case_url)


def schedule_meeting(journey: Journey, kind: str, day: datetime.date) -> None:
    """The meeting was held on ``day``: recorded after the event, as a chair often does."""
    page = journey.page
    journey.heading("Schedule a meeting")
    journey.check_once("schedule")
    # What next leads to the kind of meeting due: it is chosen already.
    expect(group(page, "Kind of meeting").get_by_label(kind, exact=True)).to_be_checked()
    fill_date(page, "Date", day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("Place").fill("Civic Centre, Room 4")
    page.get_by_label("Chair").select_option(label=f"{journey.manager.full_name} ({journey.manager.agency})")
    page.get_by_label("Agenda").fill("The fire risk; her refusal of care")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect_banner(page, f"{kind} scheduled")


def agree_the_risk_assessment(journey: Journey, case) -> None:
    """Start the draft, write one aspect here (the rest as other agencies' work done elsewhere), the
    overview, then agree and lock version 1."""
    page = journey.page
    journey.heading("Risk assessment")
    journey.check_once("risk-assessment")
    page.get_by_role("link", name="Start the risk assessment").click()
    page.get_by_role("button", name="Start the draft").click()
    expect_banner(page, "Version 1 started as a draft")
    page.get_by_role("link", name="Observation of the home situation and environmental factors").click()
    journey.check_once("risk-aspect")
    page.get_by_label("What is known").fill("Boxes fill the hallway; the back door is blocked.")
    group(page, "How likely is harm?").get_by_label(re.compile(r"^Likely")).check()
    group(page, "How bad would it be?").get_by_label(re.compile(r"^Grave")).check()
    page.get_by_label("The adult's own view").fill("I know where everything is.")
    page.get_by_role("button", name="Save this aspect").click()
    expect_banner(page, f"saved for {journey.manager.agency.name}")
    rate_the_rest(RiskAssessmentVersion.objects.get(assessment__case=case, number=1), journey.lead)
    page.get_by_role("link", name="Change the overview and plan summary").click()
    page.get_by_label("What matters to the adult").fill("Her cat and staying in her own home.")
    page.get_by_label("The adult's strengths").fill("Talks to her neighbour every day.")
    group(page, "Overall level of risk").get_by_label("High", exact=True).check()
    page.get_by_label("Summary of the plan").fill("Weekly visits by the lead professional; smoke alarms fitted.")
    journey.check_once("risk-overview")
    page.get_by_role("button", name="Save the overview").click()
    expect_banner(page, "The overview and plan summary are saved")
    page.get_by_role("link", name="Agree version 1").click()
    journey.check_once("risk-agree")
    group(page, "How was it agreed?").get_by_label("At a multi-agency meeting").check()
    fill_date(page, "Date agreed", journey.planning_day or timezone.localdate())
    page.get_by_label("Who agreed it, and where").fill("Agreed with the agencies at the planning meeting.")
    page.get_by_role("button", name="Agree and lock this version").click()
    expect_banner(page, "Version 1 agreed and locked")
    journey.agreed_since_planning = journey.planning_held


def assess_capacity(journey: Journey) -> None:
    """The concern doubted her executive capacity: she can decide, but cannot carry it out."""
    page = journey.page
    journey.heading("Record a mental capacity assessment")
    journey.check_once("capacity")
    page.get_by_label("The decision", exact=True).fill("Whether to accept help to clear the hallway")
    fill_date(page, "Date of the assessment", timezone.localdate())
    page.get_by_label("Practicable steps taken to help the adult decide").fill("Morning visit, her niece there.")
    functional_test(page, ["Yes", "Yes", "Yes", "Yes"])
    group(page, "Decisional capacity").get_by_label("Has capacity").check()
    group(page, "Executive capacity").get_by_label("Cannot carry the decision out").check()
    page.get_by_label("Evidence about carrying the decision out").fill("Agreed three times; has not started.")
    group(page, "Outcome for this decision").get_by_label("Has capacity").check()
    page.get_by_label("Reasons for the outcome").fill("Understands and decides; needs help to act on it.")
    fill_date(page, "Look at capacity again by", timezone.localdate() + datetime.timedelta(days=180))
    page.get_by_role("button", name="Record the assessment").click()
    expect_banner(page, "Capacity assessment recorded")


def give_the_adult_a_copy(journey: Journey) -> None:
    page = journey.page
    journey.heading("The adult's copies")
    journey.check_once("copies")
    group(page, "Which copy?").get_by_label("Easy-read copy").check()
    fill_date(page, "Date given to the adult", timezone.localdate())
    group(page, "How was it given?").get_by_label("Handed to them in person").check()
    page.get_by_role("button", name="Record and make the copy").click()
    expect_banner(page, "Recorded: easy-read copy of version 1 given")


def agree_the_contingency_plan(journey: Journey) -> None:
    page = journey.page
    journey.heading("Agree the contingency and escalation plan")
    journey.check_once("contingency")
    page.get_by_label("What the plan is for").fill("If she stops answering the door or there is a fire.")
    trigger = page.get_by_role("group", name="Trigger 1")
    trigger.get_by_label("If this happens").select_option(label="Missed contacts")
    trigger.get_by_label("Threshold").fill("Two missed visits in a week")
    trigger.get_by_label("What to do").fill("Joint visit by the lead professional and the police within 48 hours")
    trigger.get_by_label("Who to contact").fill("The lead professional; out of hours the emergency duty team")
    trigger.get_by_label("Escalation route").select_option(label="Senior manager of the lead agency")
    page.get_by_role("button", name="Agree the plan").click()
    expect_banner(page, "Contingency and escalation plan agreed")


def close_the_case(journey: Journey) -> None:
    """The closure checks page, then the sign-off: each risk the assessment identified accounted for."""
    page = journey.page
    journey.heading("Closing the case")
    journey.check_once("closure")
    page.get_by_role("link", name="Close the case").click()
    journey.check_once("close")
    group(page, "Why is the case closing?").get_by_label(
        "The risks are resolved or managed to an acceptable level"
    ).check()
    page.get_by_label("Rationale").fill("The review agreed the risks are managed: the hallway is clear.")
    risks = page.locator("fieldset").filter(has=page.locator("legend", has_text=re.compile("^Risk: ")))
    assert risks.count(), "The closure form lists no identified risk to account for"
    for index in range(risks.count()):
        risk = risks.nth(index)
        label = risk.locator("legend").first.inner_text().strip().removeprefix("Risk: ")
        risk.get_by_label("Managed to an acceptable level").check()
        page.get_by_label(f"Why, for: {label}", exact=True).fill("Reviewed at the last meeting: managed by the plan.")
    page.get_by_label("Ongoing support").fill("Homecare continues; a fire safety visit every six months.")
    group(page, "Agencies that agreed the ongoing support").get_by_role("checkbox").first.check()
    page.get_by_label("Handed over to single-agency case management in").select_option(
        label=journey.manager.agency.name
    )
    page.get_by_label("Handed over to (team or person)").fill("Locality Team North")
    page.get_by_label("Information and advice given to the adult").fill(
        "The duty number, and that she can ask for a reassessment at any time."
    )
    page.get_by_role("button", name="Sign off the closure").click()
    expect(page).to_have_url(journey.case_url)
    expect_banner(page, "The case is closed and the closure signed off")


def hold_meeting(journey: Journey, kind: str, next_review: datetime.date | None) -> list[str]:
    """Attendance, the adult's views, (for planning) an action, each key action, then finish: with
    the next review's date, or (None) recommending closure. Returns the key actions the records did
    not bear out, minuted as not addressed."""
    page = journey.page
    expect(page.get_by_role("heading", level=1)).to_contain_text(kind)
    journey.check_once("meeting")

    page.get_by_role("link", name="Record attendance").click()
    journey.heading("Who attended")
    for select in page.get_by_label(re.compile(r": attendance$")).all():
        select.select_option("attended")
    journey.check_once("attendance")
    page.get_by_role("button", name="Save attendance").click()
    expect_banner(page, "Attendance recorded")

    page.get_by_role("link", name="Record the adult's participation and views").click()
    group(page, "Did the adult attend?").get_by_label("No").check()
    page.get_by_label("The adult's views and wishes").fill("I want to stay in my home and keep my things.")
    page.get_by_label("Who gathered their views?").fill("The lead professional, at a home visit")
    group(page, "Was an advocate offered?").get_by_label("Yes").check()
    journey.check_once("adult")
    page.get_by_role("button", name="Save").click()
    expect_banner(page, "participation is recorded")

    # The action plan is agreed before its key action is minuted.
    if kind == "Planning meeting":
        page.get_by_role("link", name="Add a SMART action").click()
        journey.check_once("action")
        page.get_by_label("What will be done").fill("Fit smoke alarms and give fire safety advice")
        page.get_by_label("Agency").select_option(label=str(journey.lead.agency))
        page.get_by_label("Lead (in marm)").select_option(label=f"{journey.lead.full_name} ({journey.lead.agency})")
        fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=14))
        group(page, "Risks it addresses").get_by_role("checkbox").first.check()
        page.get_by_role("button", name="Add the action").click()
        expect_banner(page, "Action added")

    minutes = page.locator("#minutes ~ table").first
    expect(minutes.get_by_role("link").first).to_be_visible()
    labels = [link.inner_text() for link in minutes.locator("a.govuk-link").all()]
    assert labels, "The meeting page lists no key actions to minute"
    refused = []
    for label in labels:
        page.get_by_role("link", name=label, exact=True).click()
        journey.check_once("minutes-item")
        group(page, "Was this addressed?").get_by_label("Addressed", exact=True).check()
        page.get_by_label("Notes").fill(f"Discussed: {label.lower()}.")
        page.get_by_role("button", name="Save").click()
        outcome = page.locator(".govuk-notification-banner--success, .govuk-error-summary")
        expect(outcome).to_be_visible()
        if page.locator(".govuk-error-summary").count():
            # The records do not bear the key action out: minuted as not addressed, saying why.
            why = page.locator(".govuk-error-summary").get_by_role("link").first.inner_text()
            refused.append(label)
            group(page, "Was this addressed?").get_by_label("Not addressed", exact=True).check()
            page.get_by_label("If not addressed, why not?").fill(why)
            page.get_by_role("button", name="Save").click()
        expect_banner(page, "Minutes recorded")

    page.get_by_role("link", name="Finish the meeting").click()
    journey.check_once("finish")
    if next_review is None:
        group(page, "Outcome").get_by_label(CLOSURE_RECOMMENDED).check()
        page.get_by_label("Rationale").fill("The hallway has stayed clear for three months and she accepts homecare.")
    else:
        group(page, "Outcome").get_by_label("Continue: review at the next meeting").check()
        fill_date(page, "Date of the next review meeting", next_review)
    page.get_by_role("button", name="Finish").click()
    expect_banner(page, "Meeting finished")
    return refused


def test_a_manager_follows_what_next_from_a_concern_to_closure(
    page: Page, live_server, check_page, practitioner_a, manager_a, care_act
):
    base = live_server.url
    person = PersonFactory(created_by=practitioner_a, given_name="Maud", family_name="Ashcroft")
    today = timezone.localdate()
    planning_day = today - datetime.timedelta(days=3)
    # Each review meeting is recorded the day after it was held; the second recommends closure.
    review_days = [today - datetime.timedelta(days=2), today - datetime.timedelta(days=1)]
    reviews_due = [today + datetime.timedelta(days=42), today + datetime.timedelta(days=90)]
    first_review_due = reviews_due[0]

    # The practitioner raises the concern from the person's page; What next says who acts next.
    open_signed_in(page, f"{base}{reverse('people:detail', kwargs={'pk': person.pk})}", practitioner_a.email)
    case = raise_concern(page, check_page, "Maud Ashcroft", shot="what-next-00-")
    case_url = f"{base}{reverse('cases:detail', kwargs={'case_pk': case.pk})}"
    expect(stage_line(page)).to_have_text("Stage 1 of 4: Concern and screening.")
    expect_task(page, f"A manager of {practitioner_a.agency.name} screens the concern", "To do")
    expect(what_next(page).get_by_role("link")).to_have_count(0)
    sign_out(page, base)

    # The manager follows What next alone.
    open_signed_in(page, case_url, manager_a.email)
    journey = Journey(page, check_page, case_url, manager_a, practitioner_a, seen=set(), planning_day=planning_day)
    journey.check_once("case-concern")
    done = []
    reviews_held = 0
    for _round in range(MOST_TASKS):
        page.goto(case_url)
        case.refresh_from_db()
        if case.status == "closed":
            break
        task = first_task_to_do(page)
        task.link.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        text = task.text
        if text.startswith("Decide where the concern goes"):
            screen_the_concern(journey)
            expect_no_task(page, "Decide where the concern goes")
            expect(stage_line(page)).to_have_text("Stage 2 of 4: Planning.")
        elif text == "Allocate a lead professional":
            allocate_the_lead(journey)
            expect_task(page, f"Lead professional: {re.escape(practitioner_a.full_name)}", "Done")
        elif text.endswith("names its lead worker"):
            agency = text.removesuffix(" names its lead worker")
            name_the_lead_worker(journey)
            expect_task(page, f"{re.escape(agency)}'s lead worker: {re.escape(practitioner_a.full_name)}", "Done")
        elif text == "Set up the planning meeting":
            schedule_meeting(journey, "Planning meeting", planning_day)
            page.goto(case_url)
            expect_no_task(page, "Set up the planning meeting")
            expect_task(page, f"Hold the planning meeting, set for {long_date(planning_day)}", "To do")
        elif text.startswith("Hold the planning meeting"):
            # The records come after the meeting on this path: it minutes them as not addressed.
            assert hold_meeting(journey, "Planning meeting", first_review_due) == MADE_AFTER_PLANNING
            journey.planning_held = True
            page.goto(case_url)
            expect_task(page, f"Planning meeting held on {long_date(planning_day)}", "Done")
            expect_task(page, f"Next review: by {long_date(first_review_due)}", "To do")
            # What the planning stage owes comes before setting up the review (000 6.1).
            expect(what_next(page).get_by_role("listitem").first).to_contain_text("Agree the multi-agency risk")
        elif text == "Agree the multi-agency risk assessment":
            agree_the_risk_assessment(journey, case)
            page.goto(case_url)
            expect_task(page, "The risk assessment is agreed", "Done")
            expect_task(page, "Give the adult a copy of the latest agreed risk assessment", "To do")
        elif text == "Carry out a capacity assessment":
            assess_capacity(journey)
            page.goto(case_url)
            expect_task(page, "A capacity assessment is recorded", "Done")
        elif text == "Give the adult a copy of the latest agreed risk assessment":
            give_the_adult_a_copy(journey)
            page.goto(case_url)
            expect_task(page, "The adult has a copy of the latest agreed risk assessment", "Done")
        elif text == "Agree the contingency plan: what to do if things get worse":
            agree_the_contingency_plan(journey)
            page.goto(case_url)
            expect_task(page, "The contingency plan is agreed", "Done")
        elif text.startswith("Next review: by") and text.endswith("Set up the review meeting"):
            day = review_days[reviews_held]
            schedule_meeting(journey, "Review meeting", day)
            page.goto(case_url)
            expect_no_task(page, "Set up the review meeting")
            expect_task(page, f"Next review: the review meeting on {long_date(day)}", "Overdue")
        elif text.startswith("Next review: the review meeting on"):
            day = review_days[reviews_held]
            last = reviews_held == len(review_days) - 1
            # The review says it updated the risk assessment and the contingency plan only if new
            # versions were agreed since the last meeting; otherwise each is minuted as not addressed.
            refused = hold_meeting(journey, "Review meeting", None if last else reviews_due[reviews_held + 1])
            if reviews_held == 0:
                assert refused == ([] if journey.agreed_since_planning else ["Update the risk assessment"])
            else:
                assert refused == ["Update the risk assessment", "Update the escalation and contingency plan"]
            reviews_held += 1
            page.goto(case_url)
            expect_no_task(page, "Next review: the review meeting on")
            expect_task(page, f"Review meeting held on {long_date(day)}", "Done")
            expect(stage_line(page)).to_have_text("Stage 3 of 4: Review.")
            if last:
                # No date for another review: the meeting recommended closure, and that comes first.
                expect_no_task(page, "Next review: by")
                expect(what_next(page).get_by_role("listitem").first).to_contain_text(
                    f"The meeting on {long_date(day)} recommended closure"
                )
                check_page(page, "what-next-98-closure-recommended")
            else:
                expect_task(page, f"Next review: by {long_date(reviews_due[reviews_held])}", "To do")
                # The stage 1 key actions are history now: folded away.
                expect(page.get_by_role("heading", name="Stage 1 key actions")).to_have_count(0)
                expect(page.get_by_text("Stage 1 key actions, from the concern")).to_be_visible()
        elif text.startswith("The meeting on") and text.endswith("close the case"):
            close_the_case(journey)
        else:
            pytest.fail(f"What next led to a task this journey does not know: {text!r}", pytrace=False)
        done.append(text)
    else:
        pytest.fail(f"The case was not closed after {MOST_TASKS} tasks: {done}", pytrace=False)

    # The case is closed, from What next alone.
    expect(stage_line(page)).to_have_text("Stage 4 of 4: Closed or routed elsewhere.")
    expect(page.locator("h1 + p > strong.govuk-tag")).to_have_text("Closed")
    check_page(page, "what-next-99-case-closed")
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert Meeting.objects.filter(case=case, kind=MeetingKind.REVIEW, finished_at__isnull=False).count() == 2
    # The planning meeting, what it owes, the reviews, then closure: in that order, from What next alone.
    assert done[done.index("Set up the planning meeting") :] == [
        "Set up the planning meeting",
        f"Hold the planning meeting, set for {long_date(planning_day)}",
        "Agree the multi-agency risk assessment",
        "Carry out a capacity assessment",
        "Give the adult a copy of the latest agreed risk assessment",
        "Agree the contingency plan: what to do if things get worse",
        f"Next review: by {long_date(reviews_due[0])}. Set up the review meeting",
        f"Next review: the review meeting on {long_date(review_days[0])}",
        f"Next review: by {long_date(reviews_due[1])}. Set up the review meeting",
        f"Next review: the review meeting on {long_date(review_days[1])}",
        f"The meeting on {long_date(review_days[1])} recommended closure: check with the agencies and close the case",
    ]
    assert journey.agreed_since_planning


def test_the_duty_officer_finds_a_man_born_1950_among_namesakes_and_the_alert_reaches_his_social_worker(
    page: Page, live_server, check_page, practitioner_a, manager_a, duty_a
):
    base = live_server.url
    team = Team.objects.filter(agency=practitioner_a.agency).first()
    assert duty_a.memberships.get().team == team
    john = PersonFactory(
        created_by=practitioner_a, given_name="John", family_name="Smith", date_of_birth=datetime.date(1950, 3, 9)
    )
    # Namesakes: one born the year after (kept: callers misremember a year), one born long after.
    PersonFactory(
        created_by=practitioner_a, given_name="Jon", family_name="Smith", date_of_birth=datetime.date(1951, 8, 30)
    )
    PersonFactory(
        created_by=practitioner_a, given_name="John", family_name="Smith", date_of_birth=datetime.date(1987, 1, 12)
    )
    register_entry_add(
        acting_user=manager_a,
        team=team,
        person=john,
        criteria=["b", "c"],
        named_professional=practitioner_a,
        reason="Hoarding and fire risk; refuses homecare.",
    )

    # A caller gives a name and "born 1950", nothing more.
    open_signed_in(page, f"{base}{reverse('register:duty')}", duty_a.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Duty desk")
    check_page(page, "duty-yob-1-desk")
    page.get_by_label("Name").fill("John Smith")
    page.get_by_label("Or year of birth (optional)").fill("1950")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 people found")).to_be_visible()
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    # The man on the register comes first; the namesake born in 1987 is not offered.
    first = cards.first
    expect(first.get_by_role("heading", level=3)).to_have_text("John Smith")
    expect(first).to_contain_text("1950")
    expect(first).to_contain_text("On the register")
    expect(first).to_contain_text(practitioner_a.full_name)
    expect(cards.nth(1).get_by_role("heading", level=3)).to_have_text("Jon Smith")
    expect(cards.nth(1)).to_contain_text("Not on your agency's registers")
    expect(page.locator("body")).not_to_contain_text("1987")
    check_page(page, "duty-yob-2-results")

    # The minimal card, then the call logged from it.
    first.get_by_role("link", name="Open the card of John Smith").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("John Smith")
    expect(page.get_by_text("Duty desk", exact=True).first).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("1950")
    check_page(page, "duty-yob-3-card")
    page.get_by_role("link", name="Log a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a contact")
    check_page(page, "duty-yob-4-contact")
    page.get_by_label("Who made contact?").fill("Neighbour, Mr Okafor")
    page.get_by_label("What was it about?").fill("A smell of burning from the flat; he did not answer the door.")
    page.get_by_role("button", name="Log the contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("named professional has been alerted")
    check_page(page, "duty-yob-5-logged")
    alert = ContactAlert.objects.get()
    assert alert.recipient == practitioner_a
    assert alert.entry.person == john
    sign_out(page, base)

    # The named professional signs in: the alert is waiting, from the home page.
    open_signed_in(page, f"{base}{reverse('dashboards:home')}", practitioner_a.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    notifications = page.get_by_role("link", name=re.compile(r"Notifications \(1 unread\)"))
    expect(notifications).to_be_visible()
    check_page(page, "duty-yob-6-home")
    notifications.click()
    check_page(page, "duty-yob-7-notifications")
    page.get_by_role("link", name=re.compile("A contact was logged about someone on your register")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact alert")
    expect(page.get_by_text("A smell of burning from the flat")).to_be_visible()
    expect(page.get_by_text("Neighbour, Mr Okafor")).to_be_visible()
    check_page(page, "duty-yob-8-alert")
