"""The outage snapshot's URLs in the URL sweep (tests/sweep.py).

A team's snapshot and passphrase are the team's own: anyone who is not a duty officer or manager of
that team gets 404 (tests/continuity/test_snapshot_pages.py covers who gets what)."""

from tests.sweep import GENERAL, OWN_RECORD

NAMESPACES = ("continuity",)

URLS = {
    "continuity:list": GENERAL,
    "continuity:download": OWN_RECORD,
    "continuity:passphrase": OWN_RECORD,
}


def objects(shared):
    """A snapshot of agency A's team's register (person_a is on it)."""
    from marm.continuity.services import snapshot_make
    from marm.organisations.models import Team

    team = Team.objects.get(memberships__user=shared["practitioner_a"])
    snapshot_make(team=team)
    return {"team_id": team.pk}
