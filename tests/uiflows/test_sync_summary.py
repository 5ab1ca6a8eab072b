"""Issue 16 item 4: an import is told in names and plain counts; bundles for other people on a
shared stick are left there and are no error; a submitted entry says where it is."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.model import EntryStatus
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.daily import DailyWorkService, EntryDraft
from kpi_desktop.services.review import ReviewService
from kpi_desktop.services.sync_summary import Delivery

from .conftest import TODAY


def _cli(folder, *args, language="vi"):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--data-dir", str(folder), "--lang", language, *args])
    return code, out.getvalue(), err.getvalue()


def _open(folder):
    services = AppServices.open(app_paths(folder))
    services.daily = DailyWorkService(services.db, services.paths.attachments_dir,
                                      keys=services.keys, today=lambda: TODAY)
    services.review = ReviewService(services.db, today=TODAY)
    return services


@pytest.fixture
def two_pcs(demo_master, tmp_path, monkeypatch):
    """The official's PC and the leader's PC, both from the demo; a shared USB stick."""
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "demo")
    official, leader = tmp_path / "official", tmp_path / "leader"
    shutil.copytree(demo_master, official)
    shutil.copytree(demo_master, leader)
    usb = tmp_path / "usb"
    usb.mkdir()
    return official, leader, usb


def test_an_import_is_told_in_names_and_counts(two_pcs):
    official, leader, usb = two_pcs
    services = _open(official)
    try:
        services.keys.unlock("vp-cv1", "demo")
        ids = []
        for number in (601, 602, 603):
            entry = services.daily.save("vp-cv1", EntryDraft(
                work_date=TODAY, item_code="DC.27", quantity="1",
                output_doc_number=f"{number}/TB-UBND"))
            services.daily.submit("vp-cv1", entry.id)
            ids.append(entry.id)
        states = services.sync_summary.delivery("vp-cv1", [services.daily.entry(i).entry
                                                            for i in ids])
        # Trần Thị Mai's key is on this demo PC too: "with the leader (same PC)"; on a PC of
        # the official alone the entries wait for the USB stick.
        assert set(states.values()) == {Delivery.SAME_PC}
        services.keys.owners = lambda: ["vp-cv1"]  # the official's own PC
        states = services.sync_summary.delivery("vp-cv1", [services.daily.entry(i).entry
                                                            for i in ids])
        assert set(states.values()) == {Delivery.WAITING}
    finally:
        services.close()
    code, out, _ = _cli(official, "sync", "export", "--to", str(usb), "--as", "vp-cv1")
    assert code == 0 and "Trần Thị Mai" in out and " vp-cvp " not in out
    # Someone else's bundles share the stick: the leader writes for the whole office.
    code, out, err = _cli(leader, "import", str(usb), "--as", "vp-cvp")
    assert code == 0, err
    assert "Đã nhận từ Phạm Thị Hoa: 3 mục cần xác nhận" in out
    leader_services = _open(leader)
    try:
        leader_services.review.confirm("vp-cvp", ids[0])
        leader_services.review.confirm("vp-cvp", ids[1])
        leader_services.review.return_entry("vp-cvp", ids[2], "Thiếu số văn bản")
    finally:
        leader_services.close()
    for bundle in usb.iterdir():
        bundle.unlink()
    code, out, _ = _cli(leader, "sync", "export", "--to", str(usb), "--as", "vp-cvp")
    assert code == 0
    written = list(usb.iterdir())
    assert len(written) > 1  # also bundles for the agency and the other people of the office
    code, out, err = _cli(official, "import", str(usb), "--as", "vp-cv1")
    assert code == 0, err  # bundles for other people are no error
    lines = out.splitlines()
    assert "Đã nhận từ Trần Thị Mai: 2 mục được xác nhận, 1 bị trả lại." in lines
    others = [line for line in lines if "để nguyên trên USB" in line]
    assert others and others[0].startswith(f"{len(written) - 1} gói dành cho người khác")
    assert "acks" not in out and "duplicates" not in out and "không nhập" not in out
    services = _open(official)
    try:
        assert services.daily.entry(ids[0]).entry.status is EntryStatus.CONFIRMED
        assert services.daily.entry(ids[2]).entry.status is EntryStatus.RETURNED
    finally:
        services.close()
    # The same stick again: nothing new, said once.
    code, out, _ = _cli(official, "import", str(usb), "--as", "vp-cv1", language="en")
    assert code == 0
    assert "1 bundle was imported before." in out
    assert "Nothing new for you." in out


def test_a_refused_bundle_for_the_person_fails_the_import(two_pcs):
    official, leader, usb = two_pcs
    services = _open(official)
    try:
        services.keys.unlock("vp-cv1", "demo")
        entry = services.daily.save("vp-cv1", EntryDraft(work_date=TODAY, item_code="DC.27",
                                                         quantity="1"))
        services.daily.submit("vp-cv1", entry.id)
    finally:
        services.close()
    _cli(official, "sync", "export", "--to", str(usb), "--as", "vp-cv1")
    [mine] = [p for p in usb.iterdir() if "_to_vp-cvp_" in p.name]
    data = bytearray(mine.read_bytes())
    data[len(data) // 2] ^= 0xFF
    mine.write_bytes(bytes(data))
    code, out, err = _cli(leader, "import", str(usb), "--as", "vp-cvp")
    assert code == 3
    assert "Phạm Thị Hoa" in out and "Trần Thị Mai" in out and mine.name in out
    assert mine.name in err
