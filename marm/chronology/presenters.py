"""How the chronology reads: the entries as cards, and the timeline drawn as SVG.

The picture is computed here and drawn by the template as inline SVG with
presentation attributes only (the content security policy allows no inline
style and no script). Shape and colour both carry the significance, so the
picture does not depend on colour alone; the list below it holds every entry.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from marm.chronology.models import Significance

# Geometry of the picture, in SVG user units (it scales to the page width).
WIDTH = 960
PLOT_LEFT = 210
PLOT_RIGHT = 940
LEGEND_HEIGHT = 40
LANE_HEIGHT = 44
AXIS_HEIGHT = 34
LABEL_CHARACTERS = 26
LINE_HEIGHT = 16
# Marks closer than this in one lane are moved up or down so that each stays visible.
MARK_SPACING = 13
LEVEL_OFFSETS = (0, -12, 12)

INK = "#0b0c0c"
LANE_SHADE = "#f3f2f1"
GRID = "#b1b4b6"
STYLES = {
    # significance: (fill, tag class, shape)
    Significance.ROUTINE: ("#1d70b8", "govuk-tag--blue", "circle"),
    Significance.SIGNIFICANT: ("#f47738", "govuk-tag--orange", "triangle"),
    Significance.CRITICAL: ("#d4351c", "govuk-tag--red", "diamond"),
}


def _shape_path(shape: str, x: float, y: float) -> str:
    if shape == "triangle":
        return f"M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y + 6:.1f} L{x - 7:.1f},{y + 6:.1f} Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - 8:.1f} L{x + 8:.1f},{y:.1f} L{x:.1f},{y + 8:.1f} L{x - 8:.1f},{y:.1f} Z"
    r = 5.5
    return f"M{x - r:.1f},{y:.1f} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0 Z"


def when(entry) -> str:
    day = f"{entry.occurred_on.day} {entry.occurred_on:%B %Y}"
    return f"{day}, {entry.occurred_at_time:%H:%M}" if entry.occurred_at_time else day


def correction_of(entry):
    """The entry that corrects this one, if any (loaded with select_related)."""
    try:
        return entry.correction
    except ObjectDoesNotExist:
        return None


def significance_tag(significance: str) -> str:
    return STYLES[significance][1]


# The list


@dataclass
class EntryCard:
    entry: object
    when: str
    tag_class: str
    correction: object | None
    corrects: object | None
    case: object | None  # shown only when the user's agency fully sees the case
    can_correct: bool


def cards(entries, *, user, visible_case_ids) -> list[EntryCard]:
    result = []
    for entry in entries:
        correction = correction_of(entry)
        result.append(
            EntryCard(
                entry=entry,
                when=when(entry),
                tag_class=significance_tag(entry.significance),
                correction=correction,
                corrects=entry.supersedes,
                case=entry.case if entry.case_id in visible_case_ids else None,
                can_correct=correction is None and user.has_perm("chronology.correct_entry", entry),
            )
        )
    return result


# The picture


@dataclass
class Mark:
    entry_id: int
    x: float  # the centre of the mark
    y: float
    path: str
    fill: str
    stroke: str
    stroke_width: float
    label: str


@dataclass
class Lane:
    lines: list[tuple[float, str]]  # (y, text) of each line of the agency's name
    name: str
    shortened: bool
    top: float
    middle: float
    shaded: bool
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class LegendItem:
    x: float  # where its label starts
    y: float
    path: str
    fill: str
    stroke: str
    stroke_width: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    lane_height: int
    plot_left: int
    plot_right: int
    plot_top: int
    axis_y: int
    lanes: list[Lane]
    ticks: list[Tick]
    legend: list[LegendItem]
    title: str
    description: str
    mark_count: int


def _moment(entry) -> float:
    """Days since day 1, with the time of day as a fraction (midday when not known)."""
    time = entry.occurred_at_time
    fraction = (time.hour * 60 + time.minute) / 1440 if time else 0.5
    return entry.occurred_on.toordinal() + fraction


def _span(entries) -> tuple[float, float]:
    moments = [_moment(e) for e in entries]
    first, last = min(moments), max(moments)
    if last - first < 28:  # a short chronology still gets a readable scale
        middle = (first + last) / 2
        first, last = middle - 14, middle + 14
    padding = (last - first) * 0.03
    return first - padding, last + padding


def _add_months(date: datetime.date, months: int) -> datetime.date:
    index = date.year * 12 + date.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _ticks(first: float, last: float, x_of) -> list[Tick]:
    start = datetime.date.fromordinal(int(first))
    end = datetime.date.fromordinal(int(last) + 1)
    span = last - first
    ticks = []
    if span <= 70:
        day = start + datetime.timedelta(days=(7 - start.weekday()) % 7)  # Mondays
        while day <= end:
            ticks.append(Tick(round(x_of(day.toordinal()), 1), f"{day.day} {day:%b}"))
            day += datetime.timedelta(days=7)
    else:
        months = span / 30.44
        step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 9), 120)
        day = _add_months(start.replace(day=1), 1)
        while (day.month - 1) % step or (step >= 12 and day.year % (step // 12)):
            day = _add_months(day, 1)
        while day <= end:
            ticks.append(Tick(round(x_of(day.toordinal()), 1), f"{day:%Y}" if step >= 12 else f"{day:%b %Y}"))
            day = _add_months(day, step)
    return [tick for tick in ticks if PLOT_LEFT <= tick.x <= PLOT_RIGHT]


def _label_lines(name: str) -> list[str]:
    """The agency's name on up to two lines, shortened with an ellipsis if it is longer still."""
    lines, line = [], ""
    for word in name.split():
        if line and len(line) + 1 + len(word) > LABEL_CHARACTERS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1].rstrip() + "…" for text in lines]


def _mark_look(significance: str, corrected: bool) -> tuple[str, str, float]:
    colour = STYLES[significance][0]
    # A corrected entry is drawn hollow, in its colour: still there, but replaced.
    return ("#ffffff", colour, 2.0) if corrected else (colour, INK, 1.0)


def _legend() -> list[LegendItem]:
    items = []
    x = PLOT_LEFT
    y = LEGEND_HEIGHT // 2
    for significance in Significance:
        fill, stroke, width = _mark_look(significance, corrected=False)
        shape = STYLES[significance][2]
        items.append(LegendItem(x + 14, y, _shape_path(shape, x, y), fill, stroke, width, significance.label))
        x += 130
    fill, stroke, width = _mark_look(Significance.ROUTINE, corrected=True)
    items.append(LegendItem(x + 14, y, _shape_path("circle", x, y), fill, stroke, width, "Corrected (hollow mark)"))
    return items


def _description(entries, names: dict, agency_ids: list) -> str:
    counts = Counter((e.agency_id, e.significance) for e in entries)
    totals = Counter(e.agency_id for e in entries)
    parts = []
    for pk in agency_ids:
        total = totals[pk]
        detail = ", ".join(f"{counts[pk, s]} {s.label.lower()}" for s in reversed(Significance) if counts[pk, s])
        parts.append(f"{names[pk]}: {total} {'entry' if total == 1 else 'entries'} ({detail})")
    return (
        "One row per agency, time running from left to right. "
        + "; ".join(parts)
        + ". Every entry is listed in full below the picture, newest first."
    )


def timeline(entries) -> Timeline | None:
    """The picture of the entries: one lane per agency, a mark per entry placed by its date."""
    entries = list(entries)
    if not entries:
        return None
    names = {e.agency_id: e.agency.name for e in entries}
    agency_ids = sorted(names, key=lambda pk: (names[pk].casefold(), pk))
    first, last = _span(entries)

    def x_of(moment: float) -> float:
        return PLOT_LEFT + (moment - first) / (last - first) * (PLOT_RIGHT - PLOT_LEFT)

    lanes = {}
    for index, pk in enumerate(agency_ids):
        top = LEGEND_HEIGHT + index * LANE_HEIGHT
        middle = top + LANE_HEIGHT // 2
        lines = _label_lines(names[pk])
        first_y = middle - (len(lines) - 1) * LINE_HEIGHT / 2
        placed = [(first_y + i * LINE_HEIGHT, text) for i, text in enumerate(lines)]
        shortened = " ".join(lines) != names[pk]
        lanes[pk] = Lane(placed, names[pk], shortened, top, middle, index % 2 == 0)
    # Oldest first, so crowded marks are spread from left to right.
    last_x = {pk: [float("-inf")] * len(LEVEL_OFFSETS) for pk in agency_ids}
    for entry in sorted(entries, key=lambda e: (_moment(e), e.pk)):
        lane = lanes[entry.agency_id]
        x = x_of(_moment(entry))
        taken = last_x[entry.agency_id]
        level = next((i for i, at in enumerate(taken) if x - at >= MARK_SPACING), None)
        if level is None:
            level = min(range(len(taken)), key=lambda i: taken[i])
        taken[level] = x
        corrected = correction_of(entry) is not None
        fill, stroke, width = _mark_look(entry.significance, corrected)
        label = (
            f"{when(entry)}, {entry.agency.name}: {entry.get_entry_type_display()}"
            f" ({entry.get_significance_display().lower()}){', corrected' if corrected else ''}"
        )
        shape = STYLES[entry.significance][2]
        x, y = round(x, 1), lane.middle + LEVEL_OFFSETS[level]
        lane.marks.append(Mark(entry.pk, x, y, _shape_path(shape, x, y), fill, stroke, width, label))
    axis_y = LEGEND_HEIGHT + len(agency_ids) * LANE_HEIGHT
    dates = sorted(e.occurred_on for e in entries)
    count = len(entries)
    title = (
        f"Timeline of {count} {'entry' if count == 1 else 'entries'} from {len(agency_ids)} "
        f"{'agency' if len(agency_ids) == 1 else 'agencies'}, "
        f"{dates[0].day} {dates[0]:%B %Y} to {dates[-1].day} {dates[-1]:%B %Y}"
    )
    return Timeline(
        width=WIDTH,
        height=axis_y + AXIS_HEIGHT,
        lane_height=LANE_HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=LEGEND_HEIGHT,
        axis_y=axis_y,
        lanes=list(lanes.values()),
        ticks=_ticks(first, last, x_of),
        legend=_legend(),
        title=title,
        description=_description(entries, names, agency_ids),
        mark_count=count,
    )
