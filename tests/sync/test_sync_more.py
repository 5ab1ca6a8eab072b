"""Issue 9's records in bundles, and the agency's decisions travelling back: a proposal's
decision and the organisation's results in the organisation file; appeals in work bundles;
appeal decisions, discipline events and annual classifications in review bundles. Each is
signed by its author, checked against the author's published key and right, idempotent; a
refused bundle changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.domain.model import (
    AnnualClassification,
    Appeal,
    AppealOutcome,
    AppealStatus,
    DisciplineEvent,
    DisciplineKind,
    Level,
    OrgEvaluation,
    OrgIndicator,
    ProposalStatus,
    new_id,
    utc_now,
)
from kpi_desktop.domain.values import Period
from kpi_desktop.services.sync.importer import RULE_REFUSALS
from kpi_desktop.sync.records import to_json
from kpi_desktop.sync.signing import appeal_bytes

from .helpers import LEADER, OFFICIAL, TODAY, World, craft, data_of, opened, snapshot
from .test_proposals import _file_and_send

PERIOD = Period.parse("2026-10")


def _import(folder: Path, owner: str, *paths: Path) -> dict[str, object]:
    with opened(folder, owner) as pc:
        results = pc.sync.import_paths(list(paths))
        refused = [pc.sync.describe_result(r) for r in results if not r.ok]
        assert not refused, refused
        return {Path(r.source).name: r for r in results}


def _export(folder: Path, owner: str, usb: Path) -> dict[str, Path]:
    with opened(folder, owner) as pc:
        return {r.recipient_id: r.path for r in pc.sync.export(owner, usb)}


def _file_appeal(world: World, reason: str = "Điểm tiêu chí chung chưa đúng") -> Appeal:
    appeal = Appeal(id=new_id(), person_id=OFFICIAL, period=PERIOD, reason=reason,
                    filed_at=utc_now(), received_on=None)
    with opened(world.official) as pc, pc.db.unit_of_work() as uow:
        uow.appeals.add(appeal)  # as the appeals service stores it (signed at export)
    return appeal


def _decide(folder: Path, appeal_id: str, decided_by: str = LEADER) -> None:
    with opened(folder) as pc, pc.db.unit_of_work() as uow:
        appeal = uow.appeals.get(appeal_id)
        uow.appeals.update(dataclasses.replace(
            appeal, status=AppealStatus.DECIDED, decision="Giữ nguyên kết quả",
            outcome=AppealOutcome.UNCHANGED, decided_by=decided_by, decided_at=utc_now()))


def _refused(folder: Path, owner: str, bundle: bytes | Path, code: str) -> None:
    before = snapshot(folder)
    with opened(folder, owner) as pc:
        data = bundle.read_bytes() if isinstance(bundle, Path) else bundle
        result = pc.sync.import_bytes(data)
        assert result.status == "refused", result
        assert result.error is not None and result.error.code == code, result.error
        assert pc.sync.describe_result(result)
    after = snapshot(folder)
    if code in RULE_REFUSALS:  # the data as it was; a signed refusal owed to the sender
        assert data_of(after) == data_of(before)
    else:
        assert after == before


# ------------------------------------------------------------------ proposals ------------


def test_the_agencys_decision_on_a_proposal_reaches_the_official(world: World) -> None:
    proposal_id, bundle = _file_and_send(world)
    _import(world.agency, "agency", bundle)
    with opened(world.agency, "agency") as agency:
        agency.proposals.reject(proposal_id, note="Đã có trong danh mục (mã 1.2)")
        published = agency.sync.publish_organisation(world.usb)
    assert published.counts["proposal_decisions"] == 1
    with opened(world.official, OFFICIAL) as pc:
        [mine] = pc.proposals.proposals_of(OFFICIAL)
        assert mine.status is ProposalStatus.PROPOSED
        result = pc.sync.import_paths([published.path])[0]
        assert result.status == "imported" and result.counts["proposal_decisions"] == 1
        [mine] = pc.proposals.proposals_of(OFFICIAL)
        assert mine.status is ProposalStatus.REJECTED
        assert mine.decision_note == "Đã có trong danh mục (mã 1.2)"
        assert mine.decided_by == "agency" and mine.decided_at is not None
        assert mine.signature is not None  # the author's signature is kept
    # The leader's PC has no such proposal: the decision is not stored there.
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([published.path])[0].status == "imported"
        assert pc.proposals.proposals() == []


def test_an_organisation_file_with_an_undecided_decision_is_refused(world: World) -> None:
    proposal_id, bundle = _file_and_send(world)
    with opened(world.agency, "agency") as agency:
        key = agency.keys.require("agency")
        published = agency.sync.publish_organisation(world.usb).path
    from kpi_desktop.sync.bundle import read_bundle, write_bundle

    original = read_bundle(published.read_bytes(), signer_key=lambda _f, _h: key.public_key)
    records = dict(original.records)
    records["proposal_decisions"] = [{
        "id": proposal_id, "person_id": OFFICIAL, "status": "proposed",
        "accepted_item_code": None, "decision_note": "", "decided_by": "agency",
        "decided_at": "2026-11-23T00:00:00Z"}]
    header = original.header
    forged = write_bundle(kind="organisation", sender_id="agency", recipient_id="*",
                          seq=header["seq"] + 1, key=key, records=records,
                          extra={"organisation": {**header["organisation"],
                                                  "version": header["seq"] + 1},
                                 "agency": header["agency"]})
    _refused(world.official, OFFICIAL, forged, "bundle_malformed")


# ------------------------------------------------------------------ organisation results --


def test_organisation_indicators_and_levels_travel_and_newer_wins(world: World) -> None:
    with opened(world.agency, "agency") as agency, agency.db.unit_of_work() as uow:
        uow.org_results.upsert_indicator(OrgIndicator(
            id="ind-1", unit_id="hcc", period=Period.parse("2026-10"), code="on_time",
            value=Decimal("97.5"), source="csv"))
        uow.org_results.upsert_evaluation(OrgEvaluation(
            id="oe-1", unit_id="hcc", year=2025, level=Level.GOOD, score=Fraction(163, 2),
            note="Quyết định 12/QĐ-UBND"))
    with opened(world.agency, "agency") as agency:
        first = agency.sync.publish_organisation(world.usb)
    assert first.counts["org_indicators"] >= 1 and first.counts["org_evaluations"] >= 1
    result = _import(world.leader, LEADER, first.path)[first.path.name]
    # Only what changed since version 2 (which carried the demo's own results) is written.
    assert result.counts["org_indicators"] == 1 and result.counts["org_evaluations"] == 1
    with opened(world.agency, "agency") as agency, agency.db.unit_of_work() as uow:
        uow.org_results.upsert_evaluation(OrgEvaluation(
            id="oe-1", unit_id="hcc", year=2025, level=Level.EXCELLENT, score=Fraction(91)))
    with opened(world.agency, "agency") as agency:
        second = agency.sync.publish_organisation(world.usb)
    result = _import(world.leader, LEADER, second.path)[second.path.name]
    assert result.counts["org_indicators"] == 0 and result.counts["org_evaluations"] == 1
    with opened(world.leader) as pc, pc.db.unit_of_work(read_only=True) as uow:
        [indicator] = [i for i in uow.org_results.list_indicators(unit_id="hcc")
                       if i.code == "on_time" and str(i.period) == "2026-10"]
        level = uow.org_results.get_evaluation("hcc", 2025)
    assert indicator.value == Decimal("97.5") and indicator.source == "csv"
    assert level is not None and level.level is Level.EXCELLENT and level.score == 91
    # The official's PC skipped version 3: version 4 brings it up to date, then 3 is refused
    # (rollback) and changes nothing.
    _import(world.official, OFFICIAL, second.path)
    _refused(world.official, OFFICIAL, first.path, "bundle_org_older")


# ------------------------------------------------------------------ appeals ----------------


def test_an_appeal_goes_to_the_leader_and_the_decision_comes_back(world: World) -> None:
    appeal = _file_appeal(world)
    with opened(world.official, OFFICIAL) as pc:
        assert pc.sync.outbox_count(OFFICIAL) == 1
    sent = _export(world.official, OFFICIAL, world.usb)
    result = _import(world.leader, LEADER, sent[LEADER])[sent[LEADER].name]
    assert result.kind == "work" and result.counts["appeals"] == 1
    with opened(world.leader) as pc, pc.db.unit_of_work(read_only=True) as uow:
        received = uow.appeals.get(appeal.id)
    assert received.status is AppealStatus.FILED and received.received_on == TODAY
    assert received.reason == appeal.reason and received.signature is not None
    # Idempotent: the same file again is a no-op.
    assert _import(world.leader, LEADER, sent[LEADER])[sent[LEADER].name].status == "already"
    _decide(world.leader, appeal.id)
    back = _export(world.leader, LEADER, world.usb)
    result = _import(world.official, OFFICIAL, back[OFFICIAL])[back[OFFICIAL].name]
    assert result.kind == "review" and result.counts["appeal_decisions"] == 1
    with opened(world.official) as pc, pc.db.unit_of_work(read_only=True) as uow:
        decided = uow.appeals.get(appeal.id)
    assert decided.status is AppealStatus.DECIDED
    assert decided.outcome is AppealOutcome.UNCHANGED and decided.decided_by == LEADER
    assert decided.decision_signature is not None
    # The agency gets the filing from the official and the decision from the leader, in
    # either order, with the same result.
    # (Found together, work bundles are taken first (sync.bundle_order); one file at a time,
    # the decision may come first.)
    results = _import(world.agency, "agency", back["agency"])
    results |= _import(world.agency, "agency", sent["agency"])
    assert results[back["agency"].name].counts["appeal_decisions"] == 1
    assert results[sent["agency"].name].counts.get("duplicates", 0) >= 1
    with opened(world.agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        at_agency = uow.appeals.get(appeal.id)
    assert at_agency.status is AppealStatus.DECIDED
    assert at_agency.decision_signature == decided.decision_signature
    # The official's receipt reaches the leader: the decision is not sent again.
    receipt = _export(world.official, OFFICIAL, world.usb)
    _import(world.leader, LEADER, receipt[LEADER])
    again = _export(world.leader, LEADER, world.usb)
    assert OFFICIAL not in again


def test_a_withdrawn_appeal_is_withdrawn_on_the_leaders_pc(world: World) -> None:
    appeal = _file_appeal(world)
    sent = _export(world.official, OFFICIAL, world.usb)
    _import(world.leader, LEADER, sent[LEADER])
    with opened(world.official) as pc, pc.db.unit_of_work() as uow:
        uow.appeals.update(dataclasses.replace(uow.appeals.get(appeal.id),
                                               status=AppealStatus.WITHDRAWN))
    sent = _export(world.official, OFFICIAL, world.usb)
    result = _import(world.leader, LEADER, sent[LEADER])[sent[LEADER].name]
    assert result.counts["appeals"] == 1
    with opened(world.leader) as pc, pc.db.unit_of_work(read_only=True) as uow:
        assert uow.appeals.get(appeal.id).status is AppealStatus.WITHDRAWN


def test_an_official_cannot_decide_an_appeal(world: World) -> None:
    appeal = _file_appeal(world)
    _decide(world.official, appeal.id, decided_by=OFFICIAL)
    sent = _export(world.official, OFFICIAL, world.usb)
    # The official's own "decision" goes to the agency (and to themselves): refused there.
    _refused(world.agency, "agency", sent["agency"], "bundle_signer_not_allowed")


def test_a_changed_appeal_text_is_refused(world: World) -> None:
    appeal = _file_appeal(world)
    with opened(world.official, OFFICIAL) as pc:
        key = pc.keys.require(OFFICIAL)
    signed = dataclasses.replace(appeal, signature=key.sign(appeal_bytes(appeal)),
                                 key_fingerprint=key.fingerprint)
    altered = dataclasses.replace(signed, reason="Một lý do khác")
    payload = {"data/appeals.jsonl": (json.dumps(to_json(altered)) + "\n").encode()}
    _refused(world.leader, LEADER, craft(key, payload), "bundle_record_signature_invalid")
    # The same record unaltered is accepted (the crafted bundle itself is sound).
    payload = {"data/appeals.jsonl": (json.dumps(to_json(signed)) + "\n").encode()}
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_bytes(craft(key, payload)).status == "imported"


def test_an_appeal_decision_on_a_forged_filing_is_refused(world: World) -> None:
    appeal = _file_appeal(world)
    sent = _export(world.official, OFFICIAL, world.usb)
    _import(world.leader, LEADER, sent[LEADER])
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        # The leader's PC rewrites what the official filed, then decides it.
        uow.appeals.update(dataclasses.replace(uow.appeals.get(appeal.id),
                                               reason="Lý do đã bị sửa"))
    _decide(world.leader, appeal.id)
    back = _export(world.leader, LEADER, world.usb)
    _refused(world.official, OFFICIAL, back[OFFICIAL], "bundle_record_signature_invalid")


# ------------------------------------------------------------------ discipline, Form 02 ----


def _discipline(recorded_by: str, person: str) -> DisciplineEvent:
    return DisciplineEvent(id=new_id(), person_id=person, kind=DisciplineKind.REPRIMAND,
                           decided_on=dt.date(2026, 9, 15), effective_year=2026,
                           created_at=utc_now(), decision_no="15/QĐ-UBND",
                           note="Vi phạm quy chế", recorded_by=recorded_by)


def _classification(person: str, decided_by: str, level: Level,
                    supersedes: str | None = None) -> AnnualClassification:
    now = utc_now()
    return AnnualClassification(
        id=new_id(), person_id=person, year=2026, created_at=now, unit_id="hcc",
        months_counted=11, mean=Fraction(1712, 20), computed_level=Level.GOOD,
        decided_level=level, decision_no="20/QĐ-UBND", decision_date=TODAY,
        decided_by=decided_by, decided_at=now, supersedes_id=supersedes,
        reason="Quyết định sau kiến nghị" if supersedes else "")


def test_discipline_and_classifications_reach_the_person_and_the_agency(world: World) -> None:
    event = _discipline(LEADER, OFFICIAL)
    first = _classification(OFFICIAL, LEADER, Level.GOOD)
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.discipline.add(event)
        uow.evaluations.add_annual(first)
    out = _export(world.leader, LEADER, world.usb)
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        # A replacement decision (Điều 21.3) made after the first one was sent.
        second = _classification(OFFICIAL, LEADER, Level.COMPLETE, supersedes=first.id)
        uow.evaluations.add_annual(second)
    later = _export(world.leader, LEADER, world.usb)
    # Out of order: the replacement alone first is held back (not acknowledged).
    with opened(world.leader, LEADER) as pc:
        key = pc.keys.require(LEADER)
        with pc.db.unit_of_work(read_only=True) as uow:
            signed = uow.evaluations.get_annual(second.id)
    payload = {"data/annual_classifications.jsonl":
               (json.dumps(to_json(signed)) + "\n").encode()}
    with opened(world.official, OFFICIAL) as pc:
        result = pc.sync.import_bytes(craft(key, payload, header={
            "kind": "review", "sender": {"id": LEADER, "key": key.fingerprint},
            "recipient": {"id": OFFICIAL}}))
        assert result.status == "imported" and result.counts["held"] == 1
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.evaluations.annual_history(OFFICIAL, 2026) == []
    results = _import(world.official, OFFICIAL, out[OFFICIAL])
    counts = results[out[OFFICIAL].name].counts
    assert counts["discipline_events"] == 1 and counts["annual_classifications"] == 1
    results = _import(world.official, OFFICIAL, later[OFFICIAL])
    counts = results[later[OFFICIAL].name].counts
    assert counts["annual_classifications"] == 1 and counts["duplicates"] == 2
    for folder in (world.official,):
        with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
            [stored] = uow.discipline.list_for_person(OFFICIAL, year=2026)
            current = uow.evaluations.current_annual(OFFICIAL, 2026)
            history = uow.evaluations.annual_history(OFFICIAL, 2026)
        assert stored.signature is not None and stored.recorded_by == LEADER
        assert current is not None and current.id == second.id
        assert current.decided_level is Level.COMPLETE and len(history) == 2
    _import(world.agency, "agency", out["agency"], later["agency"])
    with opened(world.agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        assert event.id in [e.id for e in uow.discipline.list_for_person(OFFICIAL)]
        assert uow.evaluations.current_annual(OFFICIAL, 2026).id == second.id


def test_an_official_cannot_record_discipline(world: World) -> None:
    with opened(world.official) as pc, pc.db.unit_of_work() as uow:
        uow.discipline.add(_discipline(OFFICIAL, LEADER))
    sent = _export(world.official, OFFICIAL, world.usb)
    _refused(world.leader, LEADER, sent[LEADER], "bundle_signer_not_allowed")


def test_an_official_cannot_decide_a_classification(world: World) -> None:
    with opened(world.official) as pc, pc.db.unit_of_work() as uow:
        uow.evaluations.add_annual(_classification(OFFICIAL, OFFICIAL, Level.EXCELLENT))
    sent = _export(world.official, OFFICIAL, world.usb)
    _refused(world.agency, "agency", sent["agency"], "bundle_signer_not_allowed")


def test_a_changed_discipline_event_is_a_conflict(world: World) -> None:
    event = _discipline(LEADER, OFFICIAL)
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.discipline.add(event)
    out = _export(world.leader, LEADER, world.usb)
    _import(world.official, OFFICIAL, out[OFFICIAL])
    with opened(world.leader, LEADER) as pc:
        key = pc.keys.require(LEADER)
    from kpi_desktop.sync.signing import discipline_bytes

    changed = dataclasses.replace(event, note="Ghi chú khác")
    changed = dataclasses.replace(changed, signature=key.sign(discipline_bytes(changed)),
                                  key_fingerprint=key.fingerprint)
    payload = {"data/discipline_events.jsonl": (json.dumps(to_json(changed)) + "\n").encode()}
    bundle = craft(key, payload, header={
        "kind": "review", "sender": {"id": LEADER, "key": key.fingerprint},
        "recipient": {"id": OFFICIAL}})
    _refused(world.official, OFFICIAL, bundle, "bundle_record_conflict")


@pytest.mark.parametrize("name", ["appeals", "appeal_decisions", "discipline_events",
                                  "annual_classifications"])
def test_an_unsigned_record_is_refused(world: World, name: str) -> None:
    with opened(world.official, OFFICIAL) as pc:
        key = pc.keys.require(OFFICIAL)
    record: object
    if name in ("appeals", "appeal_decisions"):
        record = Appeal(id=new_id(), person_id=OFFICIAL, period=PERIOD, reason="x",
                        filed_at=utc_now())
    elif name == "discipline_events":
        record = _discipline(OFFICIAL, LEADER)
    else:
        record = _classification(OFFICIAL, OFFICIAL, Level.GOOD)
    payload = {f"data/{name}.jsonl": (json.dumps(to_json(record)) + "\n").encode()}
    _refused(world.leader, LEADER, craft(key, payload), "bundle_record_unsigned")


@pytest.mark.gui
def test_the_official_sees_their_proposals_and_the_decision_on_the_sync_page(
        qtbot, world: World) -> None:
    from kpi_desktop.ui.pages.base import UserContext
    from kpi_desktop.ui.pages.sync import SyncPage

    proposal_id, bundle = _file_and_send(world)
    _import(world.agency, "agency", bundle)
    with opened(world.agency, "agency") as agency:
        agency.proposals.accept(proposal_id, code="HCC.99", note="Áp dụng từ tháng 12")
        published = agency.sync.publish_organisation(world.usb)
    user = UserContext(person_id=OFFICIAL, full_name=OFFICIAL, role="official", unit_id="hcc",
                       is_evaluator=False)
    with opened(world.official, OFFICIAL) as services:
        page = SyncPage(services, user)
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert page.proposals_box.isVisible() and page.proposals.row_count() == 1
        assert page.proposals.text(0, 2) == "waiting for a decision"
        services.sync.import_paths([published.path])
        page.refresh()
        assert page.proposals.text(0, 2) == "accepted"
        assert "HCC.99" in page.proposals.text(0, 3)
        assert "Áp dụng từ tháng 12" in page.proposals.text(0, 3)
    with opened(world.leader, LEADER) as services:
        page = SyncPage(services, UserContext(person_id=LEADER, full_name=LEADER, role="head",
                                              unit_id="hcc", is_evaluator=True))
        qtbot.addWidget(page)
        page.refresh()
        assert not page.proposals_box.isVisible()


def test_related_discipline_decisions_count_in_one_year_on_every_pc(world: World) -> None:
    """The recorder's PC moves an earlier decision's year when a related one arrives
    (Điều 11.3a); the receiving PCs end with the same years whatever the import order."""
    with opened(world.leader) as pc:
        first = pc.discipline.record(LEADER, OFFICIAL, DisciplineKind.REPRIMAND,
                                     decided_on=dt.date(2026, 3, 2), decision_no="5/QĐ-UBND")
    out = _export(world.leader, LEADER, world.usb)
    _import(world.official, OFFICIAL, out[OFFICIAL])
    with opened(world.leader) as pc:
        second = pc.discipline.record(LEADER, OFFICIAL, DisciplineKind.REPRIMAND,
                                      decided_on=dt.date(2025, 12, 20), decision_no="2-QĐ/ĐU",
                                      authority="party", related_event_id=first.id)
        with pc.db.unit_of_work(read_only=True) as uow:
            years = {e.id: e.effective_year for e in uow.discipline.list_for_person(OFFICIAL)}
    assert years == {first.id: 2025, second.id: 2025}
    later = _export(world.leader, LEADER, world.usb)
    result = _import(world.official, OFFICIAL, later[OFFICIAL])[later[OFFICIAL].name]
    assert result.counts["discipline_events"] == 1  # the new one; the moved one settles
    # The agency gets the newer bundle first, then the older one: the same years.
    _import(world.agency, "agency", later["agency"])
    _import(world.agency, "agency", out["agency"])
    for folder in (world.official, world.agency):
        with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
            found = {e.id: e.effective_year for e in uow.discipline.list_for_person(OFFICIAL)
                     if e.id in years}
        assert found == years, folder


def _changed_month(world: World, *, tamper: bool = False) -> tuple[Appeal, dict[str, Path],
                                                                  dict[str, Path]]:
    """A locked month sent to the official, appealed, changed by the leader; returns the
    appeal, the official's bundles and the leader's bundles with the decision."""
    from kpi_desktop.domain.model import GENERAL_CRITERIA, EvaluationStatus, MonthlyEvaluation

    now = utc_now()
    lowered = {c.code: c.max_points for c in GENERAL_CRITERIA} | {"I.1": Decimal("3")}
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.evaluations.upsert_monthly(MonthlyEvaluation(
            person_id=OFFICIAL, period=PERIOD, status=EvaluationStatus.LOCKED, unit_id="hcc",
            confirmed_criteria=lowered, evaluator_id=LEADER, general_points=Fraction(28),
            total=Fraction(80), level=Level.GOOD, confirmed_at=now, locked_at=now,
            updated_at=now))
    first = _export(world.leader, LEADER, world.usb)
    _import(world.official, OFFICIAL, first[OFFICIAL])
    with opened(world.official, OFFICIAL) as pc:
        appeal = pc.appeals.file(OFFICIAL, str(PERIOD), "Tiêu chí I.1 bị chấm thấp")
        assert appeal.signature is not None
    sent = _export(world.official, OFFICIAL, world.usb)
    _import(world.leader, LEADER, sent[LEADER])
    full = {c.code: c.max_points for c in GENERAL_CRITERIA}
    with opened(world.leader, LEADER) as pc:
        decided = pc.appeals.decide(LEADER, appeal.id, "changed", "Chấm lại tiêu chí I.1",
                                    criteria=full)
        assert decided.decision_signature is not None
    if tamper:  # the leader's PC rewrites the replaced result (it was 80, "now" 60)
        # Through the application's own storage, so the row seals follow: a change made with
        # another program would stop the leader's PC at its start-up check instead.
        from kpi_desktop.storage.engine import create_sqlite_engine

        engine = create_sqlite_engine(world.leader / "kpi.db", pooled=False)
        with engine.begin() as db:
            [(key, text)] = db.exec_driver_sql(
                "SELECT id, snapshot_json FROM replaced_evaluations WHERE appeal_id = ?",
                (appeal.id,)).fetchall()
            assert '"total":"80"' in text
            db.exec_driver_sql("UPDATE replaced_evaluations SET snapshot_json = ? WHERE id = ?",
                               (text.replace('"total":"80"', '"total":"60"'), key))
        engine.dispose()
    back = _export(world.leader, LEADER, world.usb)
    return appeal, sent, back


def test_a_changed_month_after_an_appeal_reaches_the_official_with_its_history(
        world: World) -> None:
    """The appeals workflow end to end between two PCs: the leader's locked month reaches the
    official, the official appeals it, the leader changes it, and the official's PC (and the
    agency) get the decision, the new result and the replaced one."""
    appeal, sent, back = _changed_month(world)
    result = _import(world.official, OFFICIAL, back[OFFICIAL])[back[OFFICIAL].name]
    assert result.counts["appeal_decisions"] == 1 and result.counts["evaluations"] == 1
    _import(world.agency, "agency", sent["agency"])
    _import(world.agency, "agency", back["agency"])
    for folder in (world.official, world.agency):
        with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
            stored = uow.appeals.get(appeal.id)
            evaluation = uow.evaluations.get_monthly(OFFICIAL, PERIOD)
            [history] = uow.replaced_evaluations.list_for_appeal(appeal.id)
        assert stored.status is AppealStatus.DECIDED, folder
        assert stored.outcome is AppealOutcome.CHANGED
        assert evaluation is not None and evaluation.confirmed_criteria["I.1"] == 5
        assert history.total == 80 and history.replaced_by == LEADER


def test_an_altered_replaced_result_is_refused(world: World) -> None:
    _appeal, _sent, back = _changed_month(world, tamper=True)
    _refused(world.official, OFFICIAL, back[OFFICIAL], "bundle_record_signature_invalid")


def _review_bundle(key: Any, name: str, record: object, sender: str, recipient: str) -> bytes:
    payload = {f"data/{name}.jsonl": (json.dumps(to_json(record)) + "\n").encode()}
    return craft(key, payload, header={"kind": "review" if name != "appeals" else "work",
                                       "sender": {"id": sender, "key": key.fingerprint},
                                       "recipient": {"id": recipient}})


def test_a_refiled_appeal_with_another_text_is_a_conflict(world: World) -> None:
    appeal = _file_appeal(world)
    sent = _export(world.official, OFFICIAL, world.usb)
    _import(world.leader, LEADER, sent[LEADER])
    with opened(world.official, OFFICIAL) as pc:
        key = pc.keys.require(OFFICIAL)
    other = dataclasses.replace(appeal, reason="Một lý do khác hẳn")
    other = dataclasses.replace(other, signature=key.sign(appeal_bytes(other)),
                                key_fingerprint=key.fingerprint)
    _refused(world.leader, LEADER, _review_bundle(key, "appeals", other, OFFICIAL, LEADER),
             "bundle_record_conflict")


def test_a_changed_decided_classification_is_a_conflict(world: World) -> None:
    from kpi_desktop.sync.signing import annual_bytes

    first = _classification(OFFICIAL, LEADER, Level.GOOD)
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.evaluations.add_annual(first)
    out = _export(world.leader, LEADER, world.usb)
    _import(world.official, OFFICIAL, out[OFFICIAL])
    with opened(world.leader, LEADER) as pc:
        key = pc.keys.require(LEADER)
    changed = dataclasses.replace(first, decided_level=Level.EXCELLENT)
    changed = dataclasses.replace(changed, signature=key.sign(annual_bytes(changed)),
                                  key_fingerprint=key.fingerprint)
    _refused(world.official, OFFICIAL,
             _review_bundle(key, "annual_classifications", changed, LEADER, OFFICIAL),
             "bundle_record_conflict")


def test_an_appeal_decision_without_an_outcome_is_refused(world: World) -> None:
    from kpi_desktop.sync.signing import appeal_decision_bytes

    appeal = _file_appeal(world)
    with opened(world.official, OFFICIAL) as pc:
        official = pc.keys.require(OFFICIAL)
    with opened(world.leader, LEADER) as pc:
        leader = pc.keys.require(LEADER)
    half = dataclasses.replace(appeal, signature=official.sign(appeal_bytes(appeal)),
                               key_fingerprint=official.fingerprint,
                               status=AppealStatus.DECIDED, decision="?", outcome=None,
                               decided_by=LEADER, decided_at=utc_now())
    half = dataclasses.replace(half, decision_signature=leader.sign(appeal_decision_bytes(half)),
                               decision_key_fingerprint=leader.fingerprint)
    _refused(world.official, OFFICIAL,
             _review_bundle(leader, "appeal_decisions", half, LEADER, OFFICIAL),
             "bundle_malformed")
