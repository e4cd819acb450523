"""Making outage snapshots: what goes in, what is audited, what a failure leaves, and the schedule."""

import base64
import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from marm.audit.models import AuditAction, AuditEvent
from marm.continuity import crypto
from marm.continuity.models import PassphraseChange, Snapshot
from marm.continuity.services import snapshot_make, snapshot_passphrase_change, sweep_outage_snapshots
from marm.notifications.sweeps import registered_sweeps

pytestmark = pytest.mark.django_db

ENVELOPE = re.compile(r'<script id="snapshot-envelope" type="application/json">(.*?)</script>', re.S)


def envelope_of(snapshot) -> dict:
    return json.loads(ENVELOPE.search(bytes(snapshot.content).decode()).group(1))


def opened(snapshot, team) -> tuple[dict, dict]:
    result = crypto.open_sealed(
        envelope_of(snapshot),
        passphrase=crypto.team_passphrase(team.pk, snapshot.passphrase_version),
        expected_public_key=crypto.public_key_bytes(),
    )
    return result.header, json.loads(result.payload)


def test_a_snapshot_holds_exactly_the_teams_active_entries(team_a, register_a, register_c, person_a):
    snapshot = snapshot_make(team=team_a)
    header, content = opened(snapshot, team_a)
    names = [entry["person"]["name"] for entry in content["entries"]]
    assert names == ["Arthur Pendle", "Margaret Thornbury"]
    assert snapshot.entry_count == header["entry_count"] == 2
    assert header["team"] == team_a.name and header["period_hours"] == 6
    margaret = content["entries"][1]
    assert margaret["person"]["addresses"] == ["14 Canal Street, Shiretown, ST1 4AB"]
    assert margaret["person"]["date_of_birth"] == f"{person_a.date_of_birth.day} {person_a.date_of_birth:%B %Y}"
    assert margaret["named_professional"]["phone"] == "01632 960 555"
    assert margaret["contingency"]["version"] == 2
    assert margaret["contingency"]["triggers"] == [
        {
            "when": "A fire-safety incident",
            "threshold": "Any smoke or fire reported",
            "what_to_do": "Joint visit by housing and social care within 48 hours",
            "who_to_contact": "Fire service safeguarding officer, 01632 960 999",
            "escalation": "Emergency services",
        }
    ]
    assert content["entries"][0]["contingency"] is None
    text = json.dumps(content)
    assert "Edith" not in text and "Okoro" not in text and "Old Mill" not in text


def test_a_snapshot_is_one_export_row_by_the_named_job_listing_the_people(team_a, register_a):
    before = AuditEvent.objects.count()
    snapshot = snapshot_make(team=team_a)
    rows = list(AuditEvent.objects.filter(seq__gt=before))
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.system_actor, row.actor_user) == (AuditAction.EXPORT, "outage-snapshots", None)
    assert row.object_id == str(snapshot.pk)
    assert sorted(row.detail["people"]) == sorted(str(entry.person_id) for entry in register_a)


def test_a_failed_snapshot_leaves_no_snapshot_and_no_audit_row(team_a, register_a, monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("the audit store is unreachable")

    monkeypatch.setattr("marm.continuity.services.audit_record", refuse)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        snapshot_make(team=team_a)
    assert not Snapshot.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_file_is_self_contained_and_names_no_one_in_the_clear(team_a, register_a):
    html = bytes(snapshot_make(team=team_a).content).decode()
    assert "http:" not in html and "https:" not in html and "src=" not in html and "@import" not in html
    assert "Thornbury" not in html and "Canal Street" not in html
    assert "connect-src 'none'" in html


def test_a_changed_snapshot_is_refused_and_a_wrong_passphrase_opens_nothing(team_a, register_a):
    snapshot = snapshot_make(team=team_a)
    envelope = envelope_of(snapshot)
    ciphertext = bytearray(base64.b64decode(envelope["ciphertext"]))
    ciphertext[10] ^= 0x01
    tampered = {**envelope, "ciphertext": base64.b64encode(bytes(ciphertext)).decode()}
    with pytest.raises(crypto.SnapshotRefused):
        crypto.verify(tampered)
    header = json.loads(base64.b64decode(envelope["header"]))
    header["made_at"] = timezone.now().isoformat()  # made to look fresh
    moved = {**envelope, "header": base64.b64encode(json.dumps(header).encode()).decode()}
    with pytest.raises(crypto.SnapshotRefused):
        crypto.verify(moved)
    with pytest.raises(crypto.SnapshotRefused):
        crypto.open_sealed(envelope, passphrase="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")


def test_the_passphrase_opens_it_whatever_the_case_spaces_and_hyphens(team_a, register_a):
    snapshot = snapshot_make(team=team_a)
    typed = crypto.team_passphrase(team_a.pk, 1).replace("-", " ").lower()
    assert crypto.open_sealed(envelope_of(snapshot), passphrase=typed).payload


def test_the_sweep_makes_a_snapshot_when_the_last_is_older_than_the_period_and_prunes(
    team_a, register_a, register_c, settings
):
    settings.MARM_SNAPSHOT_KEEP = 2
    assert "outage-snapshots" in registered_sweeps()
    now = timezone.now()
    assert sweep_outage_snapshots(now) == 2  # agency A's team and the GP practice's
    assert sweep_outage_snapshots(now + datetime.timedelta(hours=5)) == 0
    assert sweep_outage_snapshots(now + datetime.timedelta(hours=6)) == 2
    assert sweep_outage_snapshots(now + datetime.timedelta(hours=12)) == 2
    kept = Snapshot.objects.filter(team=team_a).order_by("made_at")
    assert [s.made_at for s in kept] == [now + datetime.timedelta(hours=6), now + datetime.timedelta(hours=12)]


def test_a_changed_passphrase_seals_the_next_snapshot_with_the_new_one(team_a, register_a, manager_a):
    now = timezone.now()
    sweep_outage_snapshots(now)
    change = snapshot_passphrase_change(acting_user=manager_a, team=team_a, reason="A duty officer left")
    assert change.version == 2
    assert AuditEvent.objects.filter(action=AuditAction.CREDENTIALS, actor_user=manager_a).count() == 1
    assert sweep_outage_snapshots(now + datetime.timedelta(minutes=5)) == 1
    latest = Snapshot.objects.filter(team=team_a).first()
    assert latest.passphrase_version == 2
    with pytest.raises(crypto.SnapshotRefused):
        crypto.open_sealed(envelope_of(latest), passphrase=crypto.team_passphrase(team_a.pk, 1))
    assert opened(latest, team_a)[1]["entries"]


def test_only_a_manager_of_the_team_changes_the_passphrase_and_a_refusal_leaves_nothing(team_a, duty_a, manager_a):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        snapshot_passphrase_change(acting_user=duty_a, team=team_a, reason="Why not")
    with pytest.raises(ValidationError):
        snapshot_passphrase_change(acting_user=manager_a, team=team_a, reason="  ")
    assert not PassphraseChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREDENTIALS).exists()


def test_the_signing_key_comes_from_the_setting_as_pem_or_base64(settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    settings.MARM_SNAPSHOT_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert crypto.public_key_bytes() == raw
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    settings.MARM_SNAPSHOT_SIGNING_KEY = base64.b64encode(seed).decode()
    assert crypto.public_key_bytes() == raw
    assert len(crypto.fingerprint().split()) == 8


def test_the_command_writes_each_teams_file(team_a, register_a, tmp_path, capsys):
    call_command("outage_snapshot", "--team", str(team_a.pk), "--out", str(tmp_path / "desk"))
    files = list((tmp_path / "desk").iterdir())
    assert len(files) == 1 and files[0].read_bytes() == bytes(Snapshot.objects.get().content)
    assert files[0].stat().st_mode & 0o077 == 0
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, system_actor="outage_snapshot").count() == 1
    assert crypto.fingerprint() in capsys.readouterr().out
