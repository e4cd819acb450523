"""A small partnership's financial year 2025 to 2026, built by hand so that every measure's
numerator and denominator can be worked out on paper (tests/assurance/test_measures.py).

Three agencies: the council (A), the police (B) and the health trust (C). Every date is set
explicitly, at noon, so no record falls into another quarter by its time zone. Records are
written straight to the tables: the measures read tables, and the services that normally
write them are tested elsewhere.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from marm.cases.models import Case, CaseAgency, CaseTheme, CaseTransition, Screening
from marm.closure.models import AgencyCheck, CaseClosure
from marm.decisions.models import Decision
from marm.meetings.models import AdultParticipation, Attendance, Invitation, Meeting
from marm.organisations.models import AgencyKind
from marm.plans.models import Action, ActionUpdate
from marm.risk.models import CapacityAssessment, RiskAssessment, RiskAssessmentVersion
from marm.sharing.models import SharingDecision
from tests.factories import AgencyFactory, PersonFactory, UserFactory

YEAR = 2025
_numbers = itertools.count(1)


def noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12)))


@dataclass
class World:
    agencies: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)


def _case(world, name, *, lead, raised, person=None, status="accepted"):
    user = world.users[lead]
    case = Case.objects.create(
        reference=f"G{next(_numbers):05d}",
        person=person or PersonFactory(created_by=user),
        lead_agency=world.agencies[lead],
        raised_by=user,
        status=status,
        what_is_happening="Synthetic concern for the measures' golden data",
    )
    Case.objects.filter(pk=case.pk).update(raised_at=noon(raised))
    CaseAgency.objects.create(case=case, agency=world.agencies[lead])
    _move(world, case, "", "concern", raised, lead)
    world.cases[name] = case
    return case


def _move(world, case, from_status, to_status, day, by):
    row = CaseTransition.objects.create(
        case=case, from_status=from_status, to_status=to_status, reason="Golden data", created_by=world.users[by]
    )
    CaseTransition.objects.filter(pk=row.pk).update(created_at=noon(day))


def _screen(world, case, *, on, outcome, better_process="none", by):
    row = Screening.objects.create(
        case=case,
        s42_duty_applies="no",
        better_process=better_process,
        outcome=outcome,
        rationale="Golden data",
        screened_by=world.users[by],
    )
    Screening.objects.filter(pk=row.pk).update(screened_at=noon(on))


def _meeting(world, name, case, *, on, kind="planning", held=True, cancelled=False):
    chair = world.users[next(k for k, v in world.agencies.items() if v.pk == case.lead_agency_id)]
    start = noon(on)
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        chair=chair,
        scheduled_by=chair,
        outcome="review" if held else "",
        next_review_date=(start + datetime.timedelta(days=60)).date() if held else None,
        finished_at=start + datetime.timedelta(hours=2) if held else None,
        finished_by=chair if held else None,
        cancelled_at=start - datetime.timedelta(days=1) if cancelled else None,
        cancelled_by=chair if cancelled else None,
        cancellation_reason="Golden data" if cancelled else "",
    )
    world.meetings[name] = meeting
    return meeting


def _invite(world, meeting, agency, status=None):
    invitation = Invitation.objects.create(
        meeting=meeting, agency=world.agencies[agency], name=f"Invitee {next(_numbers)}", invited_by=meeting.chair
    )
    if status:
        Attendance.objects.create(meeting=meeting, invitation=invitation, status=status, recorded_by=meeting.chair)


def _adult(meeting, *, attended=False, views="", reason="", advocate_offered=False):
    AdultParticipation.objects.create(
        meeting=meeting,
        attended=attended,
        views=views,
        views_not_gathered_reason=reason,
        advocate_offered=advocate_offered,
        recorded_by=meeting.chair,
    )


def _capacity(world, case, *, on, outcome, by):
    CapacityAssessment.objects.create(
        case=case,
        decision="Where to live",
        assessed_on=datetime.date.fromisoformat(on),
        assessor=world.users[by],
        assessor_agency=world.agencies[by],
        practicable_steps="Golden data",
        impairment="yes",
        understands="no",
        retains="no",
        uses_or_weighs="no",
        communicates="yes",
        decisional_capacity=outcome,
        executive_capacity="cannot",
        outcome=outcome,
        outcome_reasons="Golden data",
        review_by=datetime.date.fromisoformat(on) + datetime.timedelta(days=90),
        recorded_by=world.users[by],
    )


def _action(world, case, *, agency, due, status="open", done_on=None):
    action = Action.objects.create(
        case=case,
        what="Golden data action",
        lead_name="A named lead",
        agency=world.agencies[agency],
        due_date=datetime.date.fromisoformat(due),
        status=status,
        created_by=world.users[agency],
    )
    if done_on:
        update = ActionUpdate.objects.create(action=action, status="done", note="Done", created_by=world.users[agency])
        ActionUpdate.objects.filter(pk=update.pk).update(created_at=noon(done_on))


def _decision(world, case, *, by, on, kind):
    return Decision.objects.create(
        person=case.person,
        case=case,
        kind=kind,
        summary="Golden data",
        recorded_by=world.users[by],
        recorded_by_agency=world.agencies[by],
        recorded_at=noon(on),
        content_hash="0" * 64,
    )


def _share(world, case, *, by, to, basis, on):
    row = SharingDecision.objects.create(
        case=case,
        person=case.person,
        agency=world.agencies[to],
        basis=basis,
        rationale="Golden data",
        access="full",
        what_is_shared="The case",
        quality_tests=[],
        decision=_decision(world, case, by=by, on=on, kind="share"),
        decided_by=world.users[by],
    )
    SharingDecision.objects.filter(pk=row.pk).update(decided_at=noon(on))


def _agreed(world, case, versions):
    assessment = RiskAssessment.objects.create(case=case, started_by=world.users["A"])
    for number, (level, on) in enumerate(versions, start=1):
        RiskAssessmentVersion.objects.create(
            assessment=assessment,
            number=number,
            status="agreed",
            overall_level=level,
            agreed_by=world.users["A"],
            agreed_at=noon(on),
            started_by=world.users["A"],
            updated_by=world.users["A"],
        )


def _close(world, case, *, on, reason, by):
    closure = CaseClosure.objects.create(
        case=case,
        reason=reason,
        rationale="Golden data",
        ongoing_support="Golden data",
        handover_agency=world.agencies[by],
        handover_to="Team",
        information_given="Golden data",
        signed_off_by=world.users[by],
        decision=_decision(world, case, by=by, on=on, kind="close"),
    )
    CaseClosure.objects.filter(pk=closure.pk).update(signed_off_at=noon(on))
    _move(world, case, case.status, "closed", on, by)


def build_world(suffix: str = "") -> World:
    world = World()
    for key, name, kind in (
        ("A", "Golden Council", AgencyKind.ADULT_SOCIAL_CARE),
        ("B", "Golden Police", AgencyKind.POLICE),
        ("C", "Golden Health Trust", AgencyKind.NHS_TRUST),
    ):
        world.agencies[key] = AgencyFactory(name=name + suffix, kind=kind)
        world.users[key] = UserFactory(agency=world.agencies[key], roles=["manager"])

    # Concerns raised in the year: c1, c2 (A, Q1); c3 (B), c6, c7 (C) in Q2; c4 (B, Q3).
    c1 = _case(world, "c1", lead="A", raised="2025-04-10")
    c2 = _case(world, "c2", lead="A", raised="2025-05-20", status="routed")
    c3 = _case(world, "c3", lead="B", raised="2025-07-01")
    c4 = _case(world, "c4", lead="B", raised="2025-10-05")
    # Raised before the year and still open: open for more than 12 months at every quarter's end.
    c5 = _case(world, "c5", lead="A", raised="2024-01-10")
    _move(world, c5, "concern", "accepted", "2024-01-15", "A")
    # p1's earlier case closed on 1 March 2025; their new concern on 1 August 2025 is a re-referral.
    c0 = _case(world, "c0", lead="C", raised="2024-06-01", status="closed")
    _move(world, c0, "accepted", "closed", "2025-03-01", "C")
    _case(world, "c6", lead="C", raised="2025-08-01", person=c0.person)
    # p2's earlier case closed on 1 January 2024, more than 12 months before: not a re-referral.
    c7a = _case(world, "c7a", lead="C", raised="2023-06-01", status="closed")
    _move(world, c7a, "accepted", "closed", "2024-01-01", "C")
    _case(world, "c7", lead="C", raised="2025-09-01", person=c7a.person)

    # Screening: 4, 10, 2 and 1 days to the first screening; c3 is screened again after reopening.
    _screen(world, c1, on="2025-04-14", outcome="accept", by="A")
    _screen(world, c2, on="2025-05-30", outcome="route", better_process="marac", by="A")
    _move(world, c2, "screening", "routed", "2025-05-30", "A")
    _screen(world, c3, on="2025-07-03", outcome="nfa", by="B")
    _screen(world, c3, on="2025-11-01", outcome="accept", by="B")
    _screen(world, c4, on="2025-10-06", outcome="accept", by="B")

    # Meetings. m1: c1's first planning meeting, 21 days after the concern.
    m1 = _meeting(world, "m1", c1, on="2025-05-01")
    _invite(world, m1, "A", "attended")
    _invite(world, m1, "B", "apologies")
    _invite(world, m1, "C", "did_not_attend")
    _adult(m1, attended=True, views="I want to stay at home")
    # m1b: a second planning meeting for c1 (not its first); two police invitees, one came.
    m1b = _meeting(world, "m1b", c1, on="2025-06-01")
    _invite(world, m1b, "A", "attended")
    _invite(world, m1b, "B", "attended")
    _invite(world, m1b, "B", "did_not_attend")
    _adult(m1b, reason="Unwell on the day", advocate_offered=True)
    # c4: a planning meeting called off, then the first one held 21 days after the concern.
    m4x = _meeting(world, "m4x", c4, on="2025-10-20", held=False, cancelled=True)
    _invite(world, m4x, "C")
    m4 = _meeting(world, "m4", c4, on="2025-10-26")
    _invite(world, m4, "B", "attended")
    _invite(world, m4, "C", "sent_information")
    _adult(m4, views="Leave me alone")
    # Capacity: c1 lacks capacity from 15 May (before m1b, after m1); c4 from 1 October (before m4).
    _capacity(world, c1, on="2025-05-15", outcome="lacks", by="A")
    _capacity(world, c4, on="2025-10-01", outcome="lacks", by="B")

    # Actions on c1.
    _action(world, c1, agency="A", due="2025-06-10", status="done", done_on="2025-06-05")
    _action(world, c1, agency="B", due="2025-06-10", status="done", done_on="2025-06-20")
    _action(world, c1, agency="B", due="2025-08-01", status="not_possible")
    _action(world, c1, agency="C", due="2025-09-01", status="agency_did_not_act")
    _action(world, c1, agency="C", due="2025-11-01", status="open")
    _action(world, c1, agency="A", due="2026-06-01", status="open")  # due in the next year

    # Sharing: the council shares c1 with the police by consent and with health in the adult's best
    # interests; the police share c4 with health for the prevention of crime.
    _share(world, c1, by="A", to="B", basis="consent", on="2025-05-02")
    _share(world, c1, by="A", to="C", basis="best_interests", on="2025-05-03")
    _share(world, c4, by="B", to="C", basis="crime", on="2025-10-27")

    # Closures: c1 (risks managed; risk went from high to medium), c4 (non-engagement, assessed
    # once, an agency checked: the guard held), c3 (non-engagement with neither).
    _agreed(world, c1, [("high", "2025-05-01"), ("medium", "2025-12-01")])
    _close(world, c1, on="2026-02-01", reason="risks_managed", by="A")
    _agreed(world, c4, [("high", "2025-10-26")])
    check = AgencyCheck.objects.create(
        case=c4,
        agency=world.agencies["C"],
        spoke_to="A nurse",
        checked_on=datetime.date(2026, 2, 20),
        what_they_said="Not seen either",
        recorded_by=world.users["B"],
    )
    AgencyCheck.objects.filter(pk=check.pk).update(recorded_at=noon("2026-02-20"))
    _close(world, c4, on="2026-03-01", reason="non_engagement", by="B")
    _close(world, c3, on="2026-03-10", reason="non_engagement", by="B")

    CaseTheme.objects.create(case=c1, theme="self_neglect", tagged_by=world.users["A"])
    return world
