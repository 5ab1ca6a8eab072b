"""The trust rules, for every record kind of the registry (one real scenario each, see
``scenarios.py``), on the agency's PC with the records carried by another member:

* a round trip stores them, and the verify hook of ``kpi-desktop check`` finds them sound;
* every field of a record as it travels, altered: refused with the database unchanged, or —
  when the field is not signed — not taken from the row (the stored data is exactly what the
  genuine record gives): nothing stored is unsigned;
* an older record after a newer one and the reverse: the newer stays (a kind whose records
  never change refuses a changed copy as a conflict);
* a replay changes nothing;
* a record by a key revoked before the record's date is refused, whoever carries it; one
  dated before the revocation is accepted and flagged for the agency.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.domain.model import utc_now
from kpi_desktop.services.sync.channels import record_text
from kpi_desktop.services.sync.kinds import BY_FILE, verify_stored

from .helpers import OFFICIAL, World, data_of, opened, snapshot
from .scenarios import SCENARIOS, Case, carry

_BOOKKEEPING = ("bundle_log", "audit_events", "sync_received", "sync_sequences", "sync_acks",
                "sync_refusals", "sync_held")


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def case(request: pytest.FixtureRequest, world_master: World,
         tmp_path_factory: pytest.TempPathFactory) -> Case:
    world = world_master.copy_to(tmp_path_factory.mktemp("kind") / "world")
    return SCENARIOS[request.param](world)


def _data(folder: Path) -> list[str]:
    """The database without the sync bookkeeping (which bundles came, receipts, audit), as a
    set of rows (the order rows were inserted in is the order records arrived in)."""
    return sorted(line for line in snapshot(folder)[0]
                  if not any(f'INSERT INTO "{t}"' in line for t in _BOOKKEEPING))


def _fresh(case: Case, tmp_path: Path, name: str) -> Path:
    """A copy of the agency's PC with what the records need imported first."""
    folder = tmp_path / name
    shutil.copytree(case.world.agency, folder)
    if case.prereq:
        result = _import(folder, carry(case.world, OFFICIAL, case.prereq, folder))
        assert result.status == "imported", result.error
    return folder


def _import(folder: Path, data: bytes) -> Any:
    with opened(folder, "agency") as pc:
        return pc.sync.import_bytes(data)


def _send(case: Case, folder: Path, rows: list[dict[str, Any]]) -> Any:
    return _import(folder, carry(case.world, case.carrier, {case.file: rows}, folder))


def test_every_kind_of_the_registry_has_a_scenario() -> None:
    assert {name.split(":")[0] for name in SCENARIOS} == set(BY_FILE)


def test_a_round_trip_stores_the_records_and_check_finds_them_sound(case: Case,
                                                                      tmp_path: Path) -> None:
    agency = _fresh(case, tmp_path, "agency")
    result = _send(case, agency, case.older)
    assert result.status == "imported", result.error
    assert result.counts[case.file] == len(case.older)
    kind = case.kind
    wanted = {kind.item_key(kind.parse(row)) for row in case.older}
    with opened(agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        stored = {kind.item_key(record) for record in kind.stored(uow)}
        problems = list(verify_stored(uow))
        # The words a refusal or notice uses for the record (sync status, the Sync page, the
        # import summary): its person and item, never its key.
        words = {key: record_text(uow, key) for key in wanted}
    assert wanted <= stored
    assert problems == []
    for key, text in words.items():
        assert key.split(":")[1] not in text and "not on this PC" not in text, (key, text)


def _altered(value: Any) -> Any:
    """The same kind of value, changed."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, dict):
        return {} if value else {"I.1": "1"}
    if isinstance(value, list):
        return [] if value else ["x"]
    if value is None:
        return "2026-11-20T08:00:00Z"
    text = str(value)
    for parse, shift in ((dt.datetime.fromisoformat,
                          lambda v: (v + dt.timedelta(days=1)).isoformat()),
                         (dt.date.fromisoformat, lambda v: (v + dt.timedelta(days=1)).isoformat()),
                         (Decimal, lambda v: str(v + 1))):
        try:
            return shift(parse(text.replace("Z", "+00:00")))
        except (ValueError, InvalidOperation):
            continue
    if len(text) >= 40 and text.endswith("="):
        raw = bytearray(base64.b64decode(text))
        raw[0] ^= 1
        return base64.b64encode(bytes(raw)).decode()
    return text + "·"


def test_each_field_altered_is_refused_or_not_taken_from_the_row(case: Case,
                                                                 tmp_path: Path) -> None:
    genuine = _fresh(case, tmp_path, "genuine")
    assert _send(case, genuine, case.older).status == "imported"
    wanted = _data(genuine)
    row = case.older[0]
    agency = _fresh(case, tmp_path, "forged-0")
    refused, ignored = [], []
    for number, name in enumerate(sorted(row)):
        forged = {**row, name: _altered(row[name])}
        before = snapshot(agency)
        result = _send(case, agency, [forged, *case.older[1:]])
        if result.status == "refused":
            assert data_of(snapshot(agency)) == data_of(before), name
            refused.append(name)
            continue
        assert result.status == "imported", (name, result.error)
        assert _data(agency) == wanted, f"{name} was taken from the row as sent"
        ignored.append(name)
        agency = _fresh(case, tmp_path, f"forged-{number + 1}")
    assert any(name.endswith("signature") for name in refused), (refused, ignored)


def test_the_newer_record_stays_in_any_order(case: Case, tmp_path: Path) -> None:
    if case.newer is None:
        pytest.skip("records of this kind never change: see the conflict test")
    forward = _fresh(case, tmp_path, "forward")
    assert _send(case, forward, case.older).status == "imported"
    assert _send(case, forward, case.newer).status == "imported"
    backward = _fresh(case, tmp_path, "backward")
    assert _send(case, backward, case.newer).status == "imported"
    late = _send(case, backward, case.older)
    assert late.status == "imported", late.error
    # What was held (waiting for the older) is sent again, as its sender does.
    assert _send(case, backward, case.newer).status == "imported"
    assert _data(forward) == _data(backward)
    kind = case.kind
    newest = {kind.item_key(kind.parse(row)) for row in case.newer}
    with opened(backward) as pc, pc.db.unit_of_work(read_only=True) as uow:
        stored = {kind.item_key(record) for record in kind.stored(uow)}
    assert newest <= stored


def _resigned(case: Case, row: dict[str, Any], change: Any) -> dict[str, Any]:
    """The record changed by ``change`` and signed again by its own author (with the key of
    the author's PC)."""
    kind = case.kind
    folder = case.world.official if case.author == OFFICIAL else case.world.leader
    with opened(folder, case.author) as pc, pc.db.unit_of_work(read_only=True) as uow:
        key = pc.keys.require(case.author)
        record = change(kind.parse(row))
        record = kind.with_signature(record, key.sign(kind.signed_forms(record)[0]),
                                     key.fingerprint)
        return kind.to_row(record, uow)


def test_a_changed_copy_of_a_record_that_never_changes_is_a_conflict(case: Case,
                                                                     tmp_path: Path) -> None:
    if case.newer is not None:
        pytest.skip("records of this kind are superseded by newer ones")
    agency = _fresh(case, tmp_path, "agency")
    assert _send(case, agency, case.older).status == "imported"
    changed = _resigned(case, case.older[0], lambda r: _with_note(r))
    before = snapshot(agency)
    result = _send(case, agency, [changed])
    assert result.status == "refused" and result.error is not None
    assert result.error.code == "bundle_record_conflict"
    assert data_of(snapshot(agency)) == data_of(before)


def _with_note(record: Any) -> Any:
    import dataclasses

    name = "note" if hasattr(record, "note") else "reason"
    return dataclasses.replace(record, **{name: getattr(record, name) + " (sửa)"})


def test_a_replay_changes_nothing(case: Case, tmp_path: Path) -> None:
    agency = _fresh(case, tmp_path, "agency")
    rows = case.older + (case.newer or [])
    assert _send(case, agency, case.older).status == "imported"
    if case.newer:
        assert _send(case, agency, case.newer).status == "imported"
    before = _data(agency)
    for replayed in (rows, case.older):
        result = _send(case, agency, replayed)
        assert result.status == "imported"
        assert result.counts.get(case.file, 0) == 0
        assert result.counts.get("duplicates", 0) + result.counts.get("superseded", 0) \
            == len(replayed)
        assert _data(agency) == before


def test_a_revoked_key_counts_by_the_records_own_date(case: Case, tmp_path: Path) -> None:
    agency = _fresh(case, tmp_path, "agency")
    with opened(agency, "agency") as pc, pc.db.unit_of_work(read_only=True) as uow:
        fingerprint = uow.org.get_person(case.author).key_fingerprint
    with opened(agency, "agency") as pc:
        pc.keys.revoke(fingerprint)
    shutil.copytree(agency, tmp_path / "revoked")
    # Dated after the revocation, carried by another member: refused.
    later = utc_now() + dt.timedelta(hours=1)
    late_row = _resigned(case, case.older[0], lambda r: case.redate(r, later))
    before = snapshot(agency)
    result = _send(case, agency, [late_row])
    assert result.status == "refused" and result.error is not None
    assert result.error.code == "bundle_record_key_revoked"
    assert data_of(snapshot(agency)) == data_of(before)
    # Dated before it (signed before the key was revoked, arrived after): accepted, flagged.
    revoked = tmp_path / "revoked"
    result = _send(case, revoked, case.older)
    assert result.status == "imported", result.error
    kind = case.kind
    with opened(revoked) as pc:
        flagged = {event.object_id for event in pc.sync.flags()}
        line = pc.sync.describe_result(result)
    assert {kind.item_key(kind.parse(row)) for row in case.older} <= flagged
    assert "signed before the key was revoked" in line
