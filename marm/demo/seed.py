"""A county partnership with synthetic people, for trying marm out.

Everything here is invented (Faker en_GB, fixed seed). Running it again
changes nothing.
"""

import datetime
import logging
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case, CaseTransition, Screening
from marm.cases.services import case_raise, case_screen, lead_professional_allocate
from marm.demo.board_seed import link_confidence_surveys, seed_business_plan
from marm.demo.register_seed import seed_register
from marm.demo.risk import seed_risk
from marm.demo.sar_seed import REVIEW_CONTACTS, seed_review_plan
from marm.demo.seed_closure import seed_escalation, seed_non_engagement
from marm.demo.survey_seed import seed_surveys
from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team
from marm.people import nhs_number
from marm.people.models import DatePrecision, PersonIdentifier, Relationship
from marm.people.services import address_add, alias_add, person_create, related_person_add
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide

DEMO_PASSWORD = "marm-demo-password"


def ensure_authenticator(user) -> None:
    """Demo users sign in with two factors like everyone: each gets an authenticator key, printed by
    ``demo`` so it can be added to an app (or ``demo_code`` prints the code now)."""
    from marm.accounts.two_factor import authenticator_create, has_second_factor

    if not has_second_factor(user):
        authenticator_create(user=user)


def authenticator_keys() -> dict[str, str]:
    """Each demo user's authenticator key, as typed into an app, by e-mail address."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from marm.accounts.two_factor import secret_in_groups

    devices = TOTPDevice.objects.filter(confirmed=True, user__email__in=[p.email for p in PERSONAS]).select_related(
        "user"
    )
    return {device.user.email: secret_in_groups(device) for device in devices.order_by("pk")}


DEMO_PEOPLE = 50

AGENCIES = [
    # (key, name, kind, ods code, teams)
    (
        "asc",
        "Shire County Council Adult Social Care",
        AgencyKind.ADULT_SOCIAL_CARE,
        "",
        ["Adult Safeguarding Hub", "Information Governance", "Systems"],
    ),
    ("trust", "Shire Health and Care NHS Foundation Trust", AgencyKind.NHS_TRUST, "RZZ", ["Community Mental Health"]),
    ("icb", "Shire Integrated Care Board", AgencyKind.INTEGRATED_CARE_BOARD, "QZZ", ["Safeguarding"]),
    ("gp1", "Riverside Medical Practice", AgencyKind.GP_PRACTICE, "Z99001", ["Practice team"]),
    ("gp2", "Hillview Surgery", AgencyKind.GP_PRACTICE, "Z99002", ["Practice team"]),
    ("police", "Shire Constabulary", AgencyKind.POLICE, "", ["Vulnerability Hub"]),
    ("housing", "Northdale District Council Housing", AgencyKind.HOUSING, "", ["Tenancy Sustainment"]),
    ("fire", "Shire Fire and Rescue Service", AgencyKind.FIRE_AND_RESCUE, "", ["Prevention"]),
    ("probation", "Shire Probation Delivery Unit", AgencyKind.PROBATION, "", ["Offender Management"]),
    ("voluntary", "Shire Community Support", AgencyKind.VOLUNTARY_SECTOR, "", ["Befriending"]),
    ("care", "Homecare Partners Shire", AgencyKind.CARE_PROVIDER, "", ["Domiciliary care"]),
    ("sab", "Shire Safeguarding Adults Board", AgencyKind.SAFEGUARDING_ADULTS_BOARD, "", ["Board business unit"]),
]


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    full_name: str
    agency: str
    team: str
    role: str
    job_title: str
    description: str


PERSONAS = [
    Persona(
        "practitioner",
        "practitioner@asc.example.org",
        "Priya Shah",
        "asc",
        "Adult Safeguarding Hub",
        Role.PRACTITIONER,
        "Social worker",
        "Practitioner in adult social care",
    ),
    Persona(
        "manager",
        "manager@asc.example.org",
        "Martin Lloyd",
        "asc",
        "Adult Safeguarding Hub",
        Role.MANAGER,
        "Team manager",
        "Responsible manager in adult social care",
    ),
    Persona(
        "duty",
        "duty@asc.example.org",
        "Dawn Ellis",
        "asc",
        "Adult Safeguarding Hub",
        Role.DUTY_OFFICER,
        "Duty social worker",
        "Duty officer in adult social care",
    ),
    Persona(
        "supervisor",
        "supervisor@asc.example.org",
        "Sian Morgan",
        "asc",
        "Adult Safeguarding Hub",
        Role.SUPERVISOR,
        "Senior practitioner",
        "Supervisor in adult social care",
    ),
    Persona(
        "auditor",
        "auditor@asc.example.org",
        "Arthur Bell",
        "asc",
        "Information Governance",
        Role.AUDITOR,
        "Information governance officer",
        "Auditor in adult social care",
    ),
    Persona(
        "administrator",
        "admin@asc.example.org",
        "Grace Okafor",
        "asc",
        "Systems",
        Role.ADMINISTRATOR,
        "Systems administrator",
        "Administrator (manages agencies and users, sees no people)",
    ),
    Persona(
        "police",
        "police@police.example.org",
        "Tom Harris",
        "police",
        "Vulnerability Hub",
        Role.PRACTITIONER,
        "Police constable",
        "Police officer involved with some of the same adults",
    ),
    Persona(
        "gp",
        "gp@riverside.example.org",
        "Helen Carter",
        "gp1",
        "Practice team",
        Role.PRACTITIONER,
        "GP",
        "GP whose practice is not involved with anyone yet",
    ),
    Persona(
        "board",
        "board@sab.example.org",
        "Bridget Walsh",
        "sab",
        "Board business unit",
        Role.BOARD_OFFICER,
        "Board manager",
        "Safeguarding Adults Board officer",
    ),
    # The nominated contacts on the demo's Safeguarding Adults Review: seed_review_plan makes them.
    *REVIEW_CONTACTS,
]


def _valid_nhs_number(rng: random.Random) -> str:
    while True:
        first_nine = f"{rng.randint(400000000, 499999999)}"
        check = nhs_number.check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


@transaction.atomic
def seed_demo() -> dict:
    agencies = {}
    teams = {}
    for key, name, kind, ods, team_names in AGENCIES:
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind, "ods_code": ods})
        agencies[key] = agency
        for team_name in team_names:
            teams[(key, team_name)], _ = Team.objects.get_or_create(agency=agency, name=team_name)

    User = get_user_model()
    users = {}
    for persona in PERSONAS:
        if persona in REVIEW_CONTACTS:
            continue
        user = User.objects.filter(email=persona.email).first()
        if user is None:
            user = User.objects.create_user(
                persona.email,
                DEMO_PASSWORD,
                full_name=persona.full_name,
                agency=agencies[persona.agency],
                job_title=persona.job_title,
                is_staff=persona.role == Role.ADMINISTRATOR,
            )
        Membership.objects.get_or_create(user=user, team=teams[(persona.agency, persona.team)], role=persona.role)
        ensure_authenticator(user)
        users[persona.key] = user

    created = _seed_people(users, agencies)
    seed_register(users, teams)
    _seed_same_person(users)
    seed_review_plan(users["board"])
    seed_business_plan(users["board"])
    seed_surveys(users["board"])
    link_confidence_surveys(users["board"])
    return {"agencies": len(agencies), "users": len(users), "people_created": created}


CONCERNS = [
    "Hoarding has blocked the exits and the fire service found the smoke alarm disconnected.",
    "Refusing personal care and meals from the care agency; weight loss reported by the GP.",
    "Neighbours report a man staying at the flat and taking her money on benefit day.",
    "Repeated calls to the police when drinking; falls at home and missed hospital appointments.",
    "Not collecting medication; the flat is cold and the electricity meter is empty.",
]
ALL_QUALITY_TESTS = [test.value for test in QualityTest]


def _seed_case(number, person, creator, users, agencies) -> None:
    """Every third adult has a case, at different stages; accepted ones are shared with the police."""
    if number % 3:
        return
    # 001 3.3: half the adults agreed their information may go to the police and their GP; for the
    # rest the police are told without their consent, and the share says whether they were told.
    agreed = number % 2 == 0
    case = case_raise(
        acting_user=creator,
        person=person,
        what_is_happening=CONCERNS[number % len(CONCERNS)],
        risk_categories=["b", "c"] if number % 2 else ["a", "g"],
        asked_about_sharing="yes",
        sharing_agreed_agencies=[agencies["police"], agencies["gp1"]] if agreed else [],
        views_on_sharing=(
            "Happy for the police and her GP to know; not her family."
            if agreed
            else "Does not want the police told: worried they will take her son away."
        ),
        others_at_risk="no",
        unable_or_unwilling_to_self_care=True,
        at_risk_tests=["refused"],
        entry_criteria=["harm", "refuses", "not_mitigated", "daily_life", "partners"],
        daily_life_areas=["home", "health"],
    )
    if creator != users["practitioner"] or number % 9 == 0:
        return  # left as a concern waiting for screening
    manager = users["manager"]
    if number % 12 == 0:
        case_screen(
            acting_user=manager,
            case=case,
            s42_duty_applies="no",
            better_process="marac",
            dash_ticks=15,
            outcome="route",
            rationale="DASH checklist of 15: high risk of domestic abuse, so MARAC.",
            routed_to="MARAC coordinator",
            routed_on=timezone.localdate(),
            what_was_sent="DASH and referral form",
        )
        return
    case_screen(
        acting_user=manager,
        case=case,
        s42_duty_applies="no",
        better_process="none",
        outcome="accept",
        rationale="Has capacity and refuses support; no third-party abuse, so no s42 duty. MARM fits.",
    )
    lead_professional_allocate(
        acting_user=manager,
        case=case,
        user=users["practitioner"],
        rationale="Already knows the adult from the care assessment.",
    )
    if agreed:
        grounds = {
            "basis": "consent",
            "consent_details": "Agreed in person on the home visit, with the practitioner",
        }
    else:
        grounds = {
            "basis": "risk_to_others",
            "adult_told": "yes",
            "adult_told_on": timezone.localdate(),
            "adult_told_by": f"{users['practitioner'].full_name}, adult social care",
        }
    sharing_decide(
        acting_user=users["practitioner"],
        case=case,
        agency=agencies["police"],
        rationale="Repeated police call-outs; officers need to know the plan.",
        access="full",
        what_is_shared="The concern, screening and plan",
        quality_tests=ALL_QUALITY_TESTS,
        **grounds,
    )
    if number == 3:
        from marm.demo.seed_meetings import seed_planning_meeting

        _concern_raised_weeks_ago(case, weeks=5)
        seed_planning_meeting(case, users, agencies)
    seed_risk(case, users)
    if number == 6:
        seed_non_engagement(case=case, users=users, agencies=agencies)
    if number == 21:
        seed_escalation(case=case, users=users)


def _concern_raised_weeks_ago(case, *, weeks: int) -> None:
    """The case whose planning meeting was held last week was raised and screened before it: its
    concern, screening and their moves are dated back (the decisions keep the time they were recorded,
    as a decision written up after the event does)."""
    raised = timezone.now() - datetime.timedelta(weeks=weeks)
    screened = raised + datetime.timedelta(days=4)
    Case.objects.filter(pk=case.pk).update(raised_at=raised)
    Screening.objects.filter(case=case).update(screened_at=screened)
    CaseTransition.objects.filter(case=case, to_status=CaseStatus.CONCERN).update(created_at=raised)
    CaseTransition.objects.filter(case=case).exclude(to_status=CaseStatus.CONCERN).update(created_at=screened)


def _seed_people(users, agencies) -> int:
    fake = Faker("en_GB")
    fake.seed_instance(20261123)
    rng = random.Random(20261123)
    created = 0
    for number in range(1, DEMO_PEOPLE + 1):
        reference = f"DEMO-{number:03d}"
        # Most people are known to adult social care; every fifth only to the police.
        creator = users["police"] if number % 5 == 0 else users["practitioner"]
        given, family = fake.first_name(), fake.last_name()
        dob = fake.date_of_birth(minimum_age=19, maximum_age=96)
        precision = DatePrecision.EXACT if number % 7 else DatePrecision.YEAR
        address = {"line_1": fake.street_address(), "town": fake.city(), "postcode": fake.postcode()}
        nhs = _valid_nhs_number(rng) if number % 4 else ""
        partner_name = fake.name()
        if PersonIdentifier.objects.filter(agency=creator.agency, label="Local reference", value=reference).exists():
            continue
        person = person_create(
            acting_user=creator,
            given_name=given,
            family_name=family,
            date_of_birth=dob.replace(month=1, day=1) if precision == DatePrecision.YEAR else dob,
            date_of_birth_precision=precision,
            nhs_number=nhs,
            local_identifier_label="Local reference",
            local_identifier=reference,
            address=address,
        )
        if number % 3 == 0:
            alias_add(
                acting_user=creator,
                person=person,
                given_name=given[:1] + given[1:].lower(),
                family_name=family + "e",
                kind="spelling",
            )
        if number % 4 == 0:
            related_person_add(
                acting_user=creator,
                person=person,
                name=partner_name,
                relationship=Relationship.FAMILY,
                relationship_detail="Daughter",
            )
        if number % 6 == 0:
            address_add(
                acting_user=creator,
                person=person,
                line_1=fake.street_address(),
                town=fake.city(),
                postcode=fake.postcode(),
                lived_until=dob.replace(year=2020),
            )
        _seed_case(number, person, creator, users, agencies)
        created += 1
    return created


# Further records of the first demo person (one by adult social care, one by the police).
SAME_PERSON_RECORDS = 2


def _seed_same_person(users) -> None:
    """A second record of the first demo person, misspelt, linked to the first; a third held by the
    police for the possible duplicates report (ADR 0014)."""
    from marm.audit.services import SystemActor
    from marm.linkage.services import duplicates_find, person_link

    practitioner, police = users["practitioner"], users["police"]
    first = PersonIdentifier.objects.filter(agency=practitioner.agency, value="DEMO-001").select_related("person")
    if not first or PersonIdentifier.objects.filter(value="DEMO-001-B").exists():
        return
    person = first[0].person
    typo = person.family_name[:-1] + ("y" if person.family_name[-1] != "y" else "i")
    second = person_create(
        acting_user=practitioner,
        given_name=person.given_name,
        family_name=typo,
        date_of_birth=person.date_of_birth,
        date_of_birth_precision=person.date_of_birth_precision,
        local_identifier_label="Local reference",
        local_identifier="DEMO-001-B",
        declined_matches=[person.pk],
    )
    person_link(
        acting_user=practitioner,
        person=person,
        other=second,
        reason="Recorded twice at the front door with the surname misspelt; same date of birth and address",
    )
    person_create(
        acting_user=police,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        date_of_birth_precision=person.date_of_birth_precision,
        local_identifier_label="Local reference",
        local_identifier="DEMO-001-C",
    )
    # Fifty demo people are too few for Splink to train every parameter: its warnings
    # say so at length, and would bury the sign-ins printed next.
    duplicates_find(actor=SystemActor("seed_demo"), log_level=logging.ERROR)
