"""Reads for non-engagement, escalation and closure. The case is always read first through
case_get_for_user (scoped and audited); the records under it through visible_to(user)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.dateformat import format as format_date

from marm.access.guard import fetch_for_user
from marm.cases.models import Case
from marm.closure import vocab
from marm.closure.guard import (
    Guarded,
    GuardResult,
    NotEngagedSince,
    agencies_in_contact,
    non_engagement_guard,
    not_engaged_since_agreement,
    why_guarded,
)
from marm.closure.models import (
    CaseClosure,
    EngagementAttempt,
    NonEngagementFlag,
    ReflectiveReview,
    S42Referral,
    SupportProvider,
)
from marm.decisions.models import LegislationReference
from marm.plans.models import Action
from marm.plans.vocab import ActionSource


@dataclass
class EngagementPage:
    attempts: list[EngagementAttempt]
    not_engaged_count: int
    flag: NonEngagementFlag | None
    past_flags: list[NonEngagementFlag]
    reflections: list[ReflectiveReview]
    next_step_actions: list[Action]

    @property
    def suggest_flag(self) -> bool:
        """The latest attempts all failed and nobody has flagged the case yet."""
        latest = self.attempts[: vocab.PROMPT_AFTER_MISSED]
        return (
            self.flag is None
            and len(latest) == vocab.PROMPT_AFTER_MISSED
            and all(attempt.not_engaged for attempt in latest)
        )


def engagement_for_case(*, user, case: Case) -> EngagementPage:
    """The engagement log, the flag and the reflections this user may read, in fixed queries."""
    attempts = list(EngagementAttempt.objects.of_case(user, case).select_related("made_by", "agency"))
    flags = list(NonEngagementFlag.objects.of_case(user, case).select_related("raised_by", "lifted_by"))
    current = next((flag for flag in flags if flag.lifted_at is None), None)
    return EngagementPage(
        attempts=attempts,
        not_engaged_count=sum(1 for attempt in attempts if attempt.not_engaged),
        flag=current,
        past_flags=[flag for flag in flags if flag is not current],
        reflections=list(ReflectiveReview.objects.of_case(user, case).select_related("author", "author_agency")),
        # 002 next steps, as actions on the plan: every agency in the case sees them.
        next_step_actions=list(
            Action.objects.of_case(user, case)
            .filter(source=ActionSource.NON_ENGAGEMENT)
            .select_related("lead_user", "agency")
            .order_by("due_date", "pk")
        ),
    )


def reflection_get_for_user(*, user, case: Case, reflection_id) -> ReflectiveReview:
    """One reflective review, or a 404 for anyone but its author and their agency's managers and
    supervisors. A refused read of a review that exists is audited."""
    return fetch_for_user(
        user=user,
        model=ReflectiveReview,
        pk=reflection_id,
        queryset=ReflectiveReview.objects.filter(case=case).select_related("author", "author_agency", "case"),
        not_found="No such reflective review",
    )


@dataclass
class ClosurePage:
    guard: GuardResult
    flagged: bool
    # Attempts that failed since the latest agreed risk assessment: the guard applies whatever the reason.
    not_engaged: NotEngagedSince
    providers: list[SupportProvider]
    closures: list[CaseClosure]


def closure_for_case(*, user, case: Case) -> ClosurePage:
    guard = non_engagement_guard(case)
    return ClosurePage(
        guard=guard,
        flagged=NonEngagementFlag.objects.of_case(user, case).filter(lifted_at__isnull=True).exists(),
        not_engaged=not_engaged_since_agreement(case, guard.risk_assessment),
        providers=list(SupportProvider.objects.of_case(user, case).select_related("agency")),
        closures=list(
            CaseClosure.objects.of_case(user, case)
            .select_related("signed_off_by", "handover_agency")
            .prefetch_related(
                Prefetch("risk_outcomes", to_attr="risk_outcomes_list"),
                Prefetch("support_agreed_by", to_attr="support_agreed_by_list"),
            )
        ),
    )


def not_engaged_for_closure(*, case: Case) -> NotEngagedSince | None:
    """For the closure form (the case is already read): the failed attempts that bring the guard
    to a closure for any reason, when the manager may instead say why non-engagement does not
    apply. None when there are none, or when the case is flagged (the flag is lifted instead)."""
    guarded, not_engaged = why_guarded(case, reason="")
    return not_engaged if guarded is Guarded.NOT_ENGAGED else None


def agencies_to_check(*, case: Case):
    """The agencies a check may be recorded with (the case is already read)."""
    return [item.agency for item in agencies_in_contact(case)]


def referrals_for_case(*, user, case: Case) -> list[S42Referral]:
    return list(S42Referral.objects.of_case(user, case).select_related("referred_by", "outcome__recorded_by"))


def pending_referral(case: Case) -> S42Referral | None:
    """The referral of a case the caller has read that still waits for the local authority's decision."""
    return S42Referral.objects.filter(case=case, outcome__isnull=True).first()


def pending_referral_for_user(*, user, case: Case, referral_id) -> S42Referral:
    return fetch_for_user(
        user=user,
        model=S42Referral,
        pk=referral_id,
        queryset=S42Referral.objects.filter(case=case, outcome__isnull=True),
        audit_view=False,
        not_found="No referral waiting for a decision",
    )


@dataclass
class CasePanel:
    """What the case page shows of this app: the flag, the s42 status, the latest closure."""

    flag: NonEngagementFlag | None
    referral: S42Referral | None
    not_engaged_count: int
    last_closure: CaseClosure | None = None

    @property
    def s42_status(self) -> str:
        if self.referral is None:
            return ""
        outcome = getattr(self.referral, "outcome", None)
        if outcome is None:
            referred_on = format_date(self.referral.referred_on, "j F Y")
            return f"Referred on {referred_on}: waiting for the local authority's decision"
        return f"{outcome.get_outcome_display()} ({format_date(outcome.decided_on, 'j F Y')})"

    @property
    def marm_work(self) -> str:
        if self.referral is None:
            return ""
        return vocab.MarmWork(self.referral.marm_work).label


def case_panel(*, user, case: Case) -> CasePanel:
    """For the case page, which has read the case with full access."""
    return CasePanel(
        flag=NonEngagementFlag.objects.of_case(user, case).filter(lifted_at__isnull=True).first(),
        referral=S42Referral.objects.of_case(user, case).select_related("outcome").first(),
        not_engaged_count=EngagementAttempt.objects.of_case(user, case).filter(outcome__in=vocab.NOT_ENGAGED).count(),
        # 000 6.2: a reopened case shows that it was closed before, and links to the closure.
        last_closure=CaseClosure.objects.of_case(user, case).select_related("signed_off_by").first(),
    )


def agencies_for_closure(*, case: Case):
    """The lead agency and every agency in contact: those that may agree support or take the handover."""
    return [case.lead_agency, *agencies_to_check(case=case)]


def default_closure_legislation():
    """000 6.2 closes on the adult's wellbeing and safety: the Care Act 2014 s1 duty is offered ticked."""
    return list(LegislationReference.objects.filter(code="care-act-2014-s1", is_active=True))


def decided_referral_for_user(*, user, case: Case, referral_id) -> S42Referral:
    return fetch_for_user(
        user=user,
        model=S42Referral,
        pk=referral_id,
        queryset=S42Referral.objects.filter(case=case, outcome__isnull=False),
        audit_view=False,
        not_found="No decided referral",
    )
