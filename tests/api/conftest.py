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
