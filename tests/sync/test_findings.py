"""Issue 13's findings, tried as a hostile official with the application's own writer
functions and the CLI: a month confirmed, unlocked and confirmed again lower cannot be rolled
back by replaying the first confirmation (finding 1); fields the author did not sign cannot
be changed on the way (finding 2); a revoked key's records dated after its revocation are
refused whoever carries them (finding 3); an attachment survives a crash after the commit
(finding 5, see also test_attachments.py); a refused record no longer blocks its sender's
channel (finding 6)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.model import EvaluationStatus, Period, StatementKind
from kpi_desktop.services.sync.kinds import BY_FILE
from kpi_desktop.sync.bundle import read_bundle, write_bundle
from kpi_desktop.sync.keys import KeyPair

from .helpers import (
    LEADER,
    OFFICIAL,
    PASSPHRASES,
    World,
    assigned_week,
    data_of,
    log_week,
    opened,
    review,
    snapshot,
)

MONTH = Period.parse("2026-11")


def _criteria(services: Any, minus: Decimal = Decimal(0)) -> dict[str, Decimal]:
    criteria = {c.code: c.max_points for c in services.self_assessment.criteria()}
    first = sorted(criteria)[0]
    criteria[first] -= minus
    return criteria


def _month(folder: Path) -> Any:
    with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
        return uow.evaluations.get_monthly(OFFICIAL, MONTH)


def _import(folder: Path, owner: str, *paths: Path) -> list[Any]:
    with opened(folder, owner) as pc:
        results = pc.sync.import_paths(list(paths))
    assert all(r.ok for r in results), [r.error for r in results]
    return results


def _export(folder: Path, owner: str, usb: Path) -> dict[str, Path]:
    with opened(folder, owner) as pc:
        return {r.recipient_id: r.path for r in pc.sync.export(owner, usb)}


def _confirmed_twice(world: World) -> tuple[dict[str, Path], dict[str, Path]]:
    """The official's week and self-assessment reach the leader, who confirms the month
    (bundles ``first``), unlocks it with a reason and confirms it again lower (``second``)."""
    ids = assigned_week(world)
    with opened(world.official, OFFICIAL) as pc:
        pc.self_assessment.save(OFFICIAL, MONTH, _criteria(pc), submit=True)
    sent = _export(world.official, OFFICIAL, world.usb / "o1")
    _import(world.leader, LEADER, sent[LEADER])
    _import(world.agency, "agency", sent["agency"])
    with opened(world.leader, LEADER) as pc:
        for entry_id in ids:
            pc.review.confirm(LEADER, entry_id)
        pc.evaluation.confirm(LEADER, OFFICIAL, MONTH)
    first = _export(world.leader, LEADER, world.usb / "l1")
    with opened(world.leader, LEADER) as pc:
        pc.evaluation.unlock(LEADER, OFFICIAL, MONTH, "Chấm lại tiêu chí chung")
        pc.evaluation.confirm(LEADER, OFFICIAL, MONTH,
                              criteria=_criteria(pc, Decimal(5)), comment="Trừ 5 điểm")
    second = _export(world.leader, LEADER, world.usb / "l2")
    return first, second


def _first_confirmation(world: World, bundle: Path) -> dict[str, Any]:
    """The leader's first confirmation as the official received it (they can decrypt it)."""
    with opened(world.official, OFFICIAL) as pc, pc.db.unit_of_work(read_only=True) as uow:
        key = pc.keys.require(OFFICIAL)
        leader_key = uow.org.get_person(LEADER).public_key
        opened_bundle = read_bundle(bundle.read_bytes(), signer_key=lambda _f, _h: leader_key,
                                    decrypt_key=lambda _kid: key)
    [row] = [r for r in opened_bundle.records["evaluations"] if r["part"] == "confirmation"]
    return row


def _replay(world: World, row: dict[str, Any], recipient: str, seq: int) -> bytes:
    """The official's own work bundle, written with the application's writer, carrying
    ``row`` (someone else's signed record) to ``recipient``."""
    with opened(world.official, OFFICIAL) as pc, pc.db.unit_of_work(read_only=True) as uow:
        key: KeyPair = pc.keys.require(OFFICIAL)
        enc = uow.sync.encryption_key(recipient)
        org = uow.org.list_organisations()[0]
    return write_bundle(kind="work", sender_id=OFFICIAL, recipient_id=recipient, seq=seq,
                        key=key, records={"evaluations": [row]},
                        encrypt_to=enc.x25519_public if enc else None,
                        extra={"organisation": {"id": org.id, "version": org.org_version}})


def test_finding_1_a_replayed_older_confirmation_changes_nothing_in_any_order(
        world: World) -> None:
    first, second = _confirmed_twice(world)
    _import(world.official, OFFICIAL, first[OFFICIAL])
    row = _first_confirmation(world, first[OFFICIAL])
    wanted = _month(world.leader)
    assert wanted.status is EvaluationStatus.LOCKED and wanted.confirm_version >= 2
    assert Fraction(str(row["total"])) > wanted.total  # the replay would raise the total
    # The leader's own PC: the replay is an older copy of its own decision.
    before = snapshot(world.leader)
    with opened(world.leader, LEADER) as pc:
        result = pc.sync.import_bytes(_replay(world, row, LEADER, 50))
        line = pc.sync.describe_result(result)
    assert result.status == "imported" and result.counts.get("superseded") == 1
    assert "1 older copy ignored: a newer version of the same record is already here" in line
    assert data_of(snapshot(world.leader))[0] != [] and _month(world.leader) == wanted
    assert [line for line in snapshot(world.leader)[0] if "monthly_evaluations" in line] == \
        [line for line in before[0] if "monthly_evaluations" in line]
    # The agency: the replay before the newer decision, then after it — the newer stays.
    _import(world.agency, "agency", first["agency"])
    with opened(world.agency, "agency") as pc:
        assert pc.sync.import_bytes(_replay(world, row, "agency", 51)).status == "imported"
    _import(world.agency, "agency", second["agency"])
    assert _month(world.agency).total == wanted.total
    with opened(world.agency, "agency") as pc:
        result = pc.sync.import_bytes(_replay(world, row, "agency", 52))
        assert result.counts.get("superseded") == 1
    assert _month(world.agency).total == wanted.total
    assert _month(world.agency).status is EvaluationStatus.LOCKED


def test_finding_1_through_the_cli(world: World, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _confirmed_twice(world)
    row = _first_confirmation(world, first[OFFICIAL]) if _import(
        world.official, OFFICIAL, first[OFFICIAL]) else None
    assert row is not None
    _import(world.agency, "agency", second["agency"])
    attack = world.usb / "attack" / "KPI_work_hcc-cv1_to_agency_000060.kpib"
    attack.parent.mkdir()
    attack.write_bytes(_replay(world, row, "agency", 60))
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES["agency"])
    code = main(["--data-dir", str(world.agency), "--lang", "en", "import", str(attack),
                 "--as", "agency"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "1 older copy was ignored: a newer version is already here." in out.out
    code = main(["--data-dir", str(world.agency), "--lang", "en", "score", "--person",
                 OFFICIAL, "--period", str(MONTH), "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert code == 0
    assert Fraction(str(shown["total"])) == _month(world.leader).total


def _evaluation_rows(folder: Path) -> list[str]:
    return [line for line in snapshot(folder)[0]
            if line.startswith(f"INSERT INTO \"monthly_evaluations\" VALUES('{OFFICIAL}',"
                               f"'{MONTH}',")]


def test_finding_2_a_forwarder_cannot_change_what_the_evaluator_did_not_sign(
        world: World, tmp_path: Path) -> None:
    _first, second = _confirmed_twice(world)
    _import(world.official, OFFICIAL, second[OFFICIAL])
    row = _first_confirmation(world, second[OFFICIAL])  # the newest decision
    genuine = world.copy_to(tmp_path / "genuine")
    with opened(genuine.agency, "agency") as pc:
        assert pc.sync.import_bytes(_replay(world, row, "agency", 70)).status == "imported"
    wanted = _evaluation_rows(genuine.agency)
    assert len(wanted) == 1 and "'locked'" in wanted[0]
    for name, value in (("status", "open"), ("insufficient", True), ("unit_id", "vp"),
                        ("a", "1"), ("task_points", "1"), ("general_points", "1"),
                        ("locked_at", None), ("task_ratio", "1"), ("total", "100"),
                        ("self_criteria", {}), ("submitted_at", None),
                        ("confirm_version", 99)):
        forged = {**row, name: value}
        copy = world.copy_to(tmp_path / f"forged-{name}")
        before = snapshot(copy.agency)
        with opened(copy.agency, "agency") as pc:
            result = pc.sync.import_bytes(_replay(copy, forged, "agency", 70))
        if result.status == "refused":  # a signed field: the signature no longer matches
            assert result.error is not None
            assert result.error.code == "bundle_record_signature_invalid", name
            assert snapshot(copy.agency) == before, name
        else:  # not signed: never copied from the row (recomputed or left as it was)
            assert result.status == "imported", name
            assert _evaluation_rows(copy.agency) == wanted, name


def _statement_rows(world: World, bundle: Path) -> list[dict[str, Any]]:
    with opened(world.official, OFFICIAL) as pc, pc.db.unit_of_work(read_only=True) as uow:
        key = pc.keys.require(OFFICIAL)
        leader_key = uow.org.get_person(LEADER).public_key
        found = read_bundle(bundle.read_bytes(), signer_key=lambda _f, _h: leader_key,
                            decrypt_key=lambda _kid: key)
    return found.records["statements"]


def statements_around_a_revocation(world: World) -> tuple[list[dict[str, Any]],
                                                           list[dict[str, Any]]]:
    """The leader confirms one entry, the agency revokes the leader's key, the leader's PC
    (which has not heard of it) confirms another: the two statements as the official received
    them (signed before, and after, the revocation)."""
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc)
    sent = _export(world.official, OFFICIAL, world.usb / "o1")
    _import(world.leader, LEADER, sent[LEADER])
    _import(world.agency, "agency", sent["agency"])
    with opened(world.leader, LEADER) as pc:
        pc.review.confirm(LEADER, ids[0])  # before the revocation
    before_revocation = _export(world.leader, LEADER, world.usb / "l1")
    # The agency revokes the leader's key; the leader's PC keeps signing with it (it has
    # not imported the organisation file that says so).
    with opened(world.agency, "agency") as agency, \
            agency.db.unit_of_work(read_only=True) as uow:
        fingerprint = uow.org.get_person(LEADER).key_fingerprint
    with opened(world.agency, "agency") as agency:
        agency.keys.revoke(fingerprint)
        agency.sync.publish_organisation(world.usb / "org")
    with opened(world.leader, LEADER) as pc:
        review(pc, LEADER, ids[1], StatementKind.CONFIRM)  # after the revocation
    after_revocation = _export(world.leader, LEADER, world.usb / "l2")
    _import(world.official, OFFICIAL, before_revocation[OFFICIAL], after_revocation[OFFICIAL])
    early = _statement_rows(world, before_revocation[OFFICIAL])
    late = [r for r in _statement_rows(world, after_revocation[OFFICIAL])
            if r["entry_id"] == ids[1]]
    return early, late


def test_finding_3_a_revoked_key_counts_by_the_records_own_date(world: World) -> None:
    early, late = statements_around_a_revocation(world)
    # Carried by the official in their own bundle: the late one is refused…
    before = snapshot(world.agency)
    with opened(world.agency, "agency") as pc:
        result = pc.sync.import_bytes(_carry(world, "statements", late, 80))
    assert result.status == "refused" and result.error is not None
    assert result.error.code == "bundle_record_key_revoked"
    assert data_of(snapshot(world.agency)) == data_of(before)
    # …the early one is accepted, and flagged for the agency.
    with opened(world.agency, "agency") as pc:
        result = pc.sync.import_bytes(_carry(world, "statements", early, 81))
        assert result.status == "imported" and result.counts["statements"] == 1
        flags = pc.sync.flags()
        message = pc.sync.describe_result(result)
    assert [f.object_id for f in flags] == [f"stmt:{early[0]['id']}"]
    assert "signed before the key was revoked" in message


def _carry(world: World, file: str, rows: list[dict[str, Any]], seq: int) -> bytes:
    with opened(world.official, OFFICIAL) as pc, pc.db.unit_of_work(read_only=True) as uow:
        key = pc.keys.require(OFFICIAL)
        enc = uow.sync.encryption_key("agency")
        org = uow.org.list_organisations()[0]
    return write_bundle(kind="work", sender_id=OFFICIAL, recipient_id="agency", seq=seq,
                        key=key, records={file: rows}, encrypt_to=enc.x25519_public,
                        extra={"organisation": {"id": org.id, "version": org.org_version}})


def test_finding_6_a_refused_record_is_answered_and_later_work_flows(world: World) -> None:
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc, days=2)
        # A statement its author may not make (the official "confirms" their own entry).
        review(pc, OFFICIAL, ids[0], StatementKind.CONFIRM)
    sent = _export(world.official, OFFICIAL, world.usb / "o1")
    with opened(world.agency, "agency") as pc:
        refused = pc.sync.import_paths([sent["agency"]])[0]
    assert refused.status == "refused" and refused.error is not None
    assert refused.error.code == "bundle_signer_not_allowed"
    assert [r.item_key for r in refused.refused] == [
        BY_FILE["statements"].item_key(_stored_statement(world, ids[0]))]
    receipts = _export(world.agency, "agency", world.usb / "a1")
    with opened(world.official, OFFICIAL) as pc:
        [back] = pc.sync.import_paths([receipts[OFFICIAL]])
        line = pc.sync.describe_result(back)
    assert back.status == "imported"
    assert "1 item refused by UBND" in line and "evaluator may confirm" in line
    with opened(world.official, OFFICIAL) as pc:
        log_week(pc, days=1)
    later = _export(world.official, OFFICIAL, world.usb / "o2")
    with opened(world.agency, "agency") as pc:
        [result] = pc.sync.import_paths([later["agency"]])
    assert result.status == "imported", result.error
    assert result.counts["revisions"] == 3  # everything not acknowledged, the refused left out
    assert result.counts["statements"] == 0


def _stored_statement(world: World, entry_id: str) -> Any:
    from kpi_desktop.services.sync.kinds.statements import SignedStatement

    with opened(world.official) as pc, pc.db.unit_of_work(read_only=True) as uow:
        [statement] = uow.reviews.list_for_entry(entry_id)
        revision = uow.worklog.get_revision(entry_id, statement.revision)
    return SignedStatement(statement, revision.snapshot_sha256)

