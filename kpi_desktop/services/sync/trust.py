"""Whom a PC trusts: the agency key it pinned (and the chain of rotations that moves the pin),
the keys that may sign a bundle of each kind, the key that opens an encrypted bundle, and a
record author's key checked against the record's own date (revocation by time)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.sync import AGENCY, TrustedKey
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Bundle, enc_key_id

__all__ = [
    "AGENCY_CHAIN",
    "AuthorKey",
    "agency_chain",
    "author_key",
    "check_addressed",
    "decrypt_key",
    "follow_chain",
    "header_agency_key",
    "organisation_of",
    "pin_agency",
    "signer_key",
]

AGENCY_CHAIN = "sync.agency_key_chain"  # the agency PC's rotation links, oldest first


def organisation_of(uow: Any) -> model.Organisation:
    """The one organisation this PC belongs to (``organisation_missing`` before set-up)."""
    organisations = uow.org.list_organisations()
    if len(organisations) != 1:
        raise RefusedValue("organisation_missing")
    return organisations[0]


def agency_chain(uow: Any) -> list[dict[str, str]]:
    """The agency key's rotation links kept on the agency's PC, oldest first."""
    text = uow.settings.get(AGENCY_CHAIN)
    return json.loads(text) if text else []


def pin_agency(uow: Any, fp: str, public_key: bytes, x25519_public: bytes,
               now: dt.datetime) -> None:
    """Trust ``fp`` as the agency key; every other agency key pinned here is retired."""
    for old in uow.sync.trusted_keys("agency"):
        if old.fingerprint != fp and old.revoked_at is None:
            uow.sync.revoke_trusted_key(old.fingerprint, now)
    if uow.sync.trusted_key(fp) is None:
        uow.sync.add_trusted_key(TrustedKey(
            fingerprint=fp, owner_id=AGENCY, role="agency", public_key=public_key,
            x25519_public=x25519_public, pinned_at=now))


def header_agency_key(header: dict[str, Any], fp: str) -> bytes:
    """The agency key a header names, checked against the fingerprint that signed it."""
    try:
        agency = base64.b64decode(header["agency"]["public_key"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise RefusedValue("bundle_malformed", file="header.json", detail="agency") from None
    if crypto.fingerprint(agency) != fp:
        raise RefusedValue("bundle_signature_invalid")
    return agency


def signer_key(uow: Any, fp: str, header: dict[str, Any]) -> bytes:
    """The public key that may sign a bundle with this header: the pinned agency key
    (organisation files and receipts), a key the agency's chain of rotations leads to, the
    key named by the very first organisation file of a PC, or the sender's own current key."""
    kind = header.get("kind")
    pinned = {k.fingerprint: k for k in uow.sync.trusted_keys("agency")}
    if fp in pinned:
        if pinned[fp].revoked_at is not None:
            _refuse_retired(uow, pinned, fp, header)
        # The agency signs its organisation files and receipts, and the review bundles that
        # carry what it recorded itself to the people concerned (leave it recorded, Điều
        # 11.2): each record in them is still verified against its own author's key and
        # author rule, so the agency's key carries nothing it could not sign anyway.
        sender = header.get("sender")
        if kind not in ("organisation", "receipt", "review") or (
                kind == "review" and (not isinstance(sender, dict)
                                      or sender.get("id") != AGENCY)):
            raise RefusedValue("bundle_signer_not_allowed", kind=str(kind))
        return pinned[fp].public_key
    person_key = uow.org.find_key(fp)
    if kind == "organisation":
        if person_key is not None:
            raise RefusedValue("bundle_signer_not_allowed", kind="organisation")
        if pinned:
            # A rotated agency key: follow the chain from the key pinned here.
            path = follow_chain(uow, pinned, header)
            if not path or path[-1][0] != fp:
                raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
            return path[-1][1]
        if uow.org.list_organisations():
            raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
        # First set-up of this PC: trust the agency key the bundle names (shown to people).
        return header_agency_key(header, fp)
    if person_key is None:
        raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
    if person_key.revoked_at is not None:
        raise RefusedValue("bundle_signer_revoked", key=crypto.readable_fingerprint(fp))
    sender = header.get("sender")
    if not isinstance(sender, dict) or sender.get("id") != person_key.person_id:
        raise RefusedValue("bundle_signer_not_allowed", kind=str(kind))
    return person_key.public_key


def _refuse_retired(uow: Any, pinned: dict[str, TrustedKey], fp: str,
                    header: dict[str, Any]) -> None:
    """A file signed by an agency key this PC no longer trusts: refused, except an
    organisation file no newer than the one in use (an old copy on a stick, which the
    version rules then treat as already imported or older)."""
    current = [k for k in pinned.values() if k.revoked_at is None]
    if not current:
        raise RefusedValue("bundle_signer_revoked", key=crypto.readable_fingerprint(fp))
    organisations = uow.org.list_organisations()
    org = header.get("organisation")
    version = org.get("version") if isinstance(org, dict) else None
    if (header.get("kind") == "organisation" and organisations
            and isinstance(version, int) and version <= organisations[0].org_version):
        return
    raise RefusedValue("bundle_agency_key_replaced", key=crypto.readable_fingerprint(fp),
                       current=crypto.readable_fingerprint(current[-1].fingerprint))


def _chain_link(link: Any) -> tuple[str, dict[str, Any], bytes, bytes, bytes]:
    try:
        body_text = link["body"]
        body = json.loads(body_text)
        old_sig = base64.b64decode(link["old_sig"], validate=True)
        new_sig = base64.b64decode(link["new_sig"], validate=True)
        new_key = base64.b64decode(body["public_key"], validate=True)
        if body["kind"] != "agency_key_rotation":
            raise ValueError(body["kind"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise RefusedValue("bundle_malformed", file="header.json",
                           detail="agency.chain") from None
    return str(body_text), body, old_sig, new_sig, new_key


def follow_chain(uow: Any, pinned: dict[str, TrustedKey], header: dict[str, Any]
                 ) -> list[tuple[str, bytes]]:
    """The agency keys the header's rotation links lead to from the agency key pinned
    here, in order (each link signed by the key it replaces and by the new key)."""
    agency = header.get("agency")
    chain = agency.get("chain") if isinstance(agency, dict) else None
    current = [k for k in pinned.values() if k.revoked_at is None]
    organisations = uow.org.list_organisations()
    if not isinstance(chain, list) or not current or not organisations:
        return []
    at_fp, at_key = current[-1].fingerprint, current[-1].public_key
    path: list[tuple[str, bytes]] = []
    for link in chain:
        body_text, body, old_sig, new_sig, new_key = _chain_link(link)
        if body.get("from") != at_fp:
            continue  # a link before the key pinned here
        signed = body_text.encode("utf-8")
        if (body.get("organisation") != organisations[0].id
                or body.get("to") != crypto.fingerprint(new_key)
                or not crypto.verify(at_key, old_sig, signed)
                or not crypto.verify(new_key, new_sig, signed)):
            raise RefusedValue("bundle_signature_invalid")
        at_fp, at_key = body["to"], new_key
        path.append((at_fp, at_key))
    return path


def decrypt_key(keys: Any, uow: Any, key_id: str) -> crypto.KeyPair | None:
    """The unlocked key pair whose X25519 key a bundle is encrypted to, or ``None``."""
    for owner in keys.unlocked_owners():  # usually the one recipient: no scan
        key = keys.unlocked(owner)
        record = uow.sync.sealed_key(owner)
        if (key is not None and record is not None and record.x25519_public
                == key.x25519_public and enc_key_id(key.x25519_public) == key_id):
            return key
    for record in uow.sync.sealed_keys():
        if enc_key_id(record.x25519_public) == key_id:
            key = keys.unlocked(record.owner_id)
            if key is None:
                raise RefusedValue("key_locked", owner=record.owner_id)
            return key
    return None


def check_addressed(uow: Any, bundle: Bundle) -> None:
    """The bundle belongs to this PC's organisation and, unless it is an organisation file,
    to someone whose key is on this PC."""
    org_header = bundle.header.get("organisation")
    if not (isinstance(org_header, dict) and isinstance(org_header.get("id"), str)
            and isinstance(org_header.get("version"), int)
            and not isinstance(org_header.get("version"), bool)):
        raise RefusedValue("bundle_malformed", file="header.json", detail="organisation")
    organisations = uow.org.list_organisations()
    if organisations and organisations[0].id != org_header["id"]:
        raise RefusedValue("bundle_other_unit", organisation=org_header["id"])
    if bundle.kind == "organisation":
        return
    if not organisations:
        raise RefusedValue("organisation_missing")
    if uow.sync.sealed_key(bundle.recipient_id) is None:
        raise RefusedValue("bundle_wrong_recipient", recipient=bundle.recipient_id)


@dataclass(frozen=True)
class AuthorKey:
    """A record author's public key, and whether the record was signed before that key was
    revoked (accepted, and flagged for the agency: it arrived after the revocation)."""

    public_key: bytes
    signed_before_revocation: bool = False
    fingerprint: str = ""
    revoked_at: dt.datetime | None = None


def author_key(lookup: Any, fp: str | None, author_id: str, what: str,
               signed_at: dt.datetime | None) -> AuthorKey:
    """The key ``fp`` of ``author_id`` for a record dated ``signed_at`` (``lookup(fp)``
    returns the stored :class:`~kpi_desktop.domain.model.PersonKey` or ``None``).

    Raises:
        RefusedValue: ``bundle_record_unsigned``; ``bundle_signer_unknown``;
            ``bundle_record_signature_invalid`` (another person's key);
            ``bundle_record_key_revoked`` when the key was revoked at or before the record's
            own date, whoever carries the record.
    """
    if fp is None:
        raise RefusedValue("bundle_record_unsigned", record=what)
    key = lookup(fp)
    if key is None:
        raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
    if key.person_id != author_id:
        raise RefusedValue("bundle_record_signature_invalid", record=what)
    if key.revoked_at is None:
        return AuthorKey(key.public_key)
    if signed_at is None or signed_at >= key.revoked_at:
        raise RefusedValue("bundle_record_key_revoked", record=what,
                           key=crypto.readable_fingerprint(fp),
                           revoked=key.revoked_at.date().isoformat())
    return AuthorKey(key.public_key, signed_before_revocation=True, fingerprint=fp,
                     revoked_at=key.revoked_at)
