"""Reads for the administration pages: accounts, their roles and requests. No adult's record."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.http import urlsafe_base64_decode

from marm.access.guard import parse_pk
from marm.accounts.sessions import sessions_open
from marm.administration.models import RequestOutcome, RoleRequest
from marm.organisations.models import Agency, Membership, Team

USERS_SHOWN = 200


def _memberships():
    return Prefetch("memberships", queryset=Membership.objects.select_related("team").order_by("team__name", "role"))


def users_listed(*, query: str = "", agency_id=None) -> list:
    """Accounts by name, found by part of a name or e-mail address, in one agency if chosen."""
    users = get_user_model().objects.select_related("agency").prefetch_related(_memberships())
    query = query.strip()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if agency_id:
        users = users.filter(agency_id=agency_id)
    found = list(users.order_by("full_name", "email")[:USERS_SHOWN])
    for user in found:
        user.roles_held = list(user.memberships.all())  # prefetched: no query
    return found


def agencies() -> list[Agency]:
    return list(Agency.objects.order_by("name"))


def user_get(*, user_id):
    pk = parse_pk(get_user_model(), user_id)
    user = (
        get_user_model().objects.select_related("agency").prefetch_related(_memberships()).filter(pk=pk).first()
        if pk is not None
        else None
    )
    if user is None:
        raise Http404("No such account")
    user.roles_held = list(user.memberships.all())  # prefetched: no query
    return user


def membership_of(*, user, membership_id) -> Membership:
    pk = parse_pk(Membership, membership_id)
    membership = Membership.objects.select_related("team").filter(pk=pk, user=user).first() if pk else None
    if membership is None:
        raise Http404("No such role")
    return membership


def teams_of(*, agency_id) -> list[Team]:
    return list(Team.objects.filter(agency_id=agency_id).order_by("name")) if agency_id else []


def pending_requests_of(*, user) -> list[RoleRequest]:
    return list(
        RoleRequest.objects.filter(user=user, outcome=RequestOutcome.PENDING)
        .select_related("team", "requested_by")
        .order_by("requested_at")
    )


def open_sessions_count(*, user) -> int:
    return len(sessions_open(user))


def requests_for_manager(*, user) -> dict[str, list[RoleRequest]]:
    """The requests for roles in the manager's agency: waiting first, then the latest decided."""
    rows = RoleRequest.objects.filter(team__agency_id=user.agency_id).select_related(
        "user", "team", "requested_by", "decided_by"
    )
    return {
        "pending": list(rows.filter(outcome=RequestOutcome.PENDING).order_by("requested_at")),
        "decided": list(rows.exclude(outcome=RequestOutcome.PENDING).order_by("-decided_at")[:50]),
    }


def request_for_manager(*, user, request_id) -> RoleRequest:
    """A request in the manager's own agency (404 for any other)."""
    pk = parse_pk(RoleRequest, request_id)
    request = (
        RoleRequest.objects.select_related("user", "team", "requested_by")
        .filter(pk=pk, team__agency_id=user.agency_id)
        .first()
        if pk is not None and user.agency_id
        else None
    )
    if request is None:
        raise Http404("No such request")
    return request


def password_reset_user(*, uidb64: str, token: str):
    """The active user a reset link is for, or None when the link is wrong, used or out of date."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user
