"""The lists of the non-engagement flowchart (002) and of escalation and closure (000 5.4, 6.2)."""

from django.db import models


class EngagementStrategy(models.TextChoices):
    """002 "Strategies to consider": each way of trying to reach the adult or family."""

    CALL = "call", "Telephone call"
    HOME_VISIT = "home_visit", "Home visit"
    JOINT_VISIT = "joint_visit", "Joint visit with another agency"
    LETTER = "letter", "Letter"
    APPOINTMENT = "appointment", "Appointment offered"
    OTHER_AGENCY = "other_agency", "Contact through another agency"
    GP_CONTACT = "gp_contact", "GP contact"
    TRUSTED_FAMILY = "trusted_family", "Through a trusted family member"
    CARERS_ASSESSMENT = "carers_assessment", "Carer's assessment"
    LINE_MANAGER = "line_manager", "Line-manager discussion"
    SAFEGUARDING_LINK = "safeguarding_link", "Safeguarding link"


class EngagementOutcome(models.TextChoices):
    ENGAGED = "engaged", "The adult engaged"
    PARTLY = "partly", "Partly engaged"
    NO_ANSWER = "no_answer", "No answer or no reply"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend the appointment"
    DECLINED = "declined", "Declined"
    BLOCKED = "blocked", "Family or others prevented contact"


# Outcomes that count as the adult or family not engaging.
NOT_ENGAGED = frozenset(
    {
        EngagementOutcome.NO_ANSWER,
        EngagementOutcome.DID_NOT_ATTEND,
        EngagementOutcome.DECLINED,
        EngagementOutcome.BLOCKED,
    }
)


# After this many attempts in a row without engagement, marm prompts the practitioner to flag the
# case and reflect (marm's own threshold: 002 names no number, and the decision stays theirs).
PROMPT_AFTER_MISSED = 3


class ColludingQuestion(models.TextChoices):
    """002 "Am I colluding?", asked of the practitioner themselves."""

    FAMILY_WORD = (
        "family_word",
        "Am I colluding to avoid conflict, taking the word of a family member rather than speaking "
        "to the adult themselves?",
    )
    MINIMISING = "minimising", "Am I minimising negative information in order to avoid provoking a reaction?"
    HESITANT = "hesitant", "Am I hesitant to share my concerns in order to avoid confrontation?"
    KEEPING_TO_MYSELF = (
        "keeping_to_myself",
        "Am I keeping my concerns to myself rather than sharing them with my line manager?",
    )
    RELIEVED = "relieved", "Am I relieved when there is no answer at the door?"
    FAMILY_NEEDS = "family_needs", "Am I focusing on the family's needs, not the needs of the adult at risk?"


class ReflectiveAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PERHAPS = "perhaps", "Perhaps"
    NO = "no", "No"


class ConcernRaised(models.TextChoices):
    """002 "Concerns/Issues raised"."""

    CAPACITY = "capacity", "Mental capacity (MCA 2005)"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SAFEGUARDING_ALERT = "safeguarding_alert", "A safeguarding alert is needed"
    FAMILY_PRESSURE = "family_pressure", "Family pressure"
    GATEKEEPER = "gatekeeper", "The family is acting as a gatekeeper"
    CAPACITY_BUT_VULNERABLE = "capacity_but_vulnerable", "Has capacity but is still vulnerable"
    SITUATIONAL_CAPACITY = "situational_capacity", "Situational capacity"
    DURESS = "duress", "Duress"


class NextStep(models.TextChoices):
    """002 "Next steps". "Do not close the case" is not a step to choose: marm enforces it."""

    DISCUSS_WITH_MANAGER = "discuss_with_manager", "Discuss with my line manager"
    RISK_ASSESSMENT = "risk_assessment", "Complete or update the risk assessment"
    MENTAL_HEALTH_ASSESSMENT = "mental_health_assessment", "Consider a mental health assessment"
    CAPACITY_ASSESSMENT = "capacity_assessment", "Consider a mental capacity assessment"
    MULTI_AGENCY_MEETING = (
        "multi_agency_meeting",
        "Hold a face-to-face multi-agency strategy or risk assessment meeting and tell the other agencies the outcome",
    )
    COMMUNICATE = "communicate", "Tell the other agencies what I am doing: do not assume someone else is acting"
    LEGAL_ADVICE = "legal_advice", "Seek legal advice"
    PARTNER_ADVICE = "partner_advice", "Seek advice from partner agencies"
    SAFEGUARDING_ALERT = "safeguarding_alert", "Raise a safeguarding alert"


# Each next step as an action on the plan, in words the other agencies read.
NEXT_STEP_ACTIONS = {
    NextStep.DISCUSS_WITH_MANAGER: "Discuss the adult's non-engagement with the line manager",
    NextStep.RISK_ASSESSMENT: "Complete or update the multi-agency risk assessment",
    NextStep.MENTAL_HEALTH_ASSESSMENT: "Consider a mental health assessment",
    NextStep.CAPACITY_ASSESSMENT: "Consider a mental capacity assessment",
    NextStep.MULTI_AGENCY_MEETING: (
        "Hold a face-to-face multi-agency strategy or risk assessment meeting and tell the other agencies the outcome"
    ),
    NextStep.COMMUNICATE: "Tell the other agencies what is being done about the non-engagement",
    NextStep.LEGAL_ADVICE: "Seek legal advice",
    NextStep.PARTNER_ADVICE: "Seek advice from partner agencies",
    NextStep.SAFEGUARDING_ALERT: "Raise a safeguarding alert",
}


class ClosureReason(models.TextChoices):
    RISKS_MANAGED = "risks_managed", "The risks are resolved or managed to an acceptable level"
    NON_ENGAGEMENT = "non_engagement", "The adult or family is not engaging"


class RiskOutcome(models.TextChoices):
    """000 6.2: the process continues until each risk is resolved or managed to an acceptable level."""

    RESOLVED = "resolved", "Resolved"
    MANAGED = "managed", "Managed to an acceptable level"


class MarmWork(models.TextChoices):
    """000 5.4: further steps may be taken inside an s42 enquiry, "but not necessarily"."""

    CONTINUE = "continue", "MARM work continues alongside"
    PAUSE = "pause", "MARM work pauses while the local authority decides or enquires"


class S42Decision(models.TextChoices):
    ENQUIRY_OPENED = "enquiry_opened", "A section 42 enquiry has been opened"
    NO_ENQUIRY = "no_enquiry", "No section 42 enquiry"
