"""Figures that leave the partnership: small counts suppressed, the rest rounded (the national
Safeguarding Adults Collection's rule: counts of 0 to 4 are suppressed, others rounded to 5)."""

from dataclasses import dataclass

from marm.assurance.registry import Cell, Measure

SUPPRESSED = "[c]"
SUPPRESSION_NOTE = (
    "[c]: fewer than 5, not shown so that no adult can be identified. Other counts are rounded to the nearest 5."
)


def rounded(count) -> str:
    """A count as published: [c] for 0 to 4, otherwise to the nearest 5."""
    if count is None:
        return ""
    if count < 5:
        return SUPPRESSED
    return str(int(5 * round(count / 5)))


@dataclass(frozen=True)
class Published:
    numerator: str
    denominator: str
    value: str


def publish(measure: Measure, cell: Cell) -> Published:
    """One figure as it may be published. A percentage or a median stands only on 5 or more records;
    the percentage is worked out from the unrounded counts, as the national publication does."""
    if measure.is_median:
        count = cell.denominator or 0
        value = SUPPRESSED if count < 5 or cell.numerator is None else f"{cell.numerator:g}"
        return Published("", rounded(count), value)
    if measure.is_percent:
        small = (cell.numerator or 0) < 5 or (cell.denominator or 0) < 5
        value = SUPPRESSED if small or cell.value is None else f"{round(cell.value):d}%"
        return Published(rounded(cell.numerator), rounded(cell.denominator), value)
    return Published(rounded(cell.numerator), "", rounded(cell.numerator))
