"""The agency key on the administrator's PC: made once, rotated with a cross-signed link, or
replaced when it is lost (the PCs then re-pin a fingerprint given by phone)."""

from __future__ import annotations

import base64
import json
from typing import Any

from kpi_desktop.domain.model import AuditEvent, utc_now
from kpi_desktop.domain.passphrases import check_new_passphrase
from kpi_desktop.domain.sync import AGENCY, EncryptionKey, SealedKeyRecord
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.services.sync.trust import (
    AGENCY_CHAIN,
    agency_chain,
    organisation_of,
    pin_agency,
)
from kpi_desktop.sync import keys as crypto

__all__ = ["create_agency_key", "rotate_agency_key"]


def create_agency_key(db: Any, keys: Any, passphrase: str, *, cost: int | None,
                      replace: bool) -> str:
    """Make the agency key and pin it; returns its fingerprint."""
    info = keys.create(AGENCY, passphrase, cost=cost, replace=replace)
    key = keys.require(AGENCY)
    with db.unit_of_work() as uow:
        pin_agency(uow, key.fingerprint, key.public_key, key.x25519_public, utc_now())
        uow.settings.delete(AGENCY_CHAIN)  # a new trust root: no chain leads to it
    return str(info.fingerprint)


def rotate_agency_key(db: Any, keys: Any, new_passphrase: str, *, cost: int | None) -> str:
    """Replace the unlocked agency key by a new one, cross-signed; returns its fingerprint."""
    old = keys.require(AGENCY)
    check_new_passphrase(new_passphrase, owner=AGENCY, demo=keys.is_demo_organisation())
    new = crypto.generate_key()
    sealed = crypto.seal(new, AGENCY, new_passphrase, cost=cost or keys.cost)
    now = utc_now()
    with db.unit_of_work() as uow:
        org = organisation_of(uow)
        body = canonical_json({
            "kind": "agency_key_rotation", "organisation": org.id,
            "from": old.fingerprint, "to": new.fingerprint,
            "public_key": base64.b64encode(new.public_key).decode(),
            "x25519_public": base64.b64encode(new.x25519_public).decode(), "at": now})
        link = {"body": body,
                "old_sig": base64.b64encode(old.sign(body.encode("utf-8"))).decode(),
                "new_sig": base64.b64encode(new.sign(body.encode("utf-8"))).decode()}
        chain = [*agency_chain(uow), link]
        uow.settings.set(AGENCY_CHAIN, json.dumps(chain, ensure_ascii=False))
        record = uow.sync.sealed_key(AGENCY)
        uow.sync.put_sealed_key(SealedKeyRecord(
            owner_id=AGENCY, fingerprint=sealed.fingerprint, public_key=sealed.public_key,
            x25519_public=sealed.x25519_public, blob=sealed.blob,
            created_at=record.created_at if record else now, updated_at=now))
        uow.sync.upsert([EncryptionKey(owner_id=AGENCY, signing_fingerprint=new.fingerprint,
                                       x25519_public=new.x25519_public)])
        pin_agency(uow, new.fingerprint, new.public_key, new.x25519_public, now)
        uow.audit.append(AuditEvent(at=now, action="key.agency_rotate", object_type="key",
                                    object_id=new.fingerprint, actor_id=None,
                                    detail={"previous": old.fingerprint}))
    keys.unlock(AGENCY, new_passphrase)
    return new.fingerprint
