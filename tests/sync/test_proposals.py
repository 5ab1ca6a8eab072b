"""An official's proposal of a new catalog item (Điều 13.3): filed on the official's PC, carried
to the agency in a signed work bundle, accepted (a new catalog version, published and used) or
rejected; bad input and tampered bundles are refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import CatalogGroup, ProposalStatus
from kpi_desktop.services.proposals import group_range
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import read_bundle

from .helpers import OFFICIAL, PASSPHRASES, TODAY, World, flip_content_byte, opened

NAME = "Thẩm định hồ sơ chuyển đổi số cấp xã"


def _points(world: World) -> tuple[CatalogGroup, Decimal]:
    """A group and points that fit it in the agency's active catalog."""
    with opened(world.agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        items = uow.catalog.list_items(version_id=uow.catalog.active_version().id)
    for group in CatalogGroup:
        if not any(i.group is group for i in items):
            continue
        above, below = group_range(items, group)
        low = above if above is not None else Decimal(0)
        high = below if below is not None else low + 10
        if high - low > 1:
            return group, low + 1
    raise AssertionError("no usable group in the demo catalog")


def _file_and_send(world: World) -> tuple[str, Path]:
    group, points = _points(world)
    with opened(world.official, OFFICIAL) as pc:
        waiting = pc.sync.outbox_count(OFFICIAL)
        proposal = pc.proposals.propose(
            person_id=OFFICIAL, name_vi=NAME, output_vi="Biên bản thẩm định",
            group=group.value, points=str(points), reason="Công việc mới phát sinh từ năm 2026")
        assert proposal.signature is not None and proposal.status is ProposalStatus.PROPOSED
        assert pc.sync.outbox_count(OFFICIAL) == waiting + 1
        written = {r.recipient_id: r for r in pc.sync.export(OFFICIAL, world.usb)}
    to_agency = written["agency"]
    assert to_agency.kind == "work" and to_agency.counts["proposals"] == 1
    return proposal.id, to_agency.path


def test_a_proposal_travels_is_accepted_published_and_used(world: World) -> None:
    proposal_id, bundle = _file_and_send(world)
    with opened(world.agency, "agency") as agency:
        result = agency.sync.import_paths([bundle])[0]
        assert result.status == "imported", agency.sync.describe_result(result)
        assert result.counts["proposals"] == 1
        # Idempotent: the same bundle again is a no-op, the same record again a duplicate.
        assert agency.sync.import_paths([bundle])[0].status == "already"
        [stored] = agency.proposals.proposals(ProposalStatus.PROPOSED)
        assert stored.id == proposal_id and stored.name_vi == NAME
        with agency.db.unit_of_work(read_only=True) as uow:
            old_version = uow.catalog.active_version()
            old_count = len(uow.catalog.list_items(version_id=old_version.id))
        decided, version = agency.proposals.accept(proposal_id, code="HCC.99",
                                                   note="Bổ sung từ tháng 12")
        assert decided.status is ProposalStatus.ACCEPTED
        assert decided.accepted_item_code == "HCC.99" and decided.decided_by == "agency"
        with agency.db.unit_of_work(read_only=True) as uow:
            assert uow.catalog.active_version().id == version.id != old_version.id
            items = uow.catalog.list_items(version_id=version.id)
            new = uow.catalog.find_item_by_code("HCC.99")
            actions = [e.action for e in uow.audit.list_events(object_id=proposal_id)]
        assert len(items) == old_count + 1
        assert new is not None and new.points == stored.points
        assert new.coefficient == (stored.points / old_version.standard_unit_points).quantize(
            Decimal("0.01"))
        assert actions == ["proposal.accept"]
        with pytest.raises(RefusedValue) as refused:
            agency.proposals.accept(proposal_id, code="HCC.98")
        assert refused.value.code == "proposal_not_pending"
        published = agency.sync.publish_organisation(world.usb).path
    with opened(world.official, OFFICIAL) as pc:
        assert pc.sync.import_paths([published])[0].status == "imported"
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.catalog.active_version().id == version.id
            allowed = {i.code for i in uow.catalog.allowed_items(OFFICIAL)}
        assert "HCC.99" in allowed
        entry = pc.worklog.add_entry(person_id=OFFICIAL, work_date=TODAY - dt.timedelta(days=1),
                                     item_code="HCC.99", quantity=Decimal(1),
                                     completed_on=TODAY - dt.timedelta(days=1), submit=True,
                                     output_description="Biên bản số 1")
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.catalog.get_item(uow.worklog.get(entry.id).catalog_item_id).code == (
                "HCC.99")


def test_a_proposal_can_be_rejected_with_a_note(world: World) -> None:
    proposal_id, bundle = _file_and_send(world)
    with opened(world.agency, "agency") as agency:
        assert agency.sync.import_paths([bundle])[0].status == "imported"
        with pytest.raises(RefusedValue) as refused:
            agency.proposals.reject(proposal_id, note="  ")
        assert refused.value.code == "proposal_note_missing"
        with agency.db.unit_of_work(read_only=True) as uow:
            version = uow.catalog.active_version().id
        decided = agency.proposals.reject(proposal_id, note="Đã có trong mục HCC.01")
        assert decided.status is ProposalStatus.REJECTED
        assert decided.decision_note == "Đã có trong mục HCC.01"
        with agency.db.unit_of_work(read_only=True) as uow:
            assert uow.catalog.active_version().id == version  # the catalog is unchanged
        assert agency.proposals.proposals("proposed") == []


@pytest.mark.parametrize(("change", "code"), [
    ({"name_vi": " "}, "proposal_name_missing"),
    ({"reason": ""}, "proposal_reason_missing"),
    ({"group": "N7"}, "proposal_group_unknown"),
    ({"points": "abc"}, "proposal_points_malformed"),
    ({"points": "-3"}, "proposal_points_malformed"),
    ({"points": "100000"}, "proposal_points_out_of_range"),
])
def test_bad_input_is_refused_with_nothing_changed(world: World, change: dict[str, str],
                                                   code: str) -> None:
    group, points = _points(world)
    values = {"person_id": OFFICIAL, "name_vi": NAME, "output_vi": "", "group": group.value,
              "points": str(points), "reason": "Lý do"}
    if change.get("points") == "100000":
        values["group"] = CatalogGroup.N1.value
    values.update(change)
    before = dump_database(world.official / "kpi.db")
    with opened(world.official, OFFICIAL) as pc, pytest.raises(RefusedValue) as refused:
        pc.proposals.propose(**values)
    assert refused.value.code == code
    assert dump_database(world.official / "kpi.db") == before


def test_the_commands_file_list_accept_and_refuse(world: World, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    group, points = _points(world)

    def run(folder: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(folder), "--lang", "en", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES[OFFICIAL])
    # The fixture's key is sealed at the tests' fast cost: the program's first unlock seals it
    # again at its own (issue 14). Done here, so the refusal below is compared to that.
    with opened(world.official) as pc:
        pc.keys.cost = crypto.DEFAULT_COST
        pc.keys.unlock(OFFICIAL, PASSPHRASES[OFFICIAL])
    before = dump_database(world.official / "kpi.db")
    code, _, err = run(world.official, "propose", "--as", OFFICIAL, "--name", NAME,
                       "--group", "N9", "--points", "5", "--reason", "x")
    assert code == 3 and "complexity group" in err
    assert dump_database(world.official / "kpi.db") == before
    code, out, err = run(world.official, "propose", "--as", OFFICIAL, "--name", NAME,
                         "--output", "Biên bản", "--group", group.value, "--points",
                         str(points), "--reason", "Công việc mới")
    assert code == 0, err
    code, _, err = run(world.official, "sync", "export", "--to", str(world.usb), "--as", OFFICIAL)
    assert code == 0, err
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES["agency"])
    code, _, err = run(world.agency, "import", str(world.usb), "--as", "agency")
    assert code == 0, err
    code, out, _ = run(world.agency, "org", "proposals", "--json")
    [row] = json.loads(out)
    assert row["name_vi"] == NAME and row["status"] == "proposed"
    code, _, err = run(world.agency, "org", "reject-proposal", row["id"], "--note", "")
    assert code == 3 and "note" in err
    code, _, err = run(world.agency, "org", "accept-proposal", row["id"], "--code", "HCC.99",
                       "--points", "0")
    assert code == 3 and "points" in err
    code, out, err = run(world.agency, "org", "accept-proposal", row["id"], "--code", "HCC.99")
    assert code == 0 and "HCC.99" in out, err
    code, out, _ = run(world.agency, "org", "proposals")
    assert "HCC.99" in out and "accepted" in out


def _rewrite_proposal(data: bytes, agency_key: object, official_key: object) -> bytes:
    """The bundle with its proposal's points changed and everything re-signed by the sender
    (the bundle is valid, the proposal's own signature is not)."""
    from kpi_desktop.sync.bundle import write_bundle

    bundle = read_bundle(data, signer_key=lambda _fp, _h: official_key.public_key,
                         decrypt_key=lambda _kid: agency_key)
    records = {k: list(v) for k, v in bundle.records.items()}
    records["proposals"] = [{**records["proposals"][0], "points": "3"}]
    header = bundle.header
    return write_bundle(kind=header["kind"], sender_id=bundle.sender_id,
                        recipient_id=bundle.recipient_id, seq=bundle.seq, key=official_key,
                        records=records, files=bundle.files,
                        encrypt_to=agency_key.x25519_public,
                        extra={"organisation": header["organisation"]})


def test_a_tampered_proposal_is_refused_with_nothing_changed(world: World) -> None:
    _proposal_id, bundle = _file_and_send(world)
    with opened(world.official, OFFICIAL) as pc:
        official_key = pc.keys.require(OFFICIAL)
    with opened(world.agency, "agency") as agency:
        agency_key = agency.keys.require("agency")
    tampered = _rewrite_proposal(bundle.read_bytes(), agency_key, official_key)
    before = dump_database(world.agency / "kpi.db")
    with opened(world.agency, "agency") as agency:
        result = agency.sync.import_bytes(tampered)
        assert result.status == "refused"
        assert result.error is not None
        assert result.error.code == "bundle_record_signature_invalid"
        assert agency.proposals.proposals() == []
    assert dump_database(world.agency / "kpi.db") == before
    # A flipped byte in the file itself is refused before anything is read.
    raw = flip_content_byte(bundle.read_bytes())
    with opened(world.agency, "agency") as agency:
        assert agency.sync.import_bytes(raw).status == "refused"
    assert dump_database(world.agency / "kpi.db") == before
