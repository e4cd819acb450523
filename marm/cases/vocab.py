"""The lists a concern and its screening are recorded against, in the guidance's words."""

from django.db import models


class RiskCategory(models.TextChoices):
    """000 I.4 a-h: who this framework is for."""

    VULNERABILITY = (
        "a",
        "Vulnerability factors placing them at higher risk of abuse or neglect (mate crime, network abuse)",
    )
    SELF_NEGLECT = "b", "Self-neglect, including hoarding and fire safety"
    REFUSAL = "c", "Refusal of, or disengagement from, care and support"
    COMPLEX_NEEDS = "d", "Complex needs that fall between or span agencies' responsibilities"
    LIFESTYLE = "e", "Needs or behaviour leading to choices that put them or others at significant risk"
    HARM_TO_OTHERS = "f", "Needs and behaviours leading them to cause harm to others"
    TOXIC_TRIO = "g", "The 'toxic trio': domestic abuse, mental health and substance misuse"
    AFTER_S42 = "h", "Risks first addressed through a section 42 enquiry that need ongoing management"


class AbuseType(models.TextChoices):
    """001: the abuse and neglect named on its cover, grouped."""

    PHYSICAL = "physical", "Physical abuse (hitting, pushing, pinching, shaking, scalding, restraint)"
    EMOTIONAL = "emotional", "Emotional or psychological abuse (bullying, intimidation, teasing, blaming, isolating)"
    SEXUAL = "sexual", "Sexual abuse"
    FINANCIAL = "financial", "Financial abuse (stealing money or benefits)"
    NEGLECT = "neglect", "Neglect (ignoring needs, withholding food and drink, leaving on their own)"
    MEDICATION = "medication", "Misusing medication"
    COERCION = "coercion", "Coercion and control"
    SELF_NEGLECT = "self_neglect", "Self-neglect"


class AtRiskTest(models.TextChoices):
    """000 3.1: unable or unwilling to provide adequate care for themselves, and one or more of these."""

    CANNOT_OBTAIN_CARE = "care", "Unable to obtain necessary care to meet their needs"
    CANNOT_DECIDE = (
        "decide",
        (
            "Unable to make reasonable or informed decisions because of their mental health, "
            "a learning disability or an acquired brain injury"
        ),
    )
    CANNOT_PROTECT = "protect", "Unable to protect themselves adequately against exploitation or abuse"
    REFUSED_WITHOUT_INSIGHT = "refused", "Has refused essential services without insight into the need for them"


class EntryCriterion(models.TextChoices):
    """001 section 2: an AND-list; every one must hold."""

    SIGNIFICANT_HARM = (
        "harm",
        (
            "At risk of significant harm, well known to one or more agencies with repeated concerns, "
            "and no established plan to manage ongoing needs"
        ),
    )
    CAPACITY_REFUSES = (
        "refuses",
        (
            "Has the mental capacity to make the relevant decisions but has refused essential services "
            "or interventions, which could result in significant harm"
        ),
    )
    NOT_MITIGATED = "not_mitigated", "Current approaches have not been able to mitigate the risk of significant harm"
    DAILY_LIFE = "daily_life", "There are concerns about their ability to manage one or more areas of daily life"
    PARTNER_CONCERN = "partners", "One or more partners believe a multi-agency discussion would help"


class DailyLifeArea(models.TextChoices):
    """001 section 2: the seven areas of daily life."""

    PERSONAL_CARE = "personal_care", "Personal care and hygiene"
    HOME = "home", "Home environment"
    DAILY_LIVING = "daily_living", "Activities of daily living, such as shopping"
    HEALTH = "health", "Health conditions"
    FINANCES = "finances", "Finances"
    SAFETY = "safety", "Safety"
    PROTECTION = "protection", "Protection from abuse and neglect"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class CapacityView(models.TextChoices):
    NO_CONCERNS = "no_concerns", "No concerns: capacity is assumed"
    CONCERNS = "concerns", "There are concerns"
    NOT_KNOWN = "not_known", "Not known yet"


class OtherProcess(models.TextChoices):
    """Screening: would another process fit better? (000 6.1; 001 section 4)"""

    S42 = "s42", "Section 42 safeguarding enquiry"
    MARAC = "marac", "MARAC (domestic abuse, high risk on the DASH checklist)"
    CPA = "cpa", "Care Programme Approach"
    CHANNEL = "channel", "Channel"
    MAPPA = "mappa", "MAPPA"
    CHILDREN = "children", "Children's safeguarding"
    THINK_FAMILY = "think_family", "Think Family"
    HARM_REDUCTION = "harm_reduction", "Harm Reduction Forum"
    EXPLOITATION = "exploitation", "Exploitation panel"
    JAG = "jag", "Joint Action Group"
    SINGLE_AGENCY = "single_agency", "Single-agency support"
    NONE = "none", "No other process: MARM fits"


# 001 section 4: a DASH risk checklist with 14 or more ticks indicates MARAC.
DASH_MARAC_THRESHOLD = 14


class ScreeningOutcome(models.TextChoices):
    ACCEPT = "accept", "Accept into MARM"
    ROUTE = "route", "Route to another process"
    NO_FURTHER_ACTION = "nfa", "No further action"


class KeyActionStatus(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# 000 Appendix A, stage 1: the key actions once a concern is raised.
STAGE_1_KEY_ACTIONS = [
    ("discuss_raiser", "Discussion with the person raising the concern"),
    ("discuss_adult", "Discussion with the person about whom concerns have been raised"),
    ("care_and_support", "Ascertain what (if any) care and support the person receives"),
    ("others_at_risk", "Ascertain if any children or other adults at risk are affected"),
    ("consider_capacity", "Consider the person's mental capacity (decisional and executive)"),
    ("capacity_assessment", "If appropriate, carry out a capacity assessment on the specific issue"),
    ("other_process", "Consider if referral to another process would be more appropriate"),
    ("s42_duty", "Consider if the circumstances engage the section 42 enquiry duty"),
    ("convene_meeting", "If not, the responsible manager convenes a multi-agency meeting"),
    ("allocate_lead", "Allocate the case to a lead professional"),
    ("chronology", "Lead professional compiles a chronology of risk and support offered or in place"),
    ("contact_agencies", "Contact involved agencies and those who may need a future role"),
    ("planning_meeting", "Set up a multi-agency risk planning meeting"),
    ("attendees_commit", "Attendees able to make decisions and commit resources for their agency"),
    ("agency_leads", "Each agency asked to identify a lead professional"),
    ("adult_involvement", "Consider how the adult will be involved and whether advocacy support is needed"),
]

# 000 Appendix A, stage 2: the multi-agency risk management planning meeting.
STAGE_2_KEY_ACTIONS = [
    ("care_and_support_summary", "Provide a summary of any care and support offered or in place"),
    ("nature_of_concerns", "Outline the nature of the concerns and risks to the adult and others"),
    ("consider_capacity", "Consider the adult's mental capacity"),
    ("holistic_assessment", "Produce a collaborative and holistic assessment of the risks"),
    ("legal_powers", "Identify any legal powers and remedies potentially available"),
    ("agree_lead", "Agree who will act as lead coordinating professional"),
    ("information_sharing", "Agree information sharing arrangements"),
    ("contingency_plan", "Agree a contingency and an escalation plan"),
    ("best_placed_to_engage", "Identify who is best placed to engage with the adult at risk"),
    ("adult_involved", "Consider how the adult will be involved and kept up to date"),
    ("engagement_relationship", "Agree who engages with the adult, and how, and relationship building"),
    ("smart_action_plan", "Agree a SMART action plan, with timescales and a named lead against each action"),
    ("review_date", "Set the date for the review meeting"),
    ("copy_of_assessment", "Ensure the adult is given a copy of the risk assessment"),
]

# 000 Appendix A, stage 3: review meetings.
STAGE_3_KEY_ACTIONS = [
    ("involve_adult", "Involve the adult (and others such as their advocate or social or carer network)"),
    ("update_assessment", "Update the risk assessment"),
    ("update_contingency", "Update the escalation and contingency plan"),
    ("new_information", "Agencies share any new information"),
    ("consider_capacity", "Consider mental capacity"),
    ("review_action_plan", "Review the multi-agency action plan"),
    ("alternative_approach", "If insufficient progress has been made, consider an alternative approach"),
    ("creative_solutions", "Explore other flexible, creative solutions"),
    ("revise_action_plan", "Revise the action plan"),
    ("monitoring_arrangements", "Agree ongoing monitoring and review arrangements"),
]


class ReviewTheme(models.TextChoices):
    """The themes Safeguarding Adults Reviews keep finding (the national analyses of SARs), so the
    board can cut its measures by them and learn from live cases, not only from reviews."""

    SELF_NEGLECT = "self_neglect", "Self-neglect"
    HOARDING = "hoarding", "Hoarding"
    MENTAL_CAPACITY = "mental_capacity", "Mental capacity"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Alcohol or substance misuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EXPLOITATION = "exploitation", "Exploitation"
    TRANSITIONS = "transitions", "Transition from children's services"
    HOMELESSNESS = "homelessness", "Homelessness"
    FIRE_RISK = "fire_risk", "Fire risk"
