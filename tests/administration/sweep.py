"""The administration URLs in the URL sweep (tests/sweep.py): accounts and roles, no adult. Anyone
but an administrator (or, for the requests, a manager) gets 403, which the sweep allows."""

from tests.sweep import GENERAL, PUBLIC

NAMESPACES = ("administration",)

URLS = {
    "administration:users": GENERAL,
    "administration:user-new": GENERAL,
    "administration:user": GENERAL,
    "administration:role-add": GENERAL,
    "administration:role-remove": GENERAL,
    "administration:deactivate": GENERAL,
    "administration:activate": GENERAL,
    "administration:password-reset-send": GENERAL,
    "administration:second-factor-reset": GENERAL,
    "administration:sessions-end": GENERAL,
    "administration:requests": GENERAL,
    "administration:request-decide": GENERAL,
    # The link e-mailed to a user: open without signing in (a wrong link says so).
    "administration:password-reset": PUBLIC,
}


def objects(shared):
    """A colleague in practitioner_a's agency with a board officer's role and a request for a
    practitioner's role waiting for manager_a, made by an administrator of their own."""
    from marm.administration.services import role_request
    from marm.organisations.models import Membership, Role
    from tests.factories import UserFactory

    agency = shared["practitioner_a"].agency
    admin = UserFactory(email="administration-sweep@a.example.org", agency=agency, roles=[Role.ADMINISTRATOR])
    colleague = UserFactory(email="colleague-sweep@a.example.org", agency=agency, roles=[Role.BOARD_OFFICER])
    membership = Membership.objects.get(user=colleague)
    request = role_request(
        acting_user=admin, user=colleague, team=membership.team, role=Role.PRACTITIONER, reason="Joins the team"
    )
    return {
        "user_id": colleague.pk,
        "membership_id": membership.pk,
        "request_id": request.pk,
        "uidb64": "MA",
        "token": "not-a-token",
    }
