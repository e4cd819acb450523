"""How the business plan reads: overdue and unassured worked out from today and the trail,
labels and tags for the RAG status, the plan's text as paragraphs and points, and live figures."""

import datetime
from dataclasses import dataclass, field

from marm.assurance import charts
from marm.assurance import presenters as measure_presenters
from marm.board.models import BusinessPlan, Objective, PlanAction, Priority, Rag
from marm.surveys import presenters as survey_presenters

RAG_TAGS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.COMPLETE: "govuk-tag--blue",
}


def long_date(day: datetime.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


@dataclass
class Point:
    text: str
    children: list[str] = field(default_factory=list)


@dataclass
class TextBlock:
    """A field of the plan as written: bullet points where the plan uses them, paragraphs otherwise."""

    bulleted: bool
    points: list[Point]


def text_block(text: str) -> TextBlock:
    points: list[Point] = []
    bulleted = False
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        stripped = line.strip()
        is_bullet = stripped[:1] in "-•*"
        bulleted = bulleted or is_bullet
        words = stripped.lstrip("-•*").strip() if is_bullet else stripped
        # An indented bullet belongs to the point above it.
        if is_bullet and line[:1].isspace() and points:
            points[-1].children.append(words)
        else:
            points.append(Point(words))
    return TextBlock(bulleted=bulleted, points=points)


@dataclass
class LiveFigure:
    code: str
    available: bool
    title: str = ""
    value: str = ""
    year_label: str = ""


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def figure_text(result) -> str:
    value = result.total.value
    if value is None:
        return "No figures for this year yet"
    if result.measure.is_percent:
        return f"{_number(value)}%"
    if result.measure.is_median:
        return f"{_number(value)} days (median)"
    return _number(value)


def live_figure(code: str, figures: dict) -> LiveFigure | None:
    if not code:
        return None
    result = figures.get(code)
    if result is None:
        return LiveFigure(code=code, available=False)
    return LiveFigure(
        code=code,
        available=True,
        title=result.measure.title,
        value=figure_text(result),
        year_label=result.year_label,
    )


@dataclass
class ActionRow:
    action: PlanAction
    overdue: bool
    unassured: bool
    figure: LiveFigure | None

    @property
    def needs_attention(self) -> bool:
        return self.overdue or self.unassured

    @property
    def rag(self) -> str | None:
        return getattr(self.action, "latest_rag", None)

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label if self.rag else "No progress reported"

    @property
    def rag_tag(self) -> str:
        return RAG_TAGS.get(self.rag, "govuk-tag--grey")

    @property
    def last_reported_on(self) -> datetime.date | None:
        return getattr(self.action, "latest_reported_on", None)

    @property
    def when(self) -> str:
        return self.action.due_text or long_date(self.action.due_date)


def action_row(action: PlanAction, *, today: datetime.date, figures: dict) -> ActionRow:
    """Overdue: the due date has passed and the action is not signed off. Unassured: its latest
    progress is complete but the board officer has not signed it off."""
    rag = getattr(action, "latest_rag", None)
    return ActionRow(
        action=action,
        overdue=action.is_overdue(today),
        unassured=rag == Rag.COMPLETE and not action.is_signed_off,
        figure=live_figure(action.measure_code, figures),
    )


@dataclass
class ProgressRow:
    progress: object
    tag: str


def progress_rows(trail) -> list[ProgressRow]:
    return [ProgressRow(progress=progress, tag=RAG_TAGS.get(progress.rag, "govuk-tag--grey")) for progress in trail]


@dataclass
class MeasureView:
    """A live measure drawn beside the objective whose actions name it: its chart and its data table."""

    result: object
    chart: charts.Drawing
    table: dict
    chart_id: str
    # Set when the plan's own year holds no casework and the current year is shown instead.
    instead_of: str = ""


@dataclass
class ObjectiveView:
    objective: Objective
    rows: list[ActionRow]
    measures: list[MeasureView] = field(default_factory=list)
    # Practitioners' confidence before and after (003 SAB1), where the objective names both surveys.
    comparison: object = None
    comparison_rows: list = field(default_factory=list)


def objective_measures(objective: Objective, figures: dict, current: dict | None = None) -> list[MeasureView]:
    codes = dict.fromkeys(a.measure_code for a in objective.actions_list if a.measure_code in figures)
    views = []
    for code in codes:
        result, instead_of = figures[code], ""
        if not result.groups and code in (current or {}):
            result, instead_of = current[code], result.year_label
        views.append(
            MeasureView(
                result=result,
                chart=charts.trend(result),
                table=measure_presenters.table(result),
                chart_id=f"objective-{objective.pk}-{code.lower()}",
                instead_of=instead_of,
            )
        )
    return views


@dataclass
class PriorityView:
    priority: Priority
    rationale: TextBlock
    what_different: TextBlock
    objectives: list[ObjectiveView]
    hidden: int  # actions left out by the filter

    @property
    def shown(self) -> int:
        return sum(len(objective.rows) for objective in self.objectives)


def measure_codes(plan: BusinessPlan) -> list[str]:
    return [
        action.measure_code
        for priority in plan.priorities_list
        for objective in priority.objectives_list
        for action in objective.actions_list
        if action.measure_code
    ]


def plan_view(
    plan: BusinessPlan,
    *,
    today: datetime.date,
    figures: dict,
    attention_only: bool,
    comparisons: dict | None = None,
    current_figures: dict | None = None,
) -> list[PriorityView]:
    """Each priority with its objectives and their action rows; with ``attention_only``, only the
    actions that are overdue or unassured (and the objectives that have one)."""
    views = []
    for priority in plan.priorities_list:
        objectives, hidden = [], 0
        for objective in priority.objectives_list:
            rows = [action_row(action, today=today, figures=figures) for action in objective.actions_list]
            if attention_only:
                kept = [row for row in rows if row.needs_attention]
                hidden += len(rows) - len(kept)
                rows = kept
                if not rows:
                    continue
            comparison = (comparisons or {}).get(objective.pk)
            objectives.append(
                ObjectiveView(
                    objective=objective,
                    rows=rows,
                    measures=objective_measures(objective, figures, current_figures),
                    comparison=comparison,
                    comparison_rows=survey_presenters.comparison_rows(comparison) if comparison else [],
                )
            )
        views.append(
            PriorityView(
                priority=priority,
                rationale=text_block(priority.rationale),
                what_different=text_block(priority.what_different),
                objectives=objectives,
                hidden=hidden,
            )
        )
    return views


def plan_totals(views: list[PriorityView]) -> dict:
    rows = [row for view in views for objective in view.objectives for row in objective.rows]
    return {
        "overdue": sum(row.overdue for row in rows),
        "unassured": sum(row.unassured for row in rows),
    }
