"""A token's request sets its user's agency for row-level security, as a browser's does (ADR 0028):
the user is known only once the view runs, after the middleware has set no agency."""

import pytest
from django.db import connection
from django.test import Client

from marm.core import row_security
from tests.api.conftest import token_for
from tests.core.test_row_level_security import _as_role, _count, app_role_everywhere  # noqa: F401

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security is a PostgreSQL feature: run with DATABASE_URL set to a PostgreSQL database",
)


@pytest.mark.django_db
def test_Z7_a_token_request_reads_as_its_users_agency_and_leaves_none_behind(
    settings,
    person_a,
    practitioner_a,
    gp_c,
    app_role_everywhere,  # noqa: F811
):
    settings.MARM_ROW_LEVEL_SECURITY = True
    practitioner = Client(headers={"Authorization": f"Bearer {token_for(practitioner_a)}"})
    gp = Client(headers={"Authorization": f"Bearer {token_for(gp_c)}"})
    _as_role(app_role_everywhere)

    response = practitioner.get(f"/api/people/{person_a.pk}/")
    assert response.status_code == 200
    assert response.json()["family_name"] == "Thornbury"
    assert gp.get(f"/api/people/{person_a.pk}/").status_code == 404
    assert row_security.current() == ("", "")
    assert _count("people_person") == 0
