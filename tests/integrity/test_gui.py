"""The application side: the background check, the damage dialog, Settings → Backups."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.daily import DailyWorkService, EntryDraft
from kpi_desktop.storage.backup import backup_database, dump_database
from kpi_desktop.ui.integrity_watch import IntegrityWatch, show_open_failure
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.pages.settings_page import SettingsPage

from .helpers import foreign_update, locked_month

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def services(demo_dir: Path):
    opened = AppServices.open(app_paths(demo_dir))
    yield opened
    opened.close()


def _write(services) -> None:  # noqa: ANN001
    DailyWorkService(services.db, services.paths.attachments_dir, today=lambda: TODAY).save(
        "vp-cv1", EntryDraft(work_date=TODAY, item_code="DC.01", quantity="1",
                             completed_on=TODAY))


def test_the_background_check_runs_off_the_gui_thread_when_idle(qtbot, services) -> None:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    watch = IntegrityWatch(services, window, idle_after=3600, poll_ms=10_000)
    watch._last_input = 0.0  # long idle
    assert services.integrity.full_check_due(idle=True)
    watch.poll()
    assert watch.running()
    qtbot.waitUntil(lambda: not watch.running(), timeout=120_000)
    assert watch.last_report.ok
    assert "intact" in window.statusBar().currentMessage()
    assert not services.integrity.full_check_due(idle=True)
    watch.poll()  # checked today: nothing runs
    assert not watch.running()


def test_not_idle_the_check_waits_unless_a_week_passed(qtbot, services, monkeypatch) -> None:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    services.integrity.full_check()
    watch = IntegrityWatch(services, window, idle_after=3600)
    state = json.loads(services.integrity.state_file.read_text("utf-8"))
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    state["last_full_at"] = old.isoformat()
    services.integrity.state_file.write_text(json.dumps(state), "utf-8")
    watch.poll()  # someone is typing and the check is 2 days old: wait for idle
    assert not watch.running()
    state["last_full_at"] = (old - dt.timedelta(days=6)).isoformat()
    services.integrity.state_file.write_text(json.dumps(state), "utf-8")
    watch.poll()  # 8 days: run now
    assert watch.running()
    qtbot.waitUntil(lambda: not watch.running(), timeout=120_000)


def test_damage_found_while_working_stops_every_write(qtbot, services, monkeypatch) -> None:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    offered: list[str] = []
    monkeypatch.setattr("kpi_desktop.ui.integrity_watch._wants_restore",
                        lambda box: offered.append(box.informativeText()) or False)
    month = locked_month(services.paths.database)
    foreign_update(services.paths.database, "UPDATE monthly_evaluations SET total = '3' "
                   "WHERE person_id = ? AND period = ?", month["person_id"], month["period"])
    watch = IntegrityWatch(services, window)
    watch.run_now()
    qtbot.waitUntil(lambda: not watch.running(), timeout=120_000)
    assert watch.last_report.damaged
    assert offered  # the dialog offered the newest good backup
    before = dump_database(services.paths.database)
    with pytest.raises(StorageProblem) as refused:
        _write(services)
    assert refused.value.code == "database_damaged"
    assert dump_database(services.paths.database) == before
    assert services.organisation.people_overview()  # reading still works


def test_the_start_up_dialog_restores_the_newest_good_backup(qtbot, demo_dir: Path,
                                                            monkeypatch) -> None:
    paths = app_paths(demo_dir)
    AppServices.open(paths).close()
    [good] = sorted(paths.backup_dir.glob("kpi-daily-*.db"))
    foreign_update(paths.database, "UPDATE people SET full_name = 'X' WHERE id = 'vp-cv1'")
    with pytest.raises(StorageProblem) as damaged:
        AppServices.open(paths)
    shown: list[QMessageBox] = []

    def click_restore(box: QMessageBox) -> int:
        shown.append(box)
        box.property("restore_button").click()
        return 0
    monkeypatch.setattr(QMessageBox, "exec", click_restore)
    i18n.set_language("vi")
    try:
        assert show_open_failure(paths, damaged.value)
    finally:
        i18n.set_language("en")
    [box] = shown
    assert box.text().startswith("Cơ sở dữ liệu bị hỏng nên KPI Desktop không ghi thay đổi "
                                 "nào vào đó.")
    assert "công chức vp-cv1: bị một chương trình khác sửa" in box.text()  # the damage, named
    assert str(good) in box.informativeText()
    assert "bị một chương trình khác sửa" in box.detailedText()
    reopened = AppServices.open(paths)
    try:
        names = {r["id"]: r["full_name"] for r in reopened.organisation.people_overview()}
        assert names["vp-cv1"] != "X"
    finally:
        reopened.close()


def test_a_read_only_folder_gets_a_dialog_with_its_path(qtbot, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    error = StorageProblem("data_folder_read_only", path=str(tmp_path))
    assert not show_open_failure(app_paths(tmp_path), error)
    assert shown[0].windowTitle() == "The data folder cannot be written"
    assert str(tmp_path) in shown[0].text()


def test_settings_lists_every_reason_and_warns_whose_work_a_restore_replaces(
        qtbot, services, monkeypatch) -> None:  # noqa: ANN001
    folder = services.paths.backup_dir
    imported = backup_database(services.paths.database,
                               folder / "kpi-before-import-20261120T073000123456.db")
    backup_database(services.paths.database, folder / "kpi-before-0010-20261201T090000Z.db")
    _write(services)  # vp-cv1 works after those copies
    user = UserContext(person_id="vp-cv1", full_name="Phạm Thị Hoa", role="official",
                       unit_id="vp", is_evaluator=False)
    page = SettingsPage(services, user)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    reasons = {page.backups.text(r, 1) for r in range(page.backups.row_count())}
    assert {"daily", "before an import", "before a program upgrade (data version 0010)"} <= \
        set(reasons)
    asked: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box) or 0)
    assert not page.confirm_restore(str(imported), "20/11/2026 07:30")  # cancelled
    informative = asked[0].informativeText()
    assert "agency administrator's task" in informative and "(vp-cv1)" in informative
    assert asked[0].defaultButton().text() == "&Cancel"


def test_settings_check_now_reports_without_blocking(qtbot, services) -> None:  # noqa: ANN001
    user = UserContext(person_id="agency", full_name="Quản trị", role="agency", unit_id="",
                       is_evaluator=False)
    page = SettingsPage(services, user)
    qtbot.addWidget(page)
    page.check_now()
    assert not page.check_button.isEnabled()  # running in a worker
    qtbot.waitUntil(lambda: page.check_button.isEnabled(), timeout=120_000)
    assert page.check_state.text().startswith("Last full check:")
    assert page.check_state.text().endswith("intact.")
