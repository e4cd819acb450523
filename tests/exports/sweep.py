"""The exports' URLs in the URL sweep (tests/sweep.py)."""

from tests.sweep import GENERAL, OWN_RECORD, PUBLIC

NAMESPACES = ("exports",)

URLS = {
    "exports:index": GENERAL,
    # practitioner_a's export of their cases: anyone else gets 404.
    "exports:download": OWN_RECORD,
    "exports:calendar": GENERAL,
    # practitioner_a's calendar address: a calendar reads it without signing in.
    "exports:feed": PUBLIC,
}


def objects(shared):
    from marm.exports.services import calendar_feed_reset, export_request

    practitioner = shared["practitioner_a"]
    export = export_request(acting_user=practitioner, kind="cases", format="csv")
    return {"export_id": export.pk, "token": calendar_feed_reset(acting_user=practitioner)}
