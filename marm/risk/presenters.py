"""Display formatting for risk assessments: what changed between versions, and the
risk trajectory chart (an SVG drawn on the server: no script, CSP-safe)."""

from dataclasses import dataclass

from marm.risk import vocab
from marm.risk.services.assessment import OVERVIEW_FIELDS

TAG_CLASS = {
    vocab.RiskLevel.LOW: "govuk-tag--green",
    vocab.RiskLevel.MEDIUM: "govuk-tag--yellow",
    vocab.RiskLevel.HIGH: "govuk-tag--orange",
    vocab.RiskLevel.VERY_HIGH: "govuk-tag--red",
}


def tag_class(level: str | None) -> str:
    return TAG_CLASS.get(level, "govuk-tag--grey")


@dataclass
class AspectCard:
    row: object
    tag_class: str


def aspect_cards(version) -> list[AspectCard]:
    return [AspectCard(row, tag_class(row.level)) for row in version.aspects.all()]


@dataclass
class Change:
    what: str
    before: str
    after: str


def _label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def changes(previous, current) -> list[Change]:
    """What changed from ``previous`` to ``current``: the overview, then each aspect in 000 4.4 order."""
    if previous is None:
        return []
    found = []
    for name in OVERVIEW_FIELDS:
        before, after = getattr(previous, name), getattr(current, name)
        if before != after:
            if name == "overall_level":
                before, after = previous.get_overall_level_display(), current.get_overall_level_display()
            found.append(Change(_label(type(current), name), before or "–", after or "–"))
    earlier = {row.aspect: row for row in previous.aspects.all()}
    for row in current.aspects.all():
        old = earlier.get(row.aspect)
        if old is None:
            continue
        name = row.get_aspect_display()
        if old.level != row.level:
            found.append(Change(f"{name}: level", old.get_level_display(), row.get_level_display()))
        if old.what_is_known != row.what_is_known:
            found.append(Change(f"{name}: what is known", old.what_is_known or "–", row.what_is_known or "–"))
        if old.adult_view != row.adult_view:
            found.append(Change(f"{name}: the adult's view", old.adult_view or "–", row.adult_view or "–"))
    return found


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Trajectory:
    width: int
    height: int
    title: str
    description: str
    bands: list
    columns: list
    overall_path: str
    overall_points: list
    aspect_rows: list


ROW_H = 36
LEFT = 120
COL_W = 110
TOP = 20


def trajectory(versions) -> Trajectory | None:
    """The overall level across versions as a line, and each aspect's level as a row of cells."""
    if not versions:
        return None
    ranks = len(vocab.RiskLevel)
    plot_h = ranks * ROW_H
    # At least four columns wide, so a first version is not drawn at several times its size.
    width = LEFT + COL_W * max(len(versions), 4) + 20
    height = TOP + plot_h + 40

    def y_of(rank):
        return TOP + plot_h - (rank - 0.5) * ROW_H

    bands = [
        {"y": TOP + plot_h - rank * ROW_H, "label": level.label, "mid": y_of(rank), "shaded": rank % 2 == 0}
        for rank, level in enumerate(vocab.RiskLevel, start=1)
    ]
    columns = []
    points = []
    for index, version in enumerate(versions):
        x = LEFT + COL_W * index + COL_W / 2
        label = f"Version {version.number}" + ("" if version.is_agreed else " (draft)")
        columns.append({"x": x, "label": label, "date": version.agreed_on})
        rank = vocab.LEVEL_ORDER.get(version.overall_level)
        if rank:
            level_name = version.get_overall_level_display().lower()
            points.append(Point(x, y_of(rank), f"{label}: overall {level_name}"))
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x:.0f},{p.y:.0f}" for i, p in enumerate(points))
    aspect_rows = []
    for position, aspect in enumerate(vocab.RiskAspect):
        cells = []
        for version in versions:
            row = next((r for r in version.aspects.all() if r.aspect == aspect), None)
            level = row.level if row else None
            cells.append({"level": level, "label": row.get_level_display() if row else "–", "tag": tag_class(level)})
        aspect_rows.append({"position": position + 1, "name": aspect.label, "cells": cells})
    summary = "; ".join(p.label for p in points) or "No overall level set yet"
    return Trajectory(
        width=width,
        height=height,
        title="Overall risk level by version",
        description=summary,
        bands=bands,
        columns=columns,
        overall_path=path,
        overall_points=points,
        aspect_rows=aspect_rows,
    )
