"""Records of identity and synchronisation kept on a PC (DESIGN.md §6); stdlib only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AGENCY",
    "BundleLogEntry",
    "EncryptionKey",
    "HeldBundle",
    "HubBundle",
    "RecordRefusal",
    "SealedKeyRecord",
    "SyncSequence",
    "TrustedKey",
]

# Owner id of the agency's own key pair (on the agency's PC).
AGENCY = "agency"


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedKeyRecord:
    """A person's (or the agency's) key pair on this PC, sealed with their passphrase."""

    owner_id: str
    fingerprint: str
    public_key: bytes
    x25519_public: bytes
    blob: bytes
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TrustedKey:
    """A key this PC trusts beyond the people's keys: the agency key it was set up with."""

    fingerprint: str
    owner_id: str
    role: str
    public_key: bytes
    pinned_at: dt.datetime
    x25519_public: bytes | None = None
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EncryptionKey:
    """The X25519 key others encrypt bundles to, published for a person or the agency."""

    owner_id: str
    signing_fingerprint: str
    x25519_public: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class BundleLogEntry:
    """One bundle written (``direction`` "out") or imported ("in") on this PC."""

    bundle_id: str
    direction: str
    kind: str
    sender_id: str
    recipient_id: str
    seq: int
    header_sha256: str
    at: dt.datetime
    file_name: str = ""
    summary: Mapping[str, Any] = field(default_factory=dict)
    signer: str | None = None  # the fingerprint that signed it (a new PC signs with a new key)


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncSequence:
    """Per (sender, recipient): the last sequence number sent and the highest received."""

    sender_id: str
    recipient_id: str
    last_sent: int = 0
    last_received: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class HubBundle:
    """A bundle stored by the agency hub (its content is read separately)."""

    bundle_id: str
    kind: str
    sender_id: str
    recipient_id: str
    seq: int
    header_sha256: str
    received_at: dt.datetime
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordRefusal:
    """A record refused by rule: ``direction`` "out" (this PC refused what ``peer_id`` sent;
    the refusal goes back to them) or "in" (``peer_id`` refused what this PC sent)."""

    direction: str
    peer_id: str
    item_key: str
    code: str
    at: dt.datetime
    params: Mapping[str, Any] = field(default_factory=dict)
    receipted: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldBundle:
    """A bundle held unapplied: its sequence number was already used by another bundle of the
    same sender (a cloned or restored PC); someone decides to release or discard it."""

    bundle_id: str
    sender_id: str
    recipient_id: str
    seq: int
    kind: str
    header_sha256: str
    reason: str
    held_at: dt.datetime
    file_name: str = ""
