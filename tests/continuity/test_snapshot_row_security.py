"""On PostgreSQL with row-level security (ADR 0028), the snapshot job reads as every sweep does: a
connection opened outside a request is partnership-wide, so the team's whole register is sealed.
The role used owns nothing, so the policies apply to it (tests/core/test_row_level_security.py)."""

import json

import pytest
from django.db import connection

from marm.continuity import crypto
from marm.continuity.models import Snapshot
from marm.continuity.services import SnapshotIncomplete, snapshot_make
from marm.core import row_security
from tests.core.test_row_level_security import _as_role, _drop, _role, _set_role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security is a PostgreSQL feature: run with DATABASE_URL set to a PostgreSQL database",
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


def _people(snapshot, team):
    opened = crypto.open_sealed(
        json.loads(bytes(snapshot.content).decode().split('type="application/json">', 1)[1].split("</script>", 1)[0]),
        passphrase=crypto.team_passphrase(team.pk, snapshot.passphrase_version),
    )
    return [entry["person"]["name"] for entry in json.loads(opened.payload)["entries"]]


def test_the_snapshot_job_reads_the_whole_register_as_a_system_job(settings, team_a, register_a, app_role):
    settings.MARM_ROW_LEVEL_SECURITY = True
    row_security._on_connection_created(sender=None, connection=connection)  # as a command's connection opens
    _set_role(app_role)
    snapshot = snapshot_make(team=team_a)
    assert _people(snapshot, team_a) == ["Arthur Pendle", "Margaret Thornbury"]


def test_without_the_system_scope_no_snapshot_that_looks_empty_is_made(settings, team_a, register_a, app_role):
    """The database hides the people from a connection with no agency and no scope; the job refuses to seal
    a register that would look empty to the duty desk, and leaves nothing behind."""
    settings.MARM_ROW_LEVEL_SECURITY = True
    _as_role(app_role)
    with pytest.raises(SnapshotIncomplete):
        snapshot_make(team=team_a)
    assert not Snapshot.objects.exists()
