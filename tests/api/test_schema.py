"""The OpenAPI schema is served, committed and current, and the API keeps to it: schemathesis sends
each operation generated requests (valid ones, with a valid token) and checks every answer against
the schema, with no server error (ADR 0034)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import token_for

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
# Kept small so CI stays fast: each operation is sent this many generated requests.
EXAMPLES_PER_OPERATION = 12


def _generated(tmp_path) -> str:
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    return out.read_text()


def test_the_committed_schema_is_the_one_the_code_makes(tmp_path):
    assert COMMITTED.read_text() == _generated(tmp_path), (
        "docs/api/openapi.yaml is out of date: run "
        "`DJANGO_SETTINGS_MODULE=marm.config.settings.test python manage.py spectacular --file docs/api/openapi.yaml`"
    )


@pytest.mark.django_db
def test_the_schema_is_served_to_a_token_or_a_signed_in_browser_not_to_anyone(practitioner_a, practitioner_a_client):
    assert Client().get("/api/schema/").status_code == 401
    assert practitioner_a_client.get("/api/schema/").status_code == 200
    response = Client(headers={"Authorization": f"Bearer {token_for(practitioner_a)}"}).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/people/{pk}/chronology/" in response.content


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, served in the test's own transaction: as Django's test client does,
    the connection is not closed at the end of each request."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["practitioner_a", "board_officer", "duty_a"])
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(
    request, wsgi_app, persona, person_a, accepted_case, chronology_entry_a, entry_a
):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    user = request.getfixturevalue(persona)
    scopes = {"board_officer": ("board",), "duty_a": ("read",)}.get(persona, ("read", "write"))
    headers = {"Authorization": f"Bearer {token_for(user, scopes=scopes)}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=headers)
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13  # eleven GETs, adding to the chronology and a duty officer's purpose
    # Generated ids name no one (404); then the same operations for person_a and their case, whom the
    # practitioner may see, so the answers with a record in them are checked too.
    known = {"pk": str(person_a.pk), "case_pk": str(accepted_case.pk)}
    strategies = [operation.as_strategy() for operation in operations]
    strategies += [
        operation.as_strategy(path_parameters={p.name: known[p.name] for p in operation.path_parameters})
        for operation in operations
        if list(operation.path_parameters)
    ]
    for strategy in strategies:

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def sends(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks)

        sends()
