"""Who is on the other end of a request, for lockouts and the audit trail."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies,
    the X-Forwarded-For entry the nearest trusted proxy saw."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


# No e-mail address is longer (RFC 5321); axes keeps the name in a 255-character column.
USERNAME_MAX_LENGTH = 254


def sign_in_username(request, credentials) -> str | None:
    """The e-mail address a sign-in attempt names, folded to lower case, so each
    capitalisation of one address shares one lockout count (sign-in ignores case).
    Cut to 254 characters so a huge value never reaches axes' column (PostgreSQL
    refuses it); a name that long cannot be an account, so nothing is merged."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower()[:USERNAME_MAX_LENGTH] if username else username
