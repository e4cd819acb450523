"""The API's URLs in the URL sweep (tests/sweep.py). The sweep calls them with the persona's
session (both factors given), which the API accepts as it accepts a token: the same selectors
answer, so another agency's person or case is a 404 and a DENIED row here too."""

from tests.sweep import API_GENERAL, GENERAL, OWN_RECORD, api_person

NAMESPACES = ("api",)

# The duty desk's card is for duty officers only (tests/api/test_duty.py): everyone else gets 404, as on
# the page, whatever the method.
DUTY_CARD = api_person(practitioner_a=404, police_b=404, manager_a=404, auditor_a=404)

URLS = {
    # Your account: the user's own tokens.
    "api:tokens": GENERAL,
    "api:token-new": GENERAL,
    "api:token-revoke": OWN_RECORD,
    # The API.
    "api:schema": API_GENERAL,
    "api:people": API_GENERAL,
    "api:person": api_person(),
    "api:person-cases": api_person(),
    "api:chronology": api_person(),
    "api:case": api_person(),
    "api:case-actions": api_person(),
    "api:case-meetings": api_person(),
    "api:register": API_GENERAL,
    "api:duty-search": API_GENERAL,
    "api:duty-card": DUTY_CARD,
    "api:duty-open": DUTY_CARD,
    "api:board-measures": API_GENERAL,
}


def objects(shared):
    """A token of practitioner_a's: no one else revokes it."""
    import datetime

    from django.utils import timezone

    from marm.api.services import api_token_create

    row, _token = api_token_create(
        acting_user=shared["practitioner_a"],
        name="Case system",
        scopes=["read"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"token_id": row.pk}
