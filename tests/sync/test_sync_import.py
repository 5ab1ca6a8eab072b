"""Import through the services: the round trip by folder, idempotence, and every refusal
leaving the database and the data folder exactly as they were."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from kpi_desktop.domain.model import EntryStatus, StatementKind
from kpi_desktop.services.sync.importer import RULE_REFUSALS
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import write_bundle
from kpi_desktop.sync.records import to_json

from .helpers import (
    LEADER,
    OFFICIAL,
    TODAY,
    World,
    craft,
    data_of,
    flip_content_byte,
    log_week,
    opened,
    review,
    snapshot,
    state,
)


def _export_week(world: World) -> tuple[list[str], list[Path]]:
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc)
        written = pc.sync.export(OFFICIAL, world.usb)
    return ids, [w.path for w in written]


def test_round_trip_official_leader_agency_by_folder(world: World) -> None:
    ids, written = _export_week(world)
    assert sorted(p.name for p in written) == [f"KPI_work_{OFFICIAL}_to_agency_000001.kpib",
                                               f"KPI_work_{OFFICIAL}_to_{LEADER}_000001.kpib"]
    assert not list(world.usb.glob(".*.part"))
    with opened(world.leader, LEADER) as pc:
        results = pc.sync.import_paths([world.usb])
        by_name = {Path(r.source).name: r for r in results}
        assert by_name[written[1].name].status == "imported"
        assert by_name[written[1].name].counts["revisions"] == 5
        assert by_name[written[0].name].status == "skipped"  # for the agency, left in place
        for entry_id in ids[:4]:
            review(pc, LEADER, entry_id, StatementKind.CONFIRM)
        review(pc, LEADER, ids[4], StatementKind.RETURN, "Thiếu số văn bản")
        out = {w.recipient_id: w for w in pc.sync.export(LEADER, world.usb)}
        assert out[OFFICIAL].kind == "review" and out[OFFICIAL].counts["statements"] == 5
        assert out[OFFICIAL].counts["acks"] == 5  # receipt for the five revisions
        assert out["agency"].counts == {"revisions": 5, "statements": 5, "acks": 0}
    with opened(world.official, OFFICIAL) as pc:
        pc.sync.import_paths([world.usb])
        with pc.db.unit_of_work(read_only=True) as uow:
            statuses = [uow.worklog.get(i).status for i in ids]
        assert statuses == [EntryStatus.CONFIRMED] * 4 + [EntryStatus.RETURNED]
        # The leader acknowledged everything: nothing left for the leader but a receipt.
        again = {w.recipient_id: w for w in pc.sync.export(OFFICIAL, world.usb)}
        assert again[LEADER].kind == "receipt"
        # (acks: the five statements, and the five revisions the leader sent back)
        assert again[LEADER].counts == {"revisions": 0, "statements": 0, "acks": 10}
    with opened(world.agency, "agency") as pc:
        results = pc.sync.import_paths([world.usb])
        assert all(r.ok for r in results), [pc.sync.describe_result(r) for r in results]
    # The agency holds the same entries, revisions and statements as the leader's PC.
    assert state(world.agency) and set(state(world.leader)) <= set(state(world.agency))
    ours = [line for line in state(world.official) if any(i in line for i in ids)]
    assert set(ours) <= set(state(world.agency))


def test_importing_twice_or_out_of_order_gives_the_same_state(world: World) -> None:
    ids, written = _export_week(world)
    to_leader = next(p for p in written if LEADER in p.name)
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([to_leader])[0].status == "imported"
        before = snapshot(world.leader)
        assert pc.sync.import_paths([to_leader])[0].status == "already"
        assert snapshot(world.leader) == before
        for entry_id in ids:
            review(pc, LEADER, entry_id, StatementKind.CONFIRM)
        review_to_agency = next(w.path for w in pc.sync.export(LEADER, world.usb)
                                if w.recipient_id == "agency")
    to_agency = next(p for p in written if "to_agency" in p.name)
    in_order = world.copy_to(world.root.parent / "in-order")
    with opened(world.agency, "agency") as pc:
        # The leader's bundle first: it forwards the revisions, so nothing waits.
        assert pc.sync.import_paths([review_to_agency])[0].status == "imported"
        assert pc.sync.import_paths([to_agency])[0].counts["duplicates"] == 5
    with opened(in_order.agency, "agency") as pc:
        for path in (to_agency, review_to_agency):
            assert pc.sync.import_bytes(path.read_bytes()).status == "imported"
    assert state(world.agency) == state(in_order.agency)


def _official_key(world: World) -> crypto.KeyPair:
    with opened(world.official, OFFICIAL) as pc:
        return pc.keys.require(OFFICIAL)


def _flipped(world: World) -> bytes:
    _ids, written = _export_week(world)
    return flip_content_byte(next(p for p in written if LEADER in p.name).read_bytes(), 0xFF)


def _truncated(world: World) -> bytes:
    _ids, written = _export_week(world)
    data = next(p for p in written if LEADER in p.name).read_bytes()
    return data[: len(data) * 2 // 3]


def _unknown_signer(world: World) -> bytes:
    return craft(crypto.generate_key(), {})


def _revoked_signer(world: World) -> bytes:
    _ids, written = _export_week(world)
    data = next(p for p in written if LEADER in p.name).read_bytes()
    with opened(world.agency, "agency") as agency:
        agency.keys.revoke(_official_key(world).fingerprint)
        newer = agency.sync.publish_organisation(world.root / "usb2").path
    with opened(world.leader) as pc:
        assert pc.sync.import_paths([newer])[0].status == "imported"
    return data


def _official_confirms(world: World) -> bytes:
    ids, written = _export_week(world)
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([next(p for p in written if LEADER in p.name)])
        with pc.db.unit_of_work(read_only=True) as uow:
            revision = uow.worklog.get_revision(ids[0], 1)
    key = _official_key(world)
    from kpi_desktop.domain.model import ReviewStatement, new_id, utc_now
    from kpi_desktop.sync.signing import statement_bytes

    statement = ReviewStatement(id=new_id(), entry_id=ids[0], revision=1, reviewer_id=OFFICIAL,
                                kind=StatementKind.CONFIRM, created_at=utc_now())
    statement = dataclasses.replace(
        statement, signature=key.sign(statement_bytes(statement, revision.snapshot_sha256)),
        key_fingerprint=key.fingerprint)
    return write_bundle(kind="review", sender_id=OFFICIAL, recipient_id=LEADER, seq=9, key=key,
                        records={"statements": [{**to_json(statement),
                                                 "revision_sha256": revision.snapshot_sha256}]},
                        extra={"organisation": {"id": "nghia-lam", "version": 2}})


def _other_unit(world: World) -> bytes:
    return craft(_official_key(world), {}, header={"organisation": {"id": "xa-khac",
                                                                    "version": 1}})


def _wrong_recipient(world: World) -> bytes:
    return craft(_official_key(world), {}, header={"recipient": {"id": "vp-cvp"}})


def _older_org(world: World) -> bytes:
    """A version 1 never seen here (a rollback): signed by the agency, older than the 2 in use."""
    copy = world.copy_to(world.root.parent / "agency-old")
    with opened(copy.agency, "agency") as agency:
        with agency.db.unit_of_work() as uow:
            org = uow.org.list_organisations()[0]
            uow.org.update_organisation(dataclasses.replace(org, org_version=0))
        return agency.sync.publish_organisation(copy.root / "out").path.read_bytes()


def _same_version_other_content(world: World) -> bytes:
    copy = world.copy_to(world.root.parent / "agency-fork")
    with opened(copy.agency, "agency") as agency:
        with agency.db.unit_of_work() as uow:
            org = uow.org.list_organisations()[0]
            uow.org.update_organisation(dataclasses.replace(org, org_version=1,
                                                            name_en="Renamed"))
        return agency.sync.publish_organisation(copy.root / "out").path.read_bytes()


def _newer_format(world: World) -> bytes:
    return craft(_official_key(world), {}, header={"format_version": "3.0"})


def _path_traversal(world: World) -> bytes:
    return craft(_official_key(world), {}, extra_members={"../../kpi.db": b"x"})


def _absolute_path(world: World) -> bytes:
    return craft(_official_key(world), {}, extra_members={"/tmp/evil.jsonl": b"x"})


def _zip_bomb(world: World) -> bytes:
    return craft(_official_key(world), {"data/revisions.jsonl": b"\n" * 40_000_000})


def _malformed_json(world: World) -> bytes:
    return craft(_official_key(world), {"data/revisions.jsonl": b'{"entry_id": "e1",\n'})


def _wrong_types(world: World) -> bytes:
    row = b'{"entry_id":"e1","revision":"1","snapshot_json":"{}","snapshot_sha256":"0",' \
          b'"created_at":"2026-11-20T08:00:00Z","author_id":"hcc-cv1","reason":""}\n'
    return craft(_official_key(world), {"data/revisions.jsonl": row})


def _forged_record(world: World) -> bytes:
    ids, written = _export_week(world)
    with opened(world.official, OFFICIAL) as pc, pc.db.unit_of_work(read_only=True) as uow:
        revision = uow.worklog.get_revision(ids[0], 1)
    key = _official_key(world)
    altered = dataclasses.replace(revision, snapshot_json=revision.snapshot_json.replace(
        '"quantity":"1"', '"quantity":"100"'))
    import hashlib
    altered = dataclasses.replace(altered, snapshot_sha256=hashlib.sha256(
        altered.snapshot_json.encode()).hexdigest())
    return write_bundle(kind="work", sender_id=OFFICIAL, recipient_id=LEADER, seq=5, key=key,
                        records={"revisions": [to_json(altered)]},
                        extra={"organisation": {"id": "nghia-lam", "version": 2}})


BAD: dict[str, tuple[Callable[[World], bytes], set[str]]] = {
    "flipped byte": (_flipped, {"bundle_damaged", "bundle_inconsistent", "bundle_file_altered",
                                "bundle_signature_invalid"}),
    "truncated zip": (_truncated, {"bundle_damaged"}),
    "unknown signer": (_unknown_signer, {"bundle_signer_unknown"}),
    "revoked signer": (_revoked_signer, {"bundle_signer_revoked"}),
    "official confirming": (_official_confirms, {"bundle_signer_not_allowed"}),
    "another organisation": (_other_unit, {"bundle_other_unit"}),
    "wrong recipient": (_wrong_recipient, {"bundle_wrong_recipient"}),
    "older organisation": (_older_org, {"bundle_org_older"}),
    "same version, other content": (_same_version_other_content, {"bundle_org_conflict"}),
    "newer format": (_newer_format, {"bundle_format_newer"}),
    "path traversal": (_path_traversal, {"bundle_unsafe_path"}),
    "absolute path": (_absolute_path, {"bundle_unsafe_path"}),
    "zip bomb": (_zip_bomb, {"bundle_too_large"}),
    "malformed json": (_malformed_json, {"bundle_malformed"}),
    "wrong types": (_wrong_types, {"bundle_malformed"}),
    "forged record": (_forged_record, {"bundle_record_signature_invalid"}),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_bundle_is_refused_with_a_reason_and_changes_nothing(world: World,
                                                                   case: str) -> None:
    make, codes = BAD[case]
    data = make(world)
    before = snapshot(world.leader)
    with opened(world.leader, LEADER) as pc:
        result = pc.sync.import_bytes(data, source="bad.kpib")
        message = pc.sync.describe_result(result)
    assert result.status == "refused"
    assert result.error is not None and result.error.code in codes, result.error
    assert "not imported" in message and "refused (" not in message  # a real sentence
    after = snapshot(world.leader)
    if result.error.code in RULE_REFUSALS:
        # An authentic record refused by rule: the data stays as it was, and a signed
        # refusal is owed to the sender (so it stops sending it).
        assert after[0] == before[0]  # the database dump exactly as it was
        assert data_of(after) == data_of(before) and after != before
        with opened(world.leader) as pc:
            assert [r.code for r in pc.sync.refusals("out")] == [result.error.code]
    else:
        assert after == before


def test_form01_and_attachments_travel_and_stay_signed(world: World) -> None:
    import dataclasses as dc
    import datetime as dt
    import hashlib
    from decimal import Decimal

    from kpi_desktop.domain.model import EvaluationStatus, MonthlyEvaluation, Period, utc_now

    month = Period.parse("2026-11")
    criteria = {c: Decimal("2.5") for c in ("II.1", "II.2", "II.3", "II.4", "III.1", "III.2",
                                            "III.3", "III.4")} | {"I.1": Decimal(5),
                                                                 "I.2": Decimal(5)}
    scan = "Quyết định số 12/QĐ-UBND".encode() * 50
    sha = hashlib.sha256(scan).hexdigest()
    with opened(world.official, OFFICIAL) as pc:
        [entry_id] = log_week(pc, days=1)
        with pc.db.unit_of_work(read_only=True) as uow:
            code = uow.catalog.allowed_items(OFFICIAL)[0].code
        # One more entry, with a scanned document attached.
        draft = pc.worklog.add_entry(person_id=OFFICIAL, work_date=TODAY - dt.timedelta(days=3),
                                     item_code=code, quantity=Decimal(1))
        folder = world.official / "files" / sha[:2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / sha).write_bytes(scan)
        with pc.db.unit_of_work() as uow:
            uow.worklog.update_draft(dc.replace(draft, attachment_sha256=sha,
                                                attachment_name="qd12.pdf"))
            uow.worklog.submit(draft.id, author_id=OFFICIAL, at=utc_now())
            uow.evaluations.upsert_monthly(MonthlyEvaluation(
                person_id=OFFICIAL, period=month, status=EvaluationStatus.SUBMITTED,
                unit_id="hcc", self_criteria=criteria, submitted_at=utc_now()))
        written = pc.sync.export(OFFICIAL, world.usb)
        assert {w.counts.get("evaluations") for w in written} == {1}
        assert {w.counts.get("files") for w in written} == {1}
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([world.usb])
        assert (world.leader / "files" / sha[:2] / sha).read_bytes() == scan
        with pc.db.unit_of_work() as uow:
            received = uow.evaluations.get_monthly(OFFICIAL, month)
            assert received.status is EvaluationStatus.SUBMITTED
            assert received.self_criteria == criteria and received.self_signature
            uow.evaluations.upsert_monthly(dc.replace(
                received, status=EvaluationStatus.LOCKED, confirmed_criteria=criteria,
                evaluator_id=LEADER, comment="Đạt", confirmed_at=utc_now(),
                locked_at=utc_now()))
        review(pc, LEADER, entry_id, StatementKind.CONFIRM)
        out = {w.recipient_id: w for w in pc.sync.export(LEADER, world.usb)}
        # the confirmation, and the self-assessment back to its author (history on a new PC)
        assert out[OFFICIAL].kind == "review" and out[OFFICIAL].counts["evaluations"] == 2
    with opened(world.official, OFFICIAL) as pc:
        pc.sync.import_paths([world.usb])
        with pc.db.unit_of_work(read_only=True) as uow:
            back = uow.evaluations.get_monthly(OFFICIAL, month)
        assert back.status is EvaluationStatus.LOCKED and back.evaluator_id == LEADER
        assert back.self_signature == received.self_signature and back.evaluator_signature
    with opened(world.agency, "agency") as pc:
        assert all(r.ok for r in pc.sync.import_paths([world.usb]))
        with pc.db.unit_of_work(read_only=True) as uow:
            final = uow.evaluations.get_monthly(OFFICIAL, month)
        assert final.status is EvaluationStatus.LOCKED and final.comment == "Đạt"
        assert (world.agency / "files" / sha[:2] / sha).exists()


def test_a_revision_with_a_wrong_device_clock_is_kept_and_flagged(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from kpi_desktop.services import entries

    ahead = dt.datetime(2028, 11, 20, 8, 0, tzinfo=dt.UTC)  # the PC's clock is two years ahead
    with opened(world.official, OFFICIAL) as pc:
        monkeypatch.setattr(entries, "utc_now", lambda: ahead)  # the one entry service
        [entry_id] = log_week(pc, days=1)
        monkeypatch.undo()
        written = pc.sync.export(OFFICIAL, world.usb)
    to_leader = next(w.path for w in written if w.recipient_id == LEADER)
    with opened(world.leader, LEADER) as pc:
        [result] = pc.sync.import_paths([to_leader])
        assert result.status == "imported" and result.counts["clock_flagged"] == 1
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.worklog.get(entry_id).status is EntryStatus.SUBMITTED  # not lost
            flags = uow.audit.list_events(object_id=result.bundle_id, action="sync.clock_flag")
        assert flags and flags[0].detail["revisions"] == [f"{entry_id}:1"]


def test_a_reenrolled_official_on_a_new_pc_gets_their_history_back(world: World) -> None:
    ids, written = _export_week(world)
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([world.usb])
        for entry_id in ids:
            review(pc, LEADER, entry_id, StatementKind.CONFIRM)
        pc.sync.export(LEADER, world.usb)
    with opened(world.official, OFFICIAL) as pc:
        pc.sync.import_paths([world.usb])
        pc.sync.export(OFFICIAL, world.usb)  # receipts: the leader stops resending
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([world.usb])
        assert all(w.recipient_id != OFFICIAL for w in pc.sync.export(LEADER, world.usb))
    # The official's PC dies. A new PC, a new key, enrolled by the agency (version 3).
    new_pc = world.root / "new-pc"
    with opened(new_pc) as pc:
        pc.sync.import_paths([world.usb / "KPI_organisation_NL_v0002.kpib"])
        pc.keys.create(OFFICIAL, "a new passphrase")
        request = pc.keys.enrolment_request(OFFICIAL)
    with opened(world.agency, "agency") as agency:
        agency.keys.enrol(request)
        third = agency.sync.publish_organisation(world.root / "usb3").path
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([third])[0].status == "imported"
        back = next(w for w in pc.sync.export(LEADER, world.root / "usb3")
                    if w.recipient_id == OFFICIAL)
        assert back.counts["revisions"] == 5 and back.counts["statements"] == 5
    with opened(new_pc) as pc:
        pc.keys.unlock(OFFICIAL, "a new passphrase")
        results = pc.sync.import_paths([world.root / "usb3"])
        assert all(r.ok for r in results), [pc.sync.describe_result(r) for r in results]
        with pc.db.unit_of_work(read_only=True) as uow:
            statuses = {uow.worklog.get(i).status for i in ids}
        assert statuses == {EntryStatus.CONFIRMED}


def test_assignments_reach_the_official_by_plan_bundles_and_work_waits_for_them(
        world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from kpi_desktop.domain.model import Assignment, Period, new_id, utc_now

    with opened(world.leader, LEADER) as pc:
        with pc.db.unit_of_work() as uow:
            item = uow.catalog.allowed_items(OFFICIAL)[2]
            assignment = Assignment(
                id=new_id(), person_id=OFFICIAL, assigner_id=LEADER, catalog_item_id=item.id,
                period=Period.parse("2026-11"), quantity=Decimal(3), coefficient=item.coefficient,
                deadline=dt.date(2026, 11, 30), created_at=utc_now())
            uow.assignments.add(assignment)
        plan = {w.recipient_id: w for w in pc.sync.export(LEADER, world.usb)}
        assert plan[OFFICIAL].kind == "plan" and plan[OFFICIAL].counts["assignments"] == 1
    with opened(world.official, OFFICIAL) as pc:
        [result] = [r for r in pc.sync.import_paths([plan[OFFICIAL].path])]
        assert result.counts["assignments"] == 1
        entry = pc.worklog.add_entry(person_id=OFFICIAL, work_date=dt.date(2026, 11, 20),
                                     item_code=item.code, quantity=Decimal(1),
                                     assignment_id=assignment.id, submit=True)
        work = {w.recipient_id: w for w in pc.sync.export(OFFICIAL, world.usb)}
    with opened(world.agency, "agency") as pc:
        # The official's work arrives before the leader's plan: it waits, nothing is lost.
        first = pc.sync.import_bytes(work["agency"].path.read_bytes())
        assert first.counts["held"] == 1 and first.counts["revisions"] == 0
        assert pc.sync.import_bytes(plan["agency"].path.read_bytes()).counts[
            "assignments"] == 1
    with opened(world.official, OFFICIAL) as pc:  # not acknowledged, so it comes again
        again = {w.recipient_id: w for w in pc.sync.export(OFFICIAL, world.usb)}
        assert again["agency"].counts["revisions"] == 1
    with opened(world.agency, "agency") as pc:
        assert pc.sync.import_bytes(again["agency"].path.read_bytes()).counts["revisions"] == 1
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.worklog.get(entry.id).assignment_id == assignment.id


def test_a_start_after_utc_midnight_changes_no_snapshot(world: World,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that crosses midnight: the PC started before it and again after it takes the new
    day's backup in between, and "nothing changed" still holds; a backup made for another
    reason still shows (the snapshot is not blind to backups). Fixed clocks, not the wall's."""
    import datetime as dt

    from kpi_desktop.services.backups import BackupService

    clock = [dt.datetime(2026, 12, 7, 23, 59, 58, tzinfo=dt.UTC)]
    real = BackupService.daily
    monkeypatch.setattr(BackupService, "daily",
                        lambda self, *, now=None, **rest: real(self, now=now or clock[0],
                                                               **rest))
    with opened(world.leader):
        pass
    before = snapshot(world.leader)
    backups = sorted((world.leader / "backups").iterdir())
    clock[0] += dt.timedelta(seconds=4)  # 00:00:02 on 8 December
    with opened(world.leader):
        pass
    assert len(sorted((world.leader / "backups").iterdir())) == len(backups) + 1
    assert snapshot(world.leader) == before
    with opened(world.leader) as pc:
        pc.backups.make("manual")
    assert snapshot(world.leader) != before
