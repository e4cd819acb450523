"""The measures, each computed from marm's own records (anchors: what boards report).

Every compute function takes a ``Window`` and returns ``Fact`` rows grouped by
quarter and group in the database (one query, or one per quarter for a
snapshot), so its cost does not grow with the number of queries. Filters by
agency and by review theme are applied the same way everywhere (``_scope``).
"""

import datetime

from django.db import models
from django.db.models import Case as Choose
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from marm.assurance.registry import Chart, Fact, Measure, Unit, Window, register_measure
from marm.cases.lifecycle import CaseStatus
from marm.cases.models import Case, CaseTransition, Screening
from marm.cases.vocab import OtherProcess, ScreeningOutcome
from marm.closure.models import AgencyCheck, CaseClosure
from marm.closure.vocab import ClosureReason
from marm.meetings.models import Invitation, Meeting
from marm.meetings.vocab import AttendanceStatus, MeetingKind
from marm.plans.models import Action, ActionUpdate
from marm.plans.vocab import ActionStatus
from marm.risk.models import CapacityAssessment, RiskAssessmentVersion
from marm.risk.vocab import LEVEL_ORDER, CapacityFinding, VersionStatus
from marm.sharing.models import SharingBasis, SharingDecision

ENDED = (CaseStatus.CLOSED, CaseStatus.ROUTED)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def _scope(queryset, window: Window, *, on: str, agency: str, case: str, is_date: bool = False):
    """Records dated in the window (``on``), of the window's agency (``agency``) and theme (through ``case``)."""
    start, end = (window.start, window.end) if is_date else (_moment(window.start), _moment(window.end))
    queryset = queryset.filter(**{f"{on}__gte": start, f"{on}__lt": end})
    if window.agency_id:
        queryset = queryset.filter(**{agency: window.agency_id})
    if window.theme:
        queryset = queryset.filter(**{f"{case}themes__theme": window.theme})
    return queryset


def _facts(rows, group_key: str, labels: dict | None = None) -> list[Fact]:
    facts = []
    for row in rows:
        group = row[group_key]
        group = (labels or {}).get(group, group) if group is not None else "Not recorded"
        facts.append(Fact(_as_date(row["quarter"]), str(group), row["n"], row.get("d")))
    return facts


def _is_date(model, path: str) -> bool:
    """Whether ``path`` from ``model`` ends at a date (not a date and time)."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return not isinstance(field, models.DateTimeField)


def _quarter(window: Window, on: str, is_date: bool):
    """The quarter a record falls in, as plain comparisons with the window's quarter bounds: the
    database compares dates with its index, where a truncating function would run on every row."""
    bounds, quarter = [], window.start
    while quarter < window.end:
        following = datetime.date(quarter.year + (quarter.month + 3 > 12), (quarter.month + 2) % 12 + 1, 1)
        bounds.append((quarter, following))
        quarter = following
    whens = [
        When(**{f"{on}__lt": following if is_date else _moment(following)}, then=Value(start))
        for start, following in bounds
    ]
    return Choose(*whens, default=Value(None), output_field=models.DateField())


def _grouped(
    window: Window, queryset, *, on: str, group: str, numerator=None, denominator=None, labels=None
) -> list[Fact]:
    aggregates = {"n": numerator if numerator is not None else Count("pk", distinct=True)}
    if denominator is not None:
        aggregates["d"] = denominator
    quarter = _quarter(window, on, _is_date(queryset.model, on))
    rows = queryset.annotate(quarter=quarter).values("quarter", group).annotate(**aggregates).order_by()
    return _facts(rows, group, labels)


# --- Flow: concerns, screening, time to the first meeting, re-referrals, long-open cases --------


def concerns_by_agency(window: Window) -> list[Fact]:
    cases = _scope(Case.objects.all(), window, on="raised_at", agency="lead_agency_id", case="")
    return _grouped(window, cases, on="raised_at", group="lead_agency__name")


ROUTE_LABELS = {
    "marm": "Accepted into MARM",
    OtherProcess.S42: "Section 42 enquiry",
    OtherProcess.MARAC: "MARAC",
    OtherProcess.MAPPA: "MAPPA",
    OtherProcess.CHANNEL: "Channel",
    OtherProcess.CPA: "Care Programme Approach",
    "other": "Another process",
    "nfa": "No further action",
}


def routing_split(window: Window) -> list[Fact]:
    named = [OtherProcess.S42, OtherProcess.MARAC, OtherProcess.MAPPA, OtherProcess.CHANNEL, OtherProcess.CPA]
    route = Choose(
        When(outcome=ScreeningOutcome.ACCEPT, then=Value("marm")),
        When(outcome=ScreeningOutcome.NO_FURTHER_ACTION, then=Value("nfa")),
        *[When(better_process=process, then=Value(str(process))) for process in named],
        default=Value("other"),
    )
    screenings = _scope(
        Screening.objects.annotate(route=route), window, on="screened_at", agency="case__lead_agency_id", case="case__"
    )
    return _grouped(window, screenings, on="screened_at", group="route", labels=ROUTE_LABELS)


def _days_facts(rows) -> list[Fact]:
    """One fact per record: the days from its start to its end, in its end's quarter."""
    facts = []
    for start, end, group in rows:
        start_day, end_day = _local_date(start), _local_date(end)
        quarter_month = 3 * ((end_day.month - 1) // 3) + 1
        facts.append(Fact(datetime.date(end_day.year, quarter_month, 1), group, (end_day - start_day).days))
    return facts


def days_to_screening(window: Window) -> list[Fact]:
    earlier = Screening.objects.filter(case=OuterRef("case"), screened_at__lt=OuterRef("screened_at"))
    first = Screening.objects.annotate(was_earlier=Exists(earlier)).filter(was_earlier=False)
    first = _scope(first, window, on="screened_at", agency="case__lead_agency_id", case="case__")
    return _days_facts(first.values_list("case__raised_at", "screened_at", "case__lead_agency__name"))


def _held(meetings):
    return meetings.filter(finished_at__isnull=False, cancelled_at__isnull=True)


def days_to_planning_meeting(window: Window) -> list[Fact]:
    planning = _held(Meeting.objects.filter(kind=MeetingKind.PLANNING))
    earlier = planning.filter(case=OuterRef("case"), starts_at__lt=OuterRef("starts_at"))
    first = planning.annotate(was_earlier=Exists(earlier)).filter(was_earlier=False)
    first = _scope(first, window, on="starts_at", agency="case__lead_agency_id", case="case__")
    return _days_facts(first.values_list("case__raised_at", "starts_at", "case__lead_agency__name"))


def re_referrals(window: Window) -> list[Fact]:
    ended_before = CaseTransition.objects.filter(
        case__person=OuterRef("person"),
        to_status__in=ENDED,
        created_at__lt=OuterRef("raised_at"),
        created_at__gte=OuterRef("year_before"),
    ).exclude(case=OuterRef("pk"))
    cases = Case.objects.annotate(year_before=F("raised_at") - datetime.timedelta(days=365))
    cases = _scope(
        cases.annotate(re_referral=Exists(ended_before)), window, on="raised_at", agency="lead_agency_id", case=""
    )
    return _grouped(
        window,
        cases,
        on="raised_at",
        group="lead_agency__name",
        numerator=Count("pk", filter=Q(re_referral=True), distinct=True),
        denominator=Count("pk", distinct=True),
    )


def open_over_a_year(window: Window) -> list[Fact]:
    """A snapshot at the end of each quarter that has begun (today, for the quarter now running), in
    one pass over the transitions that open, end and reopen cases.

    The lifecycle (``marm/cases/lifecycle.py``) starts every case with a transition from nothing,
    ends it by routing or closing, and leaves an ended case only by reopening it, so ends and
    reopenings alternate. At a moment, a case is therefore open exactly when (its first transition
    before it) - (its ends before it) + (its reopenings before it) is 1, and 0 otherwise: summing
    that over a group's cases counts its open cases, with no subquery per case or per quarter.
    A case with no transition before the moment had not been raised in marm's records yet."""
    today = timezone.localdate()
    moments = []
    quarter = window.start
    while quarter < window.end and quarter <= today:
        following = datetime.date(quarter.year + (quarter.month + 3 > 12), (quarter.month + 2) % 12 + 1, 1)
        moments.append((quarter, _moment(min(following, today + datetime.timedelta(days=1)))))
        quarter = following
    if not moments:
        return []
    year = datetime.timedelta(days=365)
    facts = []
    if moments[-1][1] > timezone.now():
        # The quarter now running: its snapshot is now, which is each case's status as the transition
        # service keeps it (from its latest transition), one grouped count over the cases.
        quarter, moment = moments.pop()
        cases = Case.objects.filter(raised_at__lt=moment - year).exclude(status__in=ENDED)
        if window.agency_id:
            cases = cases.filter(lead_agency_id=window.agency_id)
        if window.theme:
            cases = cases.filter(themes__theme=window.theme)
        for row in cases.values("lead_agency__name").annotate(n=Count("pk")).order_by():
            facts.append(Fact(quarter, row["lead_agency__name"], row["n"]))
        if not moments:
            return facts
    last = moments[-1][1]
    weight = (
        Choose(When(from_status="", then=Value(1)), default=Value(0))
        - Choose(When(to_status__in=ENDED, then=Value(1)), default=Value(0))
        + Choose(When(to_status=CaseStatus.REOPENED, then=Value(1)), default=Value(0))
    )
    transitions = CaseTransition.objects.filter(
        Q(from_status="") | Q(to_status__in=[*ENDED, CaseStatus.REOPENED]),
        created_at__lt=last,
        case__raised_at__lt=last - year,
    )
    if window.agency_id:
        transitions = transitions.filter(case__lead_agency_id=window.agency_id)
    if window.theme:
        transitions = transitions.filter(case__themes__theme=window.theme)  # a theme once per case
    snapshots = {
        f"open_{number}": Sum(weight, filter=Q(created_at__lt=moment, case__raised_at__lt=moment - year))
        for number, (_, moment) in enumerate(moments)
    }
    for row in transitions.values("case__lead_agency__name").annotate(**snapshots).order_by():
        for number, (quarter, _) in enumerate(moments):
            if row[f"open_{number}"]:
                facts.append(Fact(quarter, row["case__lead_agency__name"], row[f"open_{number}"]))
    return facts


# --- Meetings: attendance, the adult's voice, advocacy ----------------------------------------------


def attendance_by_agency(window: Window) -> list[Fact]:
    # Agencies only: the adult, their family and people from organisations outside marm are not agencies.
    # The invitations are found from the meetings held in the window (through the index on the meeting),
    # not by reading every invitation: a quarter's meetings are a small part of them all.
    every_agency = Window(window.start, window.end, None, window.theme)  # the agency cut is the invited agency's
    held = _scope(_held(Meeting.objects.all()), every_agency, on="starts_at", agency="", case="case__")
    invitations = Invitation.objects.filter(meeting__in=held.values("pk"), agency__isnull=False)
    if window.agency_id:
        invitations = invitations.filter(agency_id=window.agency_id)
    return _grouped(
        window,
        invitations,
        on="meeting__starts_at",
        group="agency__name",
        numerator=Count("meeting", filter=Q(attendance__status=AttendanceStatus.ATTENDED), distinct=True),
        denominator=Count("meeting", distinct=True),
    )


def _meetings_held(window: Window):
    return _scope(_held(Meeting.objects.all()), window, on="starts_at", agency="case__lead_agency_id", case="case__")


def adult_voice_recorded(window: Window) -> list[Fact]:
    heard = Q(adult__attended=True) | (Q(adult__isnull=False) & ~Q(adult__views=""))
    return _grouped(
        window,
        _meetings_held(window),
        on="starts_at",
        group="case__lead_agency__name",
        numerator=Count("pk", filter=heard, distinct=True),
        denominator=Count("pk", distinct=True),
    )


def adult_present(window: Window) -> list[Fact]:
    return _grouped(
        window,
        _meetings_held(window),
        on="starts_at",
        group="case__lead_agency__name",
        numerator=Count("pk", filter=Q(adult__attended=True), distinct=True),
        denominator=Count("pk", distinct=True),
    )


def advocacy_where_capacity_lacking(window: Window) -> list[Fact]:
    lacks = CapacityAssessment.objects.filter(
        case=OuterRef("case"), outcome=CapacityFinding.LACKS, assessed_on__lte=OuterRef("held_on")
    )
    meetings = _meetings_held(window).annotate(held_on=TruncDate("starts_at"))
    meetings = meetings.annotate(capacity_lacking=Exists(lacks)).filter(capacity_lacking=True)
    return _grouped(
        window,
        meetings,
        on="starts_at",
        group="case__lead_agency__name",
        numerator=Count("pk", filter=Q(adult__advocate_offered=True), distinct=True),
        denominator=Count("pk", distinct=True),
    )


# --- The plan: actions on time ----------------------------------------------------------------------


def _actions_due(window: Window):
    """Actions due in the window, up to yesterday: an action not yet due cannot be late."""
    done_on = (
        ActionUpdate.objects.filter(action=OuterRef("pk"), status=ActionStatus.DONE)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    cut = Window(window.start, min(window.end, timezone.localdate()), window.agency_id, window.theme)
    actions = _scope(Action.objects.all(), cut, on="due_date", agency="agency_id", case="case__", is_date=True)
    return actions.annotate(done_at=Subquery(done_on), done_on=TruncDate("done_at"))


def actions_on_time(window: Window) -> list[Fact]:
    actions = _actions_due(window).exclude(status=ActionStatus.NOT_POSSIBLE)
    on_time = Q(status=ActionStatus.DONE, done_on__lte=F("due_date"))
    return _grouped(
        window,
        actions,
        on="due_date",
        group="agency__name",
        numerator=Count("pk", filter=on_time, distinct=True),
        denominator=Count("pk", distinct=True),
    )


ACTION_OUTCOMES = {
    "on_time": "Done by the due date",
    "late": "Done late",
    ActionStatus.NOT_POSSIBLE: "Not possible: circumstances changed",
    ActionStatus.AGENCY_DID_NOT_ACT: "Not done: the agency did not act",
    "overdue": "Still open and overdue",
}


def action_outcomes(window: Window) -> list[Fact]:
    outcome = Choose(
        When(status=ActionStatus.DONE, done_on__lte=F("due_date"), then=Value("on_time")),
        When(status=ActionStatus.DONE, then=Value("late")),
        When(status=ActionStatus.NOT_POSSIBLE, then=Value(str(ActionStatus.NOT_POSSIBLE))),
        When(status=ActionStatus.AGENCY_DID_NOT_ACT, then=Value(str(ActionStatus.AGENCY_DID_NOT_ACT))),
        default=Value("overdue"),
    )
    return _grouped(
        window, _actions_due(window).annotate(outcome=outcome), on="due_date", group="outcome", labels=ACTION_OUTCOMES
    )


# --- Sharing ----------------------------------------------------------------------------------------


def _shares(window: Window):
    return _scope(SharingDecision.objects.all(), window, on="decided_at", agency="decided_by__agency_id", case="case__")


def shares_without_consent(window: Window) -> list[Fact]:
    return _grouped(
        window,
        _shares(window),
        on="decided_at",
        group="decided_by__agency__name",
        numerator=Count("pk", filter=~Q(basis=SharingBasis.CONSENT), distinct=True),
        denominator=Count("pk", distinct=True),
    )


def grounds_without_consent(window: Window) -> list[Fact]:
    shares = _shares(window).exclude(basis=SharingBasis.CONSENT)
    return _grouped(window, shares, on="decided_at", group="basis", labels=dict(SharingBasis.choices))


# --- Outcomes at closure ----------------------------------------------------------------------------


def _closures(window: Window):
    return _scope(CaseClosure.objects.all(), window, on="signed_off_at", agency="case__lead_agency_id", case="case__")


RISK_CHANGE = {
    "lower": "Lower at closure than at the start",
    "same": "The same",
    "higher": "Higher at closure than at the start",
    "once": "Assessed once only",
    "none": "No agreed risk assessment",
}


def risk_at_closure(window: Window) -> list[Fact]:
    agreed = RiskAssessmentVersion.objects.filter(
        assessment__case=OuterRef("case"), status=VersionStatus.AGREED, agreed_at__lte=OuterRef("signed_off_at")
    )
    closures = _closures(window).annotate(
        first_level=Subquery(agreed.order_by("number").values("overall_level")[:1]),
        last_level=Subquery(agreed.order_by("-number").values("overall_level")[:1]),
        agreed_count=Coalesce(
            Subquery(agreed.order_by().values("assessment__case").annotate(n=Count("pk")).values("n")[:1]),
            0,
        ),
    )
    facts = []
    for signed_off_at, first, last, count in closures.values_list(
        "signed_off_at", "first_level", "last_level", "agreed_count"
    ):
        if not count:
            change = "none"
        elif count == 1:
            change = "once"
        else:
            start, end = LEVEL_ORDER.get(first, 0), LEVEL_ORDER.get(last, 0)
            change = "lower" if end < start else "higher" if end > start else "same"
        day = _local_date(signed_off_at)
        facts.append(Fact(datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), RISK_CHANGE[change], 1))
    return facts


CLOSURE_REASONS = {
    ClosureReason.RISKS_MANAGED: "Risks resolved or managed to an acceptable level",
    ClosureReason.NON_ENGAGEMENT: "The adult or family not engaging",
}


def closure_reasons(window: Window) -> list[Fact]:
    return _grouped(window, _closures(window), on="signed_off_at", group="reason", labels=CLOSURE_REASONS)


def non_engagement_guard(window: Window) -> list[Fact]:
    assessed = RiskAssessmentVersion.objects.filter(
        assessment__case=OuterRef("case"), status=VersionStatus.AGREED, agreed_at__lte=OuterRef("signed_off_at")
    )
    checked = AgencyCheck.objects.filter(case=OuterRef("case"), recorded_at__lte=OuterRef("signed_off_at"))
    closures = _closures(window).filter(reason=ClosureReason.NON_ENGAGEMENT)
    closures = closures.annotate(assessed=Exists(assessed), checked=Exists(checked))
    return _grouped(
        window,
        closures,
        on="signed_off_at",
        group="case__lead_agency__name",
        numerator=Count("pk", filter=Q(assessed=True, checked=True), distinct=True),
        denominator=Count("pk", distinct=True),
    )


# --- The registry -----------------------------------------------------------------------------------

AGENCY = "agency"

register_measure(
    Measure(
        code="FLOW1",
        title="Concerns raised, by the agency that raised them",
        definition="How many concerns each agency raised about adults at risk.",
        numerator="Concerns raised",
        denominator="",
        date_basis="The date the concern was raised",
        unit=Unit.COUNT,
        chart=Chart.STACKED,
        grouped_by=AGENCY,
        compute=concerns_by_agency,
        answers="Where concerns come from, and which agencies raise few.",
    )
)
register_measure(
    Measure(
        code="FLOW2",
        title="Where concerns went after screening",
        definition=(
            "Each screening decision: accepted into MARM, routed to another process (section 42 enquiry, "
            "MARAC, MAPPA, Channel, the Care Programme Approach or another), or no further action."
        ),
        numerator="Screening decisions with that outcome",
        denominator="",
        date_basis="The date of the screening",
        unit=Unit.COUNT,
        chart=Chart.STACKED,
        grouped_by="route",
        compute=routing_split,
        answers="The routing split and how many concerns become MARM cases.",
    )
)
register_measure(
    Measure(
        code="FLOW3",
        title="Days from the concern to its screening",
        definition="The median number of days from a concern being raised to its first screening.",
        numerator="The median of the days from concern to first screening",
        denominator="Concerns screened for the first time",
        date_basis="The date of the first screening",
        unit=Unit.MEDIAN_DAYS,
        chart=Chart.LINE,
        grouped_by=AGENCY,
        compute=days_to_screening,
        answers="Whether concerns wait for a decision.",
    )
)
register_measure(
    Measure(
        code="FLOW4",
        title="Days from the concern to the first planning meeting",
        definition="The median number of days from a concern being raised to the first planning meeting held.",
        numerator="The median of the days from concern to the first planning meeting",
        denominator="Cases whose first planning meeting was held",
        date_basis="The date of the first planning meeting",
        unit=Unit.MEDIAN_DAYS,
        chart=Chart.LINE,
        grouped_by=AGENCY,
        compute=days_to_planning_meeting,
        answers="How long an adult at risk waits for the agencies to meet.",
    )
)
register_measure(
    Measure(
        code="FLOW5",
        title="Re-referrals within 12 months",
        definition=(
            "Concerns about an adult whose earlier case was closed or routed elsewhere in the 12 months "
            "before the new concern."
        ),
        numerator="Concerns about an adult whose earlier case ended in the 12 months before",
        denominator="Concerns raised",
        date_basis="The date the new concern was raised",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=re_referrals,
        answers="Whether cases are closed before the risk is managed.",
    )
)
register_measure(
    Measure(
        code="FLOW6",
        title="Cases open for more than 12 months",
        definition="Cases still open at the end of the quarter whose concern was raised more than 12 months before.",
        numerator="Open cases raised more than 12 months before the quarter's end",
        denominator="",
        date_basis="The last day of each quarter (or today, for the quarter now running)",
        unit=Unit.COUNT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=open_over_a_year,
        answers="Cases that drift.",
    )
)
register_measure(
    Measure(
        code="MEET1",
        title="Agencies attending the meetings they were invited to",
        definition=(
            "For each planning and review meeting held, each agency invited, and whether anyone from it attended. "
            "Apologies, information sent instead and not attending all count as not attended."
        ),
        numerator="Meetings an agency was invited to and attended",
        denominator="Meetings the agency was invited to",
        date_basis="The date of the meeting",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=attendance_by_agency,
        answers="Gaps in attendance at multi-agency meetings (the board's first priority).",
    )
)
register_measure(
    Measure(
        code="MEET2",
        title="Meetings where the adult's voice was heard",
        definition="Meetings held where the adult attended or their views were recorded.",
        numerator="Meetings where the adult attended or their views are recorded",
        denominator="Meetings held",
        date_basis="The date of the meeting",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=adult_voice_recorded,
        answers="Whether the adult's own voice is present in meetings.",
    )
)
register_measure(
    Measure(
        code="MEET3",
        title="Meetings the adult attended",
        definition="Meetings held that the adult attended.",
        numerator="Meetings the adult attended",
        denominator="Meetings held",
        date_basis="The date of the meeting",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=adult_present,
        answers="Making Safeguarding Personal: the adult takes part.",
    )
)
register_measure(
    Measure(
        code="MEET4",
        title="Advocacy offered where the adult lacks capacity",
        definition=(
            "Meetings held after a capacity assessment found the adult lacks capacity for a decision, "
            "where an advocate was offered."
        ),
        numerator="Those meetings where an advocate was offered",
        denominator="Meetings held after an assessment found the adult lacks capacity",
        date_basis="The date of the meeting",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=advocacy_where_capacity_lacking,
        answers="Advocacy in meetings, and whether people without capacity are safeguarded.",
    )
)
register_measure(
    Measure(
        code="ACT1",
        title="Actions done by their due date, by agency",
        definition=(
            "Actions due in the period (up to yesterday) that were done by their due date. Actions that were "
            "not possible because circumstances changed are left out; actions the agency did not do count as not "
            "done."
        ),
        numerator="Actions done on or before their due date",
        denominator="Actions due, apart from those not possible because circumstances changed",
        date_basis="The action's due date",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=actions_on_time,
        answers="Whether clear actions are identified and followed up.",
    )
)
register_measure(
    Measure(
        code="ACT2",
        title="What happened to the actions due",
        definition=(
            "Each action due in the period (up to yesterday): done by the due date, done late, not possible "
            "because circumstances changed, not done because the agency did not act, or still open."
        ),
        numerator="Actions with that outcome",
        denominator="",
        date_basis="The action's due date",
        unit=Unit.COUNT,
        chart=Chart.STACKED,
        grouped_by="outcome",
        compute=action_outcomes,
        answers="Circumstances changed, kept apart from an agency not acting.",
    )
)
register_measure(
    Measure(
        code="SHARE1",
        title="Information shared without the adult's consent",
        definition="Sharing decisions made on grounds other than the adult's consent, by the agency that shared.",
        numerator="Sharing decisions made without consent",
        denominator="Sharing decisions",
        date_basis="The date of the sharing decision",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=shares_without_consent,
        answers="Consent is sought; sharing without it is justified and recorded.",
    )
)
register_measure(
    Measure(
        code="SHARE2",
        title="Grounds for sharing without consent",
        definition="Sharing decisions made without consent, by their grounds.",
        numerator="Sharing decisions on those grounds",
        denominator="",
        date_basis="The date of the sharing decision",
        unit=Unit.COUNT,
        chart=Chart.STACKED,
        grouped_by="grounds",
        compute=grounds_without_consent,
        answers="Which grounds agencies rely on.",
    )
)
register_measure(
    Measure(
        code="OUT1",
        title="Risk at closure against risk at the start",
        definition=(
            "For each case closed, the overall level of the last risk assessment agreed before closure against "
            "the first one agreed."
        ),
        numerator="Closures with that change in risk",
        denominator="",
        date_basis="The date the closure was signed off",
        unit=Unit.COUNT,
        chart=Chart.STACKED,
        grouped_by="change",
        compute=risk_at_closure,
        answers="Outcomes: whether risk came down.",
    )
)
register_measure(
    Measure(
        code="OUT2",
        title="Why cases closed",
        definition="Closures by their reason.",
        numerator="Closures for that reason",
        denominator="",
        date_basis="The date the closure was signed off",
        unit=Unit.COUNT,
        chart=Chart.STACKED,
        grouped_by="reason",
        compute=closure_reasons,
        answers="Cases close when the risks are resolved or managed.",
    )
)
register_measure(
    Measure(
        code="OUT3",
        title="Closures for non-engagement with the checks made",
        definition=(
            "Closures for non-engagement where, before the closure, a risk assessment had been agreed and at "
            "least one other agency in contact with the adult had been checked with."
        ),
        numerator="Non-engagement closures with an agreed risk assessment and an agency check before closure",
        denominator="Closures for non-engagement",
        date_basis="The date the closure was signed off",
        unit=Unit.PERCENT,
        chart=Chart.BAR,
        grouped_by=AGENCY,
        compute=non_engagement_guard,
        answers="No closure for non-engagement without checking with the other agencies.",
    )
)
