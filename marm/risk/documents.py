"""The adult's two copies of an agreed risk assessment, as PDF (ADR 0012).

HTML templates rendered by WeasyPrint: the standard copy mirrors the
assessment section by section; the easy-read copy uses plain words, larger
type and one topic per page. Nothing is fetched while rendering: the
stylesheet is inline and there are no images.
"""

from dataclasses import dataclass

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
    return HTML(string=html, base_url=None).write_pdf()


def standard_pdf(*, version, case) -> bytes:
    return _pdf("risk/pdf/standard.html", _context(version=version, case=case))


def easy_read_pdf(*, version, case) -> bytes:
    return _pdf("risk/pdf/easy_read.html", _context(version=version, case=case))
