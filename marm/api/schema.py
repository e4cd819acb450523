"""How the OpenAPI schema (docs/api/openapi.yaml) describes marm's ways in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "marm.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made under Your account after the second factor.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "marm.api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A browser signed in with both factors (the cookie is __Host-sessionid in production).",
        }
