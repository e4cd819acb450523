"""After the database restarts (or cuts a connection), marm's next request is served: a kept
connection is checked before a request reuses it (CONN_HEALTH_CHECKS, ADR 0029)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _database_settings(**env_extra) -> str:
    script = (
        "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marm.config.settings.production",
        "SECRET_KEY": "x" * 60 + "-production-settings-check",
        "DATABASE_URL": "postgres://marm@db.example.org:5432/marm",
        **env_extra,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_keeps_connections_and_checks_them_before_reuse():
    assert _database_settings() == "60 True"
    assert _database_settings(DATABASE_CONN_HEALTH_CHECKS="false") == "60 False"


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_cut_is_replaced_before_the_next_request():
    if connection.vendor != "postgresql":
        pytest.skip("a kept connection is PostgreSQL's: SQLite opens one for each request")
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60  # as marm's settings keep it (the test settings may not)
    try:
        client = Client()
        assert client.get("/health/").status_code == 200
        close_old_connections()  # the end of the request, as the server does it: the connection is kept
        cut = connection.connection.info.backend_pid
        # The database ends the connection, as a restart does (from another connection).
        other = connection.copy()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [cut])
        other.close()

        close_old_connections()  # the start of the next request
        assert client.get("/health/").status_code == 200
        assert connection.connection.info.backend_pid != cut
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = kept
