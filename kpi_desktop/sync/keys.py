"""Personal keys: Ed25519 for signing, X25519 for receiving encrypted bundles (DESIGN.md §6).

* A key pair is made from one random 32-byte Ed25519 seed; the X25519 key that receives
  encrypted bundles is derived from the same seed with HKDF-SHA256, so one secret is sealed.
* The seed is sealed at rest with the owner's passphrase: scrypt (salt, N, r, p stored with
  the blob) → 256-bit key → AES-256-GCM, with the owner id and fingerprint as associated data
  (a blob copied to another person does not open).
* A fingerprint is the first 16 bytes of SHA-256 of the raw Ed25519 public key, as 32 lower-case
  hex digits; :func:`readable_fingerprint` shows it as eight groups of four ("3F2A 9C1B …").

Only this package imports :mod:`cryptography`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.values import normalize_text

__all__ = [
    "DEMO_COST",
    "DEFAULT_COST",
    "KeyPair",
    "SealedKey",
    "change_passphrase",
    "fingerprint",
    "generate_key",
    "readable_fingerprint",
    "seal",
    "sealed_cost",
    "unseal",
    "verify",
]

# scrypt cost (log2 N) for real keys: N = 2^17, r = 8 (128 MiB of memory, ~0.4 s on an
# office PC): a guess at a copied database or backup costs the same. Keys sealed with a
# lower cost are sealed again at this cost on their next successful unlock.
DEFAULT_COST = 17
# Lower cost for the demo people, whose passphrase ("demo") is public anyway.
DEMO_COST = 12
_MIN_COST, _MAX_COST = 10, 20
_MIN_PASSPHRASE = 4
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_X25519_INFO = b"kpi-desktop x25519 from ed25519 seed v1"


def fingerprint(public_key: bytes) -> str:
    """The fingerprint of a raw 32-byte Ed25519 public key (32 hex digits)."""
    return hashlib.sha256(public_key).hexdigest()[:32]


def readable_fingerprint(value: str) -> str:
    """A fingerprint in eight groups of four upper-case hex digits, for reading aloud."""
    text = value.replace(" ", "").upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def verify(public_key: bytes, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``data`` by ``public_key``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class KeyPair:
    """An unlocked key pair (kept in memory only while its owner is signed in)."""

    seed: bytes

    def __post_init__(self) -> None:
        if len(self.seed) != 32:
            raise ValueError("an Ed25519 seed has 32 bytes")

    @functools.cached_property
    def _signing(self) -> Ed25519PrivateKey:
        # Made once a key pair (an export signs thousands of records: rebuilding the key
        # from its seed for each cost as much as the signature itself).
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @functools.cached_property
    def public_key(self) -> bytes:
        """The raw Ed25519 public key (32 bytes)."""
        return self._signing.public_key().public_bytes(_RAW, _RAW_PUB)

    @property
    def fingerprint(self) -> str:
        """The fingerprint of :attr:`public_key`."""
        return fingerprint(self.public_key)

    def sign(self, data: bytes) -> bytes:
        """The Ed25519 signature (64 bytes) of ``data``."""
        return self._signing.sign(data)

    @property
    def x25519_private(self) -> X25519PrivateKey:
        """The X25519 key that opens bundles encrypted to this person."""
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=_X25519_INFO).derive(self.seed)
        return X25519PrivateKey.from_private_bytes(derived)

    @property
    def x25519_public(self) -> bytes:
        """The raw X25519 public key others encrypt bundles to (published with the person)."""
        return self.x25519_private.public_key().public_bytes(_RAW, _RAW_PUB)

    def __repr__(self) -> str:  # never print the secret
        return f"KeyPair(fingerprint={self.fingerprint!r})"


def generate_key() -> KeyPair:
    """A new random key pair."""
    return KeyPair(Ed25519PrivateKey.generate().private_bytes(
        _RAW, _RAW_PRIV, serialization.NoEncryption()))


@dataclass(frozen=True)
class SealedKey:
    """A key pair sealed with a passphrase, as stored in the database (``blob``)."""

    owner_id: str
    fingerprint: str
    public_key: bytes
    x25519_public: bytes
    blob: bytes


def _kdf(passphrase: str, salt: bytes, cost: int) -> bytes:
    text = normalize_text(passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=2**cost, r=8, p=1).derive(text)


def _aad(owner_id: str, fp: str) -> bytes:
    return f"kpi-desktop sealed key v1|{owner_id}|{fp}".encode()


def seal(key: KeyPair, owner_id: str, passphrase: str, *, cost: int = DEFAULT_COST) -> SealedKey:
    """Seal ``key`` for ``owner_id`` with ``passphrase``.

    The rule for a new passphrase is :func:`kpi_desktop.domain.passphrases.check_new_passphrase`
    (its callers apply it); here only the floor of every key ever sealed holds, so a key can
    be sealed again at a higher cost with the passphrase it already has.

    Raises:
        RefusedValue: ``passphrase_too_short`` for fewer than four characters.
    """
    if len(normalize_text(passphrase)) < _MIN_PASSPHRASE:
        raise RefusedValue("passphrase_too_short", minimum=_MIN_PASSPHRASE)
    if not _MIN_COST <= cost <= _MAX_COST:
        raise ValueError("scrypt cost out of range")
    salt, nonce = os.urandom(16), os.urandom(12)
    secret = AESGCM(_kdf(passphrase, salt, cost)).encrypt(
        nonce, key.seed, _aad(owner_id, key.fingerprint))
    blob = json.dumps({
        "v": 1, "kdf": "scrypt", "log_n": cost, "r": 8, "p": 1,
        "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
        "sealed": base64.b64encode(secret).decode(),
    }, sort_keys=True).encode()
    return SealedKey(owner_id=owner_id, fingerprint=key.fingerprint, public_key=key.public_key,
                     x25519_public=key.x25519_public, blob=blob)


def sealed_cost(blob: bytes) -> int | None:
    """The scrypt cost (log2 N) a key was sealed with, ``None`` when unreadable."""
    try:
        return int(json.loads(blob)["log_n"])
    except (ValueError, KeyError, TypeError):
        return None


def unseal(sealed: SealedKey, passphrase: str) -> KeyPair:
    """Open a sealed key.

    Raises:
        RefusedValue: ``passphrase_wrong`` when the passphrase does not open it,
            ``key_blob_damaged`` when the stored blob is unreadable or does not match.
    """
    try:
        data = json.loads(sealed.blob)
        cost = int(data["log_n"])
        if data.get("v") != 1 or data.get("kdf") != "scrypt" or not _MIN_COST <= cost <= _MAX_COST:
            raise ValueError("unknown sealing")
        salt = base64.b64decode(data["salt"], validate=True)
        nonce = base64.b64decode(data["nonce"], validate=True)
        secret = base64.b64decode(data["sealed"], validate=True)
    except (ValueError, KeyError, TypeError) as exc:
        raise RefusedValue("key_blob_damaged", owner=sealed.owner_id) from exc
    try:
        seed = AESGCM(_kdf(passphrase, salt, cost)).decrypt(
            nonce, secret, _aad(sealed.owner_id, sealed.fingerprint))
    except InvalidTag:
        raise RefusedValue("passphrase_wrong", owner=sealed.owner_id) from None
    key = KeyPair(seed)
    if key.fingerprint != sealed.fingerprint:
        raise RefusedValue("key_blob_damaged", owner=sealed.owner_id)
    return key


def change_passphrase(sealed: SealedKey, old: str, new: str, *,
                      cost: int = DEFAULT_COST) -> SealedKey:
    """The same key sealed with ``new`` (``old`` must open it)."""
    return seal(unseal(sealed, old), sealed.owner_id, new, cost=cost)
