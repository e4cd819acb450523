"""Key actions the records must bear out: a checklist item is not done because someone ticked it.

Some key actions of a stage (000 Appendix A) are done only when another record exists: "Update the
risk assessment" at a review means a new version was agreed since the last meeting. The app that
keeps those records registers a check for the item's code (``register_key_action_check`` in its
``ready()``), so the checklist refuses an item the records contradict and never shows it as done,
without this app importing the apps above it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Since:
    """The previous meeting: the day it was held, and when its record was closed (finished). A record
    dated after that day counts; one dated that day counts only if made after the record closed."""

    day: datetime.date
    closed_at: datetime.datetime


# check(*, case, since: Since | None) -> "" when the records bear the item out, else why not.
KeyActionCheck = Callable[..., str]
# where(case) -> (what to do, the address of the page that makes the record).
WhereToRecord = Callable[..., tuple[str, str]]

_checks: dict[str, KeyActionCheck] = {}
_where: dict[str, WhereToRecord] = {}


def register_key_action_check(code: str, check: KeyActionCheck, where: WhereToRecord | None = None) -> None:
    """Make the key action ``code`` depend on the records ``check`` reads, made on the page ``where``
    names, so a meeting can make the record while it is open (registering again replaces)."""
    _checks[code] = check
    if where is not None:
        _where[code] = where


def where_to_record(code: str, case) -> tuple[str, str] | None:
    """What to do and where, to make the record key action ``code`` needs; None if no page is named."""
    where = _where.get(code)
    return where(case) if where else None


def has_check(code: str) -> bool:
    return code in _checks


def key_actions_not_borne_out(*, case, codes: Iterable[str], since: Since | None) -> dict[str, str]:
    """For each of ``codes`` whose records do not show it done after ``since`` (None for any time),
    why not. Codes without a check are taken as they are recorded. One query per checked code."""
    problems = {}
    for code in dict.fromkeys(codes):
        check = _checks.get(code)
        if check is None:
            continue
        reason = check(case=case, since=since)
        if reason:
            problems[code] = reason
    return problems


# 000 Appendix A, stage 2: "Agree who will act as lead coordinating professional".
AGREE_LEAD = "agree_lead"


def _lead_allocated(*, case, since) -> str:
    """'' when the case has a current lead professional; else why not."""
    from marm.cases.models import LeadProfessional

    if LeadProfessional.objects.filter(case=case, ended_at__isnull=True).exists():
        return ""
    return "No lead professional has been allocated: allocate the lead professional first"


def _allocate(case) -> tuple[str, str]:
    from django.urls import reverse

    return "Allocate the lead professional", reverse("cases:allocate", kwargs={"case_pk": case.pk})


register_key_action_check(AGREE_LEAD, _lead_allocated, where=_allocate)
