"""How a review's plan reads: RAG tags with words, counts by organisation and by theme."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from marm.sar.selectors import rag_count_name
from marm.sar.vocab import RAG_ORDER, TAG_CLASS, Rag, RecommendationResponse, ReviewStatus


def tag_class(rag: str) -> str:
    return TAG_CLASS.get(rag, "govuk-tag--grey")


def status_tag(review) -> str:
    return "govuk-tag--grey" if review.status == ReviewStatus.CONCLUDED else "govuk-tag--blue"


def response_tag(recommendation) -> str:
    return {
        RecommendationResponse.ACCEPTED: "govuk-tag--green",
        RecommendationResponse.NOT_ACCEPTED: "govuk-tag--red",
    }.get(recommendation.response, "govuk-tag--yellow")


@dataclass
class RagCount:
    rag: str
    label: str
    tag_class: str
    number: int


@dataclass
class RagCounts:
    """Progress entries counted by RAG, most urgent first."""

    items: list[RagCount]
    total: int

    @property
    def complete(self) -> int:
        return next(item.number for item in self.items if item.rag == Rag.COMPLETE)

    @property
    def shown(self) -> list[RagCount]:
        return [item for item in self.items if item.number]


def rag_counts(counter) -> RagCounts:
    labels = dict(Rag.choices)
    items = [RagCount(rag, labels[rag], tag_class(rag), counter.get(rag, 0)) for rag in RAG_ORDER]
    return RagCounts(items=items, total=sum(item.number for item in items))


@dataclass
class ReviewRow:
    review: object
    counts: RagCounts

    @property
    def status_tag(self) -> str:
        return status_tag(self.review)


def review_rows(reviews) -> list[ReviewRow]:
    """The reviews list: each review with its progress entries counted (annotated by reviews_for)."""
    return [
        ReviewRow(review, rag_counts({rag: getattr(review, rag_count_name(rag)) for rag in Rag.values}))
        for review in reviews
    ]


@dataclass
class EntryRow:
    progress: object
    tag_class: str
    can_update: bool


@dataclass
class ActionBlock:
    action: object
    entries: list[EntryRow]
    # Every participating organisation reports it complete, with evidence.
    ready: bool
    can_sign_off: bool


@dataclass
class RecommendationBlock:
    recommendation: object
    actions: list[ActionBlock]

    @property
    def response_tag(self) -> str:
        return response_tag(self.recommendation)

    @property
    def takes_actions(self) -> bool:
        return self.recommendation.response != RecommendationResponse.NOT_ACCEPTED


@dataclass
class ThemeBlock:
    theme: object
    recommendations: list[RecommendationBlock]
    counts: RagCounts


@dataclass
class OrganisationRow:
    organisation: object
    counts: RagCounts
    plans: list = field(default_factory=list)


@dataclass
class PlanPage:
    themes: list[ThemeBlock]
    organisations: list[OrganisationRow]
    counts: RagCounts

    @property
    def rag_headers(self) -> list[str]:
        return [item.label for item in self.counts.items]

    @property
    def has_plans(self) -> bool:
        return any(row.plans for row in self.organisations)

    @property
    def organisation_table(self) -> list[tuple[str, str, RagCounts]]:
        """Progress by organisation: each with its nominated contact and its entries counted by RAG."""
        return [
            (
                row.organisation.agency.name,
                f"Contact: {row.organisation.contact.full_name}" if row.organisation.contact else "No contact named",
                row.counts,
            )
            for row in self.organisations
        ]

    @property
    def theme_table(self) -> list[tuple[str, str, RagCounts]]:
        return [(block.theme.title, "", block.counts) for block in self.themes]


def plan_page(plan, *, may_update: Callable[[object], bool], may_sign_off: bool) -> PlanPage:
    """The review page from what review_plan read: no further queries."""
    by_organisation: dict[int, Counter] = {organisation.pk: Counter() for organisation in plan.organisations}
    overall = Counter()
    themes = []
    for theme in plan.themes:
        theme_counter = Counter()
        recommendations = []
        for recommendation in theme.recommendations_list:
            actions = []
            for action in recommendation.actions_list:
                entries = []
                for progress in action.progress_list:
                    theme_counter[progress.rag] += 1
                    overall[progress.rag] += 1
                    by_organisation.setdefault(progress.review_organisation_id, Counter())[progress.rag] += 1
                    entries.append(
                        EntryRow(
                            progress=progress,
                            tag_class=tag_class(progress.rag),
                            can_update=not action.is_signed_off and may_update(progress),
                        )
                    )
                ready = bool(entries) and all(entry.progress.is_complete_with_evidence for entry in entries)
                actions.append(
                    ActionBlock(
                        action=action,
                        entries=entries,
                        ready=ready,
                        can_sign_off=may_sign_off and not action.is_signed_off,
                    )
                )
            recommendations.append(RecommendationBlock(recommendation=recommendation, actions=actions))
        themes.append(ThemeBlock(theme=theme, recommendations=recommendations, counts=rag_counts(theme_counter)))
    organisations = [
        OrganisationRow(
            organisation=organisation,
            counts=rag_counts(by_organisation[organisation.pk]),
            plans=organisation.plans_list,
        )
        for organisation in plan.organisations
    ]
    return PlanPage(themes=themes, organisations=organisations, counts=rag_counts(overall))
