"""A person's monthly results from one agency to another (issue 9 §4, Điều 19.1): a signed
``transfer`` bundle from the demo commune to a second, real agency set up from a staff list."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EvaluationStatus
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import describe
from kpi_desktop.storage.backup import dump_database
from tests.sync.helpers import flip_content_byte

TODAY = dt.date(2026, 11, 23)
STAFF = "\n".join([
    "id,full_name,unit_id,unit_name,role,job_position_id,job_position_name,field_codes,"
    "evaluator_id,joined_on",
    "pb-ct,Nguyễn Thị Lành,pb,UBND phường Bắc Sơn,head,ct-pb,Chủ tịch UBND phường,VP,,"
    "2020-01-01",
    "pb-vh,Hà Văn Quý,pb-vhxh,Phòng Văn hóa - Xã hội,head,tp-vh,Trưởng phòng,VHTT,pb-ct,"
    "2020-01-01",
    "kt-cv2,Trần Văn Bình,pb-vhxh,Phòng Văn hóa - Xã hội,official,cv-vh,Chuyên viên,VHTT,"
    "pb-vh,2026-11-01",
    ""])


def _open(folder: Path):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    return AppServices.open(app_paths(folder))


@pytest.fixture
def sender(demo_dir):
    services = _open(demo_dir)
    services.keys.unlock(AGENCY, "demo")
    yield services
    services.close()


@pytest.fixture
def receiver(tmp_path):
    """Phường Bắc Sơn: another agency, its own key, and kt-cv2 who arrived on 1 November."""
    from kpi_desktop.services.agency_setup import AgencySetupService
    from kpi_desktop.sync.keys import DEMO_COST

    services = _open(tmp_path / "receiver")
    setup = AgencySetupService(services.db, today=TODAY)
    setup.create_organisation("bac-son", "UBND phường Bắc Sơn", code="BS")
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    setup.import_staff(staff)
    services.sync.create_agency_key("bac-son-pass", cost=DEMO_COST)
    yield services
    services.close()


@pytest.fixture
def exported(sender, tmp_path):
    return sender.transfer_bundles.export("kt-cv2", tmp_path / "usb", year=2026)


def _locked_totals(services, person_id):
    with services.db.unit_of_work(read_only=True) as uow:
        return {str(e.period): e.total for e in uow.evaluations.list_monthly(
            person_id=person_id, year=2026, statuses=[EvaluationStatus.LOCKED])}


def test_transfer_round_trip_counts_in_the_new_agency(sender, receiver, exported):
    assert exported.months == tuple(f"2026-{m:02d}" for m in range(1, 11))
    preview = receiver.transfer_bundles.inspect(exported.path.read_bytes())
    assert preview.fingerprint == exported.fingerprint and preview.person_known
    assert preview.agency_name.startswith("UBND xã Nghĩa Lâm")

    result = receiver.transfer_bundles.import_path(exported.path, trust=exported.fingerprint)
    assert result.status == "imported" and len(result.months) == 10

    # The months count in the classification of the new agency's unit (Điều 19.1).
    row = next(r for r in receiver.scores.classify_unit("bac-son", 2026).rows
               if r.person.id == "kt-cv2")
    totals = _locked_totals(sender, "kt-cv2")
    assert [str(m) for m in row.months] == sorted(totals)
    assert row.result.mean == sum(totals.values(), Fraction(0)) / 10
    assert row.result.level is not None

    # Each month keeps the unit and the evaluator of the old agency.
    history = receiver.transfers.history("kt-cv2", 2026)
    first, last = history.months[0], history.months[-1]
    assert (first.source, first.unit_id, first.evaluator_id) == ("imported", "kt", "kt-tp")
    assert first.evaluator_name == "Phan Văn Quang" and first.unit_name == "Phòng Kinh tế"
    assert (last.unit_id, last.evaluator_id) == ("vhxh", "vhxh-tp")
    assert first.agency_name.startswith("UBND xã Nghĩa Lâm")

    # Idempotent: the same file again changes nothing.
    before = dump_database(receiver.paths.database)
    again = receiver.transfer_bundles.import_path(exported.path, trust=exported.fingerprint)
    assert again.status == "already"
    assert dump_database(receiver.paths.database) == before


def test_signed_months_are_verified_and_kept(sender, receiver, tmp_path):
    """The evaluator's signature over a confirmation travels with the month."""
    from kpi_desktop.sync.keys import DEMO_COST  # noqa: F401 - demo keys exist already

    sender.keys.unlock("kt-tp", "demo")
    sender.sync.export("kt-tp", tmp_path / "sync-out")  # signs kt-tp's confirmations
    with sender.db.unit_of_work(read_only=True) as uow:
        signed = uow.evaluations.get_monthly("kt-cv2", "2026-03")
    assert signed.evaluator_signature is not None
    written = sender.transfer_bundles.export("kt-cv2", tmp_path / "usb")
    receiver.transfer_bundles.import_path(written.path, trust=written.fingerprint)
    with receiver.db.unit_of_work(read_only=True) as uow:
        month = uow.transfers.get_month("kt-cv2", "2026-03")
    assert month.evaluator_signature == signed.evaluator_signature
    assert month.evaluator_key_fingerprint == signed.evaluator_key_fingerprint


def _rewrite(path: Path, target: Path, change) -> Path:
    """A copy of the bundle with one member changed by ``change(name, bytes)``."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info.filename)))
    return target


def _flip(path: Path, target: Path) -> Path:
    def change(name, data):
        if name == "data/evaluations.jsonl":
            text = data.decode()
            return text.replace('"total":"', '"total":"1', 1).encode()
        return data
    return _rewrite(path, target, change)


def _refused(receiver, path: Path, trust: str) -> KpiError:
    before = dump_database(receiver.paths.database)
    listing = sorted(p.name for p in receiver.paths.data_dir.rglob("*") if p.is_file())
    with pytest.raises(KpiError) as caught:
        receiver.transfer_bundles.import_path(path, trust=trust)
    assert dump_database(receiver.paths.database) == before
    assert sorted(p.name for p in receiver.paths.data_dir.rglob("*") if p.is_file()) == listing
    i18n.set_language("vi")
    try:
        assert describe(caught.value)
    finally:
        i18n.set_language("en")
    return caught.value


def test_flipped_byte_is_refused(receiver, exported, tmp_path):
    # Flip a byte inside a member's stored content (a flip in zip metadata nothing reads,
    # e.g. a timestamp, may be harmless).
    damaged = tmp_path / "damaged.kpib"
    damaged.write_bytes(flip_content_byte(exported.path.read_bytes()))
    error = _refused(receiver, damaged, exported.fingerprint)
    assert error.code.startswith("bundle_")
    altered = _flip(exported.path, tmp_path / "altered.kpib")
    assert _refused(receiver, altered, exported.fingerprint).code == "bundle_file_altered"


def test_wrong_signer_is_refused(receiver, exported, tmp_path):
    wrong = "0000 1111 2222 3333 4444 5555 6666 7777"
    error = _refused(receiver, exported.path, wrong)
    assert error.code == "transfer_bundle_untrusted"
    # A bundle whose header names another key than the one that signed it.
    from kpi_desktop.sync.keys import generate_key

    other = generate_key()

    def change(name, data):
        if name == "header.json":
            header = json.loads(data)
            import base64

            header["agency"]["public_key"] = base64.b64encode(other.public_key).decode()
            return json.dumps(header).encode()
        return data
    forged = _rewrite(exported.path, tmp_path / "forged.kpib", change)
    assert _refused(receiver, forged, exported.fingerprint).code in {
        "bundle_signature_invalid", "transfer_bundle_untrusted"}


def test_unknown_person_is_refused(sender, receiver, tmp_path):
    written = sender.transfer_bundles.export("kt-cv1", tmp_path / "usb", year=2026)
    error = _refused(receiver, written.path, written.fingerprint)
    assert error.code == "transfer_bundle_person_unknown"


def test_overlapping_month_with_other_values_is_refused(sender, receiver, exported, tmp_path):
    receiver.transfer_bundles.import_path(exported.path, trust=exported.fingerprint)
    # The old agency reopens and re-evaluates March with another total, and sends again.
    with sender.db.unit_of_work() as uow:
        march = uow.evaluations.get_monthly("kt-cv2", "2026-03")
        import dataclasses

        uow.evaluations.upsert_monthly(dataclasses.replace(march, total=Fraction(1, 3)))
    second = sender.transfer_bundles.export("kt-cv2", tmp_path / "usb2", year=2026)
    error = _refused(receiver, second.path, second.fingerprint)
    assert error.code == "transfer_bundle_overlap" and error.params["period"] == "2026-03"


def test_own_bundle_and_other_kinds_are_refused(sender, exported, tmp_path):
    before = dump_database(sender.paths.database)
    with pytest.raises(KpiError) as caught:
        sender.transfer_bundles.import_path(exported.path, trust=exported.fingerprint)
    assert caught.value.code == "transfer_bundle_own"
    published = sender.sync.publish_organisation(tmp_path / "org")
    with pytest.raises(KpiError) as caught:
        sender.transfer_bundles.import_path(published.path, trust=exported.fingerprint)
    assert caught.value.code == "transfer_bundle_not_transfer"
    assert describe(caught.value)
    _ = before


def test_nothing_to_export_and_locked_key(receiver, tmp_path):
    receiver.keys.unlock(AGENCY, "bac-son-pass")
    before = dump_database(receiver.paths.database)
    with pytest.raises(KpiError) as caught:
        receiver.transfer_bundles.export("kt-cv2", tmp_path / "out")
    assert caught.value.code == "transfer_nothing_to_export"
    assert dump_database(receiver.paths.database) == before


def test_cli_export_and_import_with_trust(demo_dir, receiver, tmp_path, capsys, monkeypatch):
    from kpi_desktop.app import main

    folder = receiver.paths.data_dir
    receiver.close()
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "demo")
    out = tmp_path / "usb"
    assert main(["--data-dir", str(demo_dir), "--lang", "en", "transfer", "export",
                 "--person", "kt-cv2", "--to", str(out), "--year", "2026"]) == 0
    printed = capsys.readouterr().out
    file = next(out.glob("*.kpib"))
    fingerprint = printed.split("agency key ")[1].split(":")[0]
    base = ["--data-dir", str(folder), "--lang", "en", "transfer", "import", str(file)]
    assert main(base) == 3  # shown, not imported: compare the fingerprint first
    assert fingerprint in capsys.readouterr().out
    assert main([*base, "--trust", "0000 0000 0000 0000 0000 0000 0000 0000"]) == 3
    assert "not by the agency key you trust" in capsys.readouterr().err
    assert main([*base, "--trust", fingerprint]) == 0
    assert "10 months" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "--lang", "en", "classify", "--unit", "bac-son",
                 "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    person = next(p for p in data["people"] if p["id"] == "kt-cv2")
    assert person["months_counted"] == 10


# ------------------------------------------------------------------ A → B → C ---------------

THIRD_STAFF = "\n".join([
    "id,full_name,unit_id,unit_name,role,job_position_id,job_position_name,field_codes,"
    "evaluator_id,joined_on",
    "tn-ct,Lò Văn Tiến,tn,UBND xã Tân Nguyên,head,ct-tn,Chủ tịch UBND xã,VP,,2020-01-01",
    "kt-cv2,Trần Văn Bình,tn,UBND xã Tân Nguyên,official,cv-tn,Chuyên viên,VP,tn-ct,"
    "2026-12-01",
    ""])


def _third(tmp_path):
    """Xã Tân Nguyên: a third agency where kt-cv2 arrives on 1 December."""
    from kpi_desktop.services.agency_setup import AgencySetupService
    from kpi_desktop.sync.keys import DEMO_COST

    third = _open(tmp_path / "third")
    setup = AgencySetupService(third.db, today=TODAY)
    setup.create_organisation("tan-nguyen", "UBND xã Tân Nguyên", code="TN")
    staff = tmp_path / "third.csv"
    staff.write_text(THIRD_STAFF, encoding="utf-8")
    setup.import_staff(staff)
    third.sync.create_agency_key("tn-passphrase", cost=DEMO_COST)
    return third


def test_a_second_transfer_passes_on_the_months_received(sender, receiver, tmp_path):
    """A (the demo commune) → B (Bắc Sơn) → C (Tân Nguyên): B's export carries the months of
    A with their origin and the evaluator's signature, and C counts them (Điều 19.1)."""
    from kpi_desktop.domain.model import MonthlyEvaluation, Period

    sender.keys.unlock("kt-tp", "demo")
    sender.sync.export("kt-tp", tmp_path / "sync-out")  # signs kt-tp's confirmations
    first = sender.transfer_bundles.export("kt-cv2", tmp_path / "usb1", year=2026)
    receiver.transfer_bundles.import_path(first.path, trust=first.fingerprint)
    # B evaluates and locks November itself.
    november = MonthlyEvaluation(
        person_id="kt-cv2", period=Period.parse("2026-11"),
        status=EvaluationStatus.LOCKED, unit_id="pb-vhxh", evaluator_id="pb-vh",
        general_points=Fraction(27), total=Fraction(8123, 100))
    with receiver.db.unit_of_work() as uow:
        uow.evaluations.upsert_monthly(november)
    receiver.keys.unlock(AGENCY, "bac-son-pass")
    second = receiver.transfer_bundles.export("kt-cv2", tmp_path / "usb2", year=2026)
    assert second.months == tuple(f"2026-{m:02d}" for m in range(1, 12))

    third = _third(tmp_path)
    try:
        preview = third.transfer_bundles.inspect(second.path.read_bytes())
        assert len(preview.months) == 11
        result = third.transfer_bundles.import_path(second.path, trust=second.fingerprint)
        assert len(result.months) == 11

        history = third.transfers.history("kt-cv2", 2026)
        by_period = {str(m.period): m for m in history.months}
        assert by_period["2026-03"].agency_name.startswith("UBND xã Nghĩa Lâm")
        assert (by_period["2026-03"].unit_id, by_period["2026-03"].evaluator_id) == (
            "kt", "kt-tp")
        assert by_period["2026-11"].agency_name == "UBND phường Bắc Sơn"
        with third.db.unit_of_work(read_only=True) as uow:
            march = uow.transfers.get_month("kt-cv2", "2026-03")
        with sender.db.unit_of_work(read_only=True) as uow:
            signed = uow.evaluations.get_monthly("kt-cv2", "2026-03")
        # The original signature and origin travel on.
        assert march.evaluator_signature == signed.evaluator_signature is not None
        assert march.source_fingerprint == "".join(first.fingerprint.split()).lower()
        assert [r["agency_id"] for r in march.record["_relayed_by"]] == ["bac-son"]

        # The months of A count at C.
        row = next(r for r in third.scores.classify_unit("tn", 2026).rows
                   if r.person.id == "kt-cv2")
        totals = _locked_totals(sender, "kt-cv2")
        assert len(row.months) == 11
        assert row.result.mean == (sum(totals.values(), Fraction(0)) + november.total) / 11
    finally:
        third.close()


def test_a_passed_on_month_with_a_forged_signature_is_refused(sender, receiver, tmp_path):
    """B cannot pass on a month of A whose evaluator signature no longer verifies: C refuses
    the whole bundle and changes nothing."""
    import sqlalchemy as sa

    sender.keys.unlock("kt-tp", "demo")
    sender.sync.export("kt-tp", tmp_path / "sync-out")
    first = sender.transfer_bundles.export("kt-cv2", tmp_path / "usb1", year=2026)
    receiver.transfer_bundles.import_path(first.path, trust=first.fingerprint)
    engine = sa.create_engine(f"sqlite:///{receiver.paths.database}")
    with engine.begin() as connection:
        raw = connection.execute(sa.text(
            "SELECT record FROM transferred_months WHERE person_id='kt-cv2' "
            "AND period='2026-03'")).scalar_one()
        record = json.loads(raw)
        record["comment"] = "Đã sửa"  # B changes A's signed month
        connection.execute(sa.text(
            "UPDATE transferred_months SET record=:r WHERE person_id='kt-cv2' "
            "AND period='2026-03'"), {"r": json.dumps(record)})
    engine.dispose()
    receiver.keys.unlock(AGENCY, "bac-son-pass")
    second = receiver.transfer_bundles.export("kt-cv2", tmp_path / "usb2", year=2026)
    third = _third(tmp_path)
    try:
        error = _refused(third, second.path, second.fingerprint)
        assert error.code == "transfer_bundle_bad_record"
        assert error.params["detail"] == "signature"
    finally:
        third.close()
