"""Who calls the API (ADR 0034).

``Authorization: Bearer <token>``: a personal token that is neither expired nor revoked, of an
active user. The request makes no session and sets no cookie. A browser signed in with both
factors may read the API through its session too (the schema page, the URL sweep); its writes
are checked for CSRF as a form's are.
"""

from rest_framework import authentication, exceptions

from marm.api.selectors import token_for_request
from marm.core.row_security import request_user_known

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after Bearer, with no spaces in it.")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = token_for_request(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, has expired or has been revoked.")
        request_user_known(token.user)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, only once the second factor has been given (ADR 0022)."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if not user or not user.is_active or not getattr(user, "is_verified", lambda: False)():
            return None
        self.enforce_csrf(request)
        return user, None
