"""The measures' URLs in the URL sweep (tests/sweep.py): figures only, never a person."""

from tests.sweep import GENERAL

NAMESPACES = ("assurance",)

URLS = {
    "assurance:list": GENERAL,
    "assurance:publication": GENERAL,
    "assurance:publication-csv": GENERAL,
    "assurance:detail": GENERAL,
    "assurance:csv": GENERAL,
}


def objects(shared):
    return {"code": "MEET1"}
