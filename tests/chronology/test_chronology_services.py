import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marm.access.guard import RecordNotVisible
from marm.audit.models import AuditAction, AuditEvent
from marm.chronology.models import ChronologyEntry
from marm.chronology.services import chronology_entry_add, chronology_entry_correct
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


class Unchanged:
    """What a failed write must leave: the same entries and no audit row but, for an attempt on a
    record the user may not see, the refusal itself."""

    def __enter__(self):
        self.entries = list(ChronologyEntry.objects.values_list("pk", "summary", "supersedes_id"))
        self.audit = AuditEvent.objects.exclude(action=AuditAction.DENIED).count()
        return self

    def __exit__(self, *exc):
        assert list(ChronologyEntry.objects.values_list("pk", "summary", "supersedes_id")) == self.entries
        assert AuditEvent.objects.exclude(action=AuditAction.DENIED).count() == self.audit
        return False


def _share(practitioner_a, case, agency, access="full"):
    sharing_decide(
        acting_user=practitioner_a,
        case=case,
        agency=agency,
        basis="crime",
        rationale="Police enquiry",
        access=access,
        what_is_shared="The case",
        quality_tests=list(QualityTest.values),
        # Shared without the adult's consent: whether they were told is recorded (001 3.3).
        adult_told="no",
        adult_not_told_reason="crime",
    )


def test_an_entry_is_added_for_the_authors_agency_and_audited(practitioner_a, person_a):
    entry = chronology_entry_add(
        acting_user=practitioner_a,
        person=person_a,
        occurred_on=datetime.date(2025, 3, 12),
        occurred_at_time=datetime.time(10, 30),
        entry_type="home_visit",
        summary="  Hallway blocked; declined help.  ",
        significance="significant",
    )
    entry.refresh_from_db()
    assert entry.agency == practitioner_a.agency
    assert entry.author == practitioner_a
    assert entry.summary == "Hallway blocked; declined help."
    assert entry.case is None
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="chronology.chronologyentry")
    assert event.object_id == str(entry.pk)
    assert event.person_id == str(person_a.pk)
    assert event.actor_user == practitioner_a


@pytest.mark.parametrize(
    ("persona", "refusal"),
    [
        ("outsider", RecordNotVisible),
        ("gp_c", RecordNotVisible),
        ("board_officer", RecordNotVisible),
        ("administrator", RecordNotVisible),
        # An auditor of agency A sees the person but reads only.
        ("auditor_a", PermissionDenied),
    ],
)
def test_only_casework_users_whose_agency_sees_the_person_add_entries(request, persona, refusal, person_a, add_entry):
    user = request.getfixturevalue(persona)
    with Unchanged(), pytest.raises(refusal):
        add_entry(user, person_a)


def test_an_involved_agency_adds_for_itself(police_b, person_a, add_entry):
    entry = add_entry(police_b, person_a)
    assert entry.agency == police_b.agency


def test_an_event_in_the_future_is_refused_and_leaves_nothing(practitioner_a, person_a, add_entry):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with Unchanged(), pytest.raises(ValidationError) as error:
        add_entry(practitioner_a, person_a, occurred_on=tomorrow)
    assert "occurred_on" in error.value.message_dict


def test_an_unknown_type_or_significance_or_an_empty_summary_is_refused(practitioner_a, person_a, add_entry):
    with Unchanged(), pytest.raises(ValidationError) as error:
        add_entry(practitioner_a, person_a, entry_type="gossip", significance="huge", summary="  ")
    assert {"entry_type", "significance", "summary"} <= set(error.value.message_dict)


def test_an_entry_links_to_a_case_about_the_person_that_the_agency_fully_sees(
    practitioner_a, person_a, accepted_case, add_entry
):
    entry = add_entry(practitioner_a, person_a, case=accepted_case)
    assert entry.case == accepted_case


def test_a_case_about_someone_else_is_refused(practitioner_a, person_a, accepted_case, add_entry):
    other = PersonFactory(created_by=practitioner_a)
    with Unchanged(), pytest.raises(ValidationError) as error:
        add_entry(practitioner_a, other, case=accepted_case)
    assert "case" in error.value.message_dict


def test_a_case_the_agency_does_not_take_part_in_is_refused(police_b, person_a, accepted_case, add_entry):
    # The form offers only the cases the agency sees in full; the service refuses any other as unseen.
    with Unchanged(), pytest.raises(RecordNotVisible):
        add_entry(police_b, person_a, case=accepted_case)


def test_a_case_shared_only_in_part_is_refused(practitioner_a, police_b, agency_b, person_a, accepted_case, add_entry):
    _share(practitioner_a, accepted_case, agency_b, access="limited")
    with Unchanged(), pytest.raises(RecordNotVisible):
        add_entry(police_b, person_a, case=accepted_case)


def test_a_case_shared_in_full_is_accepted(practitioner_a, police_b, agency_b, person_a, accepted_case, add_entry):
    _share(practitioner_a, accepted_case, agency_b, access="full")
    assert add_entry(police_b, person_a, case=accepted_case).case == accepted_case


def test_D2_a_correction_supersedes_the_entry_and_both_are_kept(practitioner_a, chronology_entry_a):
    original_summary = chronology_entry_a.summary
    correction = chronology_entry_correct(
        acting_user=practitioner_a,
        entry=chronology_entry_a,
        reason="Wrong date: the visit was the day before",
        occurred_on=datetime.date(2025, 3, 11),
    )
    chronology_entry_a.refresh_from_db()
    assert chronology_entry_a.summary == original_summary  # never changed in place
    assert chronology_entry_a.occurred_on == datetime.date(2025, 3, 12)
    assert correction.supersedes == chronology_entry_a
    assert correction.occurred_on == datetime.date(2025, 3, 11)
    # What was not given is carried over.
    assert correction.summary == original_summary
    assert correction.entry_type == chronology_entry_a.entry_type
    assert correction.occurred_at_time == chronology_entry_a.occurred_at_time
    assert correction.correction_reason == "Wrong date: the visit was the day before"
    assert ChronologyEntry.objects.filter(person=chronology_entry_a.person).count() == 2
    assert list(ChronologyEntry.objects.current()) == [correction]
    event = AuditEvent.objects.get(object_type="chronology.chronologyentry", object_id=str(correction.pk))
    assert event.detail == {"corrects": chronology_entry_a.pk, "fields": ["occurred_on"]}


def test_anyone_in_the_writing_agency_may_correct(manager_a, chronology_entry_a):
    correction = chronology_entry_correct(
        acting_user=manager_a, entry=chronology_entry_a, reason="Clearer", summary="Hallway blocked by boxes."
    )
    assert correction.author == manager_a
    assert correction.agency == chronology_entry_a.agency


def test_another_agency_cannot_correct_an_entry(police_b, chronology_entry_a):
    with Unchanged(), pytest.raises(PermissionDenied):
        chronology_entry_correct(acting_user=police_b, entry=chronology_entry_a, reason="Wrong", summary="Not so")


def test_an_auditor_of_the_same_agency_cannot_correct(auditor_a, chronology_entry_a):
    with Unchanged(), pytest.raises(PermissionDenied):
        chronology_entry_correct(acting_user=auditor_a, entry=chronology_entry_a, reason="Wrong", summary="Not so")


def test_a_corrected_entry_cannot_be_corrected_again_but_its_correction_can(practitioner_a, chronology_entry_a):
    first = chronology_entry_correct(
        acting_user=practitioner_a, entry=chronology_entry_a, reason="Typo", summary="Hallway blocked."
    )
    with Unchanged(), pytest.raises(ValidationError) as error:
        chronology_entry_correct(
            acting_user=practitioner_a, entry=chronology_entry_a, reason="Again", summary="Hallway and stairs."
        )
    assert "correct the latest version" in str(error.value)
    second = chronology_entry_correct(acting_user=practitioner_a, entry=first, reason="More", summary="Stairs too.")
    assert second.supersedes == first


def test_a_correction_needs_a_reason_and_a_change(practitioner_a, chronology_entry_a):
    with Unchanged(), pytest.raises(ValidationError) as error:
        chronology_entry_correct(acting_user=practitioner_a, entry=chronology_entry_a, reason=" ", summary="New")
    assert "reason" in error.value.message_dict
    with Unchanged(), pytest.raises(ValidationError) as error:
        chronology_entry_correct(acting_user=practitioner_a, entry=chronology_entry_a, reason="Checked")
    assert "same as the entry" in str(error.value)


def test_a_correction_may_link_a_case_only_under_the_same_rule(
    practitioner_a, police_b, person_a, accepted_case, police_entry
):
    with Unchanged(), pytest.raises(RecordNotVisible):
        chronology_entry_correct(
            acting_user=police_b, entry=police_entry, reason="Part of the case", case=accepted_case
        )
    other_case_person = PersonFactory(created_by=practitioner_a)
    entry = chronology_entry_add(
        acting_user=practitioner_a,
        person=other_case_person,
        occurred_on=datetime.date(2025, 1, 1),
        entry_type="letter",
        summary="Letter sent.",
        significance="routine",
    )
    with Unchanged(), pytest.raises(ValidationError):
        chronology_entry_correct(acting_user=practitioner_a, entry=entry, reason="Link", case=accepted_case)


def test_the_database_keeps_one_correction_per_entry_and_a_reason_for_each(practitioner_a, chronology_entry_a):
    fields = {
        "person": chronology_entry_a.person,
        "agency": chronology_entry_a.agency,
        "author": practitioner_a,
        "occurred_on": datetime.date(2025, 3, 12),
        "entry_type": "home_visit",
        "summary": "Corrected",
        "significance": "routine",
        "supersedes": chronology_entry_a,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ChronologyEntry.objects.create(**fields)  # no reason
    ChronologyEntry.objects.create(**fields, correction_reason="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        ChronologyEntry.objects.create(**fields, correction_reason="Second")


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("practitioner_a", True),
        ("police_b", True),
        ("auditor_a", True),
        ("gp_c", False),
        ("outsider", False),
        ("board_officer", False),
        ("administrator", False),
    ],
)
def test_entries_are_visible_to_every_involved_agency_only(request, persona, sees, chronology_entry_a, police_entry):
    user = request.getfixturevalue(persona)
    visible = set(ChronologyEntry.objects.visible_to(user))
    assert visible == ({chronology_entry_a, police_entry} if sees else set())
