"""Unexpected errors: a dialog with the details to copy or save, and the log file.

Expected problems (bad input, a locked or full disk) are ``KpiError`` values and are shown as
plain translated messages by the pages; anything else reaches :class:`CrashHandler`, which logs
the traceback and shows :class:`CrashDialog` on the GUI thread, once per distinct error.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop import __version__

log = logging.getLogger("kpi_desktop.crash")


class CrashDialog(QDialog):
    """Says that something went wrong, and offers the details for the IT staff."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.log_file = log_file
        self.setMinimumSize(640, 420)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton()
        self.save_button = QPushButton()
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_details)
        self.save_button.clicked.connect(self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop: unexpected error"))
        where = str(self.log_file) if self.log_file else "–"
        self.intro.setText(self.tr(
            "Something went wrong that KPI Desktop did not expect. What you saved before is safe; "
            "the last action may not have been completed. Please copy or save the details below "
            "and send them to your IT staff. They are also in the log file {path}."
        ).format(path=where))
        self.copy_button.setText(self.tr("&Copy details"))
        self.save_button.setText(self.tr("&Save details…"))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)

    def save_details(self, path: Path) -> None:
        path.write_text(self.details, encoding="utf-8")

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the error details"),
                                              "kpi-desktop-error.txt",
                                              self.tr("Text files (*.txt)"))
        if name:
            self.save_details(Path(name))


class CrashHandler(QObject):
    """``sys.excepthook`` that logs and shows the crash dialog on the GUI thread."""

    _report = Signal(str)

    def __init__(self, log_file: Path | None, tail: Callable[[], str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.tail = tail
        self._seen: set[str] = set()
        self.dialogs_shown = 0
        # The default connection (queued from another thread, direct from the GUI thread; the
        # dialog itself is shown from the event loop, see _show) spares the start the ~20 ms
        # of PySide's Qt namespace before the window's first paint.
        self._report.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self.handle

    def handle(self, kind: type[BaseException], value: BaseException,
               tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("unexpected error", exc_info=(kind, value, tb))
        stack = "".join(traceback.format_exception(kind, value, tb))
        key = "".join(traceback.format_exception_only(kind, value)) + (
            traceback.extract_tb(tb)[-1].filename if tb else "")
        if key in self._seen:
            return
        self._seen.add(key)
        details = (f"KPI Desktop {__version__}, Python {platform.python_version()}, "
                   f"{platform.platform()}\n\n{stack}")
        if self.tail is not None:
            details += "\n--- log ---\n" + self.tail()
        self._report.emit(details)

    def _show(self, details: str) -> None:
        # Never inside the hook that reported the error: from the event loop, next.
        QTimer.singleShot(0, lambda: self._exec(details))

    def _exec(self, details: str) -> None:
        self.dialogs_shown += 1
        CrashDialog(details, self.log_file).exec()
