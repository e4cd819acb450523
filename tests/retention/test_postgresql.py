"""The retention job on PostgreSQL as the application's role: row-level security (ADR 0028) scopes
people and cases, and the job, a command outside any request, acts for the whole partnership; the
append-only triggers on audit rows and decisions (ADR 0010, 0024) are never met, because the job
removes neither."""

import pytest
from django.core.management import call_command
from django.db import connection

from marm.cases.models import CaseTransition
from marm.core import row_security
from marm.decisions.models import Decision
from marm.retention import jobs
from marm.retention.models import RetentionDue
from tests.core.test_row_level_security import _drop, _role, _set_role
from tests.retention.conftest import backdate, years_ago

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security and the append-only triggers are PostgreSQL's: set DATABASE_URL",
    ),
]


@pytest.fixture
def app_role(db):
    name = _role(
        [
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ]
    )
    yield name
    _drop(name)


def test_the_job_as_the_application_role_removes_every_agency_s_due_case(settings, closed_case, now, app_role):
    settings.MARM_ROW_LEVEL_SECURITY = True
    backdate(closed_case, "closed", years_ago(now, 7))
    decisions = Decision.objects.filter(case=closed_case).count()
    # A command's connection: the whole partnership (marm.core.row_security).
    row_security._on_connection_created(sender=None, connection=connection)
    _set_role(app_role)

    jobs.due_list_refresh(now)
    outcome = jobs.retention_apply(now=now)

    assert [row.case_id for row, _ in outcome.applied] == [closed_case.pk]
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert not CaseTransition.objects.filter(case=closed_case).exists()
    assert Decision.objects.filter(case=closed_case).count() == decisions
    assert RetentionDue.objects.get(case=closed_case).applied_at == now
    call_command("audit_verify")
    call_command("decisions_verify")


def test_the_job_sees_nothing_to_remove_on_a_connection_scoped_to_no_agency(settings, closed_case, now, app_role):
    """Run inside a request by mistake, the scope would hide every case: nothing is listed, nothing removed."""
    settings.MARM_ROW_LEVEL_SECURITY = True
    backdate(closed_case, "closed", years_ago(now, 7))
    row_security.apply(connection, agency_ids="", scope="")
    _set_role(app_role)

    assert jobs.due_list_refresh(now) == (0, 0)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert CaseTransition.objects.filter(case=closed_case).exists()
