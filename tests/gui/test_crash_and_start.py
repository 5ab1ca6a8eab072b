"""Unexpected errors reach a dialog and the log; the app starts and recovers a damaged database."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from kpi_desktop.ui.crash_dialog import CrashDialog, CrashHandler

pytestmark = pytest.mark.gui


def test_crash_handler_logs_and_shows_each_error_once(qtbot, monkeypatch, caplog, tmp_path):
    shown = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self.details) or 0)
    handler = CrashHandler(tmp_path / "kpi-desktop.log", lambda: "last log line")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        info = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="kpi_desktop.crash"):
        handler.handle(*info)
        handler.handle(*info)  # the same error again: no second dialog
    qtbot.waitUntil(lambda: handler.dialogs_shown == 1)
    assert "RuntimeError: boom" in shown[0] and "last log line" in shown[0]
    assert any("unexpected error" in r.message for r in caplog.records)


def test_crash_dialog_saves_its_details(qtbot, tmp_path):
    dialog = CrashDialog("Traceback …\nValueError: x", tmp_path / "log.txt")
    qtbot.addWidget(dialog)
    target = tmp_path / "details.txt"
    dialog.save_details(target)
    assert target.read_text(encoding="utf-8").endswith("ValueError: x")
    dialog.copy_details()


def test_selftest_starts_on_an_empty_folder_with_the_demo(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(tmp_path),
                             "--selftest"], capture_output=True, text=True, check=False,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "SELFTEST OK" in result.stdout
    assert (tmp_path / "kpi.db").exists() and any((tmp_path / "backups").iterdir())


def test_selftest_refuses_a_damaged_database_with_a_message(tmp_path):
    (tmp_path / "kpi.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    result = subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(tmp_path),
                             "--lang", "en", "--selftest"], capture_output=True, text=True,
                            check=False,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 4  # damage, not a bug (DESIGN.md §8)
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
