"""Bulk synthetic people, and cases about them, for measuring marm at realistic volumes.

Everything is invented: names, addresses and postcodes come from pools built
once with Faker (en_GB) and combined with a seeded random generator, so the
same seed on an empty database gives the same people. NHS numbers are valid
(modulus 11) and unique: they come from a counter in the 9 series, which the
demo data never uses, and a later run continues after the highest one stored.

With --cases, generated people without a case get one each (see CaseBuilder):
the concern, its history of moves through the lifecycle, the agencies taking
part (each after the lead through a sharing decision), and for screened cases
the screening and its decision, with stage 1 key actions and a lead
professional once accepted. A case that reached planning has the casework the
Safeguarding Adults Board's measures read: its meetings with invitations,
attendance and the adult's participation, the actions agreed there and their
progress, the risk assessment's agreed versions, capacity assessments where
the concern doubted capacity, an escalation for a few, and the closure with
its checks. Some people are referred again within a year of a closure, and
about half the cases carry review themes.

The cases are raised over the four financial years ending with the one that
holds --end-date (today unless given), about a quarter in each, and every
case's history is cut at the end of that day: what would have happened later
has not happened yet, so recent cases are still open and the last meeting of
an open case is not yet finished. All dates come from the seed and the end
date, not the time of the load.

Rows are written with bulk_create, batch by batch, each batch in its own
transaction. Nothing goes through the people or case services, so no audit
rows are written: this is a bulk load by a named command, not anyone reading
or changing a record.
"""

import contextlib
import datetime
import itertools
import random
import re
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker

from marm.cases import vocab
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import (
    Case,
    CaseAgency,
    CaseTheme,
    CaseTransition,
    KeyAction,
    LeadProfessional,
    Screening,
)
from marm.closure import vocab as closure_vocab
from marm.closure.models import (
    AgencyCheck,
    CaseClosure,
    ClosureRiskOutcome,
    EngagementAttempt,
    NonEngagementFlag,
    S42Outcome,
    S42Referral,
)
from marm.decisions.integrity import content_hash
from marm.decisions.models import Decision, DecisionKind
from marm.meetings.models import AdultParticipation, Attendance, Invitation, Meeting
from marm.meetings.vocab import AttendanceStatus, CommitResources, MeetingKind, MeetingOutcome
from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team
from marm.people import nhs_number
from marm.people.models import (
    Address,
    AgencyInvolvement,
    AliasKind,
    DatePrecision,
    InvolvementBasis,
    Person,
    PersonAlias,
)
from marm.plans.models import Action, ActionUpdate
from marm.plans.vocab import ActionSource, ActionStatus, RiskAspect
from marm.risk import vocab as risk_vocab
from marm.risk.models import AdultCopy, CapacityAssessment, RiskAssessment, RiskAssessmentVersion
from marm.sharing.models import QualityTest, SharingBasis, SharingDecision
from marm.sharing.presenters import quality_tests_text

AGENCY_NAME = "Scale agency {}"
TEAM_NAME = "Scale team"
USER_EMAIL = "scale-practitioner-{}@scale.example.org"
AGENCY_KINDS = [
    AgencyKind.ADULT_SOCIAL_CARE,
    AgencyKind.POLICE,
    AgencyKind.NHS_TRUST,
    AgencyKind.HOUSING,
    AgencyKind.GP_PRACTICE,
    AgencyKind.VOLUNTARY_SECTOR,
    AgencyKind.PROBATION,
    AgencyKind.CARE_PROVIDER,
]

# Dates of birth are drawn relative to a fixed day so that a seed always gives
# the same dates, whenever it is run.
REFERENCE_DATE = datetime.date(2026, 1, 1)
NHS_NUMBER_FIRST_PREFIX = 900_000_000
NHS_NUMBER_LAST_PREFIX = 999_999_999

POOL_DRAWS = 4000
YEAR_ONLY_SHARE = 0.10
NHS_NUMBER_SHARE = 0.75
ALIAS_SHARE = 0.10
MIDDLE_NAME_SHARE = 0.25
PREFERRED_NAME_SHARE = 0.05
SECOND_AGENCY_SHARE = 0.20


def _unique(values) -> list[str]:
    """Distinct values in first-seen order (a set would lose the seed's order)."""
    return list(dict.fromkeys(values))


class Pools:
    """Name and address parts, drawn once from Faker and reused for every person."""

    def __init__(self, seed: int):
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.first_names = _unique(fake.first_name() for _ in range(POOL_DRAWS))
        self.last_names = _unique(fake.last_name() for _ in range(POOL_DRAWS))
        self.streets = _unique(fake.street_address() for _ in range(POOL_DRAWS))
        self.towns = _unique(fake.city() for _ in range(POOL_DRAWS))
        self.postcodes = _unique(fake.postcode() for _ in range(POOL_DRAWS))


class NhsNumbers:
    """Valid NHS numbers in order, skipping nine-digit prefixes no check digit can end."""

    def __init__(self, after: str | None):
        self.prefix = int(after[:9]) + 1 if after else NHS_NUMBER_FIRST_PREFIX

    def __next__(self) -> str:
        while self.prefix <= NHS_NUMBER_LAST_PREFIX:
            first_nine = str(self.prefix)
            self.prefix += 1
            check = nhs_number.check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"
        raise CommandError("No NHS numbers left in the range used for generated people")


def _age_in_years(rng: random.Random) -> int:
    """Adults, weighted towards older people as adults at risk often are."""
    band = rng.random()
    if band < 0.25:
        return rng.randint(18, 44)
    if band < 0.55:
        return rng.randint(45, 69)
    return rng.randint(70, 101)


def _date_of_birth(rng: random.Random) -> tuple[datetime.date, str]:
    born = REFERENCE_DATE - datetime.timedelta(days=_age_in_years(rng) * 365 + rng.randint(0, 364))
    if rng.random() < YEAR_ONLY_SHARE:
        return born.replace(month=1, day=1), DatePrecision.YEAR
    return born, DatePrecision.EXACT


CASE_REFERENCE = "MARM-S{:07d}"
CASE_REFERENCE_PREFIX = "MARM-S"
MANAGER_EMAIL = "scale-manager-{}@scale.example.org"
# Cases are raised over this many financial years (1 April to 31 March), the last
# one holding the end date; each year gets about the same number of cases.
FINANCIAL_YEARS = 4

S = CaseStatus
# What screening decides. The case's stage today follows from its history and
# the end date: most cases of earlier years are routed or closed, recent ones open.
SCREENING_WEIGHTS = {"accept": 72, "route": 14, "nfa": 14}
# How many review meetings a MARM case has before it closes; a few run for a year or more.
REVIEW_COUNT_WEIGHTS = {0: 12, 1: 24, 2: 24, 3: 16, 4: 10, 5: 5, 6: 3, 7: 2, 8: 2, 10: 1, 12: 1}
ESCALATION_SHARE = 0.05
NO_ENQUIRY_SHARE = 0.55
NON_ENGAGEMENT_CLOSURE_SHARE = 0.15
# People referred again within a year of a closure.
RE_REFERRAL_SHARE = 0.08
# Agencies beyond the person's own that join an accepted case (through a sharing decision).
EXTRA_AGENCY_WEIGHTS = {0: 40, 1: 45, 2: 15}
THEMED_SHARE = 0.5

CONCERN_TEXTS = [
    "Hoarding has blocked the exits and the fire service found the smoke alarm disconnected.",
    "Refusing personal care and meals from the care agency; weight loss reported by the GP.",
    "Neighbours report a man staying at the flat and taking her money on benefit day.",
    "Repeated calls to the police when drinking; falls at home and missed hospital appointments.",
    "Not collecting medication; the flat is cold and the electricity meter is empty.",
    "Declines district nurse visits for leg ulcers that are now infected.",
    "Rent arrears and an eviction notice; refuses to engage with the housing officer.",
    "Family member controls his bank card and visitors; he appears frightened to speak.",
    "Discharged from hospital twice this month; not eating and the home is unsafe.",
    "Sleeping rough again after leaving supported housing; drinking heavily.",
]
CARE_TEXTS = [
    "",
    "",
    "Home care twice a day, often refused at the door.",
    "Weekly visits from a community mental health nurse.",
    "None: declined a care needs assessment last year.",
    "Daughter visits at weekends; no formal care.",
    "Day centre two days a week, attendance lapsed.",
]
OTHERS_AT_RISK_TEXTS = [
    "Grandchildren stay at weekends.",
    "Lives with a partner who also has care needs.",
    "Neighbours in the flats below because of the fire risk.",
]
VIEWS_ON_SHARING_TEXTS = [
    "Agrees to agencies sharing information to keep him safe.",
    "Agrees to sharing with the GP and housing only.",
    "Does not want the police told, but understands why they may need to be.",
    "Says she does not mind who knows as long as she can stay at home.",
]
ACCEPT_RATIONALES = [
    "Has capacity and refuses support; no third-party abuse, so no s42 duty. MARM fits.",
    "Risk of significant harm, repeated concerns from several agencies and no plan in place.",
    "Self-neglect with hoarding and a fire risk; single-agency work has not reduced the risk.",
    "Disengaged from services despite serious health needs; agencies need a shared plan.",
]
NFA_RATIONALES = [
    "Needs are met by the care package now in place; no risk of significant harm.",
    "The concern was resolved before screening: the adult has accepted support.",
    "Entry criteria not met: one agency can manage the risk with its usual support.",
]
OPTIONS_TEXTS = [
    "",
    "MARM, a section 42 enquiry, single-agency support.",
    "MARM or a referral to the Harm Reduction Forum.",
]
ROUTES = [
    # (process, routed to, what was sent)
    (vocab.OtherProcess.S42, "Adult safeguarding team", "The concern form and chronology"),
    (vocab.OtherProcess.MARAC, "MARAC coordinator", "DASH and referral form"),
    (vocab.OtherProcess.CPA, "Community mental health team", "The concern and GP summary"),
    (vocab.OtherProcess.MAPPA, "MAPPA coordinator", "The concern and police summary"),
    (vocab.OtherProcess.HARM_REDUCTION, "Harm Reduction Forum", "The concern form"),
    (vocab.OtherProcess.EXPLOITATION, "Exploitation panel", "The concern and police intelligence summary"),
    (vocab.OtherProcess.SINGLE_AGENCY, "Adult social care locality team", "The concern form"),
]
CLOSE_RATIONALES = [
    "Risk reduced; agencies continue their usual support",
    "The adult now accepts care and support; risk managed",
    "Moved to residential care; the risks are managed there",
    "The adult has moved out of the area; the new authority has been told",
]
NON_ENGAGEMENT_RATIONALES = [
    "Repeated attempts by every agency have not reached her; the risk assessment is current and each agency "
    "in contact has been checked with.",
    "He declines all contact and has capacity to do so; agencies have been checked with and know how to "
    "raise a new concern.",
]
CAPACITY_NOT_APPLICABLE = "No concerns about capacity on this issue: an assessment is not needed."
SECOND_AGENCY_LEAD_WORKER_SHARE = 0.5

# Meetings
PLACES = [
    "Lead agency office, meeting room 2",
    "The adult's home",
    "GP surgery meeting room",
    "Civic centre, room 14",
    "Video call",
]
NAMED_ROLES = {
    AgencyKind.ADULT_SOCIAL_CARE: ["Social worker", "Occupational therapist", "Team manager"],
    AgencyKind.POLICE: ["Neighbourhood officer", "Vulnerability coordinator"],
    AgencyKind.NHS_TRUST: ["Community psychiatric nurse", "District nurse", "Hospital discharge coordinator"],
    AgencyKind.HOUSING: ["Housing officer", "Tenancy sustainment officer"],
    AgencyKind.GP_PRACTICE: ["GP", "Practice nurse"],
    AgencyKind.VOLUNTARY_SECTOR: ["Support worker", "Befriending coordinator"],
    AgencyKind.PROBATION: ["Probation officer"],
    AgencyKind.CARE_PROVIDER: ["Care coordinator", "Registered manager"],
}
ATTENDANCE_WEIGHTS = {
    AttendanceStatus.ATTENDED: 70,
    AttendanceStatus.APOLOGIES: 12,
    AttendanceStatus.SENT_INFORMATION: 10,
    AttendanceStatus.DID_NOT_ATTEND: 8,
}
COMMIT_WEIGHTS = {CommitResources.YES: 60, CommitResources.NO: 15, CommitResources.NOT_ASKED: 25}
ADULT_ATTENDED_SHARE = 0.3
ADULT_VIEWS_SHARE = 0.8  # of the meetings the adult did not attend
ADVOCATE_OFFERED_SHARE = {True: 0.6, False: 0.15}  # by whether the concern doubted capacity
ADULT_VIEWS = [
    "I want to stay in my own home. I know it is cluttered but it is mine.",
    "I don't want carers coming in every day, but I would take help with shopping.",
    "She says she is frightened of him but does not want the police involved.",
    "He wants his money back under his own control and to see his friends again.",
    "I'll go to the hospital appointments if someone comes with me.",
    "Happy for the housing officer to visit; does not want the council in the house.",
]
VIEWS_GATHERED_BY = [
    "Lead professional, at a home visit before the meeting",
    "Advocate",
    "Her daughter, by telephone",
    "District nurse at a routine visit",
    "Support worker",
]
VIEWS_NOT_GATHERED = [
    "Declined to meet anyone before the meeting and asked not to be contacted.",
    "Could not be reached: three visits with no answer and no reply to letters.",
    "In hospital and too unwell to talk about the meeting.",
]
FAMILY_DETAILS = ["Daughter", "Son and daughter-in-law", "Sister, who is also his carer", "Neighbour and friend"]

# Actions
ACTION_TEXTS = [
    "Arrange a fire safety visit and fit linked smoke alarms",
    "Offer a joint home visit with the district nurse",
    "Complete a Care Act assessment of needs",
    "Refer to the hoarding support service",
    "Set up a weekly welfare check by the neighbourhood officer",
    "Apply for a discretionary housing payment towards the arrears",
    "Arrange a GP medication review and blister packs",
    "Offer an advocate to support her at the next meeting",
    "Complete a mental capacity assessment about managing money",
    "Refer to the drug and alcohol service and offer to go with him",
    "Agree a deep clean of the kitchen and bathroom",
    "Check the gas and electricity supply and arrange emergency credit",
]
NOT_DONE_NOTES = {
    ActionStatus.NOT_POSSIBLE: [
        "Not possible: the adult moved into residential care before it could be done.",
        "Not possible: he was admitted to hospital and the plan changed.",
        "Circumstances changed: the landlord completed the repairs himself.",
    ],
    ActionStatus.AGENCY_DID_NOT_ACT: [
        "Not done: no worker was allocated and the referral was not followed up.",
        "Not done: the agency did not respond to two reminders.",
    ],
}
DONE_NOTES = ["Done: completed and the outcome shared with the lead professional.", "Done", "Completed as agreed."]
PROGRESS_NOTES = ["Visit booked", "Referral made; waiting for a date", "Work started"]
ACTION_DONE_WEIGHTS = {
    "done": 55,
    "late": 15,
    ActionStatus.NOT_POSSIBLE: 10,
    ActionStatus.AGENCY_DID_NOT_ACT: 7,
    "open": 13,
}

# Sharing
SHARING_BASIS_WEIGHTS = {
    SharingBasis.CONSENT: 70,
    SharingBasis.LACKS_CAPACITY: 9,
    SharingBasis.RISK_TO_OTHERS: 9,
    SharingBasis.CRIME: 6,
    SharingBasis.PUBLIC_INTEREST: 6,
}
CONSENT_DETAILS = [
    "Agreed at a home visit with the lead professional, having been told who would see what.",
    "Gave consent by telephone to the social worker and confirmed it in writing.",
]
SHARING_RATIONALES = {
    SharingBasis.CONSENT: "The adult agreed; the agency holds information the plan needs.",
    SharingBasis.LACKS_CAPACITY: "She lacks capacity to decide about sharing; sharing is in her best interests.",
    SharingBasis.RISK_TO_OTHERS: "Children visiting the home are at risk from the fire hazard.",
    SharingBasis.CRIME: "Needed to prevent further financial abuse by a known person.",
    SharingBasis.PUBLIC_INTEREST: "Coercion and control: the adult cannot speak freely at home.",
}
WHAT_IS_SHARED = [
    "The concern, the chronology and the risk assessment",
    "The concern and the contact details of the lead professional",
    "The risk assessment and the action plan",
]
ALL_QUALITY_TESTS = [test.value for test in QualityTest]

# Risk assessment
RISK_LEVEL_WEIGHTS = {
    risk_vocab.RiskLevel.LOW: 10,
    risk_vocab.RiskLevel.MEDIUM: 30,
    risk_vocab.RiskLevel.HIGH: 40,
    risk_vocab.RiskLevel.VERY_HIGH: 20,
}
RISK_LEVELS = list(risk_vocab.RiskLevel)
WHAT_MATTERS = [
    "Staying in her own home with her cat.",
    "Seeing his grandchildren and keeping his allotment.",
    "Being in control of her own money.",
]
STRENGTHS = [
    "Knows his neighbours well; trusts the district nurse.",
    "Articulate about what she wants; keeps hospital appointments when reminded.",
    "Good relationship with his sister.",
]
ADULT_RISK_VIEWS = [
    "Does not think the clutter is a danger.",
    "Accepts the fire risk now and wants help to reduce it.",
    "Worried about losing her tenancy.",
]
PLAN_SUMMARIES = [
    "Fire safety visit, weekly welfare checks, a medication review and support with the arrears.",
    "A joint visit with the nurse, an advocate, and a capacity assessment about money.",
    "Help to clear the exits, a care needs assessment and a named contact in each agency.",
]
COPY_FORMATS = [risk_vocab.CopyFormat.STANDARD, risk_vocab.CopyFormat.EASY_READ]
ADULT_COPY_SHARE = 0.4

# Mental capacity
CAPACITY_ASSESSED_SHARE = 0.75
SECOND_CAPACITY_SHARE = 0.15
CAPACITY_LACKS_SHARE = 0.35
CAPACITY_DECISIONS = [
    "Whether to accept a deep clean of the home",
    "Whether to accept care and support at home",
    "Where to live",
    "Managing her own money",
    "Whether to accept treatment for the leg ulcers",
]
PRACTICABLE_STEPS = (
    "Met at home, in the morning when she is most alert, with her daughter present; information given in "
    "writing and in pictures, and time to think between visits."
)

# Non-engagement, escalation and closure
ENGAGEMENT_STRATEGIES = closure_vocab.EngagementStrategy.values
ENGAGEMENT_NOTES = [
    "No answer at the door; card left.",
    "Spoke briefly through the letterbox; declined a visit.",
    "Letter sent with a date for a visit; no reply.",
    "Did not attend the clinic appointment.",
]
AGENCY_CHECK_SAID = [
    "No contact with the adult in the last month either; they will tell us if that changes.",
    "Saw him last week at the surgery; no new concerns; happy to be named as a contact.",
    "Their worker visits fortnightly and will raise a new concern if things get worse.",
]
ONGOING_SUPPORT = [
    "Home care twice a day and a monthly visit from the district nurse.",
    "The housing officer keeps in touch monthly; the GP reviews medication every three months.",
    "Weekly support from the voluntary sector befriending service.",
]
INFORMATION_GIVEN = (
    "Told how to contact adult social care and the GP again, given the leaflet on getting help, and "
    "told that any agency can raise a new concern."
)
RISK_OUTCOME_WHY = [
    "The exits are clear and the alarms are fitted.",
    "Care is now accepted every day.",
    "The debt is managed through a payment plan.",
    "Agencies agree the remaining risk is acceptable with the support in place.",
]
S42_REFERRED_TO = "Adult safeguarding team"
S42_DECIDED_BY = "Team manager, adult safeguarding team"

# Review themes: self-neglect is found in most Safeguarding Adults Reviews.
THEME_WEIGHTS = {
    vocab.ReviewTheme.SELF_NEGLECT: 30,
    vocab.ReviewTheme.HOARDING: 10,
    vocab.ReviewTheme.MENTAL_CAPACITY: 14,
    vocab.ReviewTheme.MENTAL_HEALTH: 12,
    vocab.ReviewTheme.SUBSTANCE_MISUSE: 10,
    vocab.ReviewTheme.DOMESTIC_ABUSE: 6,
    vocab.ReviewTheme.EXPLOITATION: 6,
    vocab.ReviewTheme.TRANSITIONS: 3,
    vocab.ReviewTheme.HOMELESSNESS: 5,
    vocab.ReviewTheme.FIRE_RISK: 4,
}

# TextChoices.values builds a new list on every use; these are read for every case.
YES_NO_UNKNOWN = vocab.YesNoUnknown.values
CAPACITY_VIEWS = vocab.CapacityView.values
ENTRY_CRITERIA = vocab.EntryCriterion.values
RISK_ASPECTS = RiskAspect.values
RISK_CATEGORY_LABELS = dict(vocab.RiskCategory.choices)
_VALUES: dict = {}


def _pick_codes(rng: random.Random, choices, low: int, high: int) -> list[str]:
    """A few codes from a vocabulary, kept in the vocabulary's order."""
    values = _VALUES.get(choices)
    if values is None:
        values = _VALUES[choices] = choices.values
    chosen = set(rng.sample(values, rng.randint(low, high)))
    return [value for value in values if value in chosen]


class Weighted:
    """A weighted choice, its cumulative weights worked out once."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cum_weights = list(itertools.accumulate(weights.values()))

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]


screening_outcome = Weighted(SCREENING_WEIGHTS)
review_count = Weighted(REVIEW_COUNT_WEIGHTS)
extra_agency_count = Weighted(EXTRA_AGENCY_WEIGHTS)
attendance_status = Weighted(ATTENDANCE_WEIGHTS)
commits_resources = Weighted(COMMIT_WEIGHTS)
action_fate = Weighted(ACTION_DONE_WEIGHTS)
sharing_basis = Weighted(SHARING_BASIS_WEIGHTS)
first_risk_level = Weighted(RISK_LEVEL_WEIGHTS)
review_theme = Weighted(THEME_WEIGHTS)


def financial_years(end_date: datetime.date) -> list[datetime.date]:
    """The first day of each financial year cases are raised in, oldest first."""
    last = end_date.year if end_date.month >= 4 else end_date.year - 1
    return [datetime.date(year, 4, 1) for year in range(last - FINANCIAL_YEARS + 1, last + 1)]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.UTC)


def _days(low: int, high: int, rng: random.Random) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, high))


@contextlib.contextmanager
def _timestamps_as_given(*models):
    """Let bulk_create keep the dates set on the instances instead of stamping the time of the load.

    auto_now_add and auto_now fields take the current time on insert; a
    generated history needs its own dates (and the same ones for the same
    seed). Only for the duration of this command's writes.
    """
    fields = [
        (field, field.auto_now, field.auto_now_add)
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
    ]
    for field_, _now, _now_add in fields:
        field_.auto_now = field_.auto_now_add = False
    try:
        yield
    finally:
        for field_, now, now_add in fields:
            field_.auto_now, field_.auto_now_add = now, now_add


@dataclass
class Step:
    """One move of the case, when it happened, and who made it ("author", "chair" or "manager")."""

    status: str
    reason: str
    at: datetime.datetime
    by: str = "author"


@dataclass
class PlannedMeeting:
    kind: str
    scheduled_at: datetime.datetime
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    finished_at: datetime.datetime
    outcome: str = ""
    next_review_date: datetime.date | None = None


@dataclass
class History:
    """A case's whole planned history; cut at the end date, what is left has happened."""

    steps: list[Step] = field(default_factory=list)
    meetings: list[PlannedMeeting] = field(default_factory=list)
    outcome: str | None = None  # what screening decides
    route: tuple | None = None
    escalated_at: datetime.datetime | None = None
    s42_decided_at: datetime.datetime | None = None
    s42_outcome: str = ""
    closed_at: datetime.datetime | None = None
    closure_reason: str = ""


@dataclass
class Scale:
    """What every case is built from: the scale agencies, their users, and the day the history ends."""

    practitioners: dict  # agency id -> user
    managers: dict  # agency id -> user
    agency_kinds: dict  # agency id -> AgencyKind
    agency_names: dict  # agency id -> name
    pools: "Pools"
    years: list[datetime.date]
    end_date: datetime.date
    cut: datetime.datetime = field(init=False)

    def __post_init__(self):
        # Everything before midnight at the end of the end date has happened.
        self.cut = _at(self.end_date + datetime.timedelta(days=1), 0)


class CaseBuilder:
    """The rows of one batch of generated cases, each consistent with its history.

    A concern is raised by the practitioner of the person's first scale agency
    (the lead agency) on a day in one of the financial years. Its history is
    planned whole (screening; for an accepted case the planning meeting,
    review meetings 8 to 12 weeks apart, perhaps an escalation, and the
    closure) and cut at the end date: the CaseTransition rows walk the allowed
    moves that have happened, and the case's status is the last of them.
    Screened cases have a Screening and the Decision it made; accepted ones the
    16 stage 1 key actions and a lead professional, agencies joining through
    sharing decisions, and, once the planning meeting is held, the casework
    the board's measures read (see add).
    """

    ROWS = (
        "cases",
        "decisions",
        "screenings",
        "sharing",
        "agencies",
        "involvements",
        "transitions",
        "key_actions",
        "leads",
        "themes",
        "meetings",
        "invitations",
        "attendance",
        "participation",
        "actions",
        "action_updates",
        "risk_assessments",
        "risk_versions",
        "adult_copies",
        "capacity",
        "engagement",
        "flags",
        "agency_checks",
        "referrals",
        "s42_outcomes",
        "closures",
        "closure_agencies",
        "risk_outcomes",
    )

    def __init__(self, scale: Scale):
        self.scale = scale
        for name in self.ROWS:
            setattr(self, name, [])

    def row_count(self) -> int:
        return sum(len(getattr(self, name)) for name in self.ROWS)

    def counts(self) -> dict:
        return {name: len(getattr(self, name)) for name in self.ROWS}

    # The history

    def _raised_at(self, rng: random.Random) -> datetime.datetime:
        start = rng.choice(self.scale.years)
        stop = min(datetime.date(start.year + 1, 4, 1), self.scale.end_date + datetime.timedelta(days=1))
        day = start + _days(0, (stop - start).days - 1, rng)
        return _at(day, 8) + datetime.timedelta(minutes=rng.randint(0, 10 * 60))

    def _meeting(self, rng, kind, day, scheduled_at) -> PlannedMeeting:
        starts = _at(day, rng.choice((9, 10, 11, 13, 14, 15)), rng.choice((0, 30)))
        ends = starts + datetime.timedelta(minutes=rng.choice((60, 90, 120)))
        finished = ends + datetime.timedelta(hours=rng.randint(0, 72), minutes=rng.randint(5, 55))
        return PlannedMeeting(
            kind=kind, scheduled_at=scheduled_at, starts_at=starts, ends_at=ends, finished_at=finished
        )

    def _hold(self, history: History, meeting: PlannedMeeting) -> None:
        history.meetings.append(meeting)
        label = "Planning meeting" if meeting.kind == MeetingKind.PLANNING else "Review meeting"
        status = S.PLANNING if meeting.kind == MeetingKind.PLANNING else S.REVIEW
        held = f"{label} held on {meeting.starts_at:%d/%m/%Y}"
        history.steps.append(Step(status, held, meeting.finished_at, "chair"))

    def _plan(self, rng: random.Random, raised_at: datetime.datetime) -> History:
        history = History()
        steps = history.steps
        steps.append(Step(S.CONCERN, "Concern raised", raised_at))
        when = raised_at + _days(0, 3, rng) + datetime.timedelta(minutes=rng.randint(30, 480))
        steps.append(Step(S.SCREENING, "Screening started", when))
        when += _days(1, 14, rng) + datetime.timedelta(minutes=rng.randint(-120, 120))
        outcome = history.outcome = {
            "accept": vocab.ScreeningOutcome.ACCEPT,
            "route": vocab.ScreeningOutcome.ROUTE,
            "nfa": vocab.ScreeningOutcome.NO_FURTHER_ACTION,
        }[screening_outcome(rng)]
        if outcome == vocab.ScreeningOutcome.ROUTE:
            route = history.route = rng.choice(ROUTES)
            steps.append(Step(S.ROUTED, f"Routed to {route[0].label}: sent to {route[1]}", when))
            return history
        if outcome == vocab.ScreeningOutcome.NO_FURTHER_ACTION:
            steps.append(Step(S.CLOSED, "No further action", when))
            return history

        steps.append(Step(S.ACCEPTED, "Accepted into MARM", when))
        planning = self._meeting(
            rng,
            MeetingKind.PLANNING,
            when.date() + _days(7, 28, rng),
            when + datetime.timedelta(hours=rng.randint(2, 72)),
        )
        self._hold(history, planning)
        reviews = review_count(rng)
        escalate = rng.random() < ESCALATION_SHARE
        if escalate:
            reviews = min(reviews, 2)
        for _ in range(reviews):
            last = history.meetings[-1]
            self._hold(
                history,
                self._meeting(rng, MeetingKind.REVIEW, last.starts_at.date() + _days(56, 84, rng), last.finished_at),
            )
        if escalate:
            before = history.meetings[-1]
            before.outcome = MeetingOutcome.ESCALATE
            history.escalated_at = before.finished_at + _days(3, 21, rng)
            summary = f"Escalated to the local authority ({S42_REFERRED_TO}) for a section 42 decision"
            steps.append(Step(S.ESCALATED, summary, history.escalated_at))
            history.s42_decided_at = history.escalated_at + _days(7, 28, rng)
            if rng.random() < NO_ENQUIRY_SHARE:
                history.s42_outcome = closure_vocab.S42Decision.NO_ENQUIRY
                back = S.REVIEW if before.kind == MeetingKind.REVIEW else S.PLANNING
                steps.append(Step(back, "No section 42 enquiry: MARM can manage the risk", history.s42_decided_at))
                scheduled = history.s42_decided_at
                for number in range(rng.randint(1, 2)):
                    day = (scheduled if number == 0 else history.meetings[-1].starts_at).date() + _days(28, 84, rng)
                    self._hold(history, self._meeting(rng, MeetingKind.REVIEW, day, scheduled))
                    scheduled = history.meetings[-1].finished_at
                closing_after = history.meetings[-1].finished_at
            else:
                history.s42_outcome = closure_vocab.S42Decision.ENQUIRY_OPENED
                closing_after = history.s42_decided_at + _days(21, 83, rng)
        else:
            closing_after = history.meetings[-1].finished_at
        history.closed_at = closing_after + _days(3, 28, rng)
        history.closure_reason = (
            closure_vocab.ClosureReason.NON_ENGAGEMENT
            if not history.escalated_at and rng.random() < NON_ENGAGEMENT_CLOSURE_SHARE
            else closure_vocab.ClosureReason.RISKS_MANAGED
        )
        steps.append(Step(S.CLOSED, "", history.closed_at, "manager"))
        # Each meeting sets the next review, unless it recommends closure or escalation.
        for meeting, following in zip(history.meetings, [*history.meetings[1:], None], strict=True):
            if meeting.outcome:
                continue
            if following is None:
                meeting.outcome = MeetingOutcome.CLOSE
            else:
                meeting.outcome = MeetingOutcome.REVIEW
                meeting.next_review_date = following.starts_at.date()
        return history

    # The case

    def add(
        self,
        rng: random.Random,
        *,
        number: int,
        person_id,
        agency_ids: list[int],
        raised_at: datetime.datetime | None = None,
    ) -> datetime.datetime | None:
        """Build one case and its records; ``agency_ids`` gains any agency that joins it.

        Returns when the case was closed after MARM work or at screening, if it has been."""
        scale = self.scale
        lead_agency_id = agency_ids[0]
        author = scale.practitioners[lead_agency_id]
        raised_at = raised_at or self._raised_at(rng)
        history = self._plan(rng, raised_at)
        happened = [step for step in history.steps if step.at < scale.cut]
        status = happened[-1].status
        moved_at = {}
        for step in happened:
            moved_at.setdefault(step.status, step.at)
        decided = len(happened) > 2
        outcome = history.outcome if decided else None
        accepted = outcome == vocab.ScreeningOutcome.ACCEPT

        others_at_risk = rng.choices(YES_NO_UNKNOWN, weights=[15, 60, 25])[0]
        asked = rng.choices(YES_NO_UNKNOWN, weights=[70, 20, 10])[0]
        criteria = list(ENTRY_CRITERIA) if accepted else _pick_codes(rng, vocab.EntryCriterion, 2, 5)
        case = Case(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            reference=CASE_REFERENCE.format(number),
            person_id=person_id,
            lead_agency_id=lead_agency_id,
            raised_by_id=author.pk,
            raised_at=raised_at,
            status=status,
            risk_categories=_pick_codes(rng, vocab.RiskCategory, 1, 3),
            abuse_types=_pick_codes(rng, vocab.AbuseType, 0, 2),
            what_is_happening=rng.choice(CONCERN_TEXTS),
            current_care_and_support=rng.choice(CARE_TEXTS),
            others_at_risk=others_at_risk,
            others_at_risk_details=rng.choice(OTHERS_AT_RISK_TEXTS) if others_at_risk == "yes" else "",
            decisional_capacity=rng.choice(CAPACITY_VIEWS),
            executive_capacity=rng.choice(CAPACITY_VIEWS),
            capacity_assessment_needed=rng.choice(YES_NO_UNKNOWN),
            asked_about_sharing=asked,
            views_on_sharing=rng.choice(VIEWS_ON_SHARING_TEXTS) if asked == "yes" else "",
            unable_or_unwilling_to_self_care=rng.random() < 0.85,
            at_risk_tests=_pick_codes(rng, vocab.AtRiskTest, 1, 2),
            entry_criteria=criteria,
            daily_life_areas=_pick_codes(rng, vocab.DailyLifeArea, 1, 3),
        )
        self.cases.append(case)
        doubts_capacity = (
            case.decisional_capacity == vocab.CapacityView.CONCERNS
            or case.capacity_assessment_needed == vocab.YesNoUnknown.YES
        )
        self.agencies.append(
            CaseAgency(
                case_id=case.id,
                agency_id=lead_agency_id,
                access="full",
                lead_worker_id=author.pk if accepted else None,
                joined_at=raised_at,
            )
        )
        closed_at = moved_at.get(S.CLOSED)
        # Agencies on the case, with when each joined (the lead first).
        on_case = [(lead_agency_id, raised_at)]
        if len(agency_ids) > 1:
            joined = moved_at.get(S.ACCEPTED, raised_at) + datetime.timedelta(hours=rng.randint(1, 48))
            if joined < (closed_at or scale.cut):
                lead_worker = agency_ids[1] if rng.random() < SECOND_AGENCY_LEAD_WORKER_SHARE else None
                self._share(rng, case, author, agency_ids[1], joined, doubts_capacity, lead_worker=lead_worker)
                on_case.append((agency_ids[1], joined))
        if accepted:
            others = [agency_id for agency_id in scale.practitioners if agency_id not in agency_ids]
            extra = min(extra_agency_count(rng), len(others))
            for agency_id in rng.sample(others, extra):
                joined = moved_at[S.ACCEPTED] + datetime.timedelta(hours=rng.randint(2, 96))
                if joined >= (closed_at or scale.cut):
                    continue
                self._share(rng, case, author, agency_id, joined, doubts_capacity, lead_worker=None)
                # A full share makes the agency involved with the person, as sharing_decide does.
                self.involvements.append(
                    AgencyInvolvement(
                        person_id=person_id,
                        agency_id=agency_id,
                        basis=InvolvementBasis.SHARING_DECISION,
                        started_by_id=author.pk,
                        started_at=joined,
                    )
                )
                agency_ids.append(agency_id)
                on_case.append((agency_id, joined))

        previous = ""
        users = {"author": author, "chair": scale.managers[lead_agency_id], "manager": scale.managers[lead_agency_id]}
        handover = None
        if closed_at and accepted:
            # Who takes the case on, and the closure's summary as case_close words it.
            handover_agency = rng.choice(on_case)[0]
            name = scale.agency_names[handover_agency]
            handover_to = f"{name}, {rng.choice(['locality team', 'duty team'])}"
            summary = (
                f"Closed: {closure_vocab.ClosureReason(history.closure_reason).label}. "
                f"Handed over to {handover_to} ({name})"
            )
            handover = (handover_agency, handover_to, summary)
        for step in happened:
            self.transitions.append(
                CaseTransition(
                    case_id=case.id,
                    from_status=previous,
                    to_status=step.status,
                    reason=step.reason or handover[2],
                    created_by_id=users[step.by].pk,
                    created_at=step.at,
                )
            )
            previous = step.status

        if rng.random() < THEMED_SHARE:
            themes = {review_theme(rng) for _ in range(rng.randint(1, 2))}
            tagged_at = min(
                raised_at + datetime.timedelta(hours=rng.randint(1, 72)), scale.cut - datetime.timedelta(minutes=1)
            )
            for theme in sorted(themes):
                self.themes.append(CaseTheme(case_id=case.id, theme=theme, tagged_by_id=author.pk, tagged_at=tagged_at))

        if outcome is None:
            return None
        decided_at = moved_at[{"accept": S.ACCEPTED, "route": S.ROUTED, "nfa": S.CLOSED}[outcome]]
        summary = {
            "accept": "Accepted into MARM",
            "route": happened[-1].reason,
            "nfa": "No further action",
        }[outcome]
        self._screening_and_decision(rng, case, author, outcome, history.route, summary, decided_at)
        if not accepted:
            return closed_at
        latest = (closed_at or scale.cut) - datetime.timedelta(minutes=1)
        self._key_actions_and_lead(rng, case, author, status, decided_at, latest)
        self._casework(rng, case, history, on_case, doubts_capacity, handover)
        return closed_at

    def _decision(self, case, *, kind, summary, rationale, by, agency_id, at, options="") -> Decision:
        decision = Decision(
            person_id=case.person_id,
            case_id=case.id,
            kind=kind,
            summary=summary,
            rationale=rationale,
            options_considered=options,
            recorded_by_id=by.pk,
            recorded_by_agency_id=agency_id,
            recorded_at=at,
        )
        # No participants or legislation: the hash covers them as empty lists.
        decision.content_hash = content_hash(decision=decision, participant_ids=[], legislation_ids=[])
        self.decisions.append(decision)
        return decision

    def _share(self, rng, case, author, agency_id, joined, doubts_capacity, *, lead_worker) -> None:
        """Another agency joins through a sharing decision (001 3.3), as sharing_decide records it."""
        basis = sharing_basis(rng)
        if basis == SharingBasis.LACKS_CAPACITY and not doubts_capacity:
            basis = SharingBasis.CONSENT
        rationale = SHARING_RATIONALES[basis]
        name = self.scale.agency_names[agency_id]
        decision = self._decision(
            case,
            kind=DecisionKind.SHARE,
            summary=f"Share the full case with {name}",
            rationale=f"{rationale}\n\n{quality_tests_text(ALL_QUALITY_TESTS)}",
            by=author,
            agency_id=case.lead_agency_id,
            at=joined,
        )
        sharing = SharingDecision(
            case_id=case.id,
            person_id=case.person_id,
            agency_id=agency_id,
            basis=basis,
            consent_details=rng.choice(CONSENT_DETAILS) if basis == SharingBasis.CONSENT else "",
            rationale=rationale,
            access="full",
            what_is_shared=rng.choice(WHAT_IS_SHARED),
            quality_tests=ALL_QUALITY_TESTS,
            decision=decision,
            decided_by_id=author.pk,
            decided_at=joined,
        )
        self.sharing.append(sharing)
        self.agencies.append(
            CaseAgency(
                case_id=case.id,
                agency_id=agency_id,
                access="full",
                sharing_decision=sharing,
                lead_worker_id=self.scale.practitioners[lead_worker].pk if lead_worker else None,
                joined_at=joined,
            )
        )

    def _screening_and_decision(self, rng, case, author, outcome, route, summary, decided_at):
        if outcome == vocab.ScreeningOutcome.ACCEPT:
            rationale = rng.choice(ACCEPT_RATIONALES)
            kind = DecisionKind.ACCEPT
        elif outcome == vocab.ScreeningOutcome.ROUTE:
            process = route[0]
            rationale = (
                "DASH checklist of 15 or more: high risk of domestic abuse, so MARAC."
                if process == vocab.OtherProcess.MARAC
                else f"{process.label} is the better process for these risks."
            )
            kind = DecisionKind.ROUTE
        else:
            rationale = rng.choice(NFA_RATIONALES)
            kind = DecisionKind.NO_FURTHER_ACTION
        routed = outcome == vocab.ScreeningOutcome.ROUTE
        self.screenings.append(
            Screening(
                case_id=case.id,
                s42_duty_applies=(
                    "yes" if routed and route[0] == vocab.OtherProcess.S42 else rng.choice(["no", "no", "unknown"])
                ),
                better_process=route[0] if routed else vocab.OtherProcess.NONE,
                dash_ticks=rng.randint(14, 22) if routed and route[0] == vocab.OtherProcess.MARAC else None,
                outcome=outcome,
                rationale=rationale,
                routed_to=route[1] if routed else "",
                routed_on=decided_at.date() if routed else None,
                what_was_sent=route[2] if routed else "",
                screened_by_id=author.pk,
                screened_at=decided_at,
            )
        )
        self._decision(
            case,
            kind=kind,
            summary=summary,
            rationale=rationale,
            by=author,
            agency_id=case.lead_agency_id,
            at=decided_at,
            options=rng.choice(OPTIONS_TEXTS),
        )

    def _key_actions_and_lead(self, rng, case, author, status, accepted_at, latest):
        allocated_at = accepted_at + datetime.timedelta(hours=rng.randint(1, 72))
        self.leads.append(
            LeadProfessional(case_id=case.id, user_id=author.pk, allocated_by_id=author.pk, allocated_at=allocated_at)
        )
        total = len(vocab.STAGE_1_KEY_ACTIONS)
        # Further along, more of the checklist is done (mostly in order).
        done = {
            S.ACCEPTED: rng.randint(2, 8),
            S.PLANNING: rng.randint(9, 14),
            S.REVIEW: rng.randint(12, total),
            S.ESCALATED: rng.randint(12, total),
            S.CLOSED: total,
        }[status]
        for position, (code, label) in enumerate(vocab.STAGE_1_KEY_ACTIONS, start=1):
            item = KeyAction(case_id=case.id, stage=1, code=code, label=label, position=position)
            if code == "allocate_lead":
                item.status, item.updated_at = vocab.KeyActionStatus.DONE, min(allocated_at, latest)
            elif position <= done:
                item.updated_at = min(
                    accepted_at + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8)), latest
                )
                if code == "capacity_assessment" and rng.random() < 0.4:
                    item.status, item.reason = vocab.KeyActionStatus.NOT_APPLICABLE, CAPACITY_NOT_APPLICABLE
                else:
                    item.status = vocab.KeyActionStatus.DONE
            if item.updated_at is not None:
                item.updated_by_id = author.pk
            self.key_actions.append(item)

    # The casework the board's measures read

    def _casework(self, rng, case, history, on_case, doubts_capacity, handover):
        scale = self.scale
        author = scale.practitioners[case.lead_agency_id]
        chair = scale.managers[case.lead_agency_id]
        closed_at = history.closed_at if history.closed_at and history.closed_at < scale.cut else None
        held, finished = [], []
        for planned in history.meetings:
            if planned.finished_at < scale.cut:
                state = "finished"
            elif planned.starts_at < scale.cut:
                state = "held"  # held, its record not yet finished: the case's last meeting
            elif planned.scheduled_at < scale.cut:
                state = "upcoming"
            else:
                break
            meeting = Meeting(
                case_id=case.id,
                kind=planned.kind,
                starts_at=planned.starts_at,
                ends_at=planned.ends_at,
                place=rng.choice(PLACES),
                chair_id=chair.pk,
                uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                scheduled_by_id=author.pk,
                scheduled_at=planned.scheduled_at,
            )
            if meeting.place == "Video call":
                meeting.virtual_link = f"https://meet.example.org/{meeting.uid.hex[:12]}"
            if state == "finished":
                meeting.outcome = planned.outcome
                meeting.next_review_date = planned.next_review_date
                meeting.finished_at = planned.finished_at
                meeting.finished_by_id = chair.pk
                finished.append((meeting, planned))
            self.meetings.append(meeting)
            self._invitations(rng, meeting, planned, on_case, author, chair, attended=state != "upcoming")
            if state != "upcoming":
                held.append(meeting)
                self._adult_participation(rng, meeting, chair, doubts_capacity)
            if state != "finished":
                break

        if not finished:
            return
        self._actions(rng, case, finished, on_case, author, closed_at)
        self._risk_assessment(rng, case, history, finished, author, chair)
        if doubts_capacity:
            self._capacity(rng, case, history, author, closed_at)
        if history.escalated_at and history.escalated_at < scale.cut:
            self._escalation(rng, case, history, author)
        if closed_at:
            self._closure(rng, case, history, on_case, author, chair, handover)

    def _invitations(self, rng, meeting, planned, on_case, author, chair, *, attended: bool):
        agencies = [agency_id for agency_id, joined in on_case if joined <= planned.scheduled_at] or [on_case[0][0]]
        wanted = max(rng.randint(3, 6), len(agencies))
        invitees = [(agency_id, self.scale.practitioners[agency_id]) for agency_id in agencies]
        invitees += [(rng.choice(agencies), None) for _ in range(wanted - len(invitees))]
        for agency_id, user in invitees:
            invitation = Invitation(
                meeting=meeting,
                agency_id=agency_id,
                user_id=user.pk if user else None,
                invited_by_id=author.pk,
                invited_at=planned.scheduled_at,
            )
            if user is None:
                pools = self.scale.pools
                first, last = rng.choice(pools.first_names), rng.choice(pools.last_names)
                invitation.name = f"{first} {last}"
                invitation.role_title = rng.choice(
                    NAMED_ROLES.get(self.scale.agency_kinds[agency_id], ["Practitioner"])
                )
                if rng.random() < 0.7:
                    local = re.sub(r"[^a-z]", "", first.lower()) + "." + re.sub(r"[^a-z]", "", last.lower())
                    invitation.email = f"{local}@agency-{agency_id}.scale.example.org"
            self.invitations.append(invitation)
            if not attended:
                continue
            # The lead professional is always there; others come, send apologies or information, or do not.
            status = AttendanceStatus.ATTENDED if user is author else attendance_status(rng)
            self.attendance.append(
                Attendance(
                    meeting=meeting,
                    invitation=invitation,
                    status=status,
                    can_commit_resources=(
                        commits_resources(rng) if status == AttendanceStatus.ATTENDED else CommitResources.NOT_ASKED
                    ),
                    recorded_by_id=chair.pk,
                    recorded_at=planned.ends_at,
                )
            )

    def _adult_participation(self, rng, meeting, chair, doubts_capacity):
        attended = rng.random() < ADULT_ATTENDED_SHARE
        views, gathered_by, not_gathered = "", "", ""
        if attended or rng.random() < ADULT_VIEWS_SHARE:
            views = rng.choice(ADULT_VIEWS)
            gathered_by = "" if attended else rng.choice(VIEWS_GATHERED_BY)
        else:
            not_gathered = rng.choice(VIEWS_NOT_GATHERED)
        offered = rng.random() < ADVOCATE_OFFERED_SHARE[doubts_capacity]
        accepted = offered and rng.random() < 0.5
        family = rng.random() < 0.25
        self.participation.append(
            AdultParticipation(
                meeting=meeting,
                attended=attended,
                views=views,
                views_gathered_by=gathered_by,
                views_not_gathered_reason=not_gathered,
                advocate_offered=offered,
                advocate_accepted=accepted,
                advocate_present=accepted and rng.random() < 0.7,
                family_or_carers_present=family,
                family_or_carers_details=rng.choice(FAMILY_DETAILS) if family else "",
                recorded_by_id=chair.pk,
                recorded_at=meeting.ends_at,
            )
        )

    def _actions(self, rng, case, finished, on_case, author, closed_at):
        """2 to 5 actions, most agreed at the planning meeting, with their trail of updates."""
        limit = closed_at or self.scale.cut
        for index in range(rng.randint(2, 5)):
            meeting, planned = finished[0] if index < 2 else rng.choice(finished)
            created = planned.finished_at
            agencies = [agency_id for agency_id, joined in on_case if joined <= created]
            agency_id = rng.choice(agencies)
            due = created.date() + _days(14, 70, rng)
            if closed_at:
                due = max(min(due, closed_at.date() - datetime.timedelta(days=1)), created.date())
            lead_user = self.scale.practitioners[agency_id] if rng.random() < 0.65 else None
            lead_name = ""
            if lead_user is None:
                pools = self.scale.pools
                lead_name = f"{rng.choice(pools.first_names)} {rng.choice(pools.last_names)}"
            action = Action(
                case_id=case.id,
                meeting=meeting,
                what=rng.choice(ACTION_TEXTS),
                lead_user_id=lead_user.pk if lead_user else None,
                lead_name=lead_name,
                agency_id=agency_id,
                due_date=due,
                risk_aspects=sorted(rng.sample(RISK_ASPECTS, rng.randint(1, 2)), key=RISK_ASPECTS.index),
                source=ActionSource.MEETING,
                created_by_id=author.pk,
                created_at=created,
            )
            updater = lead_user or author
            trail = [(ActionStatus.OPEN, "Action agreed", created, meeting, author)]
            fate = action_fate(rng)
            if closed_at and fate == "open":
                fate = "done"  # a closed case's actions were all seen through or closed off
            due_at = _at(due, 17)
            if fate == "done":
                span = max(int((due_at - created).total_seconds() // 3600), 2)
                at = created + datetime.timedelta(hours=rng.randint(1, span))
            elif fate == "late":
                at = due_at + _days(1, 30, rng)
            elif fate == "open":
                at = None
            else:
                at = due_at + _days(-7, 14, rng)
                at = max(at, created + datetime.timedelta(hours=1))
            if at is not None and at >= limit:
                # Not yet: past the end date (or the closure, which closes it off now).
                at = limit - datetime.timedelta(hours=rng.randint(1, 12)) if closed_at else None
                at = max(at, created + datetime.timedelta(minutes=30)) if at else None
            if rng.random() < (0.6 if at is None else 0.4):
                start = created + datetime.timedelta(days=rng.randint(1, 10))
                if start < (at or limit):
                    trail.append((ActionStatus.IN_PROGRESS, rng.choice(PROGRESS_NOTES), start, None, updater))
            if at is not None:
                status = fate if fate in NOT_DONE_NOTES else ActionStatus.DONE
                note = rng.choice(NOT_DONE_NOTES[status]) if status in NOT_DONE_NOTES else ""
                trail.append((status, note or rng.choice(DONE_NOTES), at, None, updater))
            action.status = trail[-1][0]
            self.actions.append(action)
            previous = None
            for status, note, at, at_meeting, by in trail:
                self.action_updates.append(
                    ActionUpdate(
                        action=action,
                        status=status,
                        note=note,
                        changes={"status": [previous, status]} if previous and previous != status else {},
                        meeting=at_meeting,
                        created_by_id=by.pk,
                        created_at=at,
                    )
                )
                previous = status

    def _risk_assessment(self, rng, case, history, finished, author, chair) -> None:
        """The assessment made at the planning meeting and agreed again at some reviews (000 4.4, 5.6)."""
        first = finished[0][1]
        started = max(first.scheduled_at, first.starts_at - _days(1, 5, rng))
        assessment = RiskAssessment(case_id=case.id, started_by_id=author.pk, started_at=started)
        self.risk_assessments.append(assessment)
        count = min(rng.randint(1, 3), len(finished))
        chosen = [finished[0]]
        if count > 1:
            chosen += sorted(rng.sample(finished[1:], count - 1), key=lambda pair: pair[1].starts_at)
        if (
            history.closure_reason == closure_vocab.ClosureReason.NON_ENGAGEMENT
            and chosen[-1] is not finished[-1]
            and len(finished) > 1
        ):
            # 002: closing for non-engagement needs a risk assessment agreed at the last meeting.
            chosen = [*chosen[: max(len(chosen) - 1, 1)], finished[-1]]
        level = first_risk_level(rng)
        previous = None
        for number, (_meeting, planned) in enumerate(chosen, start=1):
            if number > 1:
                rank = RISK_LEVELS.index(level)
                roll = rng.random()
                # Later versions are more often lower: the plan is working.
                if roll < 0.55 and rank > 0:
                    level = RISK_LEVELS[rank - 1]
                elif roll > 0.9 and rank < len(RISK_LEVELS) - 1:
                    level = RISK_LEVELS[rank + 1]
            agreed = planned.finished_at
            version = RiskAssessmentVersion(
                assessment=assessment,
                number=number,
                status=risk_vocab.VersionStatus.AGREED,
                based_on=previous,
                risks_to_others=rng.choice(OTHERS_AT_RISK_TEXTS) if case.others_at_risk == "yes" else "",
                what_matters=rng.choice(WHAT_MATTERS),
                strengths=rng.choice(STRENGTHS),
                adult_view=rng.choice(ADULT_RISK_VIEWS),
                overall_level=level,
                plan_summary=rng.choice(PLAN_SUMMARIES),
                started_by_id=author.pk,
                started_at=started if previous is None else previous.agreed_at,
                updated_by_id=author.pk,
                updated_at=agreed,
                agreed_by_id=chair.pk,
                agreed_at=agreed,
                agreed_how=risk_vocab.AgreedHow.MEETING,
                agreed_on=planned.starts_at.date(),
                agreed_note=f"Agreed at the {planned.kind} meeting",
            )
            self.risk_versions.append(version)
            if rng.random() < ADULT_COPY_SHARE:
                given_on = min(planned.starts_at.date() + _days(0, 14, rng), self.scale.end_date)
                self.adult_copies.append(
                    AdultCopy(
                        case_id=case.id,
                        version=version,
                        format=rng.choice(COPY_FORMATS),
                        given_on=given_on,
                        given_how=rng.choice(risk_vocab.CopyGivenHow.values),
                        recorded_by_id=author.pk,
                        recorded_at=_at(given_on, 16),
                    )
                )
            previous = version

    def _capacity(self, rng, case, history, author, closed_at):
        """Decision-specific capacity assessments where the concern doubted capacity (MCA 2005 ss2-3)."""
        if rng.random() >= CAPACITY_ASSESSED_SHARE:
            return
        accepted_on = next(step.at for step in history.steps if step.status == S.ACCEPTED).date()
        latest = (closed_at or self.scale.cut).date() - datetime.timedelta(days=1)
        count = 2 if rng.random() < SECOND_CAPACITY_SHARE else 1
        for _ in range(count):
            assessed_on = accepted_on + _days(3, 60, rng)
            if assessed_on > latest:
                continue
            lacks = rng.random() < CAPACITY_LACKS_SHARE
            record = CapacityAssessment(
                case_id=case.id,
                decision=rng.choice(CAPACITY_DECISIONS),
                assessed_on=assessed_on,
                assessor_id=author.pk,
                assessor_agency_id=case.lead_agency_id,
                practicable_steps=PRACTICABLE_STEPS,
                review_by=assessed_on + _days(90, 180, rng),
                recorded_by_id=author.pk,
                recorded_at=_at(assessed_on, 17),
            )
            if lacks:
                record.impairment = risk_vocab.YesNo.YES
                record.impairment_details = "Vascular dementia, diagnosed by the memory clinic two years ago."
                record.understands, record.understands_evidence = "yes", "Repeated back what a deep clean involves."
                record.retains, record.retains_evidence = "no", "Could not recall the visit the next morning."
                record.uses_or_weighs = "no"
                record.uses_or_weighs_evidence = "Could not weigh the fire risk against keeping her things."
                record.communicates, record.communicates_evidence = "yes", "Told us clearly what she wanted."
                record.decisional_capacity = risk_vocab.CapacityFinding.LACKS
                record.executive_capacity = risk_vocab.ExecutiveFinding.NOT_ASSESSED
                record.outcome = risk_vocab.CapacityFinding.LACKS
                record.outcome_reasons = "Cannot retain or weigh the information because of the dementia."
            else:
                record.impairment = rng.choice([risk_vocab.YesNo.YES, risk_vocab.YesNo.NO])
                record.decisional_capacity = risk_vocab.CapacityFinding.HAS
                if rng.random() < 0.3:
                    record.executive_capacity = risk_vocab.ExecutiveFinding.CANNOT
                    record.executive_evidence = "Agrees each time to let the carers in, then does not open the door."
                else:
                    record.executive_capacity = risk_vocab.ExecutiveFinding.CAN
                record.outcome = risk_vocab.CapacityFinding.HAS
                record.outcome_reasons = "Understood, retained and weighed the risks and told us her decision."
            self.capacity.append(record)

    def _escalation(self, rng, case, history, author):
        """000 5.4: a s42 referral and, once the local authority has decided, its decision."""
        scale = self.scale
        summary = f"Escalated to the local authority ({S42_REFERRED_TO}) for a section 42 decision"
        basis = rng.choice([SharingBasis.CONSENT, SharingBasis.RISK_TO_OTHERS, SharingBasis.PUBLIC_INTEREST])
        marm_work = rng.choice(closure_vocab.MarmWork.values)
        harm = "Fire risk remains high: the exits are blocked again and she smokes in bed."
        steps = "Fire safety visit, two deep cleans, daily care calls and weekly welfare checks."
        why = "Each clean lasted weeks; the care calls are refused; the risk of death in a fire remains."
        decision = self._decision(
            case,
            kind=DecisionKind.ESCALATE,
            summary=summary,
            rationale=(
                f"Risk of serious harm: {harm}\nSteps already taken: {steps}\nWhy they were not enough: {why}\n"
                f"Lawful basis for sharing: {SharingBasis(basis).label}"
            ),
            by=author,
            agency_id=case.lead_agency_id,
            at=history.escalated_at,
            options=closure_vocab.MarmWork(marm_work).label,
        )
        referral = S42Referral(
            case_id=case.id,
            risk_of_serious_harm=harm,
            steps_taken=steps,
            why_not_enough=why,
            lawful_basis=basis,
            lawful_basis_details=rng.choice(CONSENT_DETAILS) if basis == SharingBasis.CONSENT else "",
            referred_to=S42_REFERRED_TO,
            referred_on=history.escalated_at.date(),
            marm_work=marm_work,
            referred_by_id=author.pk,
            referred_at=history.escalated_at,
            decision=decision,
        )
        self.referrals.append(referral)
        if history.s42_decided_at >= scale.cut:
            return
        outcome = history.s42_outcome
        reason = (
            "The risks are known to MARM and managed there; no further enquiry is needed."
            if outcome == closure_vocab.S42Decision.NO_ENQUIRY
            else "Reasonable cause to suspect neglect by a person in a position of trust."
        )
        decision = self._decision(
            case,
            kind=DecisionKind.ESCALATE,
            summary=f"Local authority's decision: {closure_vocab.S42Decision(outcome).label}",
            rationale=reason,
            by=author,
            agency_id=case.lead_agency_id,
            at=history.s42_decided_at,
        )
        self.s42_outcomes.append(
            S42Outcome(
                referral=referral,
                case_id=case.id,
                outcome=outcome,
                reason=reason,
                decided_on=history.s42_decided_at.date(),
                decided_by=S42_DECIDED_BY,
                recorded_by_id=author.pk,
                recorded_at=history.s42_decided_at,
                decision=decision,
            )
        )

    def _closure(self, rng, case, history, on_case, author, chair, handover):
        """000 6.2 closure signed off by the lead agency's manager; for non-engagement, behind the 002 checks."""
        closed_at = history.closed_at
        reason = history.closure_reason
        handover_agency, handover_to, summary = handover
        agencies = [agency_id for agency_id, _joined in on_case]
        if reason == closure_vocab.ClosureReason.NON_ENGAGEMENT:
            self._non_engagement(rng, case, agencies, author, chair, closed_at)
            rationale = rng.choice(NON_ENGAGEMENT_RATIONALES)
        elif history.s42_outcome == closure_vocab.S42Decision.ENQUIRY_OPENED:
            rationale = "The section 42 enquiry now leads on the risks; MARM work is no longer needed."
        else:
            rationale = rng.choice(CLOSE_RATIONALES)
        risks = rng.sample(case.risk_categories, min(len(case.risk_categories), rng.randint(1, 2)))
        outcomes = [
            (code, rng.choice(closure_vocab.RiskOutcome.values), rng.choice(RISK_OUTCOME_WHY)) for code in risks
        ]
        decision = self._decision(
            case,
            kind=DecisionKind.CLOSE,
            summary=summary,
            rationale="\n".join(
                [
                    rationale,
                    *(
                        f"{RISK_CATEGORY_LABELS[code]}: {closure_vocab.RiskOutcome(o).label}. {why}"
                        for code, o, why in outcomes
                    ),
                ]
            ),
            by=chair,
            agency_id=case.lead_agency_id,
            at=closed_at,
        )
        closure = CaseClosure(
            case_id=case.id,
            reason=reason,
            rationale=rationale,
            ongoing_support=rng.choice(ONGOING_SUPPORT),
            handover_agency_id=handover_agency,
            handover_to=handover_to,
            information_given=INFORMATION_GIVEN,
            signed_off_by_id=chair.pk,
            signed_off_at=closed_at,
            decision=decision,
        )
        self.closures.append(closure)
        agreed_by = sorted(rng.sample(agencies, rng.randint(1, len(agencies))))
        if case.lead_agency_id not in agreed_by:
            agreed_by.insert(0, case.lead_agency_id)
        self.closure_agencies += [(closure, agency_id) for agency_id in agreed_by]
        for code, outcome, why in outcomes:
            self.risk_outcomes.append(
                ClosureRiskOutcome(
                    closure=closure,
                    source="concern",
                    code=code,
                    label=RISK_CATEGORY_LABELS[code],
                    outcome=outcome,
                    why=why,
                )
            )

    def _non_engagement(self, rng, case, agencies, author, chair, closed_at):
        """002: the attempts to engage, the flag, and a check with every other agency before closing."""
        failed = 0
        flag_at = None
        attempts = sorted(_days(3, 70, rng) for _ in range(rng.randint(3, 6)))
        for before in reversed(attempts):
            day = closed_at.date() - before
            agency_id = rng.choice(agencies)
            outcome = (
                rng.choice(
                    [
                        closure_vocab.EngagementOutcome.NO_ANSWER,
                        closure_vocab.EngagementOutcome.DECLINED,
                        closure_vocab.EngagementOutcome.DID_NOT_ATTEND,
                        closure_vocab.EngagementOutcome.BLOCKED,
                    ]
                )
                if rng.random() < 0.85
                else closure_vocab.EngagementOutcome.PARTLY
            )
            self.engagement.append(
                EngagementAttempt(
                    case_id=case.id,
                    strategy=rng.choice(ENGAGEMENT_STRATEGIES),
                    attempted_on=day,
                    outcome=outcome,
                    notes=rng.choice(ENGAGEMENT_NOTES),
                    made_by_id=self.scale.practitioners[agency_id].pk,
                    agency_id=agency_id,
                    recorded_at=_at(day, 17),
                )
            )
            if outcome != closure_vocab.EngagementOutcome.PARTLY:
                failed += 1
                if failed == closure_vocab.PROMPT_AFTER_MISSED:
                    flag_at = _at(day, 17, 30)
        if flag_at is not None and flag_at < closed_at:
            self.flags.append(
                NonEngagementFlag(
                    case_id=case.id,
                    reason="Three attempts to engage have failed; the adult declines contact.",
                    raised_by_id=author.pk,
                    raised_at=flag_at,
                    lifted_at=closed_at,
                    lifted_by_id=chair.pk,
                    lift_reason="The case was closed",
                )
            )
        checked_with = [agency_id for agency_id in agencies if agency_id != case.lead_agency_id]
        if not checked_with:
            # Only the lead agency takes part: the practitioner still checks with another agency in
            # contact with the adult (their GP, say).
            known = [agency_id for agency_id in self.scale.practitioners if agency_id != case.lead_agency_id]
            checked_with = [rng.choice(known)] if known else []
        for agency_id in checked_with:
            checked_on = closed_at.date() - _days(1, 20, rng)
            pools = self.scale.pools
            self.agency_checks.append(
                AgencyCheck(
                    case_id=case.id,
                    agency_id=agency_id,
                    spoke_to=f"{rng.choice(pools.first_names)} {rng.choice(pools.last_names)}",
                    checked_on=checked_on,
                    what_they_said=rng.choice(AGENCY_CHECK_SAID),
                    recorded_by_id=author.pk,
                    recorded_at=_at(checked_on, 16),
                )
            )

    MODELS = (
        Case,
        CaseAgency,
        CaseTransition,
        Screening,
        LeadProfessional,
        CaseTheme,
        SharingDecision,
        AgencyInvolvement,
        Meeting,
        Invitation,
        Attendance,
        AdultParticipation,
        Action,
        ActionUpdate,
        RiskAssessment,
        RiskAssessmentVersion,
        AdultCopy,
        CapacityAssessment,
        EngagementAttempt,
        NonEngagementFlag,
        AgencyCheck,
        S42Referral,
        S42Outcome,
        CaseClosure,
    )

    @transaction.atomic
    def write(self) -> int:
        with _timestamps_as_given(*self.MODELS):
            Case.objects.bulk_create(self.cases)
            # Decisions first: sharing decisions, referrals and closures point to them.
            Decision.objects.bulk_create(self.decisions)
            Screening.objects.bulk_create(self.screenings)
            SharingDecision.objects.bulk_create(self.sharing)
            CaseAgency.objects.bulk_create(self.agencies)
            AgencyInvolvement.objects.bulk_create(self.involvements)
            CaseTransition.objects.bulk_create(self.transitions)
            KeyAction.objects.bulk_create(self.key_actions)
            LeadProfessional.objects.bulk_create(self.leads)
            CaseTheme.objects.bulk_create(self.themes)
            Meeting.objects.bulk_create(self.meetings)
            Invitation.objects.bulk_create(self.invitations)
            Attendance.objects.bulk_create(self.attendance)
            AdultParticipation.objects.bulk_create(self.participation)
            Action.objects.bulk_create(self.actions)
            ActionUpdate.objects.bulk_create(self.action_updates)
            RiskAssessment.objects.bulk_create(self.risk_assessments)
            # Each version is based on the one before, which must be stored first.
            for number in sorted({version.number for version in self.risk_versions}):
                RiskAssessmentVersion.objects.bulk_create([v for v in self.risk_versions if v.number == number])
            AdultCopy.objects.bulk_create(self.adult_copies)
            CapacityAssessment.objects.bulk_create(self.capacity)
            EngagementAttempt.objects.bulk_create(self.engagement)
            NonEngagementFlag.objects.bulk_create(self.flags)
            AgencyCheck.objects.bulk_create(self.agency_checks)
            S42Referral.objects.bulk_create(self.referrals)
            S42Outcome.objects.bulk_create(self.s42_outcomes)
            CaseClosure.objects.bulk_create(self.closures)
            through = CaseClosure.support_agreed_by.through
            through.objects.bulk_create(
                through(caseclosure=closure, agency_id=agency_id) for closure, agency_id in self.closure_agencies
            )
            ClosureRiskOutcome.objects.bulk_create(self.risk_outcomes)
        return self.row_count()


class Command(BaseCommand):
    help = (
        "Bulk-load synthetic people and cases for performance measurement: a few agencies (Scale agency 1..K) "
        "with a practitioner and a manager each; with --people, N people with addresses, some other names and "
        "agency involvements; with --cases, N cases about generated people who have none yet (a few of them "
        "referred a second time), raised over the four financial years ending with --end-date and cut at that "
        "day: the history, agencies and sharing decisions, screening, decision, key actions and lead professional, "
        "and for cases that reached planning the meetings, attendance, the adult's participation, actions, risk "
        "assessments, capacity assessments, escalations and closures. "
        "Same seed and end date on an empty database, same data; running again adds more and reuses the agencies "
        "and users. This is a bulk load by a named command: it writes no audit rows (so the generated decisions "
        "have none for their integrity check to find). Never run it against a database holding real people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=0, help="How many people to add.")
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="How many cases to add, for generated people without a case (after any --people).",
        )
        parser.add_argument("--seed", type=int, default=20261123, help="Seed for names, dates, addresses and cases.")
        parser.add_argument("--agencies", type=int, default=4, help="How many scale agencies to use (default 4).")
        parser.add_argument("--batch", type=int, default=5000, help="People or cases per transaction (default 5000).")
        parser.add_argument(
            "--end-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="The last day of the cases' history, YYYY-MM-DD (default today).",
        )

    def handle(self, *args, people, cases, seed, agencies, batch, end_date, **options):
        if people < 0 or cases < 0 or people + cases < 1:
            raise CommandError("Give --people N, --cases N or both, with N at least 1")
        if agencies < 1:
            raise CommandError("--agencies must be at least 1")
        if batch < 1:
            raise CommandError("--batch must be at least 1")

        users, managers = self._agencies_and_users(agencies)
        if people:
            self._add_people(users, people=people, seed=seed, batch=batch, verbosity=options["verbosity"])
        if cases:
            self._add_cases(
                users,
                managers,
                cases=cases,
                seed=seed,
                batch=batch,
                end_date=end_date or timezone.localdate(),
                verbosity=options["verbosity"],
            )

    def _analyze(self, *models):
        """On PostgreSQL, give the planner statistics now, as autovacuum would shortly after a load."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def _add_people(self, users, *, people: int, seed: int, batch: int, verbosity: int):
        started = time.perf_counter()
        already = Person.objects.filter(created_by__in=users).count()
        # A fresh database gets exactly the seed's data; a later run gets a
        # different but equally repeatable stream, so it does not copy the first.
        rng = random.Random(seed if already == 0 else f"{seed}:{already}")
        pools = Pools(seed)
        highest = (
            Person.objects.filter(nhs_number__gte=str(NHS_NUMBER_FIRST_PREFIX))
            .aggregate(highest=Max("nhs_number"))
            .get("highest")
        )
        numbers = NhsNumbers(highest)

        rows = 0
        done = 0
        while done < people:
            size = min(batch, people - done)
            rows += self._write_batch(rng, pools, numbers, users, first_index=already + done, size=size)
            done += size
            if verbosity >= 2 or done == people:
                self.stdout.write(f"  {done:,} of {people:,} people written")

        self._analyze(Person, PersonAlias, Address, AgencyInvolvement)

        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {people:,} people ({rows:,} rows) for {len(users)} agencies in {elapsed:.1f} s: "
                f"{rows / elapsed:,.0f} rows/second, {people / elapsed:,.0f} people/second. "
                f"The database now holds {Person.objects.count():,} people."
            )
        )

    def _add_cases(self, users, managers, *, cases: int, seed: int, batch: int, end_date, verbosity: int):
        started = time.perf_counter()
        practitioners = {user.agency_id: user for user in users}
        agencies = Agency.objects.filter(pk__in=practitioners).order_by("pk")
        scale = Scale(
            practitioners=practitioners,
            managers={user.agency_id: user for user in managers},
            agency_kinds={agency.pk: agency.kind for agency in agencies},
            agency_names={agency.pk: agency.name for agency in agencies},
            pools=Pools(seed),
            years=financial_years(end_date),
            end_date=end_date,
        )
        # Each generated person's scale agencies, in the order they became involved.
        involved: dict = {}
        for person_id, agency_id in (
            AgencyInvolvement.objects.filter(agency_id__in=practitioners, ended_at__isnull=True)
            .order_by("pk")
            .values_list("person_id", "agency_id")
        ):
            agency_ids = involved.setdefault(person_id, [])
            if agency_id not in agency_ids:
                agency_ids.append(agency_id)
        with_case = set(Case.objects.values_list("person_id", flat=True))
        candidates = sorted(person_id for person_id in involved if person_id not in with_case)
        if len(candidates) < cases:
            raise CommandError(
                f"Only {len(candidates):,} generated people have no case yet, fewer than --cases {cases:,}. "
                "Add people first with --people."
            )
        already = Case.objects.filter(reference__startswith=CASE_REFERENCE_PREFIX).count()
        highest = (
            Case.objects.filter(reference__startswith=CASE_REFERENCE_PREFIX)
            .aggregate(highest=Max("reference"))
            .get("highest")
        )
        number = int(highest[len(CASE_REFERENCE_PREFIX) :]) + 1 if highest else 1
        # As for people: the seed alone on a database without generated cases,
        # a different repeatable stream for a later run.
        rng = random.Random(f"{seed}:cases" if already == 0 else f"{seed}:cases:{already}")
        rng.shuffle(candidates)
        people = iter(candidates)

        rows = 0
        done = 0
        re_referrals = 0
        counts: dict = {}
        statuses: dict = {}
        while done < cases:
            builder = CaseBuilder(scale)
            size = min(batch, cases - done)
            while len(builder.cases) < size:
                person_id = next(people)
                closed_at = builder.add(rng, number=number, person_id=person_id, agency_ids=involved[person_id])
                number += 1
                if closed_at and len(builder.cases) < size and rng.random() < RE_REFERRAL_SHARE:
                    # Referred again within a year of the closure: a new concern, a new case.
                    again = closed_at + _days(14, 365, rng)
                    if again < scale.cut:
                        builder.add(
                            rng, number=number, person_id=person_id, agency_ids=involved[person_id], raised_at=again
                        )
                        number += 1
                        re_referrals += 1
            rows += builder.write()
            for name, count in builder.counts().items():
                counts[name] = counts.get(name, 0) + count
            for case in builder.cases:
                statuses[case.status] = statuses.get(case.status, 0) + 1
            done += len(builder.cases)
            if verbosity >= 2 or done == cases:
                self.stdout.write(f"  {done:,} of {cases:,} cases written")

        self._analyze(*CaseBuilder.MODELS, Decision, KeyAction, CaseClosure.support_agreed_by.through)

        elapsed = time.perf_counter() - started
        if verbosity >= 1:
            self.stdout.write(
                "  Statuses: " + ", ".join(f"{statuses.get(s, 0):,} {s}" for s in CaseStatus.values if s in statuses)
            )
            self.stdout.write("  Rows: " + ", ".join(f"{count:,} {name}" for name, count in counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {cases:,} cases ({re_referrals:,} of them re-referrals; {rows:,} rows) in {elapsed:.1f} s: "
                f"{rows / elapsed:,.0f} rows/second, {cases / elapsed:,.0f} cases/second. "
                f"The database now holds {Case.objects.count():,} cases."
            )
        )

    @transaction.atomic
    def _agencies_and_users(self, count: int) -> tuple[list, list]:
        """The scale agencies with their team, practitioner and manager (who chairs meetings and signs off closures)."""
        User = get_user_model()
        users, managers = [], []
        for number in range(1, count + 1):
            agency, _ = Agency.objects.get_or_create(
                name=AGENCY_NAME.format(number), defaults={"kind": AGENCY_KINDS[(number - 1) % len(AGENCY_KINDS)]}
            )
            team, _ = Team.objects.get_or_create(agency=agency, name=TEAM_NAME)
            for email, name, title, role, found in (
                (USER_EMAIL.format(number), f"Scale Practitioner {number}", "Practitioner", Role.PRACTITIONER, users),
                (MANAGER_EMAIL.format(number), f"Scale Manager {number}", "Team manager", Role.MANAGER, managers),
            ):
                user = User.objects.filter(email=email).first()
                if user is None:
                    # No password: sign in is not needed to measure, and an administrator can set one.
                    user = User.objects.create_user(email, None, full_name=name, agency=agency, job_title=title)
                Membership.objects.get_or_create(user=user, team=team, role=role)
                found.append(user)
        return users, managers

    @transaction.atomic
    def _write_batch(self, rng, pools, numbers, users, *, first_index: int, size: int) -> int:
        people, addresses, aliases, involvements = [], [], [], []
        agency_count = len(users)
        for index in range(first_index, first_index + size):
            creator = users[index % agency_count]
            given = rng.choice(pools.first_names)
            family = rng.choice(pools.last_names)
            middle = rng.choice(pools.first_names) if rng.random() < MIDDLE_NAME_SHARE else ""
            preferred = rng.choice(pools.first_names) if rng.random() < PREFERRED_NAME_SHARE else ""
            born, precision = _date_of_birth(rng)
            person = Person(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                given_name=given,
                middle_names=middle,
                family_name=family,
                preferred_name=preferred,
                date_of_birth=born,
                date_of_birth_precision=precision,
                nhs_number=next(numbers) if rng.random() < NHS_NUMBER_SHARE else "",
                created_by=creator,
            )
            people.append(person)

            moved_in = born + datetime.timedelta(days=rng.randint(18 * 365, (REFERENCE_DATE - born).days))
            addresses.append(
                Address(
                    person=person,
                    line_1=rng.choice(pools.streets),
                    town=rng.choice(pools.towns),
                    postcode=rng.choice(pools.postcodes),
                    lived_from=moved_in if rng.random() < 0.8 else None,
                    created_by=creator,
                )
            )

            if rng.random() < ALIAS_SHARE:
                kind = rng.choice(AliasKind.values)
                if kind == AliasKind.PREVIOUS:
                    alias = {"given_name": given, "family_name": rng.choice(pools.last_names)}
                elif kind == AliasKind.KNOWN_AS:
                    alias = {"given_name": rng.choice(pools.first_names), "family_name": ""}
                else:
                    alias = {"given_name": given, "family_name": family[:-1] + family[-1] * 2}
                aliases.append(PersonAlias(person=person, kind=kind, created_by=creator, **alias))

            involvements.append(
                AgencyInvolvement(
                    person=person,
                    agency_id=creator.agency_id,
                    basis=InvolvementBasis.CREATED_RECORD,
                    started_by=creator,
                )
            )
            if agency_count > 1 and rng.random() < SECOND_AGENCY_SHARE:
                other = users[(index + rng.randint(1, agency_count - 1)) % agency_count]
                involvements.append(
                    AgencyInvolvement(
                        person=person,
                        agency_id=other.agency_id,
                        basis=InvolvementBasis.SHARING_DECISION,
                        started_by=other,
                    )
                )

        Person.objects.bulk_create(people)
        Address.objects.bulk_create(addresses)
        PersonAlias.objects.bulk_create(aliases)
        AgencyInvolvement.objects.bulk_create(involvements)
        return len(people) + len(addresses) + len(aliases) + len(involvements)
