"""The outage snapshot as the duty desk opens it when marm is down: the file alone, in Chromium, with
the network off. The signature is checked before anything is asked; the passphrase opens the register;
a changed file is refused and shows no one. Every state of the page is checked with axe."""

import base64
import datetime
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone
from playwright.sync_api import Page, expect

from marm.continuity import crypto
from marm.continuity.services import snapshot_make
from marm.organisations.models import AgencyKind, Role, Team
from marm.people.models import Address
from marm.register.models import RegisterEntry
from marm.register.services import register_entry_add
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ENVELOPE = re.compile(r'(<script id="snapshot-envelope" type="application/json">)(.*?)(</script>)', re.S)


def _snapshot(hours_old: int = 2):
    council = AgencyFactory(name="Shire Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    team = Team.objects.create(agency=council, name="Locality team north")
    named = UserFactory(
        email="named@council.example.org", full_name="Priya Natarajan", phone="01632 960 123", agency=council
    )
    manager = UserFactory(email="manager@council.example.org", agency=council, roles=[Role.MANAGER])
    person = PersonFactory(created_by=named, given_name="John", family_name="Smith")
    Address.objects.create(person=person, line_1="3 Weaver Row", town="Shiretown", postcode="ST2 9QP", created_by=named)
    register_entry_add(
        acting_user=manager,
        team=team,
        person=person,
        criteria=["b"],
        named_professional=named,
        reason="Fire risk from hoarding",
    )
    snapshot = snapshot_make(team=team, now=timezone.now() - datetime.timedelta(hours=hours_old))
    return bytes(snapshot.content).decode(), crypto.team_passphrase(team.pk, snapshot.passphrase_version)


def _changed(html: str, change) -> str:
    match = ENVELOPE.search(html)
    envelope = change(json.loads(match.group(2)))
    return html[: match.start(2)] + json.dumps(envelope) + html[match.end(2) :]


def _open_offline(page: Page, path) -> list[str]:
    """Open the file with the network off; every request the page makes is listed."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    page.context.set_offline(True)
    page.goto(path.as_uri())
    return requests


def test_the_duty_desk_opens_the_snapshot_offline_with_the_passphrase(page: Page, check_page, tmp_path):
    html, passphrase = _snapshot(hours_old=2)
    path = tmp_path / "snapshot.html"
    path.write_text(html, encoding="utf-8")
    requests = _open_offline(page, path)

    expect(page.get_by_text(re.compile(r"Snapshot made at .* \(2 hours old\)"))).to_be_visible()
    expect(page.locator("#fingerprint")).to_have_text(crypto.fingerprint())
    expect(page.get_by_role("heading", level=1)).to_have_text("High-risk register: Locality team north")
    expect(page.get_by_text("Read-only: record contacts in marm when it is back.")).to_be_visible()
    check_page(page, "outage snapshot asks for the passphrase")

    page.get_by_label("Your team's snapshot passphrase").fill("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    page.get_by_role("button", name="Open the register").click()
    expect(page.get_by_role("link", name=re.compile("The passphrase does not open this snapshot"))).to_be_visible()
    expect(page.get_by_text("John Smith")).to_have_count(0)
    check_page(page, "outage snapshot wrong passphrase")

    page.get_by_label("Your team's snapshot passphrase").fill(passphrase.lower().replace("-", " "))
    page.get_by_role("button", name="Open the register").click()
    table = page.get_by_role("table", name=re.compile("1 person on the register of Locality team north"))
    expect(table.get_by_role("rowheader", name=re.compile("John Smith"))).to_be_visible()
    expect(table.get_by_text("3 Weaver Row, Shiretown, ST2 9QP")).to_be_visible()
    expect(table.get_by_text("Phone: 01632 960 123")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\(2 hours old\)"))).to_be_visible()
    check_page(page, "outage snapshot opened")
    assert requests and all(url.startswith("file:") for url in requests), requests


def test_an_old_snapshot_warns_that_it_is_older_than_the_schedule(page: Page, tmp_path):
    html, _passphrase = _snapshot(hours_old=9)
    path = tmp_path / "old.html"
    path.write_text(html, encoding="utf-8")
    _open_offline(page, path)
    expect(page.get_by_text(re.compile(r"\(9 hours old\)"))).to_be_visible()
    expect(page.get_by_text(re.compile("older than the 6 hours between snapshots"))).to_be_visible()


def _flip_a_ciphertext_byte(envelope: dict) -> dict:
    ciphertext = bytearray(base64.b64decode(envelope["ciphertext"]))
    ciphertext[len(ciphertext) // 2] ^= 0x01
    return {**envelope, "ciphertext": base64.b64encode(bytes(ciphertext)).decode()}


def _make_it_look_fresh(envelope: dict) -> dict:
    header = json.loads(base64.b64decode(envelope["header"]))
    header["made_at"] = timezone.now().isoformat()
    return {**envelope, "header": base64.b64encode(json.dumps(header).encode()).decode()}


@pytest.mark.parametrize("change", [_flip_a_ciphertext_byte, _make_it_look_fresh], ids=["ciphertext", "header"])
def test_a_changed_snapshot_is_refused_and_shows_no_one(page: Page, check_page, tmp_path, change):
    html, _passphrase = _snapshot()
    path = tmp_path / "changed.html"
    path.write_text(_changed(html, change), encoding="utf-8")
    _open_offline(page, path)
    expect(page.get_by_role("alert")).to_contain_text("Do not use this snapshot: its signature does not match")
    expect(page.get_by_label("Your team's snapshot passphrase")).to_be_hidden()
    expect(page.get_by_text("Snapshot made at")).to_be_hidden()
    assert "John Smith" not in page.locator("body").inner_text()
    check_page(page, f"outage snapshot refused {change.__name__}")


def test_a_snapshot_signed_with_another_key_shows_a_fingerprint_that_does_not_match_marms(page: Page, tmp_path):
    """Someone who re-signs the file with a key of their own passes the signature check; the duty desk
    catches it by comparing the fingerprint with marm's, which is why the page shows it."""
    html, _passphrase = _snapshot()
    other = Ed25519PrivateKey.generate()

    def re_sign(envelope: dict) -> dict:
        signed = f"{envelope['header']}.{envelope['ciphertext']}".encode("ascii")
        return {
            **envelope,
            "signature": base64.b64encode(other.sign(signed)).decode(),
            "public_key": base64.b64encode(crypto.public_key_bytes(other)).decode(),
        }

    path = tmp_path / "re-signed.html"
    path.write_text(_changed(html, re_sign), encoding="utf-8")
    _open_offline(page, path)
    expect(page.locator("#fingerprint")).to_have_text(crypto.fingerprint(crypto.public_key_bytes(other)))
    assert crypto.fingerprint(crypto.public_key_bytes(other)) != crypto.fingerprint()


def test_an_empty_register_says_so_once_opened(page: Page, tmp_path):
    _html, passphrase = _snapshot()
    team = RegisterEntry.objects.get().team
    RegisterEntry.objects.update(removed_at=timezone.now(), removal_reason="Risk reduced")
    path = tmp_path / "empty.html"
    path.write_bytes(bytes(snapshot_make(team=team).content))
    _open_offline(page, path)
    page.get_by_label("Your team's snapshot passphrase").fill(passphrase)
    page.get_by_role("button", name="Open the register").click()
    expect(page.get_by_text("No one was on the register of Locality team north")).to_be_visible()
    expect(page.locator("#register")).to_be_focused()
