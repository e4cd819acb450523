"""The outage snapshot's sealing: AES-256-GCM under a key from the team's passphrase, signed with Ed25519 (ADR 0030).

A sealed snapshot is four base64 strings::

    {"header": "…", "ciphertext": "…", "signature": "…", "public_key": "…"}

- ``header``: the JSON (sorted keys, no spaces) of what the page needs before the passphrase: the
  format, the team, when it was made, the schedule's period, and the key derivation and cipher
  parameters (PBKDF2-SHA256 with its salt and iteration count; AES-GCM with its nonce).
- ``ciphertext``: AES-256-GCM of the register's JSON, the header's base64 text as associated data,
  so a header moved onto another snapshot's ciphertext does not decrypt.
- ``signature``: Ed25519 over the ASCII text ``header + "." + ciphertext`` (both base64), with
  marm's snapshot signing key; ``public_key`` is its raw 32-byte public key.

The page verifies the signature with WebCrypto before it asks for the passphrase, and shows the key's
fingerprint, which marm also shows on the team's snapshot page, so a key swapped together with a
new signature is caught by comparing the two.
"""

import base64
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

FORMAT = "marm-outage-snapshot/1"
SIGNING_KEY_SALT = "marm.continuity.signing"
PASSPHRASE_KEY_SALT = "marm.continuity.passphrase"  # noqa: S105 (a salt that names the use, not a secret)
# Passphrases: 24 letters and digits from base32 (120 bits), in groups of four.
PASSPHRASE_BYTES = 15


class SnapshotRefused(Exception):
    """The snapshot is not one marm signed, or the passphrase does not open it."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def signing_key() -> Ed25519PrivateKey:
    """marm's snapshot signing key: ``MARM_SNAPSHOT_SIGNING_KEY`` (or ``…_FILE``), as a PEM private key or the
    base64 of its 32-byte seed. Without one, a key derived from ``SECRET_KEY`` with a salt of its own (as the
    audit checkpoints do): fine on a laptop, not in production, where a key of its own is set."""
    value = (settings.MARM_SNAPSHOT_SIGNING_KEY or "").strip()
    if not value:
        seed = salted_hmac(SIGNING_KEY_SALT, "snapshot signing key", secret=settings.SECRET_KEY, algorithm="sha256")
        return Ed25519PrivateKey.from_private_bytes(seed.digest())
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(value.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("MARM_SNAPSHOT_SIGNING_KEY must be an Ed25519 private key.")
        return key
    try:
        seed = _unb64(value)
    except ValueError:
        raise ImproperlyConfigured("MARM_SNAPSHOT_SIGNING_KEY is neither a PEM key nor base64.") from None
    if len(seed) != 32:
        raise ImproperlyConfigured("MARM_SNAPSHOT_SIGNING_KEY must be the base64 of 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_bytes(key: Ed25519PrivateKey | None = None) -> bytes:
    key = key or signing_key()
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key: bytes | None = None) -> str:
    """The first 128 bits of the SHA-256 of the raw public key, in groups of four: easy to compare by eye.
    The page computes the same from the key it holds."""
    digest = hashlib.sha256(public_key if public_key is not None else public_key_bytes()).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4)).upper()


def _passphrase_key() -> bytes:
    value = settings.MARM_SNAPSHOT_PASSPHRASE_KEY
    if value:
        return value.encode()
    return salted_hmac(
        PASSPHRASE_KEY_SALT, "snapshot passphrases", secret=settings.SECRET_KEY, algorithm="sha256"
    ).digest()


def team_passphrase(team_id: int, version: int) -> str:
    """The team's passphrase: derived from ``MARM_SNAPSHOT_PASSPHRASE_KEY``, the team and the passphrase's
    version, so it is stored nowhere and a copy of the database alone does not give it."""
    digest = hmac.new(_passphrase_key(), f"team:{team_id}:version:{version}".encode(), hashlib.sha256).digest()
    letters = base64.b32encode(digest[:PASSPHRASE_BYTES]).decode("ascii")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _derive(passphrase: str, salt: bytes, iterations: int) -> bytes:
    # As typed at the duty desk: spaces, hyphens and case do not matter (the page does the same).
    normalised = re.sub(r"[\s-]", "", passphrase).upper().encode("utf-8")
    return hashlib.pbkdf2_hmac("sha256", normalised, salt, iterations, dklen=32)


def seal(payload: bytes, *, passphrase: str, header: dict) -> dict:
    """Encrypt and sign ``payload``; ``header`` gains the key derivation and cipher parameters."""
    iterations = settings.MARM_SNAPSHOT_PBKDF2_ITERATIONS
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {
        **header,
        "format": FORMAT,
        "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": iterations, "salt": _b64(salt)},
        "cipher": {"name": "AES-GCM", "length": 256, "iv": _b64(nonce)},
    }
    header_text = _b64(json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    ciphertext = AESGCM(_derive(passphrase, salt, iterations)).encrypt(nonce, payload, header_text.encode("ascii"))
    ciphertext_text = _b64(ciphertext)
    key = signing_key()
    signature = key.sign(f"{header_text}.{ciphertext_text}".encode("ascii"))
    return {
        "header": header_text,
        "ciphertext": ciphertext_text,
        "signature": _b64(signature),
        "public_key": _b64(public_key_bytes(key)),
    }


@dataclass(frozen=True)
class Opened:
    header: dict
    payload: bytes | None


def verify(envelope: dict, *, expected_public_key: bytes | None = None) -> dict:
    """The header of a sealed snapshot whose signature holds; SnapshotRefused otherwise."""
    try:
        public_key = _unb64(envelope["public_key"])
        if expected_public_key is not None and not hmac.compare_digest(public_key, expected_public_key):
            raise SnapshotRefused("signed with another key")
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            _unb64(envelope["signature"]), f"{envelope['header']}.{envelope['ciphertext']}".encode("ascii")
        )
        return json.loads(_unb64(envelope["header"]))
    except (InvalidSignature, KeyError, TypeError, ValueError, UnicodeError) as error:
        raise SnapshotRefused("the signature does not match") from error


def open_sealed(envelope: dict, *, passphrase: str, expected_public_key: bytes | None = None) -> Opened:
    """Verify, then decrypt: what the page does, for the tests and for checking a copy."""
    header = verify(envelope, expected_public_key=expected_public_key)
    kdf, cipher = header["kdf"], header["cipher"]
    key = _derive(passphrase, _unb64(kdf["salt"]), int(kdf["iterations"]))
    try:
        payload = AESGCM(key).decrypt(
            _unb64(cipher["iv"]), _unb64(envelope["ciphertext"]), envelope["header"].encode("ascii")
        )
    except InvalidTag as error:
        raise SnapshotRefused("the passphrase does not open it") from error
    return Opened(header=header, payload=payload)
