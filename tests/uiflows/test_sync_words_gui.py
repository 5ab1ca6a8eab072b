"""Issue 16 item 4 in the window, in Vietnamese and English at 1366×768: a submitted entry says
where it is (waiting for the USB stick, not "sent to the leader"); the Sync page writes the
bundles naming the recipients; on the leader's PC the import is one summary in names and plain
counts, the bundle for the agency is left on the stick, and nothing reads like a counter
("acks", "duplicates") or an id."""

from __future__ import annotations

import re
import shutil

import pytest

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.daily import DailyWorkService, EntryDraft

from .conftest import LANGUAGES, TODAY

pytestmark = pytest.mark.gui

WORDS = {
    "vi": {"waiting": "chờ chép USB / đồng bộ", "written": "gửi Trần Thị Mai",
           "received": "Đã nhận từ Phạm Thị Hoa: 1 mục cần xác nhận.",
           "others": "1 gói dành cho người khác — để nguyên trên USB."},
    "en": {"waiting": "waiting to be copied to USB / synchronised",
           "written": "for Trần Thị Mai",
           "received": "Received from Phạm Thị Hoa: 1 entry to review.",
           "others": "1 bundle is for someone else — left on the USB stick."},
}


@pytest.fixture
def leader_services(demo_master, tmp_path):
    folder = tmp_path / "leader-pc"
    shutil.copytree(demo_master, folder)
    opened = AppServices.open(app_paths(folder))
    opened.daily = DailyWorkService(opened.db, opened.paths.attachments_dir, keys=opened.keys,
                                    today=lambda: TODAY)
    opened.keys.unlock("vp-cvp", "demo")
    yield opened
    opened.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_where_the_work_is_and_what_arrived(qtbot, services, leader_services, open_window,
                                           tmp_path, language):
    words = WORDS[language]
    services.keys.unlock("vp-cv1", "demo")
    services.keys.owners = lambda: ["vp-cv1"]  # the official's own PC
    entry = services.daily.save("vp-cv1", EntryDraft(work_date=TODAY, item_code="DC.27",
                                                     quantity="1",
                                                     output_doc_number="611/TB-UBND"))
    services.daily.submit("vp-cv1", entry.id)
    window = open_window(services, "vp-cv1", language)
    today = window.show_page_id("today")
    today.refresh()
    assert today.select_entry(entry.id)
    row = today.table.currentIndex().row()
    status = today.model.index(row, 7).data()
    assert status == words["waiting"], status

    usb = tmp_path / "usb"
    usb.mkdir()
    sync = window.show_page_id("sync")
    sync.export_to(usb)
    qtbot.waitUntil(lambda: not sync.is_busy(), timeout=30000)
    written = re.sub(r"\S+\.kpib", "FILE", sync.result.text())  # file names are data
    assert words["written"] in written and "vp-cvp" not in written
    assert sync.export_button.isEnabled()  # item 10: the buttons come back

    leader = open_window(leader_services, "vp-cvp", language)
    page = leader.show_page_id("sync")
    page.import_from(usb)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    lines = page.result.text().splitlines()
    assert words["received"] in lines, lines
    assert words["others"] in lines, lines
    text = page.result.text()
    for wrong in ("acks", "duplicates", "vp-cv1", "vp-cvp", "không nhập"):
        assert wrong not in text
    assert page.import_button.isEnabled()
    qtbot.wait(100)  # the layout takes the new text
    page.history.fit_columns()
    assert page.history.elided_names() == []
    assert page.result.height() >= page.result.heightForWidth(page.result.width()), \
        "the summary's lines are cut"
    leader.grab().save(str(tmp_path / f"sync-import-{language}.png"))
    # Said again in the other language after a switch (nothing left in the old one).
    other = "en" if language == "vi" else "vi"
    leader.set_language(other)
    qtbot.waitUntil(lambda: WORDS[other]["received"] in page.result.text().splitlines())
    assert WORDS[other]["others"] in page.result.text().splitlines()
