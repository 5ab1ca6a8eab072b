"""The reports dialog runs the service in a worker and reports back on the GUI thread."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, services):
    from kpi_desktop.ui.reports_dialog import ReportsDialog

    widget = ReportsDialog(services, person_id="kt-cv1", unit_id="kt", period="2026-03")
    qtbot.addWidget(widget)
    yield widget
    widget._runner.wait(10000)


def test_form01_in_the_background(qtbot, dialog, tmp_path):
    from PySide6.QtCore import QThread

    out = tmp_path / "f01.pdf"
    assert dialog.subject.currentData() == "kt-cv1"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.output.setText(str(out))
    threads = []
    dialog.succeeded.connect(lambda _r: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(dialog.succeeded, timeout=20000) as blocker:
        dialog.create_button.click()
        assert not dialog.create_button.isEnabled()
    assert out.exists() and blocker.args[0].code.startswith("F01.kt-cv1.2026-03.")
    assert threads == [dialog.thread()]  # delivered on the GUI thread
    assert blocker.args[0].code in dialog.status.text()
    assert dialog.create_button.isEnabled()


def test_unit_summary_shows_progress(qtbot, dialog, tmp_path):
    dialog.kind.setCurrentIndex(dialog.kind.findData("unit"))
    assert dialog.subject.currentData() == "kt"
    dialog.output.setText(str(tmp_path / "unit.pdf"))
    steps = []
    with qtbot.waitSignal(dialog.succeeded, timeout=30000):
        task = dialog.start()
        task.progress.connect(lambda d, t: steps.append((d, t)))
    assert steps and steps[-1][0] == steps[-1][1]
    assert dialog.progress.value() == dialog.progress.maximum()


def test_errors_come_back_as_sentences(qtbot, dialog, tmp_path):
    dialog.period.setText("2026-13")
    dialog.output.setText(str(tmp_path / "x.pdf"))
    with qtbot.waitSignal(dialog.failed, timeout=20000) as blocker:
        dialog.create_button.click()
    assert "2026-13" in blocker.args[0]
    assert list(tmp_path.iterdir()) == []
    dialog.output.setText("")
    with qtbot.waitSignal(dialog.failed, timeout=2000):
        dialog.create_button.click()


def test_export_from_the_dialog(qtbot, dialog, tmp_path):
    dialog.kind.setCurrentIndex(dialog.kind.findData("export"))
    dialog.export_format.setCurrentIndex(dialog.export_format.findData("csv"))
    dialog.output.setText(str(tmp_path / "exp"))
    with qtbot.waitSignal(dialog.succeeded, timeout=30000) as blocker:
        dialog.create_button.click()
    assert sorted(p.name for p in blocker.args[0]) == ["scores-2026-03.csv",
                                                       "worklog-2026-03.csv"]
