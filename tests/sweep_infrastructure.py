"""The infrastructure's URLs in the URL sweep (tests/sweep.py): signing in and out, the
home page, notifications and the health check. None is about a person."""

from tests.sweep import GENERAL, OWN_RECORD, PUBLIC

# "" holds the URLs outside any namespace.
NAMESPACES = ("accounts", "dashboards", "notifications", "")

URLS = {
    "accounts:sign-in": PUBLIC,
    "accounts:sign-out": GENERAL,
    "dashboards:home": GENERAL,
    "notifications:list": GENERAL,
    "notifications:read-all": GENERAL,
    # practitioner_a's notification: anyone else gets 404.
    "notifications:open": OWN_RECORD,
    "health": PUBLIC,
}


def objects(shared):
    """A notification to practitioner_a."""
    from marm.notifications.services import notify

    notification = notify(
        recipient=shared["practitioner_a"], kind="test", key="sweep", title="A notification for the sweep"
    )
    return {"notification_id": notification.pk}
