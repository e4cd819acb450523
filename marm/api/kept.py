"""What a request through an API token keeps for the next, in place of a session (ADR 0034).

A duty officer's purpose for a full-record read is kept, on the pages, in the browser's session for
``MARM_DUTY_PURPOSE_MINUTES`` (marm/register/purpose.py). A token's request has no session, so the
token keeps it: the same functions read and write ``TokenKept`` as they do a session, and the rule
(one purpose per person, lapsing after the same time) is the same.
"""

from marm.api.models import ApiToken


class TokenKept:
    def __init__(self, token: ApiToken):
        self.token = token

    def get(self, key, default=None):
        return self.token.kept.get(key, default)

    def __setitem__(self, key, value) -> None:
        # The whole of what is kept is written at once; a purpose given at the same moment through the
        # same token for another person may be lost, and that read then asks for it again (403).
        self.token.kept = {**self.token.kept, key: value}
        ApiToken.objects.filter(pk=self.token.pk).update(kept=self.token.kept)
