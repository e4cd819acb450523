"""Reads of API tokens. A token's secret is never read back: only its hash is kept."""

import hmac
import re

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from marm.api.models import ApiToken
from marm.api.services import TOKEN_PREFIX, hash_secret

_TOKEN = re.compile(rf"^{TOKEN_PREFIX}_(?P<prefix>[0-9a-f]{{8}})_[A-Za-z0-9_-]{{20,100}}$")


def tokens_of(*, user) -> list[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones included: they are the history)."""
    return list(ApiToken.objects.filter(user=user))


def token_of_user(*, user, token_id) -> ApiToken:
    """One of the user's own tokens; a 404 for anyone else's."""
    try:
        return ApiToken.objects.get(pk=int(token_id), user=user)
    except (ValueError, TypeError, ApiToken.DoesNotExist):
        raise Http404("No such token") from None


def token_for_request(raw: str) -> ApiToken | None:
    """The usable token ``raw`` is, with its user; None for an unknown, wrong, expired or revoked one.

    Marks the token used, at most once a minute (the only write a token's request makes for it)."""
    match = _TOKEN.match(raw)
    if not match:
        return None
    now = timezone.now()
    token = ApiToken.objects.usable(now).select_related("user").filter(prefix=match["prefix"]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(raw)):
        return None
    touch = settings.MARM_API_TOKEN_TOUCH_SECONDS
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= touch:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
