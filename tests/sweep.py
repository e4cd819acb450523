"""What the URL sweep (tests/test_url_sweep.py) expects of each URL.

Each app's tests declare the URLs of the namespaces they own in a ``sweep``
module (``tests/cases/sweep.py``, ``tests/register/sweep.py``, ...):

- ``NAMESPACES``: the URL namespaces the module declares; each namespace has
  exactly one declaring module ("" holds the URLs outside any namespace).
- ``URLS``: every URL name in those namespaces, mapped to a ``SweepUrl``.
- ``objects(shared)`` (optional): the app's records for the sweep, as URL
  arguments by name (``{"meeting_id": 7}``). ``shared`` holds the fixtures
  every app builds on (``person_a``, ``accepted_case``, ``practitioner_a``,
  ``manager_a``, ``chronology_entry_a``); ``pk`` (person_a) and ``case_pk``
  (their case) are filled in for every module.
"""

from dataclasses import dataclass, field

# Their agency is involved with person_a: they open every page about them.
VISIBLE_PERSONAS = ("practitioner_a", "police_b", "manager_a", "auditor_a")
# They may not see person_a: every page about them is a 404 and a DENIED row.
REFUSED_PERSONAS = ("outsider", "gp_c", "administrator", "board_officer")


@dataclass(frozen=True)
class SweepUrl:
    # About person_a or their case: refused personas get 404 and a DENIED row.
    about_person: bool = False
    # The GET status for each visible persona that does not get 200.
    expect: dict[str, int] = field(default_factory=dict)
    # Open without signing in.
    public: bool = False
    # One user's own records (their notifications): anyone else may get 404.
    own_record: bool = False
    # An API endpoint (ADR 0034): an anonymous caller gets 401, not the sign-in page, and a request
    # without the query an endpoint needs gets 400.
    api: bool = False

    def __post_init__(self):
        unknown = set(self.expect) - set(VISIBLE_PERSONAS)
        if unknown:
            raise ValueError(f"expect names personas the sweep does not use: {sorted(unknown)}")
        if self.expect and not self.about_person:
            raise ValueError("only a URL about a person has expectations per persona")
        if self.about_person and (self.public or self.own_record):
            raise ValueError("a URL about a person is neither public nor one user's own record")
        if self.api and self.public:
            raise ValueError("no API endpoint is public")

    def expected(self, persona: str) -> int:
        return self.expect.get(persona, 200)


def person(**expect: int) -> SweepUrl:
    """A URL about person_a (or their case); ``expect`` gives each visible persona's GET status but 200."""
    return SweepUrl(about_person=True, expect=expect)


def api_person(**expect: int) -> SweepUrl:
    """An API endpoint about person_a (or their case)."""
    return SweepUrl(about_person=True, expect=expect, api=True)


# Not about any one person: a list, a search, a form to start from.
GENERAL = SweepUrl()
PUBLIC = SweepUrl(public=True)
OWN_RECORD = SweepUrl(own_record=True)
API_GENERAL = SweepUrl(api=True)
