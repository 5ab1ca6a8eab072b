"""The installed PySide6 keeps reference counts right (kpi_desktop/ui/qt_binding.py).

PySide6 6.12.0 on Python 3.11 loses a reference to None on every void call and aborts a
long session ("Fatal Python error: none_dealloc"); the test suite itself crashed on it at
random places once it grew past a few thousand widget calls.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from kpi_desktop.ui.qt_binding import binding_is_sound, none_references_lost

pytestmark = pytest.mark.gui


def test_void_calls_keep_none_alive(qtbot):
    label = QLabel("Nhật ký công việc")
    qtbot.addWidget(label)
    assert none_references_lost(label, 500) < 50
    assert binding_is_sound(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("Nhật ký công việc")
        QCoreApplication.processEvents()
    assert sys.getrefcount(None) - before > -50


def test_the_check_detects_a_lost_reference(qtbot):
    """The check itself works: a widget whose update() drops a reference to None fails it."""
    held: list[None] = [None] * 2000  # references the simulated fault may take back

    class Faulty(QLabel):
        def update(self) -> None:  # type: ignore[override]
            held.pop()  # one reference to None gone per call, as with the faulty binding

    faulty = Faulty()
    qtbot.addWidget(faulty)
    assert not binding_is_sound(faulty, 300)
    assert none_references_lost(faulty, 300) >= 300
