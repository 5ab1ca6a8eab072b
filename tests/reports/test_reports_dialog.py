"""The reports dialog runs the service as an operation and reports back on the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_desktop.domain.model import Period

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, services, tmp_path, monkeypatch):
    from kpi_desktop.ui import printing
    from kpi_desktop.ui.reports_dialog import ReportsDialog

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(printing, "documents_folder", lambda: documents)
    widget = ReportsDialog(services, person_id="kt-cv1", unit_id="kt", period="2026-03")
    qtbot.addWidget(widget)
    return widget


def test_form01_on_the_serial_lane(qtbot, dialog, tmp_path, async_ops):
    from PySide6.QtCore import QThread

    out = tmp_path / "f01.pdf"
    assert dialog.subject.currentData() == "kt-cv1"
    assert dialog.current_period() == Period.month(2026, 3)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.output.setText(str(out))
    dialog.output.textEdited.emit(str(out))
    threads = []
    dialog.succeeded.connect(lambda _r: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(dialog.succeeded, timeout=20000) as blocker:
        dialog.create_button.click()
        assert not dialog.create_button.isEnabled()
    assert out.exists() and blocker.args[0].code.startswith("F01.kt-cv1.2026-03.")
    assert threads == [dialog.thread()]  # delivered on the GUI thread
    assert blocker.args[0].code in dialog.status.text()
    assert dialog.create_button.isEnabled()
    assert dialog.written() == out


def test_the_suggested_file_follows_the_choices(dialog, tmp_path):
    name = Path(dialog.output.text())
    assert name.parent == tmp_path / "Documents"
    assert name.name.startswith("Mau01_") and name.name.endswith("_2026-03.pdf")
    dialog.kind.setCurrentIndex(dialog.kind.findData("form02"))
    assert Path(dialog.output.text()).name.endswith("_2026.pdf")
    assert dialog.period.kinds() == (Period.whole_year(2026).kind,)
    dialog.kind.setCurrentIndex(dialog.kind.findData("unit"))
    assert dialog.subject.currentData() == "kt"
    assert Path(dialog.output.text()).name.startswith("TongHop_")
    # A name typed by hand stays.
    dialog.output.setText(str(tmp_path / "mine.pdf"))
    dialog.output.textEdited.emit(str(tmp_path / "mine.pdf"))
    dialog.period.combo.setCurrentIndex(1)
    assert dialog.output.text() == str(tmp_path / "mine.pdf")


def test_unit_summary_shows_progress(qtbot, dialog, tmp_path):
    dialog.kind.setCurrentIndex(dialog.kind.findData("unit"))
    assert dialog.subject.currentData() == "kt"
    dialog.period.set_period(Period.month(2026, 3))
    dialog.start()
    assert dialog.written() is not None and dialog.written().exists()
    assert dialog.progress.value() == dialog.progress.maximum()
    assert not dialog.print_button.isHidden() and not dialog.open_button.isHidden()


def test_errors_come_back_as_sentences(qtbot, dialog, tmp_path):
    dialog.output.setText(str(tmp_path / "missing-folder" / "x.pdf"))
    dialog.output.textEdited.emit(dialog.output.text())
    with qtbot.waitSignal(dialog.failed, timeout=20000) as blocker:
        dialog.create_button.click()
    assert "missing-folder" in blocker.args[0]
    assert list(tmp_path.iterdir()) == [tmp_path / "Documents"]
    assert dialog.print_button.isHidden()
    dialog.output.setText("")
    with qtbot.waitSignal(dialog.failed, timeout=2000):
        dialog.create_button.click()


def test_export_from_the_dialog(qtbot, dialog, tmp_path):
    dialog.kind.setCurrentIndex(dialog.kind.findData("export"))
    dialog.period.set_period(Period.month(2026, 3))
    dialog.export_format.setCurrentIndex(dialog.export_format.findData("csv"))
    dialog.output.setText(str(tmp_path / "exp"))
    dialog.output.textEdited.emit(dialog.output.text())
    with qtbot.waitSignal(dialog.succeeded, timeout=30000) as blocker:
        dialog.create_button.click()
    assert sorted(p.name for p in blocker.args[0]) == ["scores-2026-03.csv",
                                                       "worklog-2026-03.csv"]
    assert dialog.written() == tmp_path / "exp"
    assert dialog.print_button.isHidden() and not dialog.open_button.isHidden()
