"""The demo board's business plan: the Leicestershire and Rutland Safeguarding Adults Board
Business Development Plan 2019-20 (003), loaded as it is written, through the board's services.

The plan's text is the document's own. Its tables were flattened where their columns
wrapped, so each row is put back together here: the action, its "when", who is
responsible and how progress is measured, in the document's words. Where a cell is
empty in the document it is empty here. The progress reports are invented.
"""

import datetime

from django.contrib.auth import get_user_model

from marm.board.models import BusinessPlan, Rag, Subgroup
from marm.board.services import (
    action_create,
    action_progress_add,
    action_sign_off,
    business_plan_create,
    objective_create,
    priority_create,
    subgroup_create,
)

BOARD_OFFICER_EMAIL = "board@sab.example.org"
PLAN_TITLE = "Leicestershire and Rutland Safeguarding Adults Board Business Development Plan 2019-20"
PLAN_YEAR = 2019

PROCEDURES = "Procedures Subgroup"
AUDIT = "Audit Subgroup"
MC_TASK_AND_FINISH = "MC Task and Finish Group"
EXECUTIVE = "Executive / Local Improvement Network"
TASK_AND_FINISH = "Task and Finish Group"
LLR_TRANSITIONS = "LLR Transitions Subgroup"
TRANSITIONS_TASK_AND_FINISH = "Transitions Task and Finish Group"


def _d(year, month, day):
    return datetime.date(year, month, day)


# Each action: (what, due date, when as written, responsible subgroup, how measured, measure code).
PRIORITIES = [
    {
        "code": "SAB1",
        "title": "Effective Multi-Agency meetings / Effective Support Pathways",
        "joint_with": "Joint with Leicester SAB",
        "statement": (
            "Multi-agency meetings regarding vulnerable adults are effective in supporting safeguarding adults "
            "and prevention of safeguarding need"
        ),
        "rationale": "\n".join(
            [
                "- Lack of clear structure to support practitioners working with adults at risk that do not meet "
                "thresholds for Vulnerable Adult Risk Management process (VARM) or safeguarding.",
                "- Practitioners outside of specialised teams are not confident and fully aware of mechanisms "
                "available to support them in working with at risk adults outside of VARM/Safeguarding and lack "
                "confidence in:",
                "  - Recognising safeguarding need",
                "  - Knowing what appropriate responses are when the threshold for safeguarding is not met.",
                "  - Knowing their responsibilities in relation to MSP/VARM/Multi-agency processes",
                "- Multi-agency meetings regarding adults at risk are not functioning effectively: gaps in "
                "attendance; a lack of presence of the voice of the service user or of advocacy; lack of evidence "
                "of risk.",
                "- Lack of formal structure to carry out Multi-agency meetings relating to adults at risk.",
                "- Lack of awareness amongst multi-agency practitioners of JAGs and how to access.",
            ]
        ),
        "what_different": "\n".join(
            [
                "Practitioners are more confident regarding risk assessment and working in partnership to "
                "safeguard adults.",
                "Multi-agency meetings are effective: Relevant partners and service users contribute; Risks are "
                "clearly identified incorporating information from a variety of agencies and the individuals; "
                "Clear outcomes and actions are identified and followed up.",
                "Clear guidance and structure for multi-agency working beyond safeguarding enquiries and VARM is "
                "in place.",
            ]
        ),
        "partnership_lead": "Local Authority - TBC",
        "delivery_mechanism": PROCEDURES,
        "objectives": [
            (
                "An effective structure is in place to support multiagency working to prevent safeguarding need.",
                [
                    (
                        "Review and report on the current variety and operation of multi-agency meetings "
                        "considering vulnerable adults / adults at risk including approaches regarding adult "
                        "exploitation.",
                        _d(2019, 9, 30),
                        "Sept 2019",
                        PROCEDURES,
                        "Process and guidance in place. Guidance disseminated to practitioners. Feedback from "
                        "practitioners on awareness of approach and confidence.",
                        "",
                    ),
                    (
                        # The document's sentence ends "... / VARM including" and goes no further.
                        "Develop a process and guidance (considering the Signs of Safety model) for Multi-agency "
                        "meetings regarding 'adults at risk' where the thresholds/criteria are not met for "
                        "Safeguarding enquiries / VARM",
                        _d(2020, 3, 31),
                        "Mar 2020",
                        PROCEDURES,
                        "Review outcomes of cases considered under new approach",
                        "",
                    ),
                ],
            ),
            (
                "Multi-agency meetings to safeguard adults or prevent safeguarding need for vulnerable adults are "
                "effective in identifying risk and action to take.",
                [
                    (
                        "Measure current levels of confidence regarding safeguarding adults across a variety of "
                        "practitioners.",
                        _d(2019, 7, 31),
                        "Jul 2019",
                        PROCEDURES,
                        "Process/guidance in place. Guidance disseminated to practitioners. Re-measure confidence",
                        "",
                    ),
                    (
                        "Develop guidance across multi-agency meetings to support improved engagement and "
                        "involvement for all involved in meetings (including service users) and support the "
                        "development of risk management and confidence in professional, defensible decision "
                        "making.",
                        _d(2019, 12, 31),
                        "Dec 2019",
                        PROCEDURES,
                        "Audit engagement in meetings.",
                        "MEET1",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "SAB2",
        "title": "Mental Capacity",
        "joint_with": "",
        "statement": (
            "Be assured that people without capacity to consent are being safeguarded in current practice and "
            "with the introduction of Liberty Protection Safeguards"
        ),
        "rationale": "\n".join(
            [
                "- The SAB is developing guidance to support practitioners to assess and respond to capacity to "
                "consent appropriately and consistently",
                "- The SAB needs ongoing assurance that people without capacity to consent are being safeguarded, "
                "including a large cohort of people without capacity, who that are not subject to Deprivation of "
                "Liberty Safeguards.",
                "- The Draft MCA amendment Bill outlines plans to replace DoLS with Liberty Protection Safeguards. "
                "The MCA amendments Bill is currently passing through parliament and could receive royal assent in "
                "April 2019. The move to LPS will result in significant changes to how we work locally to "
                "safeguard individuals who lack capacity to consent to care and treatment that amounts to a "
                "deprivation of liberty.",
            ]
        ),
        "what_different": "\n".join(
            [
                "- Be assured that people without capacity to consent are being safeguarded",
                "- Support an effective change to LPS locally that safeguards people who do not have capacity to "
                "consent.",
            ]
        ),
        "partnership_lead": "Health - tbc",
        "delivery_mechanism": None,
        "objectives": [
            (
                "Respond to the introduction of Liberty Protection Safeguards.",
                [
                    (
                        "Keep informed regarding the progress and timescales for implementation of Liberty "
                        "Protection Safeguards.",
                        _d(2020, 3, 31),
                        "Mar 2020",
                        EXECUTIVE,
                        "Update reports into Board.",
                        "",
                    ),
                    (
                        "When required initiate work to implement and supplement LPS locally",
                        None,
                        "As required",
                        EXECUTIVE,
                        "LPS implemented locally in a planned way with clear consideration of safeguarding "
                        "principles and requirements and local need.",
                        "",
                    ),
                ],
            ),
            (
                "Front line practitioners are able to assess and respond to capacity to consent appropriately and "
                "consistently",
                [
                    (
                        "Finish current work to develop and disseminate guidance for practitioners",
                        _d(2019, 9, 30),
                        "September 2019",
                        MC_TASK_AND_FINISH,
                        "Guidance completed and disseminated. Practitioner feedback on guidance. Test implementation",
                        "",
                    ),
                ],
            ),
            (
                "Be assured that people without capacity to consent are being safeguarded",
                [
                    (
                        "Case file audit",
                        _d(2020, 3, 31),
                        "Mar 2020",
                        AUDIT,
                        "Audit findings and follow up actions",
                        "",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "SAB3",
        "title": "Adult Exploitation",
        "joint_with": "",
        "statement": "Improve the recognition and co-ordinated partnership response to 'adult exploitation'",
        "rationale": "\n".join(
            [
                "- There is a notable growth in cases of multiple vulnerable adults being exploited in the "
                "community by individuals or groups. This can include, but is not restricted to criminal, sexual "
                "and financial exploitation.",
                "- Often a number of partnership approaches are aware of these people, and there may be multiple "
                "ways to take these forward, but these are not always well co-ordinated.",
                "- These issues can be hidden as recent cases suggest that people who are exploited are often "
                "socially isolated.",
                "- The public and practitioners are not always aware of indicators of adult exploitation.",
            ]
        ),
        "what_different": "\n".join(
            [
                "Practitioners are confident in identifying and responding to adult exploitation",
                "The public are more aware of how to identify adult exploitation and inform public agencies of "
                "concerns they have so these can be identified and responded to earlier.",
                "There is a clear route for involving agencies in a multi-agency approach to adult exploitation "
                "cases when it does not meet safeguarding thresholds",
            ]
        ),
        "partnership_lead": "Police – TBC",
        "delivery_mechanism": None,
        "objectives": [
            (
                "Practitioners are aware of and confident to work as part of the multi-agency approach to adult "
                "exploitation",
                [
                    (
                        "Within review of services and multi-agency approaches (SAB Priority 1) specifically "
                        "consider services and multi-agency approaches regarding 'adult exploitation' to understand "
                        "what approaches are in place, what partnerships and agencies have an interest or "
                        "involvement in this and identify gaps.",
                        _d(2019, 9, 30),
                        "Sept 2019",
                        PROCEDURES,
                        "Guidance developed. Case study disseminated. Practitioner feedback on guidance",
                        "",
                    ),
                    (
                        "Develop a multi-agency approach regarding Adult Exploitation within the broader "
                        "multi-agency framework being developed (SAB Priority 1).",
                        _d(2020, 3, 31),
                        "March 2020",
                        PROCEDURES,
                        "Outcomes in reported cases of adult exploitation",
                        "",
                    ),
                    (
                        "Develop guidance on recognising and responding to adult exploitation.",
                        _d(2020, 3, 31),
                        "March 2020",
                        PROCEDURES,
                        "",
                        "",
                    ),
                    (
                        "Develop a training/case study pack to be used across agencies (eg in meetings) to roll-out "
                        "guidance and awareness",
                        _d(2020, 3, 31),
                        "March 2020",
                        TASK_AND_FINISH,
                        "",
                        "",
                    ),
                ],
            ),
            (
                "Raise public awareness of how to respond to indicators of adult exploitation",
                [
                    (
                        "Public campaign to promote what to look out for regarding adult exploitation and what to do.",
                        _d(2020, 3, 31),
                        "March 2020",
                        None,
                        "Measure number of concerns of adult exploitation raised by members of the public",
                        "",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "SAB4",
        "title": "Safeguarding in Transitions",
        "joint_with": "Joint with Leicester SAB",
        "statement": (
            "Be assured that work with young people who have been assessed as requiring additional support to "
            "reduce risk and vulnerability (including CLA, CIN, CP, CSE) assists prevention of adult safeguarding "
            "need."
        ),
        "rationale": "\n".join(
            [
                "- Effective transition from children's services, such as Looked After Children, Children on Child "
                "Protection Plans, and those affected by CSE, may support prevention of adult safeguarding need.",
                "- RiPfA (Research in Practice for Adults) has recently published a strategic briefing outlining "
                "learning and challenges regarding safeguarding adults and transitions.",
            ]
        ),
        "what_different": (
            "The Board is assured that work with young people who have been assessed as requiring additional "
            "support to reduce risk and vulnerability (including LAC, CIN, CP, CSE) assists prevention of adult "
            "safeguarding need."
        ),
        "partnership_lead": "Council chair the transitions subgroup",
        "delivery_mechanism": LLR_TRANSITIONS,
        "objectives": [
            (
                "Be assured that the needs of young people who have been assessed as requiring additional support "
                "to reduce risk and vulnerability (including LAC, CIN, CP, CSE) are reviewed and supported in "
                "preparation for adulthood. (16+)",
                [
                    (
                        "Develop local guidance for practitioners where victims of child exploitation (i.e. CSE, "
                        "gangs, county lines, cuckooing, domestic abuse, extremism, modern slavery and trafficking) "
                        "are transitioning between child and adult safeguarding.",
                        _d(2020, 3, 31),
                        "March 2020",
                        TRANSITIONS_TASK_AND_FINISH,
                        "",
                        "",
                    ),
                ],
            ),
            (
                "Build a shared understanding across Leicester, Leicestershire and Rutland (LLR) safeguarding "
                "partners about 'safeguarding transitions' where it applies in relation to young adults "
                "transitioning from children's safeguarding who have experienced abuse (including where relevant, "
                "Looked After Children)",
                [
                    (
                        "Ensure that other relevant groups across LLR i.e. LLR Strategic Partnership Executive "
                        "group, LLR Exploitation Group, LLR Modern Slavery Action Group, and respective transitions "
                        "groups across LRR (i.e. City Transitions Board) are briefed on, and aware of, the group's "
                        "work.",
                        _d(2019, 6, 30),
                        "June 2019",
                        TRANSITIONS_TASK_AND_FINISH,
                        # All the document keeps of this cell is its last word.
                        "audits.",
                        "",
                    ),
                    (
                        "Provide an overview of local and national 'safeguarding transitions' good practice for "
                        "consideration by the SABs.",
                        _d(2020, 1, 31),
                        "January 2020",
                        TRANSITIONS_TASK_AND_FINISH,
                        "",
                        "",
                    ),
                ],
            ),
        ],
    },
]

BOARD_OFFICER_TEXT = "to be allocated"

# Invented progress on a few actions, keyed by the start of the action's text:
# (reported on, what was done, evidence, RAG, why red or amber).
PROGRESS = {
    "Measure current levels of confidence": [
        (
            _d(2019, 6, 14),
            "Survey of practitioners agreed by the Procedures Subgroup and sent to partner agencies.",
            "",
            Rag.GREEN,
            "",
        ),
        (
            _d(2019, 7, 26),
            "Survey closed with responses from eight agencies; baseline confidence reported to the Board.",
            "Baseline survey report to the Board, July 2019.",
            Rag.COMPLETE,
            "",
        ),
    ],
    "Review and report on the current variety": [
        (
            _d(2019, 9, 20),
            "Mapping of multi-agency meetings for adults at risk finished and reported to the Procedures Subgroup.",
            "Report to the Procedures Subgroup, September 2019, with the map of meetings by agency.",
            Rag.COMPLETE,
            "",
        ),
    ],
    "Finish current work to develop and disseminate guidance": [
        (
            _d(2019, 9, 27),
            "Draft guidance on capacity to consent is with the legal teams of two partners for comment.",
            "",
            Rag.RED,
            "Comments from the legal teams are not back; the task and finish group lost its chair in August.",
        ),
    ],
    "Within review of services and multi-agency approaches": [
        (
            _d(2019, 9, 27),
            "Exploitation approaches mapped for the city; the county and Rutland are not yet mapped.",
            "",
            Rag.AMBER,
            "Police analyst time for the county mapping is not agreed yet.",
        ),
    ],
    "Develop guidance across multi-agency meetings": [
        (
            _d(2019, 10, 18),
            "First draft of the meetings guidance discussed at the Procedures Subgroup.",
            "",
            Rag.GREEN,
            "",
        ),
    ],
}
# Signed off by the board officer once its evidence was in.
SIGNED_OFF = "Measure current levels of confidence"


def _subgroups(board_officer) -> dict[str, Subgroup]:
    names = [PROCEDURES, AUDIT, MC_TASK_AND_FINISH, EXECUTIVE, TASK_AND_FINISH, LLR_TRANSITIONS]
    names.append(TRANSITIONS_TASK_AND_FINISH)
    found = {subgroup.name: subgroup for subgroup in Subgroup.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            found[name] = subgroup_create(acting_user=board_officer, name=name)
    return found


def seed_business_plan(board_officer=None) -> BusinessPlan | None:
    """Load the plan once, as the demo board officer; a second run finds it and changes nothing."""
    if board_officer is None:
        board_officer = get_user_model().objects.filter(email=BOARD_OFFICER_EMAIL).first()
        if board_officer is None:
            return None
    existing = BusinessPlan.objects.filter(title=PLAN_TITLE, year=PLAN_YEAR).first()
    if existing is not None:
        return existing
    subgroups = _subgroups(board_officer)
    plan = business_plan_create(acting_user=board_officer, title=PLAN_TITLE, year=PLAN_YEAR)
    for written in PRIORITIES:
        priority = priority_create(
            acting_user=board_officer,
            plan=plan,
            code=written["code"],
            title=written["title"],
            joint_with=written["joint_with"],
            statement=written["statement"],
            rationale=written["rationale"],
            what_different=written["what_different"],
            partnership_lead=written["partnership_lead"],
            board_officer=BOARD_OFFICER_TEXT,
            delivery_mechanism=subgroups.get(written["delivery_mechanism"]),
        )
        for objective_text, actions in written["objectives"]:
            objective = objective_create(acting_user=board_officer, priority=priority, text=objective_text)
            for what, due_date, due_text, subgroup, how_measured, measure_code in actions:
                action = action_create(
                    acting_user=board_officer,
                    objective=objective,
                    what=what,
                    due_date=due_date,
                    due_text=due_text,
                    responsible_subgroup=subgroups.get(subgroup),
                    how_measured=how_measured,
                    measure_code=measure_code,
                )
                _seed_progress(board_officer, action)
    return plan


def _seed_progress(board_officer, action) -> None:
    for start, reports in PROGRESS.items():
        if not action.what.startswith(start):
            continue
        for reported_on, note, evidence, rag, reason in reports:
            action_progress_add(
                acting_user=board_officer,
                action=action,
                reported_on=reported_on,
                note=note,
                evidence=evidence,
                rag=rag,
                rag_reason=reason,
            )
        if start == SIGNED_OFF:
            action_sign_off(acting_user=board_officer, action=action, expected_version=action.version)


def link_confidence_surveys(board_officer) -> None:
    """SAB1 measures impact by practitioners' confidence before and after the new approach: the
    objective names the demo's two surveys, so the plan shows their results side by side."""
    from marm.board.models import Objective
    from marm.board.services import objective_edit
    from marm.demo.survey_seed import BASELINE_TITLE, FOLLOW_UP_TITLE
    from marm.surveys.models import Survey

    objective = Objective.objects.filter(
        priority__plan__title=PLAN_TITLE, text__startswith="Multi-agency meetings to safeguard adults"
    ).first()
    baseline = Survey.objects.filter(title=BASELINE_TITLE).first()
    follow_up = Survey.objects.filter(title=FOLLOW_UP_TITLE).first()
    if objective is None or baseline is None or follow_up is None or objective.follow_up_survey_id:
        return
    objective_edit(
        acting_user=board_officer,
        objective=objective,
        text=objective.text,
        baseline_survey=baseline,
        follow_up_survey=follow_up,
    )
