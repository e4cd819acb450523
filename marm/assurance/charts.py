"""Charts drawn on the server as SVG, each shown beside its data table (ADR 0020).

The GOV.UK Design System has no chart; the Analysis Function's guidance asks for a
simple chart, its data in a table beside it and a download. A drawing here is plain
geometry for the template ``assurance/_chart.html``: no script, no inline style, so
the content security policy stays as it is. The chart is one image with a title and
a description in words; the table carries every figure.
"""

from dataclasses import dataclass, field

from marm.assurance.registry import Chart, Result, quarter_short_label

# GOV.UK colours, in an order where neighbours differ in lightness as well as hue.
PALETTE = (
    "#1d70b8",  # blue
    "#f47738",  # orange
    "#28a197",  # turquoise
    "#4c2c92",  # purple
    "#b58840",  # brown
    "#d4351c",  # red
    "#85994b",  # green
    "#912b88",  # pink
    "#505a5f",  # dark grey
    "#6f72af",  # light purple
)
OTHER_COLOUR = "#b1b4b6"
MAX_SERIES = len(PALETTE)

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
ROW_HEIGHT = 28


@dataclass
class Shape:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str


@dataclass
class Line:
    points: str
    colour: str
    markers: list[tuple[float, float, str]]


@dataclass
class Tick:
    position: float
    text: str


@dataclass
class Drawing:
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    shapes: list[Shape] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    horizontal: bool = False


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if value <= step * 4:
            return step * 4
    return value


def _format(value, measure) -> str:
    if value is None:
        return "no data"
    if measure.is_percent:
        return f"{value:g}%"
    if measure.is_median:
        return f"{value:g} days"
    return f"{value:g}"


def _y_axis(drawing: Drawing, top_value: float, measure) -> callable:
    span = drawing.plot_bottom - drawing.plot_top
    for i in range(5):
        value = top_value * i / 4
        drawing.y_ticks.append(Tick(drawing.plot_bottom - span * i / 4, _format(round(value, 1), measure)))

    def y(value):
        return drawing.plot_bottom - span * (value or 0) / top_value

    return y


def _series(result: Result) -> list[str]:
    """The groups drawn as series: the largest first, the rest together as "Other"."""
    ranked = sorted(result.groups, key=lambda g: -(result.by_group[g].numerator or 0))
    return ranked[: MAX_SERIES - 1] if len(ranked) > MAX_SERIES else ranked


def trend(result: Result) -> Drawing:
    """The year by quarter: bars for counts (stacked by group where the measure says so), a line for
    a percentage or a median."""
    measure = result.measure
    height = 260
    drawing = Drawing(
        title=f"{measure.title}, by quarter, {result.year_label}",
        description="; ".join(
            f"{quarter_short_label(q)}: {_format(result.by_quarter[q].value, measure)}" for q in result.quarters
        ),
        width=WIDTH,
        height=height,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=height - BOTTOM,
    )
    slot = (drawing.plot_right - drawing.plot_left) / len(result.quarters)
    for i, quarter in enumerate(result.quarters):
        drawing.x_ticks.append(Tick(drawing.plot_left + slot * (i + 0.5), quarter_short_label(quarter)))
    values = [result.by_quarter[q].value or 0 for q in result.quarters]
    top = 100 if measure.is_percent else _nice_max(max(values, default=0))
    y = _y_axis(drawing, top, measure)
    if measure.chart == Chart.LINE or measure.is_percent or measure.is_median:
        markers = []
        for i, quarter in enumerate(result.quarters):
            value = result.by_quarter[quarter].value
            if value is not None:
                markers.append((drawing.plot_left + slot * (i + 0.5), y(value), _format(value, measure)))
        points = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _ in markers)
        drawing.lines.append(Line(points=points, colour=PALETTE[0], markers=markers))
        return drawing
    bar_width = slot * 0.6
    if measure.chart == Chart.STACKED and result.groups:
        series = _series(result)
        colours = {group: PALETTE[i] for i, group in enumerate(series)}
        drawing.legend = [(colours[g], g) for g in series]
        if len(series) < len(result.groups):
            drawing.legend.append((OTHER_COLOUR, "Other"))
        for i, quarter in enumerate(result.quarters):
            base = 0.0
            x = drawing.plot_left + slot * i + (slot - bar_width) / 2
            for group in result.groups:
                value = result.cell(quarter, group).numerator or 0
                if not value:
                    continue
                colour = colours.get(group, OTHER_COLOUR)
                drawing.shapes.append(
                    Shape(x, y(base + value), bar_width, y(base) - y(base + value), colour, f"{group}: {value:g}")
                )
                base += value
        return drawing
    for i, quarter in enumerate(result.quarters):
        value = result.by_quarter[quarter].value or 0
        x = drawing.plot_left + slot * i + (slot - bar_width) / 2
        drawing.shapes.append(
            Shape(x, y(value), bar_width, drawing.plot_bottom - y(value), PALETTE[0], _format(value, measure))
        )
    return drawing


def by_group(result: Result) -> Drawing:
    """The year's figure for each group, as horizontal bars (long agency names stay readable)."""
    measure = result.measure
    groups = sorted(result.groups, key=lambda g: -(result.by_group[g].value or 0))
    label_width = 220
    height = TOP + BOTTOM + ROW_HEIGHT * max(len(groups), 1)
    drawing = Drawing(
        title=f"{measure.title}, by {'agency' if measure.grouped_by == 'agency' else measure.grouped_by}, "
        f"{result.year_label}",
        description="; ".join(f"{g}: {_format(result.by_group[g].value, measure)}" for g in groups) or "No data",
        width=WIDTH,
        height=height,
        plot_left=label_width,
        plot_right=WIDTH - 64,
        plot_top=TOP,
        plot_bottom=height - BOTTOM,
        horizontal=True,
    )
    values = [result.by_group[g].value or 0 for g in groups]
    top = 100 if measure.is_percent else _nice_max(max(values, default=0))
    span = drawing.plot_right - drawing.plot_left
    for i in range(5):
        drawing.x_ticks.append(Tick(drawing.plot_left + span * i / 4, _format(round(top * i / 4, 1), measure)))
    for i, group in enumerate(groups):
        value = result.by_group[group].value
        y = TOP + ROW_HEIGHT * i + 4
        drawing.y_ticks.append(Tick(y + (ROW_HEIGHT - 8) / 2, group if len(group) <= 32 else group[:31] + "…"))
        drawing.shapes.append(
            Shape(
                drawing.plot_left,
                y,
                span * (value or 0) / top,
                ROW_HEIGHT - 8,
                PALETTE[0],
                f"{group}: {_format(value, measure)}",
            )
        )
    return drawing
