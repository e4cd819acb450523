"""Bulk synthetic people, and cases about them, for measuring marm at realistic volumes.

Everything is invented: names, addresses and postcodes come from pools built
once with Faker (en_GB) and combined with a seeded random generator, so the
same seed on an empty database gives the same people. NHS numbers are valid
(modulus 11) and unique: they come from a counter in the 9 series, which the
demo data never uses, and a later run continues after the highest one stored.

With --cases, generated people without a case get one each (see CaseBuilder):
the concern, its history of moves through the lifecycle, the agencies taking
part, and for screened cases the screening and its decision, with stage 1 key
actions and a lead professional once accepted. Their dates are fixed by the
seed too, not the time of the load.

Rows are written with bulk_create, batch by batch, each batch in its own
transaction. Nothing goes through the people or case services, so no audit
rows are written: this is a bulk load by a named command, not anyone reading
or changing a record.
"""

import contextlib
import datetime
import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from faker import Faker

from marm.cases import vocab
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case, CaseAgency, CaseTransition, KeyAction, LeadProfessional, Screening
from marm.decisions.integrity import content_hash
from marm.decisions.models import Decision, DecisionKind
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
# Cases are raised over about two years before REFERENCE_DATE.
FIRST_CASE_RAISED = datetime.datetime(2023, 7, 1, tzinfo=datetime.UTC)
CASE_RAISED_SPREAD_DAYS = 640

S = CaseStatus
# Where the cases stand: a few concerns still waiting, most past screening,
# and many routed elsewhere or closed, as in a service that has run for years.
CASE_STATUS_WEIGHTS = {
    S.CONCERN: 6,
    S.SCREENING: 6,
    S.ACCEPTED: 10,
    S.PLANNING: 16,
    S.REVIEW: 22,
    S.ROUTED: 12,
    S.CLOSED: 28,
}
# Of the closed cases, the share closed at screening (no further action); the
# rest closed after MARM work.
CLOSED_AT_SCREENING_SHARE = 0.4

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
PLANNING_REASONS = [
    "Risk planning meeting held; risk management plan agreed",
    "Multi-agency meeting held; actions agreed for each agency",
    "Planning meeting held with the adult and an advocate",
]
REVIEW_REASONS = [
    "Plan reviewed: risk reduced, actions continue",
    "Plan reviewed: risk unchanged, new actions agreed",
    "Plan reviewed after a further incident",
    "Plan reviewed with the adult present",
]
CLOSE_REASONS = [
    "Risk reduced; agencies continue their usual support",
    "The adult now accepts care and support; risk managed",
    "Moved to residential care; the risks are managed there",
    "The adult has moved out of the area; the new authority has been told",
]
CAPACITY_NOT_APPLICABLE = "No concerns about capacity on this issue: an assessment is not needed."
SECOND_AGENCY_LEAD_WORKER_SHARE = 0.5
# TextChoices.values builds a new list on every use; these are read for every case.
YES_NO_UNKNOWN = vocab.YesNoUnknown.values
CAPACITY_VIEWS = vocab.CapacityView.values
ENTRY_CRITERIA = vocab.EntryCriterion.values
_VALUES: dict = {}


def _pick_codes(rng: random.Random, choices, low: int, high: int) -> list[str]:
    """A few codes from a vocabulary, kept in the vocabulary's order."""
    values = _VALUES.get(choices)
    if values is None:
        values = _VALUES[choices] = choices.values
    chosen = set(rng.sample(values, rng.randint(low, high)))
    return [value for value in values if value in chosen]


@contextlib.contextmanager
def _timestamps_as_given(*models):
    """Let bulk_create keep the dates set on the instances instead of stamping the time of the load.

    auto_now_add fields take the current time on insert; a generated history
    needs its own dates (and the same ones for the same seed). Only for the
    duration of this command's writes.
    """
    fields = [
        field for model in models for field in model._meta.concrete_fields if getattr(field, "auto_now_add", False)
    ]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


class CaseBuilder:
    """The rows of one generated case, consistent with its place in the lifecycle.

    A concern is raised by the practitioner of the person's first scale agency
    (the lead agency); its status is drawn from CASE_STATUS_WEIGHTS and the
    CaseTransition rows walk the allowed moves to it. Screened cases have a
    Screening and the Decision it made (accept, route or no further action)
    with its content hash; accepted ones (including those closed later) have
    the 16 stage 1 key actions and a lead professional. A person involved with
    a second scale agency has that agency on the case as well.
    """

    def __init__(self):
        self.cases, self.agencies, self.transitions = [], [], []
        self.screenings, self.decisions, self.key_actions, self.leads = [], [], [], []

    def row_count(self) -> int:
        return sum(
            len(rows)
            for rows in (
                self.cases,
                self.agencies,
                self.transitions,
                self.screenings,
                self.decisions,
                self.key_actions,
                self.leads,
            )
        )

    def add(self, rng: random.Random, *, number: int, person_id, agency_ids: list[int], users_by_agency: dict):
        lead_agency_id = agency_ids[0]
        author = users_by_agency[lead_agency_id]
        status = rng.choices(list(CASE_STATUS_WEIGHTS), weights=list(CASE_STATUS_WEIGHTS.values()))[0]
        closed_at_screening = status == S.CLOSED and rng.random() < CLOSED_AT_SCREENING_SHARE
        outcome = None
        if status in (S.ACCEPTED, S.PLANNING, S.REVIEW) or (status == S.CLOSED and not closed_at_screening):
            outcome = vocab.ScreeningOutcome.ACCEPT
        elif status == S.ROUTED:
            outcome = vocab.ScreeningOutcome.ROUTE
        elif closed_at_screening:
            outcome = vocab.ScreeningOutcome.NO_FURTHER_ACTION

        raised_at = FIRST_CASE_RAISED + datetime.timedelta(
            days=rng.randint(0, CASE_RAISED_SPREAD_DAYS), minutes=rng.randint(8 * 60, 18 * 60)
        )
        others_at_risk = rng.choices(YES_NO_UNKNOWN, weights=[15, 60, 25])[0]
        asked = rng.choices(YES_NO_UNKNOWN, weights=[70, 20, 10])[0]
        criteria = (
            list(ENTRY_CRITERIA)
            if outcome == vocab.ScreeningOutcome.ACCEPT
            else _pick_codes(rng, vocab.EntryCriterion, 2, 5)
        )
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
        self.agencies.append(
            CaseAgency(
                case_id=case.id,
                agency_id=lead_agency_id,
                access="full",
                lead_worker_id=author.pk if outcome == vocab.ScreeningOutcome.ACCEPT else None,
                joined_at=raised_at,
            )
        )

        # The moves, each a few days (reviews a few weeks) after the one before.
        moves = [(S.CONCERN, "Concern raised")]
        if status != S.CONCERN:
            moves.append((S.SCREENING, "Screening started"))
        route = rng.choice(ROUTES) if outcome == vocab.ScreeningOutcome.ROUTE else None
        if outcome == vocab.ScreeningOutcome.ACCEPT:
            summary = "Accepted into MARM"
            moves.append((S.ACCEPTED, summary))
            if status != S.ACCEPTED:
                moves.append((S.PLANNING, rng.choice(PLANNING_REASONS)))
            reviews = rng.randint(1, 4) if status == S.REVIEW else rng.randint(0, 2) if status == S.CLOSED else 0
            moves.extend((S.REVIEW, rng.choice(REVIEW_REASONS)) for _ in range(reviews))
            if status == S.CLOSED:
                moves.append((S.CLOSED, rng.choice(CLOSE_REASONS)))
        elif outcome == vocab.ScreeningOutcome.ROUTE:
            summary = f"Routed to {route[0].label}: sent to {route[1]}"
            moves.append((S.ROUTED, summary))
        elif outcome == vocab.ScreeningOutcome.NO_FURTHER_ACTION:
            summary = "No further action"
            moves.append((S.CLOSED, summary))

        when = raised_at
        previous = ""
        moved_at = {}
        for to_status, reason in moves:
            if previous:
                gap = rng.randint(28, 56) if to_status == S.REVIEW else rng.randint(1, 14)
                when += datetime.timedelta(days=gap, minutes=rng.randint(-120, 120))
            self.transitions.append(
                CaseTransition(
                    case_id=case.id,
                    from_status=previous,
                    to_status=to_status,
                    reason=reason,
                    created_by_id=author.pk,
                    created_at=when,
                )
            )
            moved_at.setdefault(to_status, when)
            previous = to_status

        if len(agency_ids) > 1:
            other = agency_ids[1]
            self.agencies.append(
                CaseAgency(
                    case_id=case.id,
                    agency_id=other,
                    access="full",
                    lead_worker_id=(
                        users_by_agency[other].pk if rng.random() < SECOND_AGENCY_LEAD_WORKER_SHARE else None
                    ),
                    joined_at=moved_at.get(S.ACCEPTED, raised_at) + datetime.timedelta(hours=rng.randint(1, 48)),
                )
            )

        if outcome is None:
            return
        decided_at = moved_at[{"accept": S.ACCEPTED, "route": S.ROUTED, "nfa": S.CLOSED}[outcome]]
        self._screening_and_decision(rng, case, author, outcome, route, summary, decided_at)
        if outcome == vocab.ScreeningOutcome.ACCEPT:
            self._key_actions_and_lead(rng, case, author, status, decided_at)

    def _screening_and_decision(self, rng, case, author, outcome, route, summary, decided_at):
        if outcome == vocab.ScreeningOutcome.ACCEPT:
            rationale = rng.choice(ACCEPT_RATIONALES)
            kind = DecisionKind.ACCEPT
        elif outcome == vocab.ScreeningOutcome.ROUTE:
            process, routed_to, sent = route
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
        decision = Decision(
            person_id=case.person_id,
            case_id=case.id,
            kind=kind,
            summary=summary,
            rationale=rationale,
            options_considered=rng.choice(OPTIONS_TEXTS),
            recorded_by_id=author.pk,
            recorded_by_agency_id=case.lead_agency_id,
            recorded_at=decided_at,
        )
        # No participants or legislation: the hash covers them as empty lists.
        decision.content_hash = content_hash(decision=decision, participant_ids=[], legislation_ids=[])
        self.decisions.append(decision)

    def _key_actions_and_lead(self, rng, case, author, status, accepted_at):
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
            S.CLOSED: total,
        }[status]
        for position, (code, label) in enumerate(vocab.STAGE_1_KEY_ACTIONS, start=1):
            item = KeyAction(case_id=case.id, stage=1, code=code, label=label, position=position)
            if code == "allocate_lead":
                item.status, item.updated_at = vocab.KeyActionStatus.DONE, allocated_at
            elif position <= done:
                item.updated_at = accepted_at + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8))
                if code == "capacity_assessment" and rng.random() < 0.4:
                    item.status, item.reason = vocab.KeyActionStatus.NOT_APPLICABLE, CAPACITY_NOT_APPLICABLE
                else:
                    item.status = vocab.KeyActionStatus.DONE
            if item.updated_at is not None:
                item.updated_by_id = author.pk
            self.key_actions.append(item)

    @transaction.atomic
    def write(self) -> int:
        with _timestamps_as_given(Case, CaseAgency, CaseTransition, Screening, LeadProfessional):
            Case.objects.bulk_create(self.cases)
            CaseAgency.objects.bulk_create(self.agencies)
            CaseTransition.objects.bulk_create(self.transitions)
            Screening.objects.bulk_create(self.screenings)
            Decision.objects.bulk_create(self.decisions)
            KeyAction.objects.bulk_create(self.key_actions)
            LeadProfessional.objects.bulk_create(self.leads)
        return self.row_count()


class Command(BaseCommand):
    help = (
        "Bulk-load synthetic people and cases for performance measurement: a few agencies (Scale agency 1..K) "
        "with one practitioner each; with --people, N people with addresses, some other names and agency "
        "involvements; with --cases, one case each for N generated people who have none yet, with its history, "
        "agencies, screening, decision, key actions and lead professional as far as its stage. "
        "Same seed on an empty database, same data; running again adds more and reuses the agencies and users. "
        "This is a bulk load by a named command: it writes no audit rows (so the generated decisions have none "
        "for their integrity check to find). Never run it against a database holding real people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=0, help="How many people to add.")
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="How many cases to add, one per generated person without a case (after any --people).",
        )
        parser.add_argument("--seed", type=int, default=20261123, help="Seed for names, dates, addresses and cases.")
        parser.add_argument("--agencies", type=int, default=4, help="How many scale agencies to use (default 4).")
        parser.add_argument("--batch", type=int, default=5000, help="People or cases per transaction (default 5000).")

    def handle(self, *args, people, cases, seed, agencies, batch, **options):
        if people < 0 or cases < 0 or people + cases < 1:
            raise CommandError("Give --people N, --cases N or both, with N at least 1")
        if agencies < 1:
            raise CommandError("--agencies must be at least 1")
        if batch < 1:
            raise CommandError("--batch must be at least 1")

        users = self._agencies_and_users(agencies)
        if people:
            self._add_people(users, people=people, seed=seed, batch=batch, verbosity=options["verbosity"])
        if cases:
            self._add_cases(users, cases=cases, seed=seed, batch=batch, verbosity=options["verbosity"])

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

    def _add_cases(self, users, *, cases: int, seed: int, batch: int, verbosity: int):
        started = time.perf_counter()
        users_by_agency = {user.agency_id: user for user in users}
        # Each generated person's scale agencies, in the order they became involved.
        involved: dict = {}
        for person_id, agency_id in (
            AgencyInvolvement.objects.filter(agency_id__in=users_by_agency, ended_at__isnull=True)
            .order_by("pk")
            .values_list("person_id", "agency_id")
        ):
            agencies = involved.setdefault(person_id, [])
            if agency_id not in agencies:
                agencies.append(agency_id)
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
        first_number = int(highest[len(CASE_REFERENCE_PREFIX) :]) + 1 if highest else 1
        # As for people: the seed alone on a database without generated cases,
        # a different repeatable stream for a later run.
        rng = random.Random(f"{seed}:cases" if already == 0 else f"{seed}:cases:{already}")
        rng.shuffle(candidates)
        chosen = candidates[:cases]

        rows = 0
        done = 0
        while done < cases:
            builder = CaseBuilder()
            for offset, person_id in enumerate(chosen[done : done + batch]):
                builder.add(
                    rng,
                    number=first_number + done + offset,
                    person_id=person_id,
                    agency_ids=involved[person_id],
                    users_by_agency=users_by_agency,
                )
            rows += builder.write()
            done += len(builder.cases)
            if verbosity >= 2 or done == cases:
                self.stdout.write(f"  {done:,} of {cases:,} cases written")

        self._analyze(Case, CaseAgency, CaseTransition, Screening, Decision, KeyAction, LeadProfessional)

        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {cases:,} cases ({rows:,} rows) in {elapsed:.1f} s: "
                f"{rows / elapsed:,.0f} rows/second, {cases / elapsed:,.0f} cases/second. "
                f"The database now holds {Case.objects.count():,} cases."
            )
        )

    @transaction.atomic
    def _agencies_and_users(self, count: int) -> list:
        User = get_user_model()
        users = []
        for number in range(1, count + 1):
            agency, _ = Agency.objects.get_or_create(
                name=AGENCY_NAME.format(number), defaults={"kind": AGENCY_KINDS[(number - 1) % len(AGENCY_KINDS)]}
            )
            team, _ = Team.objects.get_or_create(agency=agency, name=TEAM_NAME)
            email = USER_EMAIL.format(number)
            user = User.objects.filter(email=email).first()
            if user is None:
                # No password: sign in is not needed to measure, and an administrator can set one.
                user = User.objects.create_user(
                    email, None, full_name=f"Scale Practitioner {number}", agency=agency, job_title="Practitioner"
                )
            Membership.objects.get_or_create(user=user, team=team, role=Role.PRACTITIONER)
            users.append(user)
        return users

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
