"""generate_scale --cases: casework the board's measures can read, consistent with each case's history."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from marm.cases.lifecycle import ALLOWED_MOVES, CaseStatus
from marm.cases.models import Case, CaseAgency, CaseTheme, CaseTransition, KeyAction, LeadProfessional, Screening
from marm.closure.models import (
    AgencyCheck,
    CaseClosure,
    ClosureRiskOutcome,
    EngagementAttempt,
    NonEngagementFlag,
    S42Outcome,
    S42Referral,
)
from marm.closure.vocab import ClosureReason
from marm.decisions.integrity import content_hash
from marm.decisions.models import Decision
from marm.meetings.models import AdultParticipation, Attendance, Invitation, Meeting
from marm.meetings.vocab import MeetingOutcome
from marm.people.models import AgencyInvolvement
from marm.plans.models import Action, ActionUpdate
from marm.plans.vocab import ActionStatus
from marm.risk.models import AdultCopy, CapacityAssessment, RiskAssessment, RiskAssessmentVersion
from marm.sharing.models import SharingDecision

pytestmark = pytest.mark.django_db

END_DATE = datetime.date(2026, 12, 7)
CUT = datetime.datetime(2026, 12, 8, tzinfo=datetime.UTC)
CASES = 200


def generate(**options):
    out = io.StringIO()
    call_command("generate_scale", people=300, cases=CASES, end_date=END_DATE, batch=70, seed=7, stdout=out, **options)
    return out.getvalue()


def test_cases_that_reached_planning_have_meetings_actions_shares_and_closures():
    output = generate()
    assert f"Added {CASES} cases" in output
    assert Case.objects.count() == CASES

    # Every case that reached planning had its planning meeting, finished, with attendance and the adult's voice.
    reached_planning = set(
        CaseTransition.objects.filter(to_status=CaseStatus.PLANNING).values_list("case_id", flat=True)
    )
    assert len(reached_planning) > CASES / 3
    planning = Meeting.objects.filter(kind="planning", finished_at__isnull=False)
    assert set(planning.values_list("case_id", flat=True)) == reached_planning
    assert Meeting.objects.filter(kind="review", finished_at__isnull=False).exists()
    for meeting in Meeting.objects.filter(starts_at__lt=CUT).prefetch_related("invitations", "attendance"):
        invitations = list(meeting.invitations.all())
        assert 3 <= len(invitations) <= 6
        assert len(meeting.attendance.all()) == len(invitations)
    assert AdultParticipation.objects.count() == Meeting.objects.filter(starts_at__lt=CUT).count()
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses.most_common(1)[0][0] == "attended"
    assert {"apologies", "sent_information", "did_not_attend"} <= set(statuses)

    # Only the last meeting of an open case is unfinished; a finished meeting that continues sets its review.
    for case_id, unfinished in Counter(
        Meeting.objects.filter(finished_at__isnull=True).values_list("case_id", flat=True)
    ).items():
        assert unfinished == 1
        last = Meeting.objects.filter(case_id=case_id).order_by("-starts_at").first()
        assert last.finished_at is None
        assert Case.objects.get(pk=case_id).status != CaseStatus.CLOSED
    assert not Meeting.objects.filter(outcome=MeetingOutcome.REVIEW, next_review_date__isnull=True).exists()

    # 2 to 5 actions per case with a finished planning meeting, each with a trail ending at its status.
    per_case = Counter(Action.objects.values_list("case_id", flat=True))
    assert set(per_case) == reached_planning
    assert set(per_case.values()) <= {2, 3, 4, 5}
    action_statuses = set(Action.objects.values_list("status", flat=True))
    assert {ActionStatus.DONE, ActionStatus.NOT_POSSIBLE, ActionStatus.AGENCY_DID_NOT_ACT} <= action_statuses
    late = 0
    for action in Action.objects.prefetch_related("updates"):
        trail = list(action.updates.all())
        assert trail[0].status == ActionStatus.OPEN
        assert trail[-1].status == action.status
        assert [u.created_at for u in trail] == sorted(u.created_at for u in trail)
        if action.status == ActionStatus.DONE:
            late += trail[-1].created_at.date() > action.due_date
    assert late > 0
    assert (
        Action.objects.filter(status=ActionStatus.OPEN, due_date__lt=END_DATE).exists()
        or Action.objects.filter(status=ActionStatus.IN_PROGRESS, due_date__lt=END_DATE).exists()
    )
    assert not Action.objects.filter(case__status=CaseStatus.CLOSED, status__in=["open", "in_progress"]).exists()

    # Every agency but the lead joined through a sharing decision, on recorded grounds.
    others = CaseAgency.objects.exclude(agency_id=F("case__lead_agency_id"))
    assert others.exists()
    assert not others.filter(sharing_decision__isnull=True).exists()
    assert others.count() == SharingDecision.objects.count()
    assert Counter(SharingDecision.objects.values_list("basis", flat=True)).most_common(1)[0][0] == "consent"

    # Agreed risk assessment versions for cases past planning; capacity assessments where capacity was doubted.
    assert set(RiskAssessment.objects.values_list("case_id", flat=True)) == reached_planning
    assert RiskAssessmentVersion.objects.filter(number__gt=1).exists()
    assert not RiskAssessmentVersion.objects.exclude(status="agreed").exists()
    assert CapacityAssessment.objects.filter(outcome="lacks").exists()
    assert CapacityAssessment.objects.filter(outcome="has").exists()

    # Closures after MARM work, signed off, with support agreed and the risks accounted for.
    closed_after_marm = Case.objects.filter(status=CaseStatus.CLOSED, screenings__outcome="accept")
    assert closed_after_marm.exists()
    assert set(CaseClosure.objects.values_list("case_id", flat=True)) == set(
        closed_after_marm.values_list("id", flat=True)
    )
    for closure in CaseClosure.objects.prefetch_related("support_agreed_by", "risk_outcomes"):
        assert closure.support_agreed_by.all()
        assert 1 <= len(closure.risk_outcomes.all()) <= 2
    # 002: a non-engagement closure follows failed attempts and a check with every other agency.
    non_engagement = CaseClosure.objects.filter(reason=ClosureReason.NON_ENGAGEMENT)
    assert non_engagement.exists()
    for closure in non_engagement:
        closed_on = closure.signed_off_at.date()
        attempts = EngagementAttempt.objects.filter(case=closure.case_id)
        assert attempts.count() >= 3
        assert not attempts.filter(attempted_on__gt=closed_on).exists()
        for part in CaseAgency.objects.filter(case=closure.case_id).exclude(agency_id=closure.case.lead_agency_id):
            assert AgencyCheck.objects.filter(case=closure.case_id, agency=part.agency_id, checked_on__lt=closed_on)


def test_the_generated_records_keep_the_models_rules_and_the_history_stops_at_the_end_date():
    generate()
    # Each model's own validation, on a sample of its rows.
    for model in (
        Case,
        CaseAgency,
        CaseTransition,
        Screening,
        KeyAction,
        LeadProfessional,
        CaseTheme,
        Decision,
        SharingDecision,
        AgencyInvolvement,
        Meeting,
        Invitation,
        Attendance,
        AdultParticipation,
        Action,
        ActionUpdate,
        RiskAssessment,
        RiskAssessmentVersion,
        AdultCopy,
        CapacityAssessment,
        EngagementAttempt,
        NonEngagementFlag,
        AgencyCheck,
        S42Referral,
        S42Outcome,
        CaseClosure,
        ClosureRiskOutcome,
    ):
        rows = list(model.objects.order_by("pk")[:60])
        assert rows or model in (S42Referral, S42Outcome), model.__name__
        for row in rows:
            row.full_clean()

    # The transitions walk the allowed moves and end at the case's status.
    history = defaultdict(list)
    for case_id, before, after in CaseTransition.objects.order_by("created_at", "pk").values_list(
        "case_id", "from_status", "to_status"
    ):
        history[case_id].append((before, after))
    for case in Case.objects.all():
        previous = ""
        for before, after in history[case.pk]:
            assert before == previous
            assert not previous or after in ALLOWED_MOVES[previous]
            previous = after
        assert previous == case.status

    # Every decision's hash matches its content (no participants or legislation).
    for decision in Decision.objects.all():
        assert decision.content_hash == content_hash(decision=decision, participant_ids=[], legislation_ids=[])

    # Nothing has happened after the end date: only an upcoming meeting starts later.
    for model, name in (
        (Case, "raised_at"),
        (CaseTransition, "created_at"),
        (Decision, "recorded_at"),
        (Meeting, "finished_at"),
        (Meeting, "scheduled_at"),
        (ActionUpdate, "created_at"),
        (RiskAssessmentVersion, "agreed_at"),
        (CaseClosure, "signed_off_at"),
        (KeyAction, "updated_at"),
    ):
        assert not model.objects.filter(**{f"{name}__gte": CUT}).exists(), (model.__name__, name)
    assert not Attendance.objects.filter(meeting__starts_at__gte=CUT).exists()


def test_cases_spread_over_four_financial_years_with_re_referrals_and_review_themes():
    output = generate()
    years = Counter(
        raised.year if raised.month >= 4 else raised.year - 1
        for raised in Case.objects.values_list("raised_at", flat=True)
    )
    assert sorted(years) == [2023, 2024, 2025, 2026]
    assert all(CASES * 0.15 < count < CASES * 0.35 for count in years.values())

    # Some people are referred again within a year of their first case closing.
    second_cases = 0
    for person_id in set(Case.objects.values_list("person_id", flat=True)):
        cases = list(Case.objects.filter(person_id=person_id).order_by("raised_at"))
        if len(cases) < 2:
            continue
        assert len(cases) == 2
        second_cases += 1
        closed = CaseTransition.objects.get(case=cases[0], to_status=CaseStatus.CLOSED).created_at
        assert closed < cases[1].raised_at <= closed + datetime.timedelta(days=365)
    assert second_cases > 0
    assert f"{second_cases} of them re-referrals" in output

    # Review themes on about half the cases, one or two each.
    themed = Counter(CaseTheme.objects.values_list("case_id", flat=True))
    assert CASES * 0.35 < len(themed) < CASES * 0.65
    assert set(themed.values()) <= {1, 2}


def test_more_cases_than_people_without_one_is_refused_and_adds_nothing():
    with pytest.raises(CommandError, match="fewer than --cases"):
        call_command("generate_scale", people=10, cases=11, end_date=END_DATE, stdout=io.StringIO())
    assert not Case.objects.exists()
