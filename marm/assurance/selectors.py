"""Reads for the board's measures: aggregates only. Nothing here returns a person or a case."""

from django.db.models import Min
from django.http import Http404
from django.utils import timezone

from marm.assurance.registry import MEASURES, Result, compute, compute_many, financial_year_of
from marm.cases.models import Case
from marm.organisations.models import Agency, AgencyKind


def financial_years() -> list[int]:
    """The financial years that hold casework, newest first (the current one always)."""
    current = financial_year_of(timezone.localdate())
    first = Case.objects.aggregate(first=Min("raised_at"))["first"]
    start = financial_year_of(timezone.localtime(first).date()) if first else current
    return list(range(current, min(start, current) - 1, -1))


def partner_agencies():
    """The agencies a measure can be cut by: every partner, not the board itself."""
    return Agency.objects.exclude(kind=getattr(AgencyKind, "SAFEGUARDING_ADULTS_BOARD", "sab")).order_by("name")


def measure_result(*, code: str, year: int, agency_id=None, theme=None) -> Result:
    if code not in MEASURES:
        raise Http404("No such measure")
    return compute(code, year=year, agency_id=agency_id, theme=theme)


def every_measure(*, year: int, agency_id=None, theme=None) -> list[Result]:
    return compute_many(list(MEASURES), year=year, agency_id=agency_id, theme=theme)
