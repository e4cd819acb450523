import datetime
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from marm.audit.models import AuditAction
from marm.people import nhs_number as nhs
from marm.people.emergency import EMERGENCY_PURPOSE
from marm.people.models import DatePrecision, ReviewSide


def format_date_of_birth(date, precision: str) -> str:
    if not date:
        return "Not known"
    if precision == DatePrecision.YEAR:
        return f"{date.year} (year only)"
    if precision == DatePrecision.MONTH:
        return f"{date:%B %Y} (month only)"
    return f"{date.day} {date:%B %Y}"


def format_nhs_number(value: str) -> str:
    return nhs.formatted(value) if value else "Not known"


def date_of_birth(person) -> str:
    return format_date_of_birth(person.date_of_birth, person.date_of_birth_precision)


def match_reasons(match) -> str:
    """Why a search result was offered, in words: 'Same last name; first name sounds the same'."""
    reasons = list(match.reasons)
    if not reasons:
        return ""
    return "; ".join([reasons[0], *(reason[0].lower() + reason[1:] for reason in reasons[1:])])


def summary_rows(person) -> list[tuple[str, str]]:
    return [
        ("Name", person.full_name),
        ("Preferred name", person.preferred_name or "None recorded"),
        ("Date of birth", date_of_birth(person)),
        ("NHS number", format_nhs_number(person.nhs_number)),
    ]


def comparable_details(
    *,
    given_name,
    middle_names,
    family_name,
    preferred_name,
    date_of_birth,
    date_of_birth_precision,
    nhs_number,
    **_ignored,
) -> dict[str, str]:
    """A person's editable details as a reader sees them, to compare two versions."""
    return {
        "given_name": given_name,
        "middle_names": middle_names,
        "family_name": family_name,
        "preferred_name": preferred_name,
        "date_of_birth": format_date_of_birth(date_of_birth, date_of_birth_precision),
        "nhs_number": format_nhs_number(nhs_number),
    }


# The access log in words. Every kind of record a person's audit rows can name, in one place;
# a record not listed is called by its model's verbose name, and an id or hash is never shown.
RECORD_NAMES = {
    "people.person": "the person's record",
    "people.personalias": "another name for the person",
    "people.personidentifier": "an agency's identifier for the person",
    "people.address": "an address",
    "people.relatedperson": "a related person",
    "people.agencyinvolvement": "an agency's involvement with the person",
    "people.emergencyaccess": "an emergency access to the minimal record",
    "people.emergencyaccessreview": "a review of an emergency access",
    "decisions.decision": "a decision",
    "cases.case": "the case",
    "cases.casetransition": "the stage of the case",
    "cases.screening": "the screening",
    "cases.caseagency": "an agency's part in the case",
    "cases.leadprofessional": "the lead professional",
    "cases.keyaction": "a key action",
    "cases.casetheme": "the case's review themes",
    "sharing.sharingdecision": "a sharing decision",
    "chronology.chronologyentry": "a chronology entry",
    "plans.action": "an action",
    "plans.actionupdate": "an update to an action",
    "plans.contingencyplan": "the contingency plan",
    "plans.contingencytrigger": "a contingency trigger",
    "meetings.meeting": "a meeting",
    "meetings.meetingchange": "a change to a meeting",
    "meetings.invitation": "a meeting invitation",
    "meetings.attendance": "who attended a meeting",
    "meetings.adultparticipation": "the adult's part in a meeting",
    "meetings.minutesitem": "the minutes of a meeting",
    "meetings.meetingdecision": "a decision taken in a meeting",
    "register.registerentry": "the high-risk register entry",
    "register.namedprofessionalchange": "the named professional on the register",
    "register.registerreview": "a review of the register entry",
    "register.registerprocess": "another process on the register entry",
    "register.reviewtask": "a register review task",
    "register.supportnotdelivered": "a report of support not delivered",
    "register.dutycontact": "a duty desk contact",
    "register.contactalert": "an alert to the named professional",
    "risk.riskassessment": "the risk assessment",
    "risk.riskassessmentversion": "a version of the risk assessment",
    "risk.aspectassessment": "an aspect of the risk assessment",
    "risk.capacityassessment": "a mental capacity assessment",
    "risk.bestinterestsdecision": "a best-interests decision",
    "risk.refusalwithcapacity": "a refusal of support",
    "risk.refusaleffort": "an agency's efforts to offer support",
    "risk.adultcopy": "the adult's copy of the risk assessment",
    "linkage.personlink": "a link to another record of the person",
    "linkage.duplicatesuggestion": "a possible duplicate record",
    "linkage.duplicatesdismissal": "a dismissed possible duplicate",
    "closure.engagementattempt": "an attempt to engage the adult",
    "closure.nonengagementflag": "the non-engagement flag",
    "closure.reflectivereview": "a reflective review",
    "closure.supportprovider": "a provider of care and support",
    "closure.agencycheck": "a check with another agency",
    "closure.s42referral": "the section 42 referral",
    "closure.s42outcome": "the local authority's section 42 decision",
    "closure.caseclosure": "the closure of the case",
    "closure.closureriskoutcome": "a risk's outcome at closure",
}
ACTION_WORDS = {
    AuditAction.VIEW: "Viewed {}",
    AuditAction.CREATE: "Added {}",
    AuditAction.UPDATE: "Changed {}",
    AuditAction.DELETE: "Deleted {}",
    AuditAction.SEARCH: "Searched {}",
    AuditAction.EXPORT: "Downloaded or sent {}",
    AuditAction.DENIED: "Access refused: {}",
}
# Where the action and the record together say something plainer than the two apart.
SAID_TOGETHER = {
    (AuditAction.CREATE, "people.person"): "Recorded the person",
    (AuditAction.UPDATE, "people.person"): "Changed the person's details",
    (AuditAction.SEARCH, "people.person"): "Searched for other records of the person",
    (AuditAction.EXPORT, "people.person"): "Compared the person's record with others",
    (AuditAction.EXPORT, "sharing.sharingdecision"): "Shared the case with another agency",
    (AuditAction.CREATE, "cases.case"): "Raised a concern",
    (AuditAction.CREATE, "decisions.decision"): "Recorded a decision",
    (AuditAction.BREAK_GLASS, "people.emergencyaccess"): "Emergency access: opened the minimal record",
    (AuditAction.CREATE, "people.emergencyaccessreview"): "Reviewed an emergency access",
    (AuditAction.SEARCH, "people.emergencyaccess"): "Listed emergency accesses",
}

SYSTEM_ACTORS = {
    "reminders": "marm's reminders",
    "meeting-emails": "marm's meeting e-mails",
    "duplicates_find": "marm's check for possible duplicates",
    "seed_demo": "The demonstration data",
}


@dataclass(frozen=True)
class AccessLogEntry:
    when: datetime.datetime
    who: str
    agency: str
    what: str
    refused: bool
    # Opened, or read, through emergency ("break-glass") access: shown with its own tag (ADR 0026).
    emergency: bool = False


def record_name(object_type: str) -> str:
    """What a kind of record is called in the access log: "the risk assessment"."""
    if object_type in RECORD_NAMES:
        return RECORD_NAMES[object_type]
    try:
        return f"the {apps.get_model(object_type)._meta.verbose_name}"
    except (LookupError, ValueError):
        return f"the {object_type.rpartition('.')[2].replace('_', ' ')}" if object_type else "a record"


def _in_a_sentence(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def access_log_entry(event) -> AccessLogEntry:
    """One audit row as a reader of the access log says it: "Viewed the risk assessment, purpose: duty call"."""
    object_type = event.object_type or "people.person"
    what = SAID_TOGETHER.get((event.action, object_type))
    if what is None:
        words = ACTION_WORDS.get(event.action)
        what = words.format(record_name(object_type)) if words else AuditAction(event.action).label
    if event.purpose:
        what = f"{what}, purpose: {_in_a_sentence(event.purpose.strip())}"
    if event.actor_user_id:
        who = event.actor_user.full_name
    else:
        job = event.system_actor
        who = SYSTEM_ACTORS.get(job) or f"marm ({job.replace('_', ' ').replace('-', ' ')})"
    return AccessLogEntry(
        when=event.occurred_at,
        who=who,
        agency=event.actor_agency.name if event.actor_agency_id else "",
        what=what,
        refused=event.action == AuditAction.DENIED,
        emergency=is_emergency_event(event),
    )


def is_emergency_event(event) -> bool:
    """The opening of an emergency access, or a read of the minimal record while it lasted."""
    if event.action == AuditAction.BREAK_GLASS:
        return True
    return event.action == AuditAction.VIEW and (event.purpose or "").startswith(f"{EMERGENCY_PURPOSE}:")


@dataclass(frozen=True)
class EmergencyAccessRow:
    access: object
    who: str
    agency: str
    lead_agency: str
    started_at: datetime.datetime
    until: datetime.datetime
    status: str
    reviews: list[str]


def emergency_access_row(access) -> EmergencyAccessRow:
    """An emergency access in words: who, when, until when, and each side's review."""
    now = timezone.now()
    until = access.ended_at or access.expires_at
    if access.ended_at:
        status = "Ended by a reviewer"
    elif access.expires_at > now:
        status = "Lasts until " + timezone.localtime(access.expires_at).strftime("%H:%M")
    else:
        status = "Expired"
    by_side = {review.side: review for review in access.reviews.all()}
    sides = [ReviewSide.LEAD, ReviewSide.OWN] if access.lead_agency_id != access.agency_id else [ReviewSide.OWN]
    reviews = []
    for side in sides:
        agency = access.lead_agency.name if side == ReviewSide.LEAD else access.agency.name
        review = by_side.get(side)
        if review is None:
            reviews.append(f"{agency}: not reviewed yet")
        else:
            reviews.append(f"{agency}: {review.get_outcome_display().lower()}, by {review.reviewer.full_name}")
    return EmergencyAccessRow(
        access=access,
        who=access.user.full_name,
        agency=access.agency.name,
        lead_agency=access.lead_agency.name,
        started_at=access.started_at,
        until=until,
        status=status,
        reviews=reviews,
    )
