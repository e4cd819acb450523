"""Administration: every change to an account, a role or a credential, each an audited service.

Each service runs in one transaction and writes its hash-chained audit row in it, with who acted,
whom it was done to and the state before and after (ADR 0027). The Django admin no longer changes
users or memberships: these services are the only way.

Refusals are ``ValidationError``s in plain words:

- only an administrator administers (a manager decides requests for their own agency);
- nobody changes their own account, roles or credentials here (a takeover needs two people);
- a role is held in a team of the user's own agency;
- a role that sees adults (``PEOPLE_ROLES``) is granted only when a manager of the agency agrees
  to an administrator's request; the agency's managers are told of every request, grant and
  removal.
"""

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from marm.access.roles import PEOPLE_ROLES, Role, has_role
from marm.accounts import two_factor
from marm.accounts.sessions import sessions_end_all
from marm.administration.models import RequestOutcome, RoleRequest
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.notifications.services import notify
from marm.organisations.models import Membership

NOT_ADMINISTRATOR = "Only an administrator can do this"
NOT_YOURSELF = "You cannot change your own account, roles or sign-in details: ask another administrator"


# --- checks ----------------------------------------------------------------------------------


def _require_administrator(acting_user) -> None:
    if not (acting_user.is_active and has_role(acting_user, Role.ADMINISTRATOR)):
        raise ValidationError(NOT_ADMINISTRATOR)


def _not_yourself(acting_user, user) -> None:
    if acting_user.pk == user.pk:
        raise ValidationError(NOT_YOURSELF)


def _team_in_users_agency(user, team) -> None:
    if user.agency_id is None or team.agency_id != user.agency_id:
        raise ValidationError({"team": "Choose a team in the user's own agency"})


def _locked(user):
    """The user's row, locked for the rest of the transaction (two administrators at once)."""
    return get_user_model().objects.select_for_update().get(pk=user.pk)


# --- audit and notices -----------------------------------------------------------------------


def _account(user) -> dict:
    return {
        "full_name": user.full_name,
        "email": user.email,
        "agency": user.agency_id,
        "job_title": user.job_title,
        "is_active": user.is_active,
    }


def _audit(*, acting_user, action, user, before, after, obj=None, **extra):
    return audit_record(
        actor=acting_user,
        action=action,
        obj=obj or user,
        detail={"user": user.pk, "email": user.email, "before": before, "after": after, **extra},
    )


def _roles(user) -> list[dict]:
    """The user's roles as the audit row keeps them: team and role, in a stable order."""
    return [
        {"team": team_id, "role": role}
        for team_id, role in Membership.objects.filter(user=user)
        .order_by("team_id", "role")
        .values_list("team_id", "role")
    ]


def agency_managers(agency_id, *, exclude=()) -> list:
    """The active managers of an agency (a manager's role in one of its teams)."""
    skip = {u.pk for u in exclude}
    return [
        user
        for user in get_user_model()
        .objects.filter(
            is_active=True,
            agency_id=agency_id,
            memberships__role=Role.MANAGER,
            memberships__team__agency_id=agency_id,
        )
        .distinct()
        .order_by("pk")
        if user.pk not in skip
    ]


def _tell_managers(*, acting_user, agency_id, key: str, title: str, body: str, exclude=()) -> int:
    told = 0
    for manager in agency_managers(agency_id, exclude=(acting_user, *exclude)):
        if notify(
            recipient=manager,
            kind="administration",
            key=key,
            title=title,
            body=body,
            link=reverse("administration:requests"),
            actor=acting_user,
        ):
            told += 1
    return told


# --- accounts --------------------------------------------------------------------------------


def _reset_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("administration:password-reset", kwargs={"uidb64": uid, "token": token})
    return f"{settings.MARM_BASE_URL.rstrip('/')}{path}"


def _send_reset_link(user, *, first: bool) -> None:
    """E-mail the user a one-use link to set their password, once the transaction commits (a refused
    change sends nothing). The link is made here and goes only to the user: nobody else sees it."""
    link = _reset_link(user)
    service = settings.MARM_SERVICE_NAME
    if first:
        subject = f"{service}: set your password"
        opening = f"An account has been made for you in {service}. Set your password with this link:"
    else:
        subject = f"{service}: reset your password"
        opening = f"An administrator has sent you a link to set a new password for {service}:"
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    message = "\n\n".join(
        [
            opening,
            link,
            f"The link works once, within {hours} hours. Then you sign in with your authenticator app.",
            "If you did not expect this, tell your manager.",
        ]
    )
    email = user.email
    transaction.on_commit(lambda: send_mail(subject=subject, message=message, from_email=None, recipient_list=[email]))


@transaction.atomic
def user_create(*, acting_user, full_name: str, email: str, agency, job_title: str = ""):
    """A new account with no password: the user sets one through the link e-mailed to them, then an
    authenticator app at first sign-in. Roles are added separately."""
    _require_administrator(acting_user)
    user_model = get_user_model()
    user = user_model(
        full_name=full_name.strip(),
        email=user_model.objects.normalize_email(email).lower(),
        agency=agency,
        job_title=job_title.strip(),
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _audit(acting_user=acting_user, action=AuditAction.CREATE, user=user, before=None, after=_account(user))
    _send_reset_link(user, first=True)
    return user


@transaction.atomic
def user_deactivate(*, acting_user, user, reason: str = ""):
    """A leaver: the account can no longer sign in, and every session it has ends now."""
    _require_administrator(acting_user)
    _not_yourself(acting_user, user)
    user = _locked(user)
    if not user.is_active:
        raise ValidationError("This account is already deactivated")
    before = _account(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end_all(acting_user=acting_user, user=user, reason=reason or "Account deactivated")
    _audit(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        user=user,
        before=before,
        after=_account(user),
        change="account deactivated",
        sessions_ended=ended,
        reason=reason,
    )
    return user


@transaction.atomic
def user_activate(*, acting_user, user, reason: str = ""):
    _require_administrator(acting_user)
    _not_yourself(acting_user, user)
    user = _locked(user)
    if user.is_active:
        raise ValidationError("This account is already active")
    before = _account(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        user=user,
        before=before,
        after=_account(user),
        change="account activated",
        reason=reason,
    )
    return user


# --- roles -----------------------------------------------------------------------------------


def _grantable(*, acting_user, user, team, role) -> None:
    _require_administrator(acting_user)
    _not_yourself(acting_user, user)
    if role not in Role.values:
        raise ValidationError({"role": "Select a role"})
    _team_in_users_agency(user, team)
    if not user.is_active:
        raise ValidationError("This account is deactivated: activate it before giving it a role")
    if Membership.objects.filter(user=user, team=team, role=role).exists():
        raise ValidationError(f"{user} already has this role in {team.name}")


def _membership_add(*, acting_user, user, team, role, role_request=None) -> Membership:
    before = _roles(user)
    membership = Membership(user=user, team=team, role=role)
    membership.full_clean()
    membership.save()
    extra = {"team": team.pk, "role": role}
    if role_request is not None:
        extra |= {"role_request": role_request.pk, "requested_by": role_request.requested_by_id}
    _audit(
        acting_user=acting_user,
        action=AuditAction.GRANT,
        user=user,
        obj=membership,
        before=before,
        after=_roles(user),
        **extra,
    )
    _tell_managers(
        acting_user=acting_user,
        agency_id=team.agency_id,
        key=f"role-granted:{membership.pk}",
        title=f"{user} has been given the {Role(role).label.lower()} role in {team.name}",
        body=f"Given by {acting_user}. You are told of every role given or removed in your agency.",
    )
    return membership


@transaction.atomic
def membership_grant(*, acting_user, user, team, role: str) -> Membership:
    """Give a role that sees no adult (administrator, board officer) directly. A role that sees
    adults needs a manager of the agency to agree: ``role_request``."""
    user = _locked(user)
    _grantable(acting_user=acting_user, user=user, team=team, role=role)
    if role in PEOPLE_ROLES:
        raise ValidationError(
            {"role": "A role that sees adults needs a manager of the agency to agree: request it instead"}
        )
    return _membership_add(acting_user=acting_user, user=user, team=team, role=role)


@transaction.atomic
def membership_remove(*, acting_user, membership, reason: str = "") -> None:
    """Take a role away. It takes effect on the user's next page: roles are read on every request."""
    _require_administrator(acting_user)
    membership = Membership.objects.select_related("user", "team").select_for_update().filter(pk=membership.pk).first()
    if membership is None:
        raise ValidationError("This role has already been removed")
    user, team, role = membership.user, membership.team, membership.role
    _not_yourself(acting_user, user)
    before = _roles(user)
    membership_id = membership.pk
    membership.delete()
    event = _audit(
        acting_user=acting_user,
        action=AuditAction.REVOKE,
        user=user,
        before=before,
        after=_roles(user),
        team=team.pk,
        role=role,
        membership=membership_id,
        reason=reason,
    )
    _tell_managers(
        acting_user=acting_user,
        agency_id=team.agency_id,
        key=f"role-removed:{event.seq}",
        title=f"{user} no longer has the {Role(role).label.lower()} role in {team.name}",
        body=f"Removed by {acting_user}. You are told of every role given or removed in your agency.",
    )


@transaction.atomic
def role_request(*, acting_user, user, team, role: str, reason: str) -> RoleRequest:
    """An administrator asks for a role that sees adults; the agency's managers are told, and one of
    them agrees or declines (``role_request_decide``)."""
    user = _locked(user)
    _grantable(acting_user=acting_user, user=user, team=team, role=role)
    if role not in PEOPLE_ROLES:
        raise ValidationError({"role": "This role sees no adult: give it directly, without a request"})
    if RoleRequest.objects.filter(user=user, team=team, role=role, outcome=RequestOutcome.PENDING).exists():
        raise ValidationError("This role has already been requested and is waiting for a manager")
    if not agency_managers(team.agency_id, exclude=(acting_user, user)):
        raise ValidationError({"team": "This agency has no other manager who could agree to a role that sees adults"})
    request = RoleRequest(user=user, team=team, role=role, requested_by=acting_user, reason=reason.strip())
    request.full_clean()
    request.save()
    _audit(
        acting_user=acting_user,
        action=AuditAction.CREATE,
        user=user,
        obj=request,
        before=_roles(user),
        after=_roles(user),
        change="role requested",
        team=team.pk,
        role=role,
        reason=request.reason,
    )
    _tell_managers(
        acting_user=acting_user,
        agency_id=team.agency_id,
        key=f"role-request:{request.pk}",
        title=f"Agree or decline: the {Role(role).label.lower()} role in {team.name} for {user}",
        body=f"Requested by {acting_user}. The role is given only if a manager of your agency agrees.",
        exclude=(user,),
    )
    return request


@transaction.atomic
def role_request_decide(*, acting_user, role_request, agree: bool, reason: str = "") -> RoleRequest:
    """A manager of the team's agency agrees (the role is given now) or declines. The administrator
    who asked and the user the role is for cannot decide."""
    request = (
        RoleRequest.objects.select_for_update()
        .select_related("user", "team", "requested_by")
        .filter(pk=role_request.pk)
        .first()
    )
    if request is None:
        raise ValidationError("There is no such request")
    if not (
        acting_user.is_active
        and acting_user.agency_id == request.team.agency_id
        and has_role(acting_user, Role.MANAGER)
    ):
        raise ValidationError("Only a manager of the agency can agree to or decline this request")
    if acting_user.pk == request.requested_by_id:
        raise ValidationError("You asked for this role: another manager of the agency must decide")
    if acting_user.pk == request.user_id:
        raise ValidationError("This role is for you: another manager of the agency must decide")
    if not request.is_pending:
        raise ValidationError(f"This request has already been {request.get_outcome_display().lower()}")
    if not agree and not reason.strip():
        raise ValidationError({"reason": "Enter why you are declining the request"})
    user = _locked(request.user)
    if agree and not user.is_active:
        raise ValidationError("This account has been deactivated since the request: decline it")
    request.outcome = RequestOutcome.AGREED if agree else RequestOutcome.DECLINED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()
    request.full_clean()
    request.save(update_fields=["outcome", "decided_by", "decided_at", "decision_reason"])
    before = _roles(user)
    _audit(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        user=user,
        obj=request,
        before=before,
        after=before,
        change=f"role request {request.outcome}",
        team=request.team_id,
        role=request.role,
        requested_by=request.requested_by_id,
        reason=request.decision_reason,
    )
    if agree and not Membership.objects.filter(user=user, team=request.team, role=request.role).exists():
        _membership_add(acting_user=acting_user, user=user, team=request.team, role=request.role, role_request=request)
    notify(
        recipient=request.requested_by,
        kind="administration",
        key=f"role-request-decided:{request.pk}",
        title=f"The {request.get_role_display().lower()} role for {user} has been {request.outcome}",
        body=f"Decided by {acting_user}.",
        link=reverse("administration:user", kwargs={"user_id": user.pk}),
        actor=acting_user,
    )
    return request


# --- credentials and sessions ----------------------------------------------------------------


@transaction.atomic
def password_reset_send(*, acting_user, user) -> None:
    """E-mail the user a one-use link to set a new password. The administrator never sees or sets a
    password; the old one keeps working until the user sets the new one."""
    _require_administrator(acting_user)
    _not_yourself(acting_user, user)
    user = _locked(user)
    if not user.is_active:
        raise ValidationError("This account is deactivated: activate it first")
    state = {"password": "set" if user.has_usable_password() else "not set"}
    _audit(
        acting_user=acting_user,
        action=AuditAction.CREDENTIALS,
        user=user,
        before=state,
        after={**state, "reset_link": "sent"},
        change="password reset link sent",
    )
    _send_reset_link(user, first=False)


@transaction.atomic
def password_reset_complete(*, acting_user, token: str, password: str):
    """The user sets a new password through their link. The link then stops working (the token is
    made from the password), and every session of theirs ends."""
    user = _locked(acting_user)
    if not user.is_active or not default_token_generator.check_token(user, token):
        raise ValidationError("This link has been used or is out of date: ask an administrator for a new one")
    password_validation.validate_password(password, user)
    before = {"password": "set" if user.has_usable_password() else "not set"}
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = sessions_end_all(acting_user=user, user=user, reason="Password set through a reset link")
    _audit(
        acting_user=user,
        action=AuditAction.CREDENTIALS,
        user=user,
        before=before,
        after={"password": "set"},
        change="password set through a reset link",
        sessions_ended=ended,
    )
    return user


@transaction.atomic
def second_factor_reset(*, acting_user, user, reason: str = "") -> int:
    """Remove the user's authenticator app and recovery codes, and end their sessions: at their next
    sign-in they set up an app again."""
    _require_administrator(acting_user)
    _not_yourself(acting_user, user)
    user = _locked(user)
    had = two_factor.has_second_factor(user)
    removed = two_factor.remove_all(user)
    ended = sessions_end_all(acting_user=acting_user, user=user, reason=reason or "Second factor reset")
    _audit(
        acting_user=acting_user,
        action=AuditAction.CREDENTIALS,
        user=user,
        before={"authenticator_app": "set up" if had else "not set up", "devices": removed},
        after={"authenticator_app": "not set up", "devices": 0},
        change="second factor reset",
        sessions_ended=ended,
        reason=reason,
    )
    return removed


@transaction.atomic
def sessions_end(*, acting_user, user, reason: str = "") -> int:
    """End every session of the user now (a lost laptop, a suspected takeover). The audit row is
    ``sessions_end_all``'s own: who ended how many of whose sessions, and why."""
    _require_administrator(acting_user)
    _not_yourself(acting_user, user)
    return sessions_end_all(acting_user=acting_user, user=user, reason=reason or "Ended by an administrator")
