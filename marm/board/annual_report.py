"""The board's annual report, drafted from what it keeps in marm (Care Act 2014, Schedule 2,
paragraph 4(1)): what the board did to achieve its objective and implement its strategy, what each
member did, the reviews concluded in the year and their findings, the reviews ongoing at its end,
what was done on the findings, and the findings not acted on with the reasons. The figures from
casework leave the partnership in the report, so they are the publication figures (small numbers
suppressed, ADR 0020). It names no adult: reviews name theirs only as the review does (X, Y, Z)."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from marm.assurance.publication import SUPPRESSION_NOTE, publish
from marm.assurance.registry import MEASURES, compute_many, financial_year_label, financial_year_of
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.board.models import (
    ActionProgress,
    AnnualReportRendering,
    BusinessPlan,
    Objective,
    PlanAction,
    Priority,
)
from marm.organisations.models import Membership, Role
from marm.sar.models import Progress, Recommendation, Review, ReviewAction, Theme
from marm.sar.vocab import RecommendationResponse, ReviewStatus


@dataclass
class MemberWork:
    """What one member organisation did in the year: plan actions it leads and its review progress."""

    name: str
    plan_actions: list = field(default_factory=list)
    review_progress: list = field(default_factory=list)


@dataclass
class AnnualReport:
    year: int
    start: datetime.date
    end: datetime.date
    plans: list
    action_counts: dict
    members: list
    concluded: list
    ongoing: list
    reviews_with_work: list
    not_acted_on: list
    figures: list
    suppression_note: str
    drafted_on: datetime.date

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


def _in_year(day, start, end) -> bool:
    return day is not None and start <= day < end


def _plans(year: int):
    progress = ActionProgress.objects.order_by("-reported_on", "-pk")
    actions = PlanAction.objects.select_related("responsible_agency", "responsible_subgroup").prefetch_related(
        Prefetch("progress", queryset=progress, to_attr="progress_list")
    )
    objectives = Objective.objects.prefetch_related(
        Prefetch("actions", queryset=actions.order_by("order", "pk"), to_attr="action_list")
    )
    priorities = Priority.objects.select_related("delivery_mechanism").prefetch_related(
        Prefetch("objectives", queryset=objectives.order_by("order", "pk"), to_attr="objective_list")
    )
    return list(
        BusinessPlan.objects.filter(year=year).prefetch_related(
            Prefetch("priorities", queryset=priorities.order_by("order", "code"), to_attr="priority_list")
        )
    )


def _reviews(end: datetime.date):
    progress = Progress.objects.select_related("review_organisation__agency").order_by(
        "review_organisation__agency__name"
    )
    actions = ReviewAction.objects.prefetch_related(Prefetch("progress", queryset=progress, to_attr="progress_list"))
    recommendations = Recommendation.objects.prefetch_related(
        Prefetch("actions", queryset=actions.order_by("pk"), to_attr="action_list")
    )
    themes = Theme.objects.prefetch_related(
        Prefetch("recommendations", queryset=recommendations.order_by("number"), to_attr="recommendation_list")
    )
    return list(
        Review.objects.filter(referred_on__lt=end)
        .prefetch_related(Prefetch("themes", queryset=themes.order_by("order", "pk"), to_attr="theme_list"))
        .order_by("referred_on", "reference")
    )


def annual_report(*, year: int) -> AnnualReport:
    start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 4, 1)
    plans = _plans(year)
    counts: dict[str, int] = defaultdict(int)
    members: dict[str, MemberWork] = {}

    def member(name: str) -> MemberWork:
        return members.setdefault(name, MemberWork(name))

    for plan in plans:
        for priority in plan.priority_list:
            for objective in priority.objective_list:
                for action in objective.action_list:
                    in_year = [p for p in action.progress_list if _in_year(p.reported_on, start, end)]
                    action.year_progress = in_year
                    action.latest = action.progress_list[0] if action.progress_list else None
                    if action.signed_off_at and _in_year(timezone.localtime(action.signed_off_at).date(), start, end):
                        counts["signed off"] += 1
                    elif action.latest:
                        counts[action.latest.get_rag_display()] += 1
                    else:
                        counts["No progress reported"] += 1
                    if action.responsible_agency_id:
                        member(action.responsible_agency.name).plan_actions.append(action)

    concluded, ongoing, with_work, not_acted_on = [], [], [], []
    for review in _reviews(end):
        if review.status == ReviewStatus.CONCLUDED and _in_year(review.concluded_on, start, end):
            concluded.append(review)
        elif review.status == ReviewStatus.ONGOING or (review.concluded_on and review.concluded_on >= end):
            ongoing.append(review)
        worked = False
        for theme in review.theme_list:
            for recommendation in theme.recommendation_list:
                if recommendation.response == RecommendationResponse.NOT_ACCEPTED:
                    not_acted_on.append((review, recommendation))
                for action in recommendation.action_list:
                    for progress in action.progress_list:
                        if progress.updated_at and _in_year(timezone.localtime(progress.updated_at).date(), start, end):
                            worked = True
                            member(progress.review_organisation.agency.name).review_progress.append(
                                (review, recommendation, progress)
                            )
        if worked:
            with_work.append(review)

    # Every measure at once: the stored figures are read in one query.
    figures = [
        (result.measure, publish(result.measure, result.total)) for result in compute_many(list(MEASURES), year=year)
    ]

    return AnnualReport(
        year=year,
        start=start,
        end=end,
        plans=plans,
        action_counts=dict(sorted(counts.items())),
        members=sorted(members.values(), key=lambda m: m.name),
        concluded=concluded,
        ongoing=ongoing,
        reviews_with_work=with_work,
        not_acted_on=not_acted_on,
        figures=figures,
        suppression_note=SUPPRESSION_NOTE,
        drafted_on=timezone.localdate(),
    )


# Layouts kept for each year: the draft changes as the year goes on, and only the latest are asked for.
KEPT_RENDERINGS = 3


def annual_report_pdf(report: AnnualReport, *, board_name: str) -> bytes:
    """The draft as a tagged PDF (PDF/UA-1), so a screen reader can follow its structure.

    The page is drawn first (a few milliseconds); WeasyPrint lays it out only when no layout of the
    very same page is kept (``AnnualReportRendering``). The page holds everything the PDF shows, the
    date it was drafted included, so a kept layout is the PDF WeasyPrint would make now."""
    html = render_to_string("board/annual_report_pdf.html", {"report": report, "board_name": board_name})
    digest = hashlib.sha256(html.encode()).hexdigest()
    kept = AnnualReportRendering.objects.filter(html_sha256=digest).values_list("pdf", flat=True).first()
    if kept is not None:
        return bytes(kept)
    pdf = _lay_out(html)
    _keep(year=report.year, digest=digest, pdf=pdf)
    return pdf


def annual_report_prepare(*, year: int, board_names: list[str]) -> int:
    """Lay out the year's draft for each board ahead of the request, as the sweep does once the
    figures are counted again; returns how many layouts were made (none when the page is unchanged)."""
    report = annual_report(year=year)
    before = AnnualReportRendering.objects.filter(year=year).count()
    for name in board_names:
        annual_report_pdf(report, board_name=name)
    return AnnualReportRendering.objects.filter(year=year).count() - before


def _lay_out(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


def _keep(*, year: int, digest: str, pdf: bytes) -> None:
    with transaction.atomic():
        try:
            with transaction.atomic():
                AnnualReportRendering.objects.create(year=year, html_sha256=digest, pdf=pdf, rendered_at=timezone.now())
        except IntegrityError:
            return  # another request laid out the same page at the same moment: it is kept once
        older = (
            AnnualReportRendering.objects.filter(year=year)
            .order_by("-rendered_at", "-pk")
            .values_list("pk", flat=True)[KEPT_RENDERINGS:]
        )
        AnnualReportRendering.objects.filter(pk__in=list(older)).delete()


DRAFTS = SystemActor("board-annual-report")


def sweep_annual_report(now: datetime.datetime) -> int:
    """The sweep ``board-annual-report``: after ``assurance-figures`` has counted (sweeps run in name
    order), lay out this financial year's draft for each board whose officers may download it, so
    the first download after a change does not wait for WeasyPrint. Returns the layouts made."""
    names = sorted(
        set(
            Membership.objects.filter(role=Role.BOARD_OFFICER, user__is_active=True).values_list(
                "team__agency__name", flat=True
            )
        )
    )
    if not names:
        return 0
    year = financial_year_of(timezone.localtime(now).date())
    made = annual_report_prepare(year=year, board_names=names)
    if made:
        audit_record(
            actor=DRAFTS,
            action=AuditAction.UPDATE,
            object_type="annual_report",
            object_id=str(year),
            detail={"laid_out": made},
        )
    return made
