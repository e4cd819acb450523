"""The API's errors as JSON, in the same terms as the pages': 404 for what the user may not see
(audited by the guarded fetch), 403 for what they see but may not do, 400 with each field's message
for a refused write."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from marm.access.guard import PurposeRequired


def as_api_error(error: ValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as the API's 400: messages by field, "non_field_errors" for the rest."""
    if hasattr(error, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): [message for e in errors for message in e.messages]
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {"non_field_errors": error.messages}
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = as_api_error(exc)
    elif isinstance(exc, PurposeRequired):
        # A duty officer's full-record read: say where the purpose is given (the duty desk's open).
        where = reverse("api:duty-open", kwargs={"pk": exc.person_id})
        exc = exceptions.PermissionDenied(f"Say why you need the full record first: send the purpose to {where}")
    return drf_exception_handler(exc, context)
