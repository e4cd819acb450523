import datetime

import pytest
from django.test import Client
from django.utils import timezone

from marm.api.services import api_token_create


def token_for(user, scopes=("read", "write"), days=30, name="Case system") -> str:
    expires_on = timezone.localdate() + datetime.timedelta(days=days)
    _row, token = api_token_create(acting_user=user, name=name, scopes=list(scopes), expires_on=expires_on)
    return token


def api_client_for(user, scopes=("read", "write")) -> Client:
    """A client that calls the API as another system would: a token, no session, no cookies."""
    return Client(headers={"Authorization": f"Bearer {token_for(user, scopes)}"})


@pytest.fixture
def api_for():
    return api_client_for


# The register's and the meetings' records about person_a, as their own tests make them.
from tests.meetings.conftest import planning_case, planning_meeting  # noqa: E402, F401
from tests.register.conftest import entry_a, process_a, team_a  # noqa: E402, F401


@pytest.fixture
def action_a(accepted_case, practitioner_a):
    from marm.plans.services import action_create

    return action_create(
        acting_user=practitioner_a,
        case=accepted_case,
        what="Home safety visit",
        lead_user=practitioner_a,
        agency=practitioner_a.agency,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
