"""The lists the plan is recorded against, in the guidance's words."""

from django.db import models


class RiskAspect(models.TextChoices):
    """000 4.4: the aspects of the situation a multi-agency risk assessment considers.

    A copy for the plan: the risk assessment keeps the same codes (marm.risk.vocab).
    """

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


class ActionStatus(models.TextChoices):
    """SafeLives MARAC coding: an action not done says why (circumstances changed, or the agency did not act)."""

    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible: circumstances changed"
    AGENCY_DID_NOT_ACT = "agency_did_not_act", "Not done: the agency did not act"


# Actions still to do: only these can be overdue, and only these are reminded of.
LIVE_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class ActionSource(models.TextChoices):
    MEETING = "meeting", "Agreed at a meeting"
    CASE = "case", "Added to the plan by the lead professional"
    NON_ENGAGEMENT = "non_engagement", "A next step when the adult does not engage"


class TriggerKind(models.TextChoices):
    """What makes the contingency plan apply: the events agencies watch for."""

    MISSED_CONTACTS = "missed_contacts", "Missed contacts"
    FIRE_SAFETY = "fire_safety", "A fire-safety incident"
    HOSPITAL_ADMISSION = "hospital_admission", "A hospital admission"
    POLICE_CALL_OUT = "police_call_out", "A police call-out"
    HOUSING_ACTION = "housing_action", "Housing enforcement or eviction"
    CARE_NOT_DELIVERED = "care_not_delivered", "Care or support not delivered"
    HEALTH_DETERIORATES = "health_deteriorates", "Physical or mental health deteriorates"
    OTHER = "other", "Something else"


class EscalationRoute(models.TextChoices):
    """Where a case goes when the plan cannot hold the risk (000 5.4)."""

    NONE = "none", "No escalation: the named contact acts"
    SENIOR_MANAGER = "senior_manager", "Senior manager of the lead agency"
    LEGAL_ADVICE = "legal_advice", "Legal advice"
    S42_REFERRAL = "s42_referral", "Referral for a section 42 enquiry"
    EMERGENCY_SERVICES = "emergency_services", "Emergency services"
    RECONVENE = "reconvene", "Reconvene the multi-agency meeting early"
