"""The retention schedule, the legal hold and the job (security-performance D3): a case closed six
years and a day ago is listed and removed with everything under it, its decisions kept; a hold
keeps it; the audit chain and the decisions still verify afterwards."""

import datetime

import pytest
from django.core.management import call_command

from marm.audit.models import AuditAction, AuditEvent
from marm.cases.models import Case, CaseAgency, CaseTransition, LeadProfessional, Screening
from marm.chronology.models import ChronologyEntry
from marm.decisions.models import Decision
from marm.history.models import HistoryChange
from marm.notifications.models import Notification
from marm.people.models import Person
from marm.retention import erasure, jobs, schedule
from marm.retention.models import RecordKind, RetentionDue
from marm.retention.services import legal_hold_lift, legal_hold_place
from marm.sharing.models import SharingDecision
from tests.retention.conftest import backdate, years_ago

pytestmark = pytest.mark.django_db


def _due_cases(now):
    return {item.case_id for item in schedule.due_now(now)}


def test_D3_a_case_closed_six_years_and_a_day_ago_is_due_and_one_closed_a_day_less_is_not(closed_case, now):
    backdate(closed_case, "closed", years_ago(now, 6, days=-1))
    assert closed_case.pk not in _due_cases(now)
    backdate(closed_case, "closed", years_ago(now, 6, days=1))
    assert closed_case.pk in _due_cases(now)
    [item] = [item for item in schedule.due_now(now) if item.case_id == closed_case.pk]
    assert item.kind == RecordKind.CASE_CLOSED


def test_a_concern_screened_out_is_due_two_years_after_screening(screened_out, now):
    backdate(screened_out, "closed", years_ago(now, 2, days=-1))
    assert screened_out.pk not in _due_cases(now)
    backdate(screened_out, "closed", years_ago(now, 2, days=1))
    [item] = [item for item in schedule.due_now(now) if item.case_id == screened_out.pk]
    assert item.kind == RecordKind.CONCERN_SCREENED_OUT


def test_an_open_case_is_never_due(accepted_case, now):
    backdate(accepted_case, "concern", years_ago(now, 10))
    assert accepted_case.pk not in _due_cases(now)


def test_D3_a_legal_hold_on_the_case_or_the_person_keeps_it_until_lifted(closed_case, manager_a, auditor_a, now):
    backdate(closed_case, "closed", years_ago(now, 7))
    on_case = legal_hold_place(
        acting_user=manager_a, person=closed_case.person, case=closed_case, reason="A claim is expected"
    )
    assert closed_case.pk not in _due_cases(now)
    legal_hold_lift(acting_user=manager_a, hold=on_case, reason="The claim was settled")
    assert closed_case.pk in _due_cases(now)
    legal_hold_place(acting_user=auditor_a, person=closed_case.person, reason="Safeguarding Adults Review")
    assert closed_case.pk not in _due_cases(now)


def test_a_hold_placed_after_the_list_was_made_still_keeps_the_case(closed_case, manager_a, now):
    backdate(closed_case, "closed", years_ago(now, 7))
    jobs.due_list_refresh(now)
    legal_hold_place(acting_user=manager_a, person=closed_case.person, case=closed_case, reason="A claim")
    outcome = jobs.retention_apply(now=now)
    assert outcome.applied == []
    assert CaseTransition.objects.filter(case=closed_case).exists()
    jobs.due_list_refresh(now)
    assert not RetentionDue.objects.filter(case=closed_case).exists()


@pytest.fixture
def due_world(closed_case, screened_out, chronology_entry_a, now):
    """person_a's closed case due for removal; person_c's screened-out concern not yet due; a
    chronology entry about person_a under no case."""
    backdate(closed_case, "closed", years_ago(now, 6, days=1))
    backdate(screened_out, "closed", years_ago(now, 1))
    jobs.due_list_refresh(now)
    return closed_case


def test_D3_the_job_removes_the_case_and_everything_under_it_and_keeps_its_decisions(
    due_world, screened_out, chronology_entry_a, now
):
    case = due_world
    assert HistoryChange.objects.filter(case=case).exists()  # its records' history, before
    decisions = set(Decision.objects.filter(case=case).values_list("pk", flat=True))
    assert len(decisions) >= 3  # accept, allocate, share
    under = erasure.counts(jobs.plan_case(case.pk))
    assert under["cases.casetransition"] >= 2 and under["sharing.sharingdecision"] == 1

    outcome = jobs.retention_apply(now=now)

    assert [row.case_id for row, _ in outcome.applied] == [case.pk]
    for model in (CaseTransition, Screening, CaseAgency, LeadProfessional, SharingDecision, ChronologyEntry):
        assert not model.objects.filter(case=case).exists(), model.__name__
    # The case stays as the stub its decisions name, its text gone; the decisions are untouched.
    stub = Case.objects.get(pk=case.pk)
    assert stub.reference == case.reference and stub.what_is_happening == ""
    assert set(Decision.objects.filter(case=case).values_list("pk", flat=True)) == decisions
    # Unrelated records stay: another person's concern, person_a's chronology outside the case.
    assert CaseTransition.objects.filter(case=screened_out).exists()
    assert ChronologyEntry.objects.filter(pk=chronology_entry_a.pk).exists()
    # One DELETE row, by the named job, with the counts and the ids of what went.
    [deleted] = AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(case.pk))
    assert deleted.system_actor == "retention" and deleted.actor_user is None
    assert deleted.person_id == str(case.person_id)
    assert deleted.detail["counts"] == under
    assert len(deleted.detail["ids"]["cases.casetransition"]) == under["cases.casetransition"]
    row = RetentionDue.objects.get(case=case)
    assert row.applied_at == now and row.removed == under
    # The case is not listed again.
    assert case.pk not in _due_cases(now)
    # Nor is what went readable in the history: not the records, not the case's text.
    assert not HistoryChange.objects.filter(case=case).exists()
    assert case.what_is_happening not in str(list(HistoryChange.objects.values_list("old", "new")))

    call_command("audit_verify")
    call_command("decisions_verify")


def test_a_dry_run_changes_nothing(due_world, now):
    events = AuditEvent.objects.count()
    transitions = CaseTransition.objects.count()
    outcome = jobs.retention_apply(now=now, dry_run=True)
    assert [row.case_id for row, _ in outcome.applied] == [due_world.pk]
    assert AuditEvent.objects.count() == events
    assert CaseTransition.objects.count() == transitions
    assert not RetentionDue.objects.filter(applied_at__isnull=False).exists()


def test_the_command_dry_run_says_what_would_go(due_world, capsys):
    transitions = CaseTransition.objects.count()
    call_command("retention_apply", "--dry-run")
    assert f"Would remove case {due_world.pk}" in capsys.readouterr().out
    assert CaseTransition.objects.count() == transitions


def test_a_failure_half_way_leaves_nothing_removed(due_world, screened_out, now, monkeypatch):
    backdate(screened_out, "closed", years_ago(now, 3))
    jobs.due_list_refresh(now)
    assert RetentionDue.objects.filter(applied_at__isnull=True).count() == 2
    events = AuditEvent.objects.count()
    real_remove = erasure.remove
    calls = []

    def remove_then_fail(found):
        calls.append(found)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        real_remove(found)

    monkeypatch.setattr(erasure, "remove", remove_then_fail)
    with pytest.raises(RuntimeError):
        jobs.retention_apply(now=now)
    assert len(calls) == 2
    assert CaseTransition.objects.filter(case=due_world).exists()
    assert CaseTransition.objects.filter(case=screened_out).exists()
    assert AuditEvent.objects.count() == events
    assert not RetentionDue.objects.filter(applied_at__isnull=False).exists()


def test_a_person_with_nothing_left_is_anonymised_a_year_later(due_world, practitioner_a, now):
    from marm.people.models import Address, PersonAlias, PersonIdentifier

    person = due_world.person
    PersonAlias.objects.create(person=person, given_name="Peggy", family_name="Thornbury", created_by=practitioner_a)
    Address.objects.create(person=person, line_1="4 Mill Lane", town="Shireton", created_by=practitioner_a)
    PersonIdentifier.objects.create(
        person=person, agency=practitioner_a.agency, label="Mosaic ID", value="M123", created_by=practitioner_a
    )
    jobs.retention_apply(now=now)
    assert person.pk not in {item.person_id for item in schedule.due_now(now)}
    later = now.replace(year=now.year + 1) + datetime.timedelta(days=1)
    jobs.due_list_refresh(later)
    outcome = jobs.retention_apply(now=later)
    people = [row.person_id for row, _ in outcome.applied if row.kind == RecordKind.PERSON_WITHOUT_RECORDS]
    assert people == [person.pk]
    anonymised = Person.objects.get(pk=person.pk)
    assert (anonymised.given_name, anonymised.family_name) == ("Anonymised", "person")
    assert anonymised.date_of_birth is None and anonymised.nhs_number == ""
    assert not ChronologyEntry.objects.filter(person=person).exists()
    assert not anonymised.involvements.exists()
    for model in (PersonAlias, Address, PersonIdentifier):
        assert not model.objects.filter(person=person).exists(), model.__name__
    assert Decision.objects.filter(person=person).exists()
    assert "Thornbury" not in str(list(Person.objects.filter(pk=person.pk).values()))
    # The history held the names before: it holds nothing of the person now.
    assert not HistoryChange.objects.filter(person=person).exists()
    assert "Thornbury" not in str(list(HistoryChange.objects.values_list("old", "new")))
    call_command("audit_verify")
    call_command("decisions_verify")


def test_the_sweep_lists_what_is_due_and_tells_auditors_and_administrators_once(
    due_world, auditor_a, administrator, practitioner_a, now
):
    from marm.notifications.sweeps import run_sweeps

    RetentionDue.objects.all().delete()
    assert run_sweeps(now, names=["retention-due"]) == {"retention-due": 2}
    assert run_sweeps(now, names=["retention-due"]) == {"retention-due": 0}
    told = set(Notification.objects.filter(kind="retention_due").values_list("recipient_id", flat=True))
    assert told == {auditor_a.pk, administrator.pk}
    assert "Thornbury" not in Notification.objects.get(recipient=auditor_a).title
