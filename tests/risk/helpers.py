"""Building risk records through the services, for tests and the URL sweep."""

import datetime

from django.utils import timezone

from marm.risk import vocab
from marm.risk.services import (
    aspect_update,
    capacity_assessment_record,
    risk_assessment_agree,
    risk_assessment_start,
    risk_assessment_update,
)

PLAN = "Sam from the council will visit every Tuesday. The fire service will fit smoke alarms."


def fill_draft(user, version, *, likelihood=3, impact=3, overrides=None, plan=PLAN, overall="high"):
    """Write every aspect and the overview of a draft as ``user``."""
    overrides = overrides or {}
    for row in version.aspects.all():
        rating = overrides.get(row.aspect, (likelihood, impact))
        row.refresh_from_db()
        aspect_update(
            acting_user=user,
            aspect=row,
            expected_version=row.version,
            what_is_known=f"Known about {row.get_aspect_display().lower()}.",
            likelihood=rating[0],
            impact=rating[1],
            adult_view="I manage fine.",
        )
    version.refresh_from_db()
    risk_assessment_update(
        acting_user=user,
        version=version,
        expected_version=version.version,
        what_matters="My cat, Biscuit, and staying in my own flat.",
        strengths="Knows her neighbours; keeps her appointments with the GP.",
        risks_to_others="Fire could spread to the adjoining flat.",
        overall_level=overall,
        plan_summary=plan,
    )
    version.refresh_from_db()
    return version


def agree(user, version, *, note="Planning meeting: council, police and GP attended.", agreed_on=None):
    version.refresh_from_db()
    return risk_assessment_agree(
        acting_user=user,
        version=version,
        expected_version=version.version,
        how=vocab.AgreedHow.MEETING,
        agreed_on=agreed_on or timezone.localdate(),
        note=note,
    )


def agreed_version(case, contributor, agreer, **fill):
    version = risk_assessment_start(acting_user=contributor, case=case)
    fill_draft(contributor, version, **fill)
    return agree(agreer, version)


LACKS = {
    "decision": "Whether to move into a care home",
    "practicable_steps": "Visited in the morning with her niece; used photographs of the home.",
    "impairment": "yes",
    "impairment_details": "Diagnosed vascular dementia (memory clinic, 2024).",
    "understands": "no",
    "understands_evidence": "Could not say what a care home is after three explanations.",
    "retains": "no",
    "retains_evidence": "Forgot the conversation within five minutes.",
    "uses_or_weighs": "no",
    "uses_or_weighs_evidence": "Could not weigh the risks of staying at home.",
    "communicates": "yes",
    "communicates_evidence": "Speaks clearly.",
    "decisional_capacity": "lacks",
    "executive_capacity": "not_assessed",
    "outcome": "lacks",
    "outcome_reasons": "Cannot understand, retain or weigh the information.",
}

HAS_DECISIONAL_NOT_EXECUTIVE = {
    "decision": "Whether to accept help to clear the hallway",
    "practicable_steps": "Explained at home, in short sentences, with her friend present.",
    "impairment": "no",
    "understands": "yes",
    "understands_evidence": "Explained the fire risk in her own words.",
    "retains": "yes",
    "retains_evidence": "Remembered it the next day.",
    "uses_or_weighs": "yes",
    "uses_or_weighs_evidence": "Weighed the risk against keeping her things.",
    "communicates": "yes",
    "communicates_evidence": "Clear.",
    "decisional_capacity": "has",
    "executive_capacity": "cannot",
    "executive_evidence": "Agreed three times to clear a path and has not been able to start.",
    "outcome": "has",
    "outcome_reasons": "Understands and decides; cannot carry it out unaided.",
}


def assess(user, case, answers, *, assessed_on=None, review_by=None):
    today = timezone.localdate()
    return capacity_assessment_record(
        acting_user=user,
        case=case,
        assessed_on=assessed_on or today,
        review_by=review_by or today + datetime.timedelta(days=90),
        **answers,
    )


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened, so its objects can be searched."""
    import contextlib
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)
