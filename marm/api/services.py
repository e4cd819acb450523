"""Writes of API tokens: making one and revoking one, each audited with the user's other credentials.

The API's own writes about people go through the services of the apps that keep the records,
exactly as the pages' do (marm.api.views)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marm.api.models import ApiToken, Scope
from marm.audit.models import AuditAction
from marm.audit.services import audit_record

TOKEN_PREFIX = "marm"  # noqa: S105 - the start every token shares, not a secret


def hash_secret(token: str) -> str:
    """The token is 256 random bits: a plain SHA-256 is as strong as a slow hash and quick to check."""
    return hashlib.sha256(token.encode()).hexdigest()


def max_days() -> int:
    return settings.MARM_API_TOKEN_MAX_DAYS


def _check(*, acting_user, name: str, scopes, expires_on) -> list[str]:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter what the token is for"
    chosen = [scope for scope in Scope.values if scope in set(scopes or ())]
    if not chosen or len(chosen) != len(set(scopes or ())):
        errors["scopes"] = "Select what the token may do"
    elif Scope.BOARD in chosen and not acting_user.has_perm("assurance.view_measures"):
        errors["scopes"] = "Only board officers may read the board's measures"
    today = timezone.localdate()
    if expires_on is None:
        errors["expires_on"] = "Enter the date the token stops working"
    elif expires_on <= today:
        errors["expires_on"] = "The date the token stops working must be in the future"
    elif expires_on > today + datetime.timedelta(days=max_days()):
        errors["expires_on"] = f"A token works for {max_days()} days at most: choose an earlier date"
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def api_token_create(*, acting_user, name: str, scopes, expires_on: datetime.date) -> tuple[ApiToken, str]:
    """A new token for the acting user, working until the end of ``expires_on``.

    Returns the token's row and the token itself, which is shown once and never stored."""
    chosen = _check(acting_user=acting_user, name=name, scopes=scopes, expires_on=expires_on)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    ends = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time.min)
    row = ApiToken(
        user=acting_user,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_secret(token),
        scopes=chosen,
        expires_at=timezone.make_aware(ends),
    )
    row.full_clean()
    row.save(force_insert=True)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREDENTIALS,
        obj=row,
        detail={"change": "API token created", "prefix": prefix, "scopes": chosen, "expires_on": str(expires_on)},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, acting_user, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Only its own user revokes it; revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=acting_user)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.CREDENTIALS,
        obj=token,
        detail={"change": "API token revoked", "prefix": token.prefix},
    )
    return token
