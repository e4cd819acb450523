from rest_framework.permissions import SAFE_METHODS, BasePermission

from marm.api.models import ApiToken, Scope


class TokenScope(BasePermission):
    """A token does only what its scopes allow: ``read`` to read, ``write`` to write, ``board`` for the
    board's measures. A browser's session is its user acting as on the pages, bounded by their roles."""

    message = "This token's scopes do not allow this request."

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        return view.scope_for(request) in token.scopes


def read_or_write(request) -> str:
    return Scope.READ if request.method in SAFE_METHODS else Scope.WRITE
