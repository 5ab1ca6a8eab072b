"""Print Form 01, Form 02 or a unit summary, or export a period (File → Print…, Ctrl+P).

The window opens with the person (or unit) and the period of the page on screen; the period is
chosen from a list written as people write it ("11/2026", "Quý 4/2026"), never typed. The file
is suggested in Documents with a name that says what it is (``Mau01_PhamThiHoa_2026-11.pdf``).
The work runs as an operation on the serial lane (:mod:`kpi_desktop.ui.operations`); when the
file is written, "Open file" and "Print…" are offered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from kpi_desktop.domain.model import Period
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import describe
from kpi_desktop.services.reports import REPORT_PERIODS
from kpi_desktop.ui import printing
from kpi_desktop.ui.common import PeriodPicker, last_finished, mark_data, period_text
from kpi_desktop.ui.operations import Op, Task
from kpi_desktop.ui.pages.base import PrintRequest

if TYPE_CHECKING:
    from kpi_desktop.services.context import AppServices

FORM01, FORM02, UNIT, EXPORT = "form01", "form02", "unit", "export"
DOSSIER, DOSSIERS = "dossier", "dossiers"  # the electronic dossier of Điều 24 (one, a unit's)
PDF, WORD = ".pdf", ".docx"
# Kinds that can also be written as an editable Word document.
WORD_KINDS = (FORM01, FORM02, UNIT)

__all__ = ["DOSSIER", "DOSSIERS", "EXPORT", "FORM01", "FORM02", "PDF", "UNIT", "WORD",
           "PrintRequest", "ReportsDialog"]

class ReportsDialog(QDialog):
    """Choose a report, who or which unit, the period, the language and where to save it."""

    succeeded = Signal(object)  # a ReportResult, or the list of exported paths
    failed = Signal(str)  # a translated sentence

    def __init__(self, services: AppServices, parent: QWidget | None = None, *,
                 person_id: str | None = None, unit_id: str | None = None,
                 period: Period | str | None = None, kind: str | None = None,
                 kinds: tuple[str, ...] = (FORM01, FORM02, UNIT, EXPORT, DOSSIER, DOSSIERS),
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._task: Task | None = None
        self._written: Path | None = None
        self._custom_name = False
        self._folder = printing.documents_folder()
        self._periods = REPORT_PERIODS
        self.setWindowTitle(self.tr("Print forms and reports"))
        self.setMinimumWidth(560)

        self.kind = QComboBox()
        labels = {
            FORM01: self.tr("Form 01 — monthly or quarterly evaluation"),
            FORM02: self.tr("Form 02 — annual quality classification"),
            UNIT: self.tr("Unit summary"),
            EXPORT: self.tr("Export (CSV, XLSX, JSON)"),
            DOSSIER: self.tr("Electronic evaluation dossier of a person (Article 24)"),
            DOSSIERS: self.tr("Electronic evaluation dossiers of a unit (Article 24)"),
        }
        for key in kinds:
            self.kind.addItem(labels[key], key)
        self.subject = QComboBox()
        mark_data(self.subject)
        today = today or services.daily.today()
        self.period = PeriodPicker(today, self._periods[kinds[0]])
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.file_type = QComboBox()
        self.file_type.addItem(self.tr("PDF, to print"), PDF)
        self.file_type.addItem(self.tr("Word (.docx), to edit and sign"), WORD)
        self.export_format = QComboBox()
        self.export_format.addItem(self.tr("All formats"), "all")
        for fmt in ("csv", "xlsx", "json"):
            self.export_format.addItem(fmt.upper(), fmt)
        self.output = QLineEdit()
        mark_data(self.output)
        self.output.textEdited.connect(self._named_by_hand)
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(self.browse_button)

        form = QFormLayout()
        form.addRow(self.tr("Report"), self.kind)
        self.subject_label = QLabel()
        form.addRow(self.subject_label, self.subject)
        form.addRow(self.tr("Period"), self.period)
        form.addRow(self.tr("Language"), self.language)
        self.file_type_label = QLabel(self.tr("File type"))
        form.addRow(self.file_type_label, self.file_type)
        self.format_label = QLabel(self.tr("Format"))
        form.addRow(self.format_label, self.export_format)
        form.addRow(self.tr("Save to"), out_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()  # shown while a report is written
        self.status = QLabel()
        self.status.setWordWrap(True)
        mark_data(self.status)
        self.open_button = QPushButton(self.tr("Open file"))
        self.open_button.clicked.connect(self.open_written)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.clicked.connect(self.print_written)
        after = QHBoxLayout()
        after.addStretch(1)
        after.addWidget(self.open_button)
        after.addWidget(self.print_button)
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(self.tr("Create"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.create_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(after)
        layout.addWidget(self.buttons)

        self._people = services.organisation.people_overview()
        self._units: dict[str, str] = {}
        for row in self._people:
            self._units.setdefault(row["unit_id"], row["unit_name"])
        self._preset = {"person": person_id, "unit": unit_id}
        if kind is not None and self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self._kind_changed()
        if period is not None:
            self.period.set_period(period if isinstance(period, Period)
                                   else Period.parse(period))
        elif self.current_kind() in (FORM01, UNIT, EXPORT):
            self.period.set_period(last_finished(today))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.subject.currentIndexChanged.connect(self._suggest)
        self.period.changed.connect(self._suggest)
        self.export_format.currentIndexChanged.connect(self._suggest)
        self.file_type.currentIndexChanged.connect(self._type_changed)
        self._suggest()
        self._set_running(False)
        self._show_written(None)

    @classmethod
    def for_request(cls, services: AppServices, parent: QWidget | None,
                    request: PrintRequest, *, kinds: tuple[str, ...]) -> ReportsDialog:
        """The dialog opened on what a page has on screen."""
        return cls(services, parent, person_id=request.person_id, unit_id=request.unit_id,
                   period=request.period, kind=request.kind, kinds=kinds)

    # -- state -------------------------------------------------------------------------------

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def current_period(self) -> Period:
        return self.period.period()

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        chosen = self.subject.currentData()
        self.subject.blockSignals(True)
        self.subject.clear()
        if kind in (FORM01, FORM02, DOSSIER):
            self.subject_label.setText(self.tr("Person"))
            for row in self._people:
                self.subject.addItem(f"{row['full_name']} — {row['unit_name']}", row["id"])
            preset = self._preset["person"]
        else:
            self.subject_label.setText(self.tr("Unit"))
            for unit_id, name in self._units.items():
                self.subject.addItem(name, unit_id)
            preset = self._preset["unit"]
        wanted = chosen if self.subject.findData(chosen) >= 0 else preset
        if wanted:
            self.subject.setCurrentIndex(max(0, self.subject.findData(wanted)))
        self.subject.blockSignals(False)
        self.subject.setEnabled(kind != EXPORT)
        self.subject_label.setEnabled(kind != EXPORT)
        self.export_format.setVisible(kind == EXPORT)
        self.format_label.setVisible(kind == EXPORT)
        self.file_type.setVisible(kind in WORD_KINDS)
        self.file_type_label.setVisible(kind in WORD_KINDS)
        self.period.set_kinds(self._periods[kind])
        self._suggest()

    def _subject_name(self) -> str:
        subject = self.subject.currentData()
        if self.current_kind() in (FORM01, FORM02, DOSSIER):
            return next((row["full_name"] for row in self._people if row["id"] == subject), "")
        if self.current_kind() in (UNIT, DOSSIERS):
            return self._units.get(subject, "")
        return ""

    def suggested_path(self) -> Path:
        """Documents (or the folder chosen last) and the name the choices suggest."""
        name = printing.suggested_name(self.current_kind(), self._subject_name(),
                                       self.current_period(), self.suffix())
        return self._folder / name

    def suffix(self) -> str:
        """The file's ending: .pdf or .docx for a form, .zip for a dossier, none for a
        folder (an export, a unit's dossiers)."""
        kind = self.current_kind()
        if kind == DOSSIER:
            return ".zip"
        if kind in WORD_KINDS:
            return str(self.file_type.currentData())
        return ""

    def _type_changed(self, *_args: object) -> None:
        """PDF or Word: the suggested (or typed) name takes the new ending."""
        out = self.output.text().strip()
        if self._custom_name and out:
            self.output.setText(str(Path(out).with_suffix(self.suffix())))
        self._suggest()

    def _suggest(self, *_args: object) -> None:
        if not self._custom_name:
            self.output.setText(str(self.suggested_path()))

    def _named_by_hand(self, _text: str) -> None:
        self._custom_name = True

    def _browse(self) -> None:
        current = Path(self.output.text()) if self.output.text() else self.suggested_path()
        if self.current_kind() in printing.FOLDER_KINDS:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"),
                                                      str(current.parent))
            if chosen:
                self._folder = Path(chosen)
                self._custom_name = False
                self._suggest()
            return
        suffix = self.suffix()
        filters = {PDF: self.tr("PDF (*.pdf)"), WORD: self.tr("Word documents (*.docx)"),
                   ".zip": self.tr("Dossier archives (*.zip)")}
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the file"), str(current),
                                                filters[suffix])
        if chosen:
            path = Path(chosen)
            if path.suffix.lower() != suffix:
                path = path.with_name(path.name + suffix)
            self._folder = path.parent
            self._custom_name = path.name != self.suggested_path().name
            self.output.setText(str(path))

    def _set_running(self, running: bool) -> None:
        self.create_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        for widget in (self.kind, self.subject, self.period, self.language, self.export_format,
                       self.file_type, self.output, self.browse_button):
            widget.setEnabled(not running)
        if not running:
            self.subject.setEnabled(self.current_kind() != EXPORT)

    def _show_written(self, path: Path | None) -> None:
        self._written = path
        is_file = path is not None and path.suffix.lower() in (PDF, WORD, ".zip")
        self.open_button.setVisible(path is not None)
        self.open_button.setText(self.tr("Open file") if is_file or path is None
                                 else self.tr("Open folder"))
        self.print_button.setVisible(path is not None and path.suffix.lower() == PDF)

    # -- running -----------------------------------------------------------------------------

    def start(self) -> Task | None:
        """Write the chosen report on the serial lane; returns the task (None if refused)."""
        kind = self.current_kind()
        subject = str(self.subject.currentData() or "")
        period = str(self.current_period())
        language = str(self.language.currentData())
        out = self.output.text().strip()
        if not out or (kind != EXPORT and not subject):
            self._fail(self.tr("Choose who the report is for and where to save the file."))
            return None
        suffix = self.suffix()
        if suffix and not out.lower().endswith(suffix):
            out = str(Path(out).with_suffix(suffix)) if Path(out).suffix.lower() in (
                PDF, WORD, ".zip") else out + suffix
            self.output.setText(out)
        reports = self._services.reports
        dossiers = self._services.dossier if kind in (DOSSIER, DOSSIERS) else None
        fmt = str(self.export_format.currentData())

        def work(progress: Any, cancelled: Any) -> Any:
            if kind == FORM01:
                return reports.form01(subject, period, out, language)
            if kind == FORM02:
                return reports.form02(subject, period, out, language)
            if kind == UNIT:
                return reports.unit_summary(subject, period, out, language,
                                            progress=progress, cancel=cancelled)
            if dossiers is not None and kind == DOSSIER:
                return dossiers.person(subject, period, out, language, cancel=cancelled)
            if dossiers is not None:
                return dossiers.unit(subject, period, out, language, progress=progress,
                                     cancel=cancelled)
            formats = ("csv", "xlsx", "json") if fmt == "all" else (fmt,)
            return reports.export(Path(out), period, formats, progress=progress,
                                  cancel=cancelled)

        self.status.setText(self.tr("Working…"))
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.show()
        self._show_written(None)
        self._set_running(True)
        task = Op.reporting(self, work).on_progress(self._on_progress) \
            .success(self._on_finished).failure(self._on_failed) \
            .always(lambda: self._set_running(False)).run()
        self._task = None if task.done else task
        return task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_finished(self, result: Any) -> None:
        self._task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if isinstance(result, list):
            folder = Path(self.output.text())
            text = self.tr("{count} files written to {folder}.").format(
                count=len(result), folder=folder)
            self._show_written(folder)
        elif not hasattr(result, "code"):  # an electronic dossier
            text = self.tr("Dossier written: {path} ({files} files, {records} records).").format(
                path=result.path, files=result.files, records=result.records)
            self._show_written(Path(result.path))
        elif result.pages:
            from kpi_desktop.services.messages import pages_text

            text = self.tr("Written: {path} ({pages}, {period}). Verification code: "
                           "{code}").format(path=result.path, pages=pages_text(result.pages),
                                            period=period_text(self.current_period()),
                                            code=result.code)
            self._show_written(Path(result.path))
        else:  # a Word document: Word counts its pages
            text = self.tr("Written: {path} ({period}). Verification code: {code}").format(
                path=result.path, period=period_text(self.current_period()), code=result.code)
            self._show_written(Path(result.path))
        self.status.setText(text)
        self.succeeded.emit(result)

    def _on_failed(self, error: KpiError) -> None:
        self._task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._fail(describe(error))

    def _fail(self, message: str) -> None:
        self.status.setText(message)
        self.failed.emit(message)

    # -- after -------------------------------------------------------------------------------

    def written(self) -> Path | None:
        """The file (or export folder) written last."""
        return self._written

    def open_written(self) -> bool:
        if self._written is None:
            return False
        opened = printing.open_file(self._written)
        if not opened:
            self.status.setText(self.tr("No program on this computer opens {path}.").format(
                path=self._written))
        return opened

    def print_written(self) -> str | None:
        if self._written is None:
            return None
        message = printing.print_file(self, self._written)
        if message:
            self.status.setText(message)
        return message
