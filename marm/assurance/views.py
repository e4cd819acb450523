from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marm.access.rules import require
from marm.assurance import charts, forms, presenters, selectors
from marm.assurance.publication import SUPPRESSION_NOTE
from marm.assurance.registry import MEASURES, financial_year_label, quarter_short_label
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.core.throttle import throttled


def _figures_as_at(results):
    """The oldest time at which the stored figures shown were counted: for the finished quarters, and
    for the running quarter (None where every figure of that kind was counted just now)."""
    finished = min((r.figures_as_at for r in results if r.figures_as_at), default=None)
    running = min((r.running_as_at for r in results if r.running_as_at), default=None)
    return {"figures_as_at": finished, "running_as_at": running}


def _filters(request):
    years = selectors.financial_years()
    form = forms.MeasureFilterForm(request.GET or None, years=years)
    return form, form.choice(years)


@require_GET
def index(request):
    require(request.user, "assurance.view_measures")
    form, chosen = _filters(request)
    results = selectors.every_measure(**chosen)
    return render(
        request,
        "assurance/index.html",
        {
            "form": form,
            "year_label": financial_year_label(chosen["year"]),
            "quarters": [quarter_short_label(q) for q in results[0].quarters] if results else [],
            "rows": [
                {
                    "measure": result.measure,
                    "quarters": [presenters.figure(result.measure, result.by_quarter[q]) for q in result.quarters],
                    "year": presenters.figure(result.measure, result.total),
                }
                for result in results
            ],
            **_figures_as_at(results),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def detail(request, code):
    require(request.user, "assurance.view_measures")
    form, chosen = _filters(request)
    result = selectors.measure_result(code=code, **chosen)
    return render(
        request,
        "assurance/detail.html",
        {
            "form": form,
            "measure": result.measure,
            "result": result,
            "trend": charts.trend(result),
            "by_group": charts.by_group(result) if result.groups else None,
            "table": presenters.table(result),
            "query": request.GET.urlencode(),
        },
    )


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@throttled("exports")
def download(request, code):
    require(request.user, "assurance.view_measures")
    _, chosen = _filters(request)
    result = selectors.measure_result(code=code, **chosen)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="measure",
        object_id=code,
        detail={"year": chosen["year"], "agency": chosen["agency_id"], "theme": chosen["theme"]},
    )
    return _csv(presenters.result_csv(result), f"{code.lower()}-{chosen['year']}.csv")


def _publication_year(request):
    years = selectors.financial_years()
    form = forms.PublicationForm(request.GET or None, years=years)
    return form, form.chosen_year(years)


@require_GET
def publication(request):
    require(request.user, "assurance.view_measures")
    form, year = _publication_year(request)
    results = selectors.every_measure(year=year)
    return render(
        request,
        "assurance/publication.html",
        {
            "form": form,
            "year": year,
            "year_label": financial_year_label(year),
            "quarters": [quarter_short_label(q) for q in results[0].quarters] if results else [],
            "rows": presenters.publication_rows(results),
            "note": SUPPRESSION_NOTE,
            **_figures_as_at(results),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@throttled("exports")
def publication_download(request):
    require(request.user, "assurance.view_measures")
    _, year = _publication_year(request)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="measure",
        object_id="publication",
        detail={"year": year, "measures": list(MEASURES)},
    )
    return _csv(presenters.publication_csv(selectors.every_measure(year=year)), f"marm-measures-{year}.csv")
