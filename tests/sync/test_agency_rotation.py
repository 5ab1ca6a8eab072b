"""Agency key rotation: the agency replaces its key, the next organisation file (signed by the
new key, the change cross-signed by the old and the new key) moves every PC's pin — also a PC
that skipped versions — and files signed by the old key are refused afterwards. And the
lost-key path: a new key trusted from a fingerprint checked by phone."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import utc_now
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.services.sync.organisation import organisation_records
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import write_bundle

from .helpers import LEADER, OFFICIAL, PASSPHRASES, World, log_week, opened, snapshot


def _publish(world: World) -> Path:
    with opened(world.agency, "agency") as agency:
        return agency.sync.publish_organisation(world.usb).path


def _rotate(world: World) -> tuple[crypto.KeyPair, str]:
    """Rotate the agency key (same passphrase); returns the old key and the new fingerprint."""
    with opened(world.agency, "agency") as agency:
        old = agency.keys.require("agency")
        new = agency.sync.rotate_agency_key(PASSPHRASES["agency"])
        assert agency.keys.require("agency").fingerprint == new != old.fingerprint
        assert agency.sync.agency_fingerprint() == new
    return old, new


def _import(folder: Path, owner: str, path: Path | bytes) -> object:
    with opened(folder, owner) as pc:
        data = path.read_bytes() if isinstance(path, Path) else path
        return pc.sync.import_bytes(data, source=str(path) if isinstance(path, Path) else "")


def _pinned(folder: Path) -> str | None:
    with opened(folder) as pc:
        return pc.sync.agency_fingerprint()


def _forged_organisation(world: World, key: crypto.KeyPair, *, chain: list | None = None,
                         version_step: int = 1) -> bytes:
    """The newest organisation file re-signed by ``key`` as the next version."""
    with opened(world.agency) as agency, agency.db.unit_of_work(read_only=True) as uow:
        org = uow.org.list_organisations()[0]
        records = organisation_records(uow, org)
    version = org.org_version + version_step
    agency_header = {"public_key": base64.b64encode(key.public_key).decode(),
                     "x25519_public": base64.b64encode(key.x25519_public).decode()}
    if chain is not None:
        agency_header["chain"] = chain
    return write_bundle(kind="organisation", sender_id="agency", recipient_id="*", seq=version,
                        key=key, records=records,
                        extra={"organisation": {"id": org.id, "version": version},
                               "agency": agency_header})


def _refused(folder: Path, owner: str, data: bytes, code: str) -> None:
    before = snapshot(folder)
    with opened(folder, owner) as pc:
        result = pc.sync.import_bytes(data)
        assert result.status == "refused" and result.error is not None, result
        assert result.error.code == code, result.error
        assert pc.sync.describe_result(result)
    assert snapshot(folder) == before


def test_rotation_moves_every_pin_and_the_old_key_is_refused_afterwards(world: World) -> None:
    k1 = _pinned(world.official)
    old, k2 = _rotate(world)
    assert old.fingerprint == k1
    v3 = _publish(world)
    result = _import(world.official, OFFICIAL, v3)
    assert result.status == "imported", result.error
    assert result.counts["agency_key"] == 1
    assert _pinned(world.official) == k2
    # A second rotation; the leader's PC never saw version 3 and follows the whole chain.
    second_old, k3 = _rotate(world)
    assert second_old.fingerprint == k2
    v4 = _publish(world)
    assert _pinned(world.leader) == k1
    assert _import(world.leader, LEADER, v4).status == "imported"
    assert _pinned(world.leader) == k3
    assert _import(world.official, OFFICIAL, v4).status == "imported"
    assert _pinned(world.official) == k3
    # Files signed by a replaced key are refused with a specific reason.
    _refused(world.official, OFFICIAL, _forged_organisation(world, old),
             "bundle_agency_key_replaced")
    _refused(world.leader, LEADER, _forged_organisation(world, second_old),
             "bundle_agency_key_replaced")
    # An old copy of a file this PC already has is still just "already imported".
    assert _import(world.official, OFFICIAL, v3).status == "already"
    # Work keeps flowing: encrypted to the new agency key, acknowledged by it.
    with opened(world.official, OFFICIAL) as pc:
        log_week(pc, days=1)
        sent = {r.recipient_id: r.path for r in pc.sync.export(OFFICIAL, world.usb)}
    with opened(world.agency, "agency") as agency:
        assert agency.sync.import_paths([sent["agency"]])[0].status == "imported"
        receipts = {r.recipient_id: r.path for r in agency.sync.export("agency", world.usb)}
    assert _import(world.official, OFFICIAL, receipts[OFFICIAL]).status == "imported"


def test_a_forged_rotation_link_is_refused(world: World) -> None:
    k1 = _pinned(world.official)
    stranger = crypto.generate_key()
    with opened(world.official) as pc, pc.db.unit_of_work(read_only=True) as uow:
        org_id = uow.org.list_organisations()[0].id
    body = canonical_json({
        "kind": "agency_key_rotation", "organisation": org_id, "from": k1,
        "to": stranger.fingerprint,
        "public_key": base64.b64encode(stranger.public_key).decode(),
        "x25519_public": base64.b64encode(stranger.x25519_public).decode(), "at": utc_now()})
    forged_sig = base64.b64encode(stranger.sign(body.encode())).decode()
    link = {"body": body, "old_sig": forged_sig, "new_sig": forged_sig}
    _refused(world.official, OFFICIAL, _forged_organisation(world, stranger, chain=[link]),
             "bundle_signature_invalid")
    # Without any link, an unknown signer is refused as before.
    _refused(world.official, OFFICIAL, _forged_organisation(world, stranger),
             "bundle_signer_unknown")
    assert _pinned(world.official) == k1


def test_a_lost_agency_key_is_replaced_by_phone_checked_fingerprint(world: World) -> None:
    k1 = _pinned(world.official)
    with opened(world.agency) as agency:
        new = agency.sync.create_agency_key("another passphrase", replace=True)
    assert new != k1
    with opened(world.agency) as agency:
        agency.keys.unlock("agency", "another passphrase")
        v3 = agency.sync.publish_organisation(world.usb).path
    # Not signed by the key the PC trusts, and no rotation link: refused.
    _refused(world.official, OFFICIAL, v3.read_bytes(), "bundle_signer_unknown")
    before = snapshot(world.official)
    with opened(world.official) as pc:
        with pytest.raises(RefusedValue) as refused:
            pc.sync.repin_agency_key(v3, k1)  # the wrong fingerprint
        assert refused.value.code == "agency_key_mismatch"
    assert snapshot(world.official) == before
    with opened(world.official) as pc:
        result = pc.sync.repin_agency_key(v3, crypto.readable_fingerprint(new))
        assert result.status == "imported", result.error
        assert pc.sync.agency_fingerprint() == new
    # The lost key is retired here too.
    with opened(world.agency) as agency, agency.db.unit_of_work(read_only=True) as uow:
        key_1 = uow.sync.trusted_key(k1)
    assert key_1 is not None and key_1.revoked_at is not None


def test_the_rotation_and_repin_commands(world: World, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def run(folder: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(folder), "--lang", "en", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES["agency"])
    monkeypatch.setenv("KPI_DESKTOP_NEW_PASSPHRASE", "rotated passphrase")
    code, out, err = run(world.agency, "keys", "agency-rotate")
    assert code == 0, err
    assert "New agency key" in out
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "rotated passphrase")
    out_dir = world.root / "published"
    code, out, err = run(world.agency, "org", "publish", "--out", str(out_dir))
    assert code == 0, err
    [file] = list(out_dir.iterdir())
    code, out, err = run(world.official, "org", "import", str(file))
    assert code == 0, err
    with opened(world.agency) as agency:
        new = agency.sync.agency_fingerprint()
    assert new is not None and crypto.readable_fingerprint(new) in out
    # The wrong fingerprint by phone: exit 3, a translated reason, nothing changed.
    before = snapshot(world.leader)
    code, _, err = run(world.leader, "org", "import", str(file), "--new-agency-key",
                       "0000 0000 0000 0000 0000 0000 0000 0000")
    assert code == 3 and "by phone" in err
    assert snapshot(world.leader) == before
    code, out, err = run(world.leader, "org", "import", str(file), "--new-agency-key",
                         crypto.readable_fingerprint(new))
    assert code == 0, err
