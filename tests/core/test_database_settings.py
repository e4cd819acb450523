"""How marm's connections to PostgreSQL are set up."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings"),
]


def test_queries_are_not_compiled_by_the_jit():
    """At a million people the planner sent a home page query to the JIT compiler, which took most of a
    second to compile a query that ran in a fraction of it: every connection turns the JIT off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
