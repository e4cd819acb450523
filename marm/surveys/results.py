"""Working out a survey's results from per-group totals, with small groups kept from view.

Pure functions: the selectors read the totals in a fixed number of queries and
hand them here. A group (an agency, a role) with fewer than MIN_GROUP_SIZE
responses is not shown on its own: it is folded into "Other". If "Other" would
still be smaller than that, the smallest group shown is folded in too, so the
figures of a small group cannot be worked out by taking the groups shown from
the total.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from marm.surveys.vocab import MIN_GROUP_SIZE

TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal place (half up); None of nothing."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The answers of a group to one question: how many, their sum, and how many scored 4 or 5."""

    answers: int = 0
    total: int = 0
    confident: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(self.answers + other.answers, self.total + other.total, self.confident + other.confident)

    @property
    def mean(self) -> Decimal | None:
        if not self.answers:
            return None
        return (Decimal(self.total) / Decimal(self.answers)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    @property
    def confident_share(self) -> Decimal | None:
        """The percentage answering "Fairly confident" or "Very confident", to one decimal place."""
        return percentage(self.confident, self.answers)


@dataclass(frozen=True)
class GroupRow:
    """One agency or role in a question's breakdown, or "Other"."""

    label: str
    responses: int
    figures: Figures | None  # None when the group is not shown on its own
    why_hidden: str = ""
    is_other: bool = False

    @property
    def shown(self) -> bool:
        return self.figures is not None


@dataclass(frozen=True)
class QuestionResult:
    question: object
    overall: Figures | None
    by_agency: list[GroupRow]
    by_role: list[GroupRow]


@dataclass(frozen=True)
class SurveyResults:
    survey: object
    responses: int
    questions: list[QuestionResult]

    @property
    def closed(self) -> bool:
        return self.survey.status == "closed"

    @property
    def shown(self) -> bool:
        # Only once the survey has closed: results that change answer by answer would give each away.
        return self.closed and self.responses >= MIN_GROUP_SIZE


FEWER = "Fewer than 5 responses: included in Other"
PROTECTED = "Included in Other, so that the smaller groups cannot be worked out"
OTHER_FEWER = "Fewer than 5 responses"


def fold(counts: dict) -> tuple[list, list, list]:
    """Split groups {key: responses} into (shown, small, protected) keys.

    ``small`` groups have fewer than MIN_GROUP_SIZE responses; ``protected``
    are large enough but folded into "Other" so that "Other" reaches that size.
    """
    shown = sorted((key for key, n in counts.items() if n >= MIN_GROUP_SIZE), key=lambda key: (counts[key], str(key)))
    small = [key for key, n in counts.items() if n < MIN_GROUP_SIZE]
    protected = []
    while small and shown and sum(counts[key] for key in small + protected) < MIN_GROUP_SIZE:
        protected.append(shown.pop(0))  # the smallest shown group
    return shown, small, protected


def breakdown(*, counts: dict, figures: dict, labels: dict, other_label: str = "Other") -> list[GroupRow]:
    """The rows of one question's breakdown: shown groups by label, hidden ones, then "Other".

    ``counts`` is {key: responses}; ``figures`` {key: Figures} for this question;
    ``labels`` {key: label}.
    """
    shown, small, protected = fold(counts)
    rows = [GroupRow(labels[key], counts[key], figures.get(key, Figures())) for key in shown]
    rows += [GroupRow(labels[key], counts[key], None, PROTECTED) for key in protected]
    rows += [GroupRow(labels[key], counts[key], None, FEWER) for key in small]
    rows.sort(key=lambda row: row.label)
    folded = small + protected
    if folded:
        responses = sum(counts[key] for key in folded)
        merged = sum((figures.get(key, Figures()) for key in folded), Figures())
        if responses >= MIN_GROUP_SIZE:
            rows.append(GroupRow(other_label, responses, merged, is_other=True))
        else:
            rows.append(GroupRow(other_label, responses, None, OTHER_FEWER, is_other=True))
    return rows


def overall(figures: Iterable[Figures]) -> Figures:
    return sum(figures, Figures())


@dataclass(frozen=True)
class Comparison:
    """One question before and after the change, and the change between them."""

    text: str
    before: Figures | None
    after: Figures | None

    @property
    def mean_change(self) -> Decimal | None:
        if self.before is None or self.after is None or self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean

    @property
    def share_change(self) -> Decimal | None:
        """The change in the percentage confident, in percentage points."""
        if self.before is None or self.after is None:
            return None
        if self.before.confident_share is None or self.after.confident_share is None:
            return None
        return self.after.confident_share - self.before.confident_share


@dataclass(frozen=True)
class BeforeAfter:
    baseline: object
    follow_up: object
    baseline_responses: int
    follow_up_responses: int
    rows: list[Comparison]

    @property
    def baseline_shown(self) -> bool:
        return self.baseline.status == "closed" and self.baseline_responses >= MIN_GROUP_SIZE

    @property
    def follow_up_shown(self) -> bool:
        return self.follow_up.status == "closed" and self.follow_up_responses >= MIN_GROUP_SIZE


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def compare(*, baseline_questions, follow_up_questions, before: dict, after: dict, before_shown, after_shown):
    """Pair the questions of two surveys by their wording, in the follow-up's order; a question asked
    in only one of them has no figures on the other side. ``before`` and ``after`` are {question id: Figures}."""
    by_text = {_same(q.text): q for q in baseline_questions}
    rows, used = [], set()
    for question in follow_up_questions:
        earlier = by_text.get(_same(question.text))
        if earlier is not None:
            used.add(earlier.pk)
        rows.append(
            Comparison(
                text=question.text,
                before=before.get(earlier.pk, Figures()) if earlier is not None and before_shown else None,
                after=after.get(question.pk, Figures()) if after_shown else None,
            )
        )
    for question in baseline_questions:
        if question.pk not in used:
            rows.append(
                Comparison(
                    text=question.text, before=before.get(question.pk, Figures()) if before_shown else None, after=None
                )
            )
    return rows
