"""On PostgreSQL with row-level security on (ADR 0028), an export job and the calendar feed read with
the requesting user's agency on the connection, not the worker's whole-partnership scope or an
anonymous request's none."""

import pytest
from django.db import connection
from django.test import Client, override_settings

from marm.core import row_security
from marm.exports.models import Export, ExportStatus
from marm.exports.services import export_build, export_request
from tests.core.test_row_level_security import _as_role, app_role_everywhere  # noqa: F401
from tests.exports.spreadsheets import csv_rows

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security is a PostgreSQL feature: run with DATABASE_URL set to a PostgreSQL database",
)

HELD_BACK = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_acting_for_narrows_a_job_to_the_users_agency_for_the_block_only(settings, gp_c):
    settings.MARM_ROW_LEVEL_SECURITY = True
    row_security.apply(connection, scope=row_security.SCOPE_ALL)  # as a job's connection opens
    with row_security.acting_for(gp_c):
        assert row_security.current() == (str(gp_c.agency_id), "")
    assert row_security.current() == ("", "all")


def test_the_export_job_reads_only_what_the_user_may_see_in_the_database_too(
    settings,
    app_role_everywhere,  # noqa: F811
    gp_c,
    concern,
    case_c,
):
    settings.MARM_ROW_LEVEL_SECURITY = True
    with override_settings(TASKS=HELD_BACK):
        export = export_request(acting_user=gp_c, kind="cases", format="csv")
    _as_role(app_role_everywhere, scope="all")  # the worker: a named job, partnership-wide
    export_build(export_id=str(export.pk))
    export = Export.objects.get(pk=export.pk)
    assert export.status == ExportStatus.READY
    assert [row[0] for row in csv_rows(bytes(export.content))[1:]] == [case_c.reference]
    assert row_security.current() == ("", "all")


def test_the_feed_reads_as_its_owner_on_a_request_without_a_session(
    settings,
    app_role_everywhere,  # noqa: F811
    practitioner_a_client,
    future_meeting,
):
    settings.MARM_ROW_LEVEL_SECURITY = True
    page = practitioner_a_client.post("/calendar/").content.decode()
    start = page.index("/calendar/", page.index("http://"))
    path = page[start : page.index("<", start)].strip()
    _as_role(app_role_everywhere)
    response = Client().get(path)
    assert response.status_code == 200
    assert future_meeting.case.reference in response.content.decode()
    assert row_security.current() == ("", "")
