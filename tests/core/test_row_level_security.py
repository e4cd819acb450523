"""Row-level security on people and cases as a second wall (ADR 0028; checklist Z7).

The tests connect as the PostgreSQL superuser, which bypasses row-level security like the
tables' owner. Each test therefore creates a role that owns nothing, grants it what it needs
and switches to it with ``SET ROLE``, as the application's role would connect. The role is
made inside the test's transaction and dropped at the end of it.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marm.core import row_security
from marm.people.models import AgencyInvolvement

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security is a PostgreSQL feature: run with DATABASE_URL set to a PostgreSQL database",
)

SCOPED_TABLES = "people_person, people_agencyinvolvement, cases_case, cases_caseagency"


def _role(grants):
    name = f"marm_rls_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{name}"')
        for grant in grants:
            cursor.execute(grant.format(role=f'"{name}"'))
    return name


def _drop(name):
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def app_role(db):
    """A role that owns no table and may read the scoped tables, as the application's role."""
    name = _role([f"GRANT SELECT, UPDATE ON {SCOPED_TABLES} TO {{role}}"])
    yield name
    _drop(name)


@pytest.fixture
def app_role_everywhere(db):
    """A role that owns no table and may read and write every table, to serve whole pages."""
    name = _role(
        [
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ]
    )
    yield name
    _drop(name)


def _as_role(role, *, agency_ids=(), scope=""):
    """Switch to ``role`` with exactly these values: by default no agency and no scope, as on a
    connection nothing has set them on (the policies read an empty value as they read none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('marm.agency_ids', %s, false), set_config('marm.scope', %s, false)",
            [",".join(str(pk) for pk in agency_ids), scope],
        )
    _set_role(role)


def _set_role(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')


def _ids(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def _count(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (the tests name the table)
        return cursor.fetchone()[0]


@pytest.fixture
def records(person_a, person_c, concern):
    """person_a: agency A (recorded them) and B (sharing); person_c: agency C; a case led by A."""
    return person_a, person_c, concern


def test_Z7_the_superuser_sees_every_row_without_a_setting(records):
    assert _count("people_person") == 2
    assert _count("cases_case") == 1


def test_Z7_app_role_without_the_setting_sees_no_person_and_no_case(records, app_role):
    _as_role(app_role)

    assert _count("people_person") == 0
    assert _count("cases_case") == 0
    assert _ids("SELECT id FROM people_person") == set()


def test_Z7_app_role_with_agency_a_sees_only_agency_a_people_and_cases(records, app_role, agency_a):
    person_a, _, concern = records
    _as_role(app_role, agency_ids=[agency_a.pk])

    assert _ids("SELECT id FROM people_person") == {person_a.pk}
    assert _ids("SELECT id FROM cases_case") == {concern.pk}


def test_Z7_app_role_with_agency_c_sees_only_agency_c_people(records, app_role, agency_c):
    _, person_c, _ = records
    _as_role(app_role, agency_ids=[agency_c.pk])

    assert _ids("SELECT id FROM people_person") == {person_c.pk}
    assert _count("cases_case") == 0


def test_Z7_app_role_with_agency_b_sees_the_person_shared_with_it_but_not_the_case(records, app_role, agency_b):
    """B is involved with person_a through sharing but has no part in A's case: as visible_to says."""
    person_a, _, _ = records
    _as_role(app_role, agency_ids=[agency_b.pk])

    assert _ids("SELECT id FROM people_person") == {person_a.pk}
    assert _count("cases_case") == 0


def test_Z7_an_ended_involvement_hides_the_person(records, app_role, agency_b):
    person_a, _, _ = records
    AgencyInvolvement.objects.filter(person=person_a, agency=agency_b).update(ended_at=timezone.now())
    _as_role(app_role, agency_ids=[agency_b.pk])

    assert _count("people_person") == 0


def test_Z7_app_role_with_scope_all_sees_everyone(records, app_role):
    _as_role(app_role, scope="all")

    assert _count("people_person") == 2
    assert _count("cases_case") == 1


def test_Z7_app_role_changes_only_the_rows_it_can_see(records, app_role, agency_c):
    _, person_c, _ = records
    _as_role(app_role, agency_ids=[agency_c.pk])

    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET family_name = 'Changed'")
        assert cursor.rowcount == 1
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT id FROM people_person WHERE family_name = 'Changed'")
        assert {row[0] for row in cursor.fetchall()} == {person_c.pk}


def test_Z7_person_page_as_the_app_role_with_the_setting_on(
    settings, records, app_role_everywhere, practitioner_a, gp_c, client_for
):
    """The whole person page served through the middleware to a role the policies apply to."""
    settings.MARM_ROW_LEVEL_SECURITY = True
    person_a, person_c, _ = records
    practitioner = client_for(practitioner_a)
    gp = client_for(gp_c)
    _as_role(app_role_everywhere)

    response = practitioner.get(f"/people/{person_a.pk}/")
    assert response.status_code == 200
    assert "Thornbury" in response.content.decode()
    assert gp.get(f"/people/{person_a.pk}/").status_code == 404
    assert gp.get(f"/people/{person_c.pk}/").status_code == 200

    # The connection is reused by whatever comes next: the request left no agency on it.
    assert row_security.current() == ("", "")
    assert _count("people_person") == 0


def test_Z7_on_a_connection_nothing_has_scoped_the_app_role_cannot_open_the_person_page(
    settings, records, app_role_everywhere, practitioner_a, client_for
):
    """The database, not only the app, keeps the person back when no agency is set."""
    settings.MARM_ROW_LEVEL_SECURITY = False
    person_a, _, _ = records
    client = client_for(practitioner_a)
    _as_role(app_role_everywhere)

    assert client.get(f"/people/{person_a.pk}/").status_code == 404


def test_Z7_the_middleware_sets_nothing_when_the_setting_is_off(settings, records, practitioner_a, client_for):
    settings.MARM_ROW_LEVEL_SECURITY = False
    person_a, _, _ = records
    client = client_for(practitioner_a)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/people/{person_a.pk}/").status_code == 200

    assert not [query for query in queries.captured_queries if "marm.agency_ids" in query["sql"]]


def test_Z7_a_connection_opened_outside_a_request_reads_the_whole_partnership(settings, records, app_role):
    """Commands and the task worker are named system jobs: their connections get 'all'."""
    settings.MARM_ROW_LEVEL_SECURITY = True
    row_security.apply(connection)
    row_security._on_connection_created(sender=None, connection=connection)
    _set_role(app_role)

    assert _count("people_person") == 2


def test_Z7_a_connection_reopened_during_a_request_keeps_the_request_agency(settings, records, app_role, agency_c):
    settings.MARM_ROW_LEVEL_SECURITY = True
    _, person_c, _ = records
    token = row_security._request_agencies.set(str(agency_c.pk))
    try:
        row_security._on_connection_created(sender=None, connection=connection)
    finally:
        row_security._request_agencies.reset(token)
    _set_role(app_role)

    assert row_security.current() == (str(agency_c.pk), "")
    assert _ids("SELECT id FROM people_person") == {person_c.pk}


def test_Z7_with_the_setting_off_a_new_connection_is_partnership_wide(settings, records, app_role):
    """Off, the policies stand open: an application role that owns nothing still works as before."""
    settings.MARM_ROW_LEVEL_SECURITY = False
    row_security.apply(connection)
    row_security._on_connection_created(sender=None, connection=connection)
    _set_role(app_role)

    assert _count("people_person") == 2
    assert _count("cases_case") == 1


def test_Z7_partnership_wide_widens_for_the_block_only(settings, records, app_role, agency_c):
    settings.MARM_ROW_LEVEL_SECURITY = True
    token = row_security._request_agencies.set(str(agency_c.pk))
    try:
        _as_role(app_role, agency_ids=[agency_c.pk])
        with row_security.partnership_wide():
            assert _count("people_person") == 2
        assert _count("people_person") == 1
        assert row_security.current() == (str(agency_c.pk), "")
    finally:
        row_security._request_agencies.reset(token)
