"""The adult's two copies of an agreed risk assessment, as PDF (ADR 0012).

HTML templates rendered by WeasyPrint: the standard copy mirrors the
assessment section by section; the easy-read copy uses plain words, larger
type and one topic per page. Nothing is fetched while rendering: the
stylesheet is inline and there are no images.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from marm.risk import vocab


@dataclass
class AspectLine:
    row: object
    easy_name: str
    easy_level: str
    rank: int
    agencies: list[str]  # the agencies that contributed to the row, read once here for the template


# The plan's actions still to do. The plan sits beside risk in the layers, so its records are read
# through the case's foreign keys, never by importing the plans app: these are its live statuses.
LIVE_ACTION_STATUSES = ("open", "in_progress")


@dataclass
class NextStep:
    what: str
    who: str
    agency: str
    due_date: object


@dataclass
class Contingency:
    summary: str
    triggers: list  # ContingencyTrigger rows: what to watch for, what to do, who to contact


def _next_steps(case) -> list[NextStep]:
    """What happens next (000 6.1 stage 2): each action in the plan still to do, by when and by whom."""
    actions = case.actions.filter(status__in=LIVE_ACTION_STATUSES).select_related("lead_user", "agency")
    return [
        NextStep(
            what=action.what,
            who=action.lead_user.full_name if action.lead_user_id else action.lead_name,
            agency=action.agency.name,
            due_date=action.due_date,
        )
        for action in actions.order_by("due_date", "pk")
    ]


def _contingency(case) -> Contingency | None:
    """The current contingency plan (the newest version): what to do if things get worse, and who to call."""
    plan = (
        case.contingency_plans.prefetch_related(Prefetch("triggers", to_attr="triggers_list"))
        .order_by("-number")
        .first()
    )
    if plan is None:
        return None
    return Contingency(summary=plan.summary, triggers=plan.triggers_list)


def _context(*, version, case) -> dict:
    aspects = list(version.aspects.all())
    row_agencies = {row.pk: [agency.name for agency in row.contributing_agencies.all()] for row in aspects}
    agencies = sorted({name for names in row_agencies.values() for name in names})
    lead = (
        case.lead_professionals.filter(ended_at__isnull=True).select_related("user__agency").first()
        if case is not None
        else None
    )
    return {
        "person": case.person,
        "case": case,
        "version": version,
        "aspects": [
            AspectLine(
                row=row,
                easy_name=vocab.EASY_READ_ASPECT[row.aspect],
                easy_level=vocab.EASY_READ_LEVEL.get(row.level, "Not looked at yet"),
                rank=vocab.LEVEL_ORDER.get(row.level, 0),
                agencies=row_agencies[row.pk],
            )
            for row in aspects
        ],
        "agencies": agencies,
        "next_steps": _next_steps(case),
        "contingency": _contingency(case),
        # How to challenge a decision or complain: the lead coordinating agency answers (000 2.1).
        "lead_agency": case.lead_agency,
        "lead": lead.user if lead else None,
        "overall_easy": vocab.EASY_READ_LEVEL.get(version.overall_level, ""),
        "overall_rank": vocab.LEVEL_ORDER.get(version.overall_level, 0),
        "printed_on": timezone.localdate(),
        "easy_levels": [(vocab.LEVEL_ORDER[level], vocab.EASY_READ_LEVEL[level]) for level in vocab.RiskLevel],
        "likelihood_scale": vocab.Likelihood.choices,
        "impact_scale": vocab.Impact.choices,
    }


def _pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only PDF pages need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    # PDF/UA-1: tagged, with the language and title, so a screen reader can follow the adult's copy.
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


def standard_pdf(*, version, case) -> bytes:
    return _pdf("risk/pdf/standard.html", _context(version=version, case=case))


def easy_read_pdf(*, version, case) -> bytes:
    return _pdf("risk/pdf/easy_read.html", _context(version=version, case=case))
