"""Administration pages: thin views over the services. Each page and action is for administrators
(a manager for the requests of their agency), and needs the password and a code given within the
last few minutes."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from marm.access.roles import PEOPLE_ROLES
from marm.access.rules import require
from marm.accounts.middleware import authenticated_recently, confirm_identity_redirect, second_factor_not_required
from marm.administration import forms, selectors, services
from marm.administration.models import RoleRequest
from marm.govuk_forms.forms import submit_to_service, submitted

ADMINISTER = "administration.administer"
DECIDE = "administration.decide_role_request"


def _guarded(perm):
    """403 for anyone without the permission; then the password and a code again if not given lately."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, perm)
            if not authenticated_recently(request):
                return confirm_identity_redirect(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


administrator_page = _guarded(ADMINISTER)
manager_page = _guarded(DECIDE)


def _user_url(user) -> str:
    return reverse("administration:user", kwargs={"user_id": user.pk})


def _form_page(request, form, *, heading, button, back_url, caption="", template="form_page.html", **extra):
    context = {"form": form, "heading": heading, "button": button, "back_url": back_url, "caption": caption}
    return render(request, template, {**context, **extra})


@require_GET
@administrator_page
def users(request):
    agencies = selectors.agencies()
    form = forms.UserSearchForm(request.GET or None, agencies=agencies)
    query, agency_id = "", None
    if form.is_bound and form.is_valid():
        query, agency_id = form.cleaned_data["q"], form.cleaned_data["agency"] or None
    found = selectors.users_listed(query=query, agency_id=agency_id)
    return render(
        request,
        "administration/users.html",
        {"form": form, "users": found, "limit": selectors.USERS_SHOWN, "searched": bool(query or agency_id)},
    )


@require_http_methods(["GET", "POST"])
@administrator_page
def user_new(request):
    form = forms.UserCreateForm(submitted(request), agencies=selectors.agencies())
    submission = submit_to_service(
        request,
        form,
        lambda data: services.user_create(acting_user=request.user, **data),
        success_message="Account made. An e-mail with a link to set a password has gone to the new user",
    )
    if submission.succeeded:
        return redirect(_user_url(submission.result))
    return _form_page(
        request,
        form,
        heading="Add a user",
        button="Add the user",
        back_url=reverse("administration:users"),
        template="administration/user_new.html",
    )


@require_GET
@administrator_page
def user_detail(request, user_id):
    user = selectors.user_get(user_id=user_id)
    return render(
        request,
        "administration/user.html",
        {
            "subject": user,
            "memberships": user.roles_held,
            "pending": selectors.pending_requests_of(user=user),
            "sessions_open": selectors.open_sessions_count(user=user),
            "is_self": user.pk == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@administrator_page
def role_add(request, user_id):
    user = selectors.user_get(user_id=user_id)
    form = forms.RoleForm(submitted(request), teams=selectors.teams_of(agency_id=user.agency_id))

    def give(data):
        if data["role"] in PEOPLE_ROLES:
            return services.role_request(acting_user=request.user, user=user, **data)
        return services.membership_grant(acting_user=request.user, user=user, team=data["team"], role=data["role"])

    submission = submit_to_service(request, form, give)
    if submission.succeeded:
        if isinstance(submission.result, RoleRequest):
            messages.success(request, "Role requested. The agency's managers have been asked to agree")
        else:
            messages.success(request, "Role given. The agency's managers have been told")
        return redirect(_user_url(user))
    return _form_page(
        request,
        form,
        heading="Give a role",
        button="Continue",
        back_url=_user_url(user),
        caption=user.full_name,
        template="administration/confirm.html",
        intro=[
            "An administrator or board officer role is given at once.",
            "A role that sees adults (practitioner, manager, duty officer, supervisor, auditor) is given only "
            "when a manager of the user's agency agrees: they are asked now.",
        ],
    )


@require_http_methods(["GET", "POST"])
@administrator_page
def role_remove(request, user_id, membership_id):
    user = selectors.user_get(user_id=user_id)
    membership = selectors.membership_of(user=user, membership_id=membership_id)
    form = forms.ReasonForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.membership_remove(acting_user=request.user, membership=membership, **data),
        success_message=f"Role removed: {membership.get_role_display()} in {membership.team.name}",
    )
    if submission.succeeded:
        return redirect(_user_url(user))
    return _form_page(
        request,
        form,
        heading=f"Remove the {membership.get_role_display().lower()} role in {membership.team.name}",
        button="Remove the role",
        button_class="govuk-button--warning",
        back_url=_user_url(user),
        caption=user.full_name,
        template="administration/confirm.html",
        intro=["The role ends on their next page. The agency's managers are told."],
    )


# Actions on an account confirmed on a page of their own: (service, heading, button, what happens, done).
ACCOUNT_ACTIONS = {
    "deactivate": (
        services.user_deactivate,
        "Deactivate the account",
        "Deactivate",
        "They can no longer sign in, and every session they have open ends now.",
        "Account deactivated and its sessions ended",
    ),
    "activate": (
        services.user_activate,
        "Activate the account",
        "Activate",
        "They can sign in again with their password and authenticator app.",
        "Account activated",
    ),
    "password-reset": (
        services.password_reset_send,
        "Send a password reset link",
        "Send the link",
        "They are e-mailed a link that works once, to set a new password. You never see or set it.",
        "A password reset link has been e-mailed to them",
    ),
    "second-factor-reset": (
        services.second_factor_reset,
        "Reset their second factor",
        "Reset the second factor",
        "Their authenticator app and recovery codes stop working and their sessions end. "
        "They set up an app again at their next sign-in.",
        "Second factor reset: they set up an authenticator app at their next sign-in",
    ),
    "sessions-end": (
        services.sessions_end,
        "End all their sessions",
        "End all sessions",
        "Every browser signed in as them is signed out now.",
        "All their sessions have ended",
    ),
}
WITH_REASON = {"deactivate", "activate", "second-factor-reset", "sessions-end"}
WARNING = {"deactivate", "second-factor-reset", "sessions-end"}


@require_http_methods(["GET", "POST"])
@administrator_page
def account_action(request, user_id, action):
    user = selectors.user_get(user_id=user_id)
    service, heading, button, intro, done = ACCOUNT_ACTIONS[action]
    form = (forms.ReasonForm if action in WITH_REASON else forms.ConfirmForm)(submitted(request))
    submission = submit_to_service(
        request, form, lambda data: service(acting_user=request.user, user=user, **data), success_message=done
    )
    if submission.succeeded:
        return redirect(_user_url(user))
    return _form_page(
        request,
        form,
        heading=heading,
        button=button,
        button_class="govuk-button--warning" if action in WARNING else "",
        back_url=_user_url(user),
        caption=f"{user.full_name} ({user.email})",
        template="administration/confirm.html",
        intro=[intro],
        warning=action in WARNING,
    )


@require_GET
@manager_page
def requests(request):
    found = selectors.requests_for_manager(user=request.user)
    return render(request, "administration/requests.html", {**found, "me": request.user})


@require_http_methods(["GET", "POST"])
@manager_page
def request_decide(request, request_id):
    role_request = selectors.request_for_manager(user=request.user, request_id=request_id)
    form = forms.DecideForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.role_request_decide(
            acting_user=request.user,
            role_request=role_request,
            agree=data["decision"] == "agree",
            reason=data["reason"],
        ),
    )
    if submission.succeeded:
        agreed = submission.result.outcome == "agreed"
        messages.success(request, "Role given" if agreed else "Request declined")
        return redirect("administration:requests")
    return _form_page(
        request,
        form,
        heading=f"The {role_request.get_role_display().lower()} role for {role_request.user.full_name}",
        button="Save the decision",
        back_url=reverse("administration:requests"),
        caption="A request for a role that sees adults",
        template="administration/decide.html",
        role_request=role_request,
    )


@login_not_required
@second_factor_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request, uidb64, token):
    """The link in the e-mail: set a new password. It works once (the token is made from the old
    password) and within the reset timeout."""
    user = selectors.password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "administration/password_reset_invalid.html")
    form = forms.SetPasswordForm(submitted(request), user=user)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.password_reset_complete(acting_user=user, token=token, password=data["new_password"]),
    )
    if submission.succeeded:
        return render(request, "administration/password_reset_done.html")
    return _form_page(
        request,
        form,
        heading="Set your password",
        button="Set password",
        back_url="",
        caption=user.email,
        template="administration/password_reset.html",
    )
