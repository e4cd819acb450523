"""The load benchmark's users, for locust (headless). run.py starts it; see benchmarks/README.md.

Three kinds of user, each on one connection with no pause between requests:

- ``Practitioner``: signs in through the real pages (password, then a code computed from its own
  authenticator key), then works on what it finds by following links: the home page, the person
  search (POST), a person page from the results, the cases linked from it, each case's risk page,
  the person's chronology, and now and then adds a chronology entry (the form read, then posted
  with its CSRF token and submission key). Mostly case pages and what hangs off them.
- ``DutyOfficer``: signs in the same way, then searches the duty desk by name (now and then with
  a year of birth) and opens a card from the results.
- ``BareUser``: the reference app's one page (benchmarks/load/bare/).

Every request is recorded (name, start, time taken, failed or not) and written as JSON to the file
named by MARM_LOAD_RECORD when locust stops: run.py computes the figures from it, so sign-in and a
warm-up can be left out of them. Each chronology entry's summary ends with a marker of its own
(``[load <hex>]``), and every attempt to save one (marker, start, status, where it was sent next) is
written to the file named by MARM_LOAD_ENTRIES, if set: faults.py checks each in the database.
The users come from the JSON file named by MARM_LOAD_USERS (prepare.py). A page counts as failed
when its status is not the expected one, or when it is not a signed-in page (a sign-in or code form
instead of the page asked for).
"""

import itertools
import json
import os
import random
import re
import secrets
import time
from binascii import unhexlify
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django_otp.oath import TOTP
from locust import FastHttpUser, constant, events, task

RECORDS: list[tuple[str, float, float, str | None]] = []
# Each attempt to save a chronology entry: marker, start (s), HTTP status (0: no answer), Location.
ENTRIES: list[tuple[str, float, int, str]] = []
SIGN_IN = "sign-in"
# marm allows a user 60 person searches and 60 duty searches a minute (MARM_LIMIT_SEARCH_PER_MINUTE,
# MARM_LIMIT_DUTY_SEARCH_PER_MINUTE); a user with no pause between requests keeps under it, as a
# person at a desk would, by opening a page it knows instead of searching again.
SEARCHES_PER_MINUTE = 50


@events.request.add_listener
def _record(name, start_time, response_time, exception, **_kwargs):
    RECORDS.append((name, start_time, response_time, None if exception is None else str(exception)[:120]))


@events.quitting.add_listener
def _write_records(**_kwargs):
    for variable, records in (("MARM_LOAD_RECORD", RECORDS), ("MARM_LOAD_ENTRIES", ENTRIES)):
        path = os.environ.get(variable)
        if path:
            with open(path, "w", encoding="utf-8") as file:
                json.dump(records, file)


def _users() -> dict:
    path = os.environ.get("MARM_LOAD_USERS")
    if not path:
        return {"practitioners": [], "duty": [], "names": []}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


USERS = _users()
_NEXT = {"practitioners": itertools.count(), "duty": itertools.count()}

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PERSON_LINK = re.compile(rf'href="(/people/{UUID}/)"')
CASE_LINK = re.compile(rf'href="(/cases/{UUID}/)"')
RISK_LINK = re.compile(rf'href="(/cases/{UUID}/risk/)"')
CHRONOLOGY_LINK = re.compile(rf'href="(/people/{UUID}/chronology/)"')
ADD_ENTRY_LINK = re.compile(rf'href="(/people/{UUID}/chronology/new/)"')
DUTY_CARD_LINK = re.compile(rf'href="(/duty/people/{UUID}/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUMMARIES = [
    "Telephone call with the adult; they said the carer had not visited since Monday.",
    "Home visit: the kitchen was clear and there was food in the fridge.",
    "Neighbour reported shouting at the flat late last night; police informed.",
    "Missed the appointment at the surgery; a letter with a new date was sent.",
]


class Forms(HTMLParser):
    """The forms of a page: for each, its action and the fields a browser would send or offer."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "choices": {}})
        elif not self.forms:
            return
        form = self.forms[-1] if self.forms else None
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
            else:
                form["fields"][name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            form["fields"][name] = ""
        elif tag == "select" and name:
            self._select = name
            form["choices"][name] = []
        elif tag == "option" and self._select and attrs.get("value"):
            form["choices"][self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def with_field(self, name: str) -> dict | None:
        return next((form for form in self.forms if name in form["fields"] or name in form["choices"]), None)


def _code(account: dict, at: float) -> str:
    totp = TOTP(unhexlify(account["key"]), step=account["step"], digits=account["digits"])
    totp.time = at
    return f"{totp.token():0{account['digits']}d}"


def _signed_in_page(text: str) -> bool:
    """A page of marm's signed-in service: not the password or code form in its place."""
    signed_in = 'action="/sign-out/"' in text
    return signed_in and 'name="password"' not in text and 'autocomplete="one-time-code"' not in text


class MarmUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    accounts = "practitioners"

    def on_start(self):
        accounts = USERS[self.accounts]
        if not accounts:
            raise RuntimeError(f"No {self.accounts} in MARM_LOAD_USERS: run prepare.py first")
        self.account = accounts[next(_NEXT[self.accounts]) % len(accounts)]
        self.token = ""
        self.searched: list[float] = []
        self.sign_in()

    def may_search(self) -> bool:
        """Under marm's limit of searches a minute (see SEARCHES_PER_MINUTE); counts the search."""
        now = time.time()
        self.searched = [at for at in self.searched if now - at < 60]
        if len(self.searched) >= SEARCHES_PER_MINUTE:
            return False
        self.searched.append(now)
        return True

    # Signing in: the password, then the code (a code works once: a rejected one waits for the next).
    def sign_in(self):
        page = self.client.get("/sign-in/", name=f"{SIGN_IN}: page")
        self.token = CSRF.search(page.text or "").group(1)
        with self.client.post(
            "/sign-in/",
            data={
                "csrfmiddlewaretoken": self.token,
                "username": self.account["email"],
                "password": self.account["password"],
            },
            name=f"{SIGN_IN}: password",
            catch_response=True,
        ) as response:
            if 'autocomplete="one-time-code"' not in (response.text or ""):
                response.failure("the password was not accepted")
                return
            self.token = CSRF.search(response.text).group(1)
        for attempt in range(3):
            at = time.time() + attempt * self.account["step"]
            if attempt:
                time.sleep(max(0.0, at - time.time()) + 0.5)
            with self.client.post(
                "/sign-in/code/?next=/",
                data={"csrfmiddlewaretoken": self.token, "code": _code(self.account, at), "next": "/"},
                name=f"{SIGN_IN}: code",
                catch_response=True,
            ) as response:
                text = response.text or ""
                if _signed_in_page(text):
                    self.remember(text)
                    return
                if attempt < 2:
                    response.success()  # a code already used in this step: the next one follows
                    match = CSRF.search(text)
                    self.token = match.group(1) if match else self.token
                else:
                    response.failure("the code was not accepted")

    def remember(self, text: str):
        match = CSRF.search(text)
        if match:
            self.token = match.group(1)

    def page(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200 or not _signed_in_page(text):
                response.failure(f"{response.status_code}, not the page asked for")
                return ""
            self.remember(text)
            return text

    def post(self, url: str, data: dict, name: str, *, expect: int = 200, marker: str = "") -> tuple[str, str]:
        """Post a form as a browser does; the page's text and, for a redirect, where it points. With a
        marker, the attempt is kept in ENTRIES whatever its answer."""
        data = {"csrfmiddlewaretoken": self.token, **data}
        started = time.time()
        with self.client.post(url, data=data, name=name, allow_redirects=False, catch_response=True) as response:
            text = response.text or ""
            location = response.headers.get("Location", "") if response.headers else ""
            if marker:
                ENTRIES.append((marker, started, response.status_code or 0, location))
            if response.status_code != expect or (expect == 200 and not _signed_in_page(text)):
                response.failure(f"{response.status_code}, expected {expect}")
                return "", ""
            self.remember(text)
            return text, location


class Practitioner(MarmUser):
    """Casework: mostly case pages and what hangs off them, reached by following links."""

    weight = 4

    def on_start(self):
        self.people: set[str] = set()
        self.cases: set[str] = set()
        self.risks: set[str] = set()
        self.chronologies: set[str] = set()
        self.add_entry_links: set[str] = set()
        super().on_start()

    def learn(self, text: str):
        self.people.update(PERSON_LINK.findall(text))
        self.cases.update(CASE_LINK.findall(text))
        self.risks.update(RISK_LINK.findall(text))
        self.chronologies.update(CHRONOLOGY_LINK.findall(text))
        self.add_entry_links.update(ADD_ENTRY_LINK.findall(text))

    def open(self, links: set[str], name: str) -> bool:
        if not links:
            self.search()
            return False
        self.learn(self.page(random.choice(sorted(links)), name))
        return True

    @task(1)
    def home(self):
        self.learn(self.page("/", "home"))

    @task(2)
    def search(self):
        if not self.may_search() and self.people:
            self.learn(self.page(random.choice(sorted(self.people)), "person page"))
            return
        name = random.choice(USERS["names"])
        text, _ = self.post("/people/", {"name": name}, "person search")
        found = PERSON_LINK.findall(text)
        self.learn(text)
        if found:  # the person the search was for, as a practitioner would open next
            self.learn(self.page(random.choice(found), "person page"))

    @task(2)
    def person(self):
        self.open(self.people, "person page")

    @task(6)
    def case(self):
        self.open(self.cases, "case page")

    @task(2)
    def risk(self):
        self.open(self.risks, "risk page")

    @task(2)
    def chronology(self):
        self.open(self.chronologies, "chronology")

    @task(1)
    def add_entry(self):
        if not self.add_entry_links:
            self.open(self.chronologies, "chronology")
            return
        url = random.choice(sorted(self.add_entry_links))
        form = Forms(self.page(url, "add entry: form")).with_field("summary")
        if form is None:
            return
        today = datetime.now(tz=ZoneInfo("Europe/London")).date()
        data = dict(form["fields"])
        data.update(
            {
                "occurred_on_0": str(today.day),
                "occurred_on_1": str(today.month),
                "occurred_on_2": str(today.year),
                "occurred_at_time": time.strftime("%H:%M"),
                "entry_type": random.choice(form["choices"].get("entry_type") or ["contact"]),
                "significance": random.choice(form["choices"].get("significance") or ["routine"]),
            }
        )
        marker = secrets.token_hex(6)
        data["summary"] = f"{random.choice(SUMMARIES)} [load {marker}]"
        data.pop("csrfmiddlewaretoken", None)
        _text, location = self.post(form["action"] or url, data, "add entry: save", expect=302, marker=marker)
        if location:
            self.learn(self.page(location, "chronology"))


class DutyOfficer(MarmUser):
    """The duty desk: a caller names a person, sometimes with a year of birth; a card is opened."""

    weight = 1
    accounts = "duty"

    def on_start(self):
        self.cards: list[str] = []
        super().on_start()

    @task(1)
    def home(self):
        self.page("/", "home")

    @task(3)
    def duty_search(self):
        if not self.may_search() and self.cards:
            self.page(random.choice(self.cards), "duty card")
            return
        data = {"name": random.choice(USERS["names"])}
        text, _ = self.post("/duty/", data, "duty search")
        self.cards = DUTY_CARD_LINK.findall(text) or self.cards

    @task(2)
    def duty_card(self):
        if not self.cards:
            self.duty_search()
            return
        self.page(random.choice(self.cards), "duty card")


class BareUser(FastHttpUser):
    """The reference: a bare Django app's one page, with the same connections and no pause."""

    wait_time = constant(0)

    @task
    def bare(self):
        self.client.get("/", name="bare page")
