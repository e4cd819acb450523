"""Records under a case read through ``of_case``: a case this request read in full for the user
stands for the case's part of the rule, and nothing else does (ADR 0003)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marm.cases.models import Case
from marm.cases.selectors import case_get_for_user
from marm.closure import services
from marm.closure.models import NonEngagementFlag, ReflectiveReview


def _sql_of(queryset) -> str:
    with CaptureQueriesContext(connection) as captured:
        list(queryset.all())  # a fresh copy: the query is sent even if the caller has read it
    return " ".join(query["sql"] for query in captured.captured_queries)


def test_a_case_read_in_full_finds_its_records_without_asking_again(live_case, practitioner_a, reflect):
    review = reflect(practitioner_a, live_case)
    case = case_get_for_user(user=practitioner_a, pk=live_case.pk)

    records = ReflectiveReview.objects.of_case(practitioner_a, case)

    assert list(records) == [review]
    assert "cases_caseagency" not in _sql_of(records)


def test_a_kind_read_by_fewer_people_stays_narrow_on_a_case_read_in_full(live_case, practitioner_a, police_b, reflect):
    reflect(practitioner_a, live_case)
    case = case_get_for_user(user=police_b, pk=live_case.pk)  # the police take a full part in the case

    assert list(ReflectiveReview.objects.of_case(police_b, case)) == []


def test_a_case_read_for_someone_else_is_checked_for_this_user(live_case, practitioner_a, gp_c):
    services.non_engagement_flag_raise(acting_user=practitioner_a, case=live_case, reason="No answer")
    read_for_the_practitioner = case_get_for_user(user=practitioner_a, pk=live_case.pk)
    assert NonEngagementFlag.objects.of_case(practitioner_a, read_for_the_practitioner).count() == 1

    # The GP works with adults, but their agency takes no part in this case.
    records = NonEngagementFlag.objects.of_case(gp_c, read_for_the_practitioner)

    assert list(records) == []
    assert "cases_caseagency" in _sql_of(records)


def test_a_case_not_read_through_the_guarded_path_is_checked(live_case, practitioner_a, police_b, reflect):
    review = reflect(practitioner_a, live_case)
    plain = Case.objects.get(pk=live_case.pk)

    assert list(ReflectiveReview.objects.of_case(practitioner_a, plain)) == [review]
    assert "cases_caseagency" in _sql_of(ReflectiveReview.objects.of_case(practitioner_a, plain))
    assert list(ReflectiveReview.objects.of_case(police_b, plain)) == []
