"""A Safeguarding Adults Review's composite action plan, loaded as the board published it (seed 004).

The texts of the review, its recommendations, actions and progress are the
Bournemouth and Poole Adult Safeguarding Board's plan for BPSCR4 (X, Y and
Z), as written. Progress is split to the organisation the plan names for it
("Dorset CCG have liaised ...", "Dorset Police have confirmed ..."); what the
plan does not attribute to one organisation is on the board's own entry.
The dates, the single-agency plans' details and the two nominated contacts
are the demo's own (Faker en_GB). Written through the services; running it
again changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from faker import Faker

from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team
from marm.sar import services
from marm.sar.models import Review
from marm.sar.vocab import Rag, RecommendationResponse

REFERENCE = "BPSCR4"
BOARD = "Bournemouth and Poole Safeguarding Adult Board"
CCG = "Dorset Clinical Commissioning Group"
HEALTHCARE = "Dorset HealthCare"
POLICE = "Dorset Police"
POOLE = "Borough of Poole"
BOURNEMOUTH = "Bournemouth Borough Council"

# The organisations the plan names, and the kind of agency each is.
ORGANISATIONS = [
    (CCG, AgencyKind.INTEGRATED_CARE_BOARD),
    (HEALTHCARE, AgencyKind.NHS_TRUST),
    (POLICE, AgencyKind.POLICE),
    (POOLE, AgencyKind.ADULT_SOCIAL_CARE),
    (BOURNEMOUTH, AgencyKind.ADULT_SOCIAL_CARE),
    (BOARD, AgencyKind.SAFEGUARDING_ADULTS_BOARD),
]
CONTACT_TEAM = "Safeguarding"


@dataclass(frozen=True)
class ReviewContact:
    """A nominated contact, described as the demo's personas are (marm.demo.seed.Persona) so the demo
    lists them among its sign-ins."""

    key: str
    email: str
    full_name: str
    agency: str
    team: str
    role: str
    job_title: str
    description: str


def _contacts() -> list[ReviewContact]:
    fake = Faker("en_GB")
    fake.seed_instance(20170301)
    made = []
    for key, agency, domain, job_title in [
        ("review_police", POLICE, "dorset-police.example.org", "Detective sergeant, safeguarding"),
        ("review_health", HEALTHCARE, "dorset-healthcare.example.org", "Named nurse for safeguarding adults"),
    ]:
        given, family = fake.first_name(), fake.last_name()
        local = ".".join("".join(c for c in name.lower() if c.isalpha()) for name in (given, family))
        made.append(
            ReviewContact(
                key=key,
                email=f"{local}@{domain}",
                full_name=f"{given} {family}",
                agency=agency,
                team=CONTACT_TEAM,
                role=Role.PRACTITIONER,
                job_title=job_title,
                description=f"{agency}'s nominated contact on review {REFERENCE}: keeps its progress",
            )
        )
    return made


REVIEW_CONTACTS = _contacts()

SUMMARY = (
    "This following multiagency action plan has been produced by representatives from Dorset Clinical "
    "Commissioning Group (Dorset CCG), Dorset HealthCare (DHC), Dorset Police, Borough of Poole (BoP), "
    "Bournemouth Borough Council (BBC) and the Bournemouth and Poole Safeguarding Adult Board. The multiagency "
    "action plan set out below is drawn from learning identified from Independent Management Reviews and the "
    "Draft overview report. The recommendations referred to in the Overview report have been linked into themes "
    "and below sets out how these areas will be taken forward. Individual agency action plans have also been "
    "developed."
)
THEME = "Care planning / risk assessment / risk management"

HOUSING_CHECKS = (
    "1. Poole Housing Partnership and BBC Housing have checked with the relevant Adult Social Care to establish "
    "if the person is known and if there are concerns. They will build in a standard summary every six months "
    "and change their reporting form to establish this as part of standard procedures."
)

# (number, recommendation, action, {organisation: progress})
RECOMMENDATIONS = [
    (
        1,
        "Review of the application of the Assessment and Care Planning policy and principles across partner "
        "agencies in regard to:\n"
        "Service User/Carer Involvement\n"
        "Care planning\n"
        "Risk assessment and risk management\n"
        "Involvement of all relevant parties in the Care Programme Approach process",
        "Set up a Multi-Agency Task and Finish Group to be chaired by Chair of Policy and Procedures and to include "
        "representatives from:\n"
        "- make any recommendations for change\n"
        "- Clarify the purpose and use of the CRIMP (Community Risk Management Protocol) tool and how it links with "
        "the Care Programme Approach process\n"
        "- Consider whether there is a monitoring role required by the Quality Assurance Group\n"
        "- case workers to review their caseload as a whole to enable them to consider any interactions between "
        "clients, especially those at high risk.",
        {
            POOLE: HOUSING_CHECKS + "\n\nPoole uses form and protocol as part of standard procedures and have a "
            "mental health worker who directly links with housing.",
            BOURNEMOUTH: HOUSING_CHECKS + "\n\nIn Bournemouth staff always link directly into care Direct, "
            "liaising with safeguarding.",
            CCG: "2. Dorset CCG have liaised with the GP's via one of the GP Safeguarding Leads to flag up every "
            "patient on Care Programme Approach and have worked with the Locality Managers who also link with the "
            "GP Practices to ensure Mental Health is flagged on the Vulnerable Persons register.",
            BOARD: "3. There is a Pan Dorset DAAT as such good practice is shared to ensure sound links between "
            "Mental Health and Substance Misuse. The Multi-Agency Risk Management Meeting (MARMM) is now in place "
            "following work by the Policy and Procedures sub group of the Board.\n\n"
            "The Care Programme Approach is a formal process and should take precedence over the Multi agency Risk "
            "Management Meeting, however any agency can call a Multi Agency Risk Meeting Management\n\n"
            "4. The Safeguarding Adult Multi agency Procedures will make links between the Care Programme Approach "
            "process and Safeguarding. (see page 26 of the procedures document)\n\n"
            "5. Awareness raised for Housing staff of the Care Programme Approach process. Leaflets to be shared "
            "and Community Mental Health Team staff to be invited to speak about the Care Programme Approach "
            "process at Team Meetings. Care Programme Approach information has been circulated in Bournemouth and "
            "Poole. Training occurred in Poole and is being rolled out in Bournemouth.\n\n"
            "The Care Programme Approach process is a stand alone process but if there are safeguarding concerns "
            "these would be considered under procedures and would include full consideration for referral on to "
            "Multi Agency Risk Assessment Conference or Multi Agency Public Protection Arrangements.\n\n"
            "6. Care Programme Approach procedures have been reviewed and Care Programme Approach patients are "
            "reviewed and discussed in supervision.\n\n"
            "7. Agencies have a central point of contact if there are concerns about an individual so that "
            "discussions and referrals can be made not only for safeguarding but for other concerns. Referrals "
            "should be made to the Safeguarding Adult Leads and Local Authority referral contact points such as "
            "Care Direct /Help Desk etc These are then referred on to the appropriate team or unit",
        },
    ),
    (
        2,
        "To ensure that identified staff groups within each agency are aware of when and how to make a referral to "
        "Multi-Agency Risk Assessment Conference (MARAC)",
        "This recommendation to be shared with the Multi Agency Risk Assessment Conference (MARAC) steering to "
        "confirm:\n"
        "- Each agency has a training programme and target group identified and progress against training is "
        "monitored.\n"
        "- That the training programme is fit for purpose",
        {
            BOARD: "Organisation responses are listed below:\n"
            "- Dorset Healthcare University Foundation Trust\n"
            "- Clinical Commissioning Group\n"
            "- Community Rehabilitation Company\n"
            "- Poole Hospital\n"
            "- Royal Bournemouth and Christchurch Hospital\n"
            "- Public Health\n\n"
            "The audits received were reviewed and the findings are listed below:\n"
            "- Agencies are able to identify key staff groups who require Multi Agency Risk Assessment Conference "
            "(MARAC), for some staff groups MARAC is a compulsory requirement.\n"
            "- Agencies review training needs through annual staff appraisals but also utilise supervision meetings "
            "to address any immediate training requirements.\n"
            "- The percentage of staff currently trained across the agencies / departments that have responded is "
            "relatively high, apart from one exception, which has been identified by the organisation and plans are "
            "in place to increase training provision.\n"
            "- All agencies are aware of the pan-Dorset MARAC training and staff attend this training. The training "
            "overall has been rated as 4/5 (5 being outstanding). Agencies reflected that there is high demand for "
            "the training and courses can become fully booked quickly.\n"
            "- Agencies do not monitor the impact / outcomes of the training with staff.\n"
            "- Agencies who commission services confirm that training needs and requirements would be monitored via "
            "contract meetings and this would include MARAC.",
        },
    ),
    (
        3,
        "Partner agencies, especially Mental Health and Police should review their information sharing protocols "
        "and ensure they are fit for purpose in relation to safeguarding adults at risk. This should include how "
        "data is stored and accessed in line with the Data Protection Act. Where information sharing protocols do "
        "not exist (for example Level 1 MAPPA – Multi Agency P), the possibility of sharing should be speedily "
        "explored.",
        "Set up a task and finish group to:\n"
        "- review how many Multi Agency Public Protection Arrangements (MAPPA) one cases are known to health\n"
        "- consider scale of information sharing system required and what benefits this would bring in addition "
        "to effective use of the Care Planning Approach.",
        {
            POLICE: "Dorset Police have confirmed they are unable to provide a blanket list of Multi Agency Public "
            "Protection Arrangements (MAPPA) level 1 nominals to Mental Health agencies as per action. It is the "
            "view of both Health and Police that existing Information Sharing protocols are robust and that "
            "relevant information is shared appropriately on a case by case basis.",
        },
    ),
]

# "Individual agency action plans have also been developed": the demo's titles and dates for them.
SINGLE_AGENCY_PLANS = [
    (CCG, datetime.date(2016, 11, 7)),
    (HEALTHCARE, datetime.date(2016, 11, 14)),
    (POLICE, datetime.date(2016, 11, 21)),
    (POOLE, datetime.date(2016, 11, 28)),
    (BOURNEMOUTH, datetime.date(2016, 12, 5)),
]


def _board_officer():
    user = (
        get_user_model()
        .objects.filter(memberships__role=Role.BOARD_OFFICER, is_active=True)
        .order_by("pk")
        .distinct()
        .first()
    )
    if user is None:
        raise RuntimeError("The review plan is written by a board officer: load the demo (seed_demo) first")
    return user


def _agencies() -> dict[str, Agency]:
    return {name: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0] for name, kind in ORGANISATIONS}


def _contact_users(agencies) -> dict[str, object]:
    from marm.demo.seed import DEMO_PASSWORD, ensure_authenticator

    User = get_user_model()
    users = {}
    for contact in REVIEW_CONTACTS:
        agency = agencies[contact.agency]
        team, _ = Team.objects.get_or_create(agency=agency, name=contact.team)
        user = User.objects.filter(email=contact.email).first()
        if user is None:
            user = User.objects.create_user(
                contact.email,
                DEMO_PASSWORD,
                full_name=contact.full_name,
                agency=agency,
                job_title=contact.job_title,
            )
        Membership.objects.get_or_create(user=user, team=team, role=contact.role)
        ensure_authenticator(user)
        users[contact.agency] = user
    return users


@transaction.atomic
def seed_review_plan(board_officer=None) -> Review:
    """BPSCR4 (X, Y and Z): its organisations and nominated contacts, the theme, recommendations 1 to 3
    with their actions and progress, and the single-agency plans beside it."""
    agencies = _agencies()
    contacts = _contact_users(agencies)
    existing = Review.objects.filter(reference=REFERENCE).first()
    if existing is not None:
        return existing
    officer = board_officer or _board_officer()
    # The plan gives no dates and does not say whether an adult died: these are the demo's own.
    review = services.review_create(
        acting_user=officer,
        reference=REFERENCE,
        title="Multi-agency action plan for BPSCR4 (X, Y and Z)",
        adults="X, Y and Z",
        referred_on=datetime.date(2015, 9, 14),
        decided_on=datetime.date(2015, 10, 26),
        adult_died=True,
        summary=SUMMARY,
    )
    organisations = {
        name: services.review_organisation_add(
            acting_user=officer, review=review, agency=agencies[name], contact=contacts.get(name)
        )
        for name, _kind in ORGANISATIONS
    }
    theme = services.theme_add(acting_user=officer, review=review, title=THEME)
    for number, text, action_text, progress in RECOMMENDATIONS:
        recommendation = services.recommendation_add(
            acting_user=officer, review=review, theme=theme, number=number, text=text
        )
        services.recommendation_respond(
            acting_user=officer, recommendation=recommendation, response=RecommendationResponse.ACCEPTED
        )
        action = services.review_action_add(acting_user=officer, recommendation=recommendation, text=action_text)
        for name, report in progress.items():
            entry = action.progress.get(review_organisation=organisations[name])
            # The organisation's nominated contact reports its own progress; the board officer the rest.
            # "Progress reported and completed", says the plan; it names no evidence.
            services.progress_update(
                acting_user=contacts.get(name, officer),
                progress=entry,
                expected_version=entry.version,
                text=report,
                rag=Rag.COMPLETE,
            )
    for name, received_on in SINGLE_AGENCY_PLANS:
        services.single_agency_plan_add(
            acting_user=officer,
            review_organisation=organisations[name],
            title=f"{name}: single-agency action plan for {REFERENCE}",
            summary="Drawn from its Independent Management Review.",
            received_on=received_on,
        )
    return review
