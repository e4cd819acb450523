"""Your account: the user's own API tokens (ADR 0034). Making one needs the second factor given
within the last few minutes, as changing a password does; the token is shown once."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from marm.accounts.middleware import authenticated_recently, confirm_identity_redirect
from marm.api import forms, selectors, services
from marm.govuk_forms.forms import submit_to_service, submitted


def token_list(request):
    return render(
        request,
        "api/token_list.html",
        {"tokens": selectors.tokens_of(user=request.user), "max_days": services.max_days()},
    )


@require_http_methods(["GET", "POST"])
def token_new(request):
    if not authenticated_recently(request):
        return confirm_identity_redirect(request)
    form = forms.ApiTokenForm(
        submitted(request),
        may_read_measures=request.user.has_perm("assurance.view_measures"),
        max_days=services.max_days(),
    )
    submission = submit_to_service(
        request, form, lambda data: services.api_token_create(acting_user=request.user, **data)
    )
    if submission.succeeded:
        row, token = submission.result
        # Shown once, in this response only: marm keeps nothing it could show again.
        return render(request, "api/token_made.html", {"row": row, "token": token})
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "heading": "Make an API token",
            "caption": "Your account",
            "back_url": reverse("api:tokens"),
            "button": "Make the token",
        },
    )


@require_POST
def token_revoke(request, token_id):
    token = selectors.token_of_user(user=request.user, token_id=token_id)
    services.api_token_revoke(acting_user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” has been revoked: it no longer works")
    return redirect("api:tokens")
