"""Keys: sealing with a passphrase, fingerprints, several people on one PC, signing on submit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.signing import revision_bytes

from .helpers import FAST_COST, TODAY


def test_a_sealed_key_opens_only_with_its_passphrase_and_owner() -> None:
    key = crypto.generate_key()
    sealed = crypto.seal(key, "hcc-cv1", "mật khẩu dài", cost=FAST_COST)
    assert key.seed not in sealed.blob
    assert crypto.unseal(sealed, "mật khẩu dài").fingerprint == key.fingerprint
    # NFC: the same passphrase typed with decomposed letters still opens it.
    import unicodedata
    assert crypto.unseal(sealed, unicodedata.normalize("NFD", "mật khẩu dài")).seed == key.seed
    with pytest.raises(RefusedValue) as wrong:
        crypto.unseal(sealed, "mat khau dai")
    assert wrong.value.code == "passphrase_wrong"
    stolen = crypto.SealedKey(owner_id="hcc-cv2", fingerprint=sealed.fingerprint,
                              public_key=sealed.public_key, x25519_public=sealed.x25519_public,
                              blob=sealed.blob)
    with pytest.raises(RefusedValue):
        crypto.unseal(stolen, "mật khẩu dài")
    with pytest.raises(RefusedValue) as short:
        crypto.seal(key, "x", "abc", cost=FAST_COST)
    assert short.value.code == "passphrase_too_short"


def test_fingerprints_are_readable_and_signatures_verify() -> None:
    key = crypto.generate_key()
    assert re.fullmatch(r"[0-9a-f]{32}", key.fingerprint)
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", crypto.readable_fingerprint(
        key.fingerprint))
    signature = key.sign(b"abc")
    assert crypto.verify(key.public_key, signature, b"abc")
    assert not crypto.verify(key.public_key, signature, b"abd")
    assert not crypto.verify(crypto.generate_key().public_key, signature, b"abc")
    assert crypto.KeyPair(key.seed).x25519_public == key.x25519_public


def test_several_people_share_a_pc_each_with_their_own_passphrase(demo_dir) -> None:
    services = AppServices.open(app_paths(demo_dir))
    services.keys.cost = FAST_COST
    try:
        assert {"agency", "hcc-cv1", "hcc-gd"} <= set(services.keys.owners())
        # Demo people are enrolled with the passphrase "demo".
        info = services.keys.info("hcc-cv1")
        assert info.enrolled and not info.unlocked
        services.keys.unlock("hcc-cv1", "demo")
        assert services.keys.unlocked("hcc-cv1") is not None
        assert services.keys.unlocked("hcc-cv2") is None
        with pytest.raises(RefusedValue) as locked:
            services.keys.require("hcc-cv2")
        assert locked.value.code == "key_locked"
        services.keys.change_passphrase("hcc-cv2", "demo", "một hai ba bốn")
        with pytest.raises(RefusedValue):
            services.keys.unlock("hcc-cv2", "demo")
        assert services.keys.unlock("hcc-cv2", "một hai ba bốn").fingerprint == \
            services.keys.info("hcc-cv2").fingerprint
        services.keys.lock()
        assert services.keys.unlocked_owners() == []
        with pytest.raises(RefusedValue) as exists:
            services.keys.create("hcc-cv1", "another one")
        assert exists.value.code == "key_exists"
        assert services.sync.is_agency()
        assert services.keys.info(AGENCY).enrolled
    finally:
        services.close()


def test_submitting_signs_the_revision_when_the_key_is_unlocked(demo_dir) -> None:
    services = AppServices.open(app_paths(demo_dir))
    services.worklog._today = TODAY
    try:
        with services.db.unit_of_work(read_only=True) as uow:
            item = uow.catalog.allowed_items("hcc-cv1")[0]
        unsigned = services.worklog.add_entry(
            person_id="hcc-cv1", work_date=dt.date(2026, 11, 20), item_code=item.code,
            quantity=Decimal(1), submit=True)
        assert unsigned.signature is None  # no key unlocked: behaviour as before
        key = services.keys.unlock("hcc-cv1", "demo")
        signed = services.worklog.add_entry(
            person_id="hcc-cv1", work_date=dt.date(2026, 11, 20), item_code=item.code,
            quantity=Decimal(2), submit=True)
        assert signed.key_fingerprint == key.fingerprint
        with services.db.unit_of_work(read_only=True) as uow:
            revision = uow.worklog.get_revision(signed.id, 1)
        assert crypto.verify(key.public_key, revision.signature, revision_bytes(revision))
    finally:
        services.close()
