"""The lists the risk assessment and mental capacity records use, in the guidance's words.

000: Hampshire & Isle of Wight Multi-Agency Risk Management Framework (2016).
001: Solihull SAB Structured Partnership Approach. MCA: Mental Capacity Act 2005.
"""

from django.db import models


class RiskAspect(models.TextChoices):
    """000 4.4: the aspects of the situation a multi-agency risk assessment considers, in its order."""

    HOME_ENVIRONMENT = "home_environment", "Observation of the home situation and environmental factors"
    DAILY_LIVING = "daily_living", "Engagement in activities of daily living"
    FUNCTIONAL_COGNITIVE = "functional_cognitive", "Functional and cognitive abilities of the person"
    MEDICAL = "medical", "Underlying medical conditions"
    MENTAL_HEALTH_SUBSTANCES = "mental_health_substances", "Underlying mental health conditions or substance misuse"
    HINDERING_FACTORS = "hindering_factors", "Internal or external factors hindering the adult acting on decisions"
    SERVICES = "services", "Domiciliary care and other services offered or in place"
    CARE_PLAN_ENGAGEMENT = "care_plan_engagement", "Engagement in care and support plans"
    SUPPORT_NETWORK = "support_network", "Family and social support networks"
    ENVIRONMENTAL_HEALTH = "environmental_health", "Environmental health monitoring"
    NEIGHBOURHOOD_VISITING = "neighbourhood_visiting", "Neighbourhood visiting by voluntary organisations"
    MONEY = "money", "Money management and budgeting"
    IMPACT = "impact", "Impact of the situation on the individual"
    PUBLIC_SAFETY = "public_safety", "Public safety and risks to others"


# The easy-read copy (ADR 0012) names each aspect in plain words, in the same order.
EASY_READ_ASPECT = {
    RiskAspect.HOME_ENVIRONMENT: "Your home",
    RiskAspect.DAILY_LIVING: "Looking after yourself each day",
    RiskAspect.FUNCTIONAL_COGNITIVE: "Doing things and thinking things through",
    RiskAspect.MEDICAL: "Your physical health",
    RiskAspect.MENTAL_HEALTH_SUBSTANCES: "Your mental health, drink and drugs",
    RiskAspect.HINDERING_FACTORS: "Things that make it hard to do what you decide",
    RiskAspect.SERVICES: "Help you get now",
    RiskAspect.CARE_PLAN_ENGAGEMENT: "Your care and support plan",
    RiskAspect.SUPPORT_NETWORK: "Family and friends",
    RiskAspect.ENVIRONMENTAL_HEALTH: "Checks on your home by the council",
    RiskAspect.NEIGHBOURHOOD_VISITING: "Visits from local groups",
    RiskAspect.MONEY: "Your money",
    RiskAspect.IMPACT: "How all this affects you",
    RiskAspect.PUBLIC_SAFETY: "Keeping other people safe",
}


# ADR 0011: the likelihood and impact scale, and how they combine into a level.
class Likelihood(models.IntegerChoices):
    UNLIKELY = 1, "Unlikely: not expected to happen in the next three months"
    POSSIBLE = 2, "Possible: could happen in the next three months"
    LIKELY = 3, "Likely: expected to happen in the next three months"
    ALMOST_CERTAIN = 4, "Almost certain: happening now or expected within weeks"


class Impact(models.IntegerChoices):
    MINOR = 1, "Minor: short-lived discomfort or inconvenience, no lasting harm"
    MODERATE = 2, "Moderate: harm that recovers with support"
    SERIOUS = 3, "Serious: lasting harm to health, home, money or safety"
    GRAVE = 4, "Grave: death, life-changing injury or loss of home"


class RiskLevel(models.TextChoices):
    """Ordered lowest first; ``LEVEL_ORDER`` gives each its rank."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


LEVEL_ORDER = {level: rank for rank, level in enumerate(RiskLevel, start=1)}

EASY_READ_LEVEL = {
    RiskLevel.LOW: "A small worry",
    RiskLevel.MEDIUM: "Some worry",
    RiskLevel.HIGH: "A big worry",
    RiskLevel.VERY_HIGH: "A very big worry",
}


def level_for(likelihood: int | None, impact: int | None) -> str | None:
    """ADR 0011: likelihood times impact (1 to 16) in four bands; None until both are rated."""
    if not likelihood or not impact:
        return None
    score = int(likelihood) * int(impact)
    if score <= 3:
        return RiskLevel.LOW
    if score <= 6:
        return RiskLevel.MEDIUM
    if score <= 9:
        return RiskLevel.HIGH
    return RiskLevel.VERY_HIGH


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class AgreedHow(models.TextChoices):
    """000 6.1 stages 2 and 3: the assessment is produced at the planning meeting and updated at reviews."""

    MEETING = "meeting", "At a multi-agency meeting"
    LEAD_PROFESSIONAL = "lead_professional", "By the lead professional"


# Mental capacity (MCA 2005 ss1-3; 000 3.2-3.4, 5.3)
class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class CapacityFinding(models.TextChoices):
    HAS = "has", "Has capacity"
    LACKS = "lacks", "Lacks capacity"


class ExecutiveFinding(models.TextChoices):
    """000 3.4: executive capacity, the ability to carry a decision out in practice, is recorded apart."""

    CAN = "can", "Can carry the decision out"
    CANNOT = "cannot", "Cannot carry the decision out"
    NOT_ASSESSED = "not_assessed", "Not assessed"


# MCA 2005 s3(1): the four parts of the functional test, each with its evidence field.
FUNCTIONAL_TEST = [
    ("understands", "Can they understand the information relevant to the decision?"),
    ("retains", "Can they retain that information long enough to make the decision?"),
    ("uses_or_weighs", "Can they use or weigh that information as part of deciding?"),
    ("communicates", "Can they communicate their decision, by any means?"),
]


class AttorneyKind(models.TextChoices):
    """000 3.4: a valid EPA or LPA (finance and/or welfare) made by the adult; MCA 2005 ss9-14."""

    NONE_KNOWN = "none_known", "No attorney known"
    LPA_PROPERTY_FINANCIAL = "lpa_property_financial", "LPA for property and financial affairs"
    LPA_HEALTH_WELFARE = "lpa_health_welfare", "LPA for health and welfare"
    EPA = "epa", "Enduring power of attorney (EPA)"


class AdvocateInvolvement(models.TextChoices):
    """000 5.1; MCA 2005 ss35-41: an IMCA where the adult has no one else appropriate to consult."""

    IMCA = "imca", "An Independent Mental Capacity Advocate (IMCA) was instructed"
    ADVOCATE = "advocate", "Another advocate supported the adult"
    NOT_NEEDED = "not_needed", "No advocate: family or friends appropriate to consult"
    DECLINED = "declined", "An advocate was offered and declined"


# 000 3.4 "Mental Capacity Act and Best Interests": what staff should always consider, in order.
# Each entry: (field on BestInterestsDecision, the question as the guidance puts it).
BEST_INTERESTS_CHECKLIST = [
    (
        "regain_capacity",
        "Is it likely the adult will regain capacity, so they can be involved or decide for themselves later? "
        "Can the decision wait until then?",
    ),
    ("wishes_and_beliefs", "The adult's wishes, feelings, values and beliefs"),
    ("family_and_carers_views", "The views of family members, carers and others interested in their welfare"),
    ("attorney_views", "The views of any attorney under a valid EPA or LPA (finance and/or welfare)"),
    ("deputy_views", "The views of any deputy appointed by the Court of Protection"),
    (
        "not_based_on_appearance",
        "The decision is not based merely on the adult's age, appearance, medical condition or behaviour",
    ),
    (
        "no_motive_to_bring_about_death",
        "No one is motivated by a desire to bring about the adult's death, or by assumptions about the "
        "quality of their life",
    ),
    ("other_information", "Any other information that may be relevant"),
]


class CopyFormat(models.TextChoices):
    """000 6.1 stage 2: "Ensure the adult is given a copy of the risk assessment"; ADR 0012."""

    STANDARD = "standard", "Printable copy"
    EASY_READ = "easy_read", "Easy-read copy"


class CopyGivenHow(models.TextChoices):
    IN_PERSON = "in_person", "Handed to them in person"
    AT_MEETING = "at_meeting", "Given at a meeting"
    POST = "post", "Sent by post"
    EMAIL = "email", "Sent by email"
    THROUGH_ADVOCATE = "through_advocate", "Through their advocate or a person they chose"


class AdvocacyKind(models.TextChoices):
    """Independent advocacy: the Care Act 2014 s67/68 duty, and the IMCA of the Mental Capacity Act 2005."""

    CARE_ACT = "care_act", "Care Act advocate (Care Act 2014 sections 67 and 68)"
    IMCA = "imca", "Independent mental capacity advocate (IMCA)"
    OTHER = "other", "Other advocacy"


class AdvocacyOutcome(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ALLOCATED = "allocated", "Advocate allocated"
    DECLINED = "declined", "Declined by the adult"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
