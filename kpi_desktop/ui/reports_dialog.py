"""A dialog to print Form 01, Form 02 or a unit summary, or to export a period.

The work runs in a thread-pool worker (:class:`~kpi_desktop.ui.tasks.TaskRunner`); progress,
the result and errors come back on the GUI thread as signals. The dialog only needs the
application's services (``services.reports`` and ``services.organisation``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.tasks import Task, TaskRunner

FORM01, FORM02, UNIT, EXPORT = "form01", "form02", "unit", "export"


class ReportsDialog(QDialog):
    """Choose a report, who or which unit, the period, the language and where to save it."""

    succeeded = Signal(object)  # a ReportResult, or the list of exported paths
    failed = Signal(str)  # a translated sentence

    def __init__(self, services: Any, parent: QWidget | None = None, *,
                 person_id: str | None = None, unit_id: str | None = None,
                 period: str = "", kinds: tuple[str, ...] = (FORM01, FORM02, UNIT, EXPORT),
                 runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner or TaskRunner(self)
        self._task: Task | None = None
        self.setWindowTitle(self.tr("Reports and exports"))
        self.setMinimumWidth(520)

        self.kind = QComboBox()
        labels = {
            FORM01: self.tr("Form 01 — monthly or quarterly evaluation"),
            FORM02: self.tr("Form 02 — annual quality classification"),
            UNIT: self.tr("Unit summary"),
            EXPORT: self.tr("Export (CSV, XLSX, JSON)"),
        }
        for key in kinds:
            self.kind.addItem(labels[key], key)
        self.subject = QComboBox()
        self.period = QLineEdit(period)
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.export_format = QComboBox()
        self.export_format.addItem(self.tr("All formats"), "all")
        for fmt in ("csv", "xlsx", "json"):
            self.export_format.addItem(fmt.upper(), fmt)
        self.output = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Report"), self.kind)
        self.subject_label = QLabel()
        form.addRow(self.subject_label, self.subject)
        form.addRow(self.tr("Period"), self.period)
        form.addRow(self.tr("Language"), self.language)
        self.format_label = QLabel(self.tr("Format"))
        form.addRow(self.format_label, self.export_format)
        form.addRow(self.tr("Save to"), out_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(self.tr("Create"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.create_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self._people = services.organisation.people_overview()
        self._units: dict[str, str] = {}
        for row in self._people:
            self._units.setdefault(row["unit_id"], row["unit_name"])
        self._preset = {"person": person_id, "unit": unit_id}
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._set_running(False)

    # -- state -------------------------------------------------------------------------------

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.subject.clear()
        if kind in (FORM01, FORM02):
            self.subject_label.setText(self.tr("Person"))
            for row in self._people:
                self.subject.addItem(f"{row['full_name']} — {row['unit_name']}", row["id"])
            preset = self._preset["person"]
        else:
            self.subject_label.setText(self.tr("Unit"))
            for unit_id, name in self._units.items():
                self.subject.addItem(name, unit_id)
            preset = self._preset["unit"]
        if preset:
            self.subject.setCurrentIndex(max(0, self.subject.findData(preset)))
        self.subject.setEnabled(kind != EXPORT)
        self.subject_label.setEnabled(kind != EXPORT)
        self.export_format.setVisible(kind == EXPORT)
        self.format_label.setVisible(kind == EXPORT)
        self.period.setPlaceholderText({
            FORM01: self.tr("YYYY-MM or YYYY-Qn"),
            FORM02: self.tr("YYYY"),
        }.get(kind, self.tr("YYYY-MM, YYYY-Qn or YYYY")))

    def _browse(self) -> None:
        if self.current_kind() == EXPORT:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"))
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the PDF"),
                                                    self.output.text(), self.tr("PDF (*.pdf)"))
        if chosen:
            self.output.setText(chosen)

    def _set_running(self, running: bool) -> None:
        self.create_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)

    # -- running -----------------------------------------------------------------------------

    def start(self) -> Task | None:
        """Start the chosen report in a worker; returns the task (``None`` if refused)."""
        kind = self.current_kind()
        subject = str(self.subject.currentData() or "")
        period = self.period.text().strip()
        language = str(self.language.currentData())
        out = self.output.text().strip()
        if not period or not out or (kind != EXPORT and not subject):
            self._fail(self.tr("Choose the period and where to save the file."))
            return None
        reports = self._services.reports
        fmt = str(self.export_format.currentData())

        def work(progress: Any, cancelled: Any) -> Any:
            if kind == FORM01:
                return reports.form01(subject, period, out, language)
            if kind == FORM02:
                return reports.form02(subject, period, out, language)
            if kind == UNIT:
                return reports.unit_summary(subject, period, out, language,
                                            progress=progress, cancel=cancelled)
            formats = ("csv", "xlsx", "json") if fmt == "all" else (fmt,)
            return reports.export(Path(out), period, formats, progress=progress,
                                  cancel=cancelled)

        self.status.setText(self.tr("Working…"))
        self.progress.setRange(0, 0)  # busy until the first progress report
        self._set_running(True)
        self._task = self._runner.start(work, on_progress=self._on_progress,
                                        on_finished=self._on_finished,
                                        on_failed=self._on_failed)
        return self._task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_finished(self, result: Any) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if isinstance(result, list):
            text = self.tr("{count} files written to {folder}.").format(
                count=len(result), folder=self.output.text())
        else:
            from kpi_desktop.services.messages import pages_text

            text = self.tr("Written {path} ({pages}). Verification code: {code}").format(
                path=result.path, pages=pages_text(result.pages), code=result.code)
        self.status.setText(text)
        self.succeeded.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if isinstance(error, KpiError):
            self._fail(describe(error))
        else:
            self._fail(self.tr("An unexpected error occurred: {error}").format(error=error))

    def _fail(self, message: str) -> None:
        self.status.setText(message)
        self.failed.emit(message)
