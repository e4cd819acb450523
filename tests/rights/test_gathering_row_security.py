"""On PostgreSQL with row-level security (ADR 0028), a subject access request is answered by the
partnership: the gathering reads across agencies, so a record naming a person the officer's agency
does not know is still in the answer (and marked as naming someone else)."""

import pytest
from django.db import connection
from django.utils import timezone

from marm.core import row_security
from marm.linkage.models import LinkSource, PersonLink
from marm.rights import gathering
from tests.core.test_row_level_security import _as_role, _drop, _role

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security is a PostgreSQL feature: run with DATABASE_URL set to a PostgreSQL database",
)


@pytest.fixture
def app_role(db):
    """A role that owns no table and may read and write every table, as the application's role."""
    name = _role(
        [
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ]
    )
    yield name
    _drop(name)


@pytest.fixture
def link_to_person_c(person_a, person_c, practitioner_a):
    one, other = sorted([person_a, person_c], key=lambda person: str(person.pk))
    return PersonLink.objects.create(
        person_a=one,
        person_b=other,
        reason="Same date of birth and address",
        source=LinkSource.PERSON_PAGE,
        linked_at=timezone.now(),
        linked_by=practitioner_a,
    )


def test_the_gathering_reads_across_agencies_in_a_request_scoped_to_one(
    settings,
    app_role,
    agency_a,
    person_a,
    person_c,
    link_to_person_c,
):
    settings.MARM_ROW_LEVEL_SECURITY = True
    token = row_security._request_agencies.set(str(agency_a.pk))
    try:
        _as_role(app_role, agency_ids=[agency_a.pk])
        # The request's own scope hides person C, and with them the link's row.
        model, paths = next((m, p) for m, p in gathering.gathered_models() if m is PersonLink)
        assert list(gathering._rows(model, paths, person_a.pk)) == []
        gathered = gathering.gather(person_a)
        # Afterwards the connection is back to the request's agency.
        assert row_security.current() == (str(agency_a.pk), "")
    finally:
        row_security._request_agencies.reset(token)
    link = [field for field in gathered if field.model_label == "linkage.personlink"]
    other = [field for field in link if field.field_name in ("person_a", "person_b")]
    assert [(field.value, field.names_someone_else) for field in other] == [(person_c.full_name, True)]
