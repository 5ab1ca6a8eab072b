"""The database's health in the application: the dialog when it cannot be opened, and the
full check in the background when the PC is idle (issues 13 and 14).

* :func:`show_open_failure`: a damaged database is never opened; the dialog names the damage
  and the newest backup that passed its check, says whose data a restore replaces and
  offers it. A data folder that cannot be written is named with its path.
* :class:`IntegrityWatch`: once the person has not touched keyboard or mouse for
  :data:`IDLE_AFTER` and the last full check is a day old — or in any case once it is a week
  old — the full check runs in a worker thread with its progress in the status bar. Damage
  found then stops every write at once (``AppServices.damage_found``) and the same dialog offers the
  newest good backup; other findings are shown as a warning.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from kpi_desktop.domain.errors import KpiError, StorageProblem
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.backups import BackupService
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.operations import Op, Runner

__all__ = ["IntegrityWatch", "show_open_failure"]

# Seconds without keyboard or mouse after which the PC counts as idle.
IDLE_AFTER = 120
# How often the watch looks whether a check is due (milliseconds).
POLL_MS = 60_000
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
          QEvent.Type.MouseMove}


def _damage_box(parent: QWidget | None, error: KpiError, backups: BackupService) -> QMessageBox:
    """The dialog of a damaged database: what is wrong, the newest good backup, whose data a
    restore replaces."""
    box = QMessageBox(QMessageBox.Icon.Critical,
                      translate("IntegrityWatch", "The database is damaged"),
                      translate("IntegrityWatch", "The database is damaged, so KPI Desktop "
                                                  "does not change anything in it."),
                      parent=parent)
    named = _finding_lines(error, backups)
    details = "\n".join(named) or str(error.params.get("detail") or "")
    if named:  # the damage itself, by record (the rest under "details")
        box.setText(box.text() + "\n\n" + "\n".join(f"• {line}" for line in named[:3]))
    backup = str(error.params.get("backup") or "")
    close = translate("IntegrityWatch", "&Close")
    if backup:
        people = [name for pid, name in backups.restore_impact(Path(backup)) if pid != "agency"]
        text = translate("IntegrityWatch", "The newest backup that passed its check is {path}. "
                                           "Restore it now? The damaged file is kept in the "
                                           "backups folder.").format(path=backup)
        if people:
            text += "\n\n" + translate(
                "IntegrityWatch", "Restoring replaces what these people recorded on this "
                                  "computer since the backup: {names}.").format(
                names=", ".join(people))
        box.setInformativeText(text)
        restore = box.addButton(translate("IntegrityWatch", "&Restore the backup"),
                                QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton(close, QMessageBox.ButtonRole.RejectRole))
        box.setProperty("restore_button", restore)
    else:
        box.setInformativeText(translate(
            "IntegrityWatch", "No backup passed its check. Ask the IT staff for help; do not "
                              "delete the data folder."))
        box.addButton(close, QMessageBox.ButtonRole.RejectRole)
    if details:
        box.setDetailedText(details)
    box.setProperty("backup", backup)
    return box


def _finding_lines(error: KpiError, backups: BackupService) -> list[str]:
    """What is damaged, one line per record, in the current language."""
    from kpi_desktop.services.integrity import IntegrityService
    from kpi_desktop.services.integrity_messages import describe_finding
    from kpi_desktop.services.integrity_records import Finding

    found = [Finding.from_dict(f) for f in error.params.get("findings") or []
             if isinstance(f, dict)]
    if not found:
        detail = str(error.params.get("detail") or "")
        return [line for line in detail.splitlines() if line.strip()]
    names = IntegrityService(backups.database, backup_dir=backups.backup_dir).names()
    return [describe_finding(f, names) for f in found]


def _wants_restore(box: QMessageBox) -> bool:
    box.exec()
    restore = box.property("restore_button")
    return restore is not None and box.clickedButton() is restore


def show_open_failure(paths: Any, error: KpiError, parent: QWidget | None = None) -> bool:
    """Tell why the data folder cannot be opened; returns True when a backup was restored
    (open again), False to stop."""
    if error.code != "database_damaged":
        title = translate("IntegrityWatch", "The data folder cannot be written") \
            if error.code == "data_folder_read_only" else "KPI Desktop"
        QMessageBox(QMessageBox.Icon.Critical, title, describe(error),
                    QMessageBox.StandardButton.Close, parent).exec()
        return False
    backups = BackupService(paths.database, paths.backup_dir)
    box = _damage_box(parent, error, backups)
    if not _wants_restore(box):
        return False
    chosen = Path(str(box.property("backup")))
    # Before the services exist: the copy runs on the serial lane while the start waits for
    # it in a local event loop (Op.wait), so the window keeps painting; nothing else can use
    # the database meanwhile, and the start must know the answer before it opens again.
    try:
        Op(parent, lambda: backups.restore(chosen)).progress(
            translate("IntegrityWatch", "Restoring the backup…")).wait()
    except KpiError as failure:
        QMessageBox.warning(parent, "KPI Desktop", describe(failure))
        return False
    return True


def problems_text(count: int) -> str:
    """"The database check found 1 problem." / "… 3 problems." """
    if count == 1:
        return translate("IntegrityWatch", "The database check found 1 problem.")
    return translate("IntegrityWatch", "The database check found {count} problems.").format(
        count=count)


class IntegrityWatch(QObject):
    """Runs the full check in the background when due, and reports what it finds."""

    def __init__(self, services: Any, window: QMainWindow, *, idle_after: float = IDLE_AFTER,
                 poll_ms: int = POLL_MS) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._idle_after = idle_after
        self._last_input = time.monotonic()
        self._lane = Runner(self)  # its own lane: the check never holds up the pages' work
        self._task: Any = None
        self.last_report: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Watch the keyboard and mouse and look every minute whether a check is due."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            app.aboutToQuit.connect(self.stop)  # a check half done is simply not kept
        self._timer.start()  # the first look a minute after the start: the start stays light

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._task is not None:
            self._task.cancel()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT:
            self._last_input = time.monotonic()
        return False

    def idle(self) -> bool:
        return time.monotonic() - self._last_input >= self._idle_after

    def running(self) -> bool:
        return self._task is not None

    def poll(self) -> None:
        """Start the full check when it is due (and none runs)."""
        if self.running():
            return
        if self._services.integrity.full_check_due(idle=self.idle()):
            self.run_now()

    def run_now(self) -> None:
        """Start the full check now, off the GUI thread."""
        if self.running():
            return
        integrity = self._services.integrity
        self._status(translate("IntegrityWatch", "Checking the database…"))
        # No parent widget: no busy cursor nor progress dialog; the status bar tells.
        self._task = Op.reporting(
            None, lambda progress, cancelled: integrity.full_check(progress=progress,
                                                                   cancelled=cancelled)
        ).on_progress(self._progress).success(self._finished).failure(self._failed).run(
            on=self._lane)

    def _progress(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        self._status(translate("IntegrityWatch", "Checking the database… {percent}%").format(
            percent=percent))

    def _failed(self, error: KpiError) -> None:
        self._task = None
        text = describe(error)
        self._status(translate("IntegrityWatch", "The database check could not run: {reason}"
                               ).format(reason=text))

    def _finished(self, report: Any) -> None:
        from kpi_desktop.services.integrity_messages import describe_finding

        self._task = None
        self.last_report = report
        if report.ok:
            self._status(translate("IntegrityWatch", "The database was checked: intact."))
            return
        lines = [describe_finding(f, self._names(report)) for f in report.findings[:50]]
        if report.damaged:
            error = self._services.damage_found(report, "\n".join(lines))
            self._status(translate("IntegrityWatch", "The database is damaged: nothing can be "
                                                     "changed until a backup is restored."))
            self._offer_restore(error)
            return
        count = len(report.findings)
        self._status(problems_text(count))
        box = QMessageBox(QMessageBox.Icon.Warning,
                          translate("IntegrityWatch", "The database check found problems"),
                          problems_text(count) + " " + translate(
                              "IntegrityWatch", "The data can still be used; show the details "
                                                "to the people concerned or to the IT staff."),
                          QMessageBox.StandardButton.Close, self._window)
        box.setDetailedText("\n".join(lines))
        box.setModal(False)
        box.show()
        self._warning_box = box

    def _names(self, report: Any) -> dict[str, str]:
        return self._services.integrity.names() if report.findings else {}

    def _offer_restore(self, error: StorageProblem) -> None:
        backups = self._services.backups
        box = _damage_box(self._window, error, backups)
        if not _wants_restore(box):
            return
        chosen = Path(str(box.property("backup")))
        services = self._services
        Op(self._window, lambda: services.restore_backup(chosen)).progress(
            translate("IntegrityWatch", "Restoring the backup…")
        ).titled("KPI Desktop").success(lambda _kept: self._restored()).run()

    def _restored(self) -> None:
        self._status(translate("IntegrityWatch", "The backup was restored."))
        reload = getattr(self._window, "_data_changed", None)  # every page loads again
        if callable(reload):
            reload()

    def show_startup_warnings(self) -> None:
        """What the start could not do but did not stop (a daily backup on a full disk)."""
        warnings = list(getattr(self._services, "warnings", []) or [])
        if not warnings:
            return
        text = "\n".join(describe(w) for w in warnings)
        self._status(translate("IntegrityWatch", "Warning: {reason}").format(
            reason=text.splitlines()[0]))
        box = QMessageBox(QMessageBox.Icon.Warning,
                          translate("IntegrityWatch", "The daily backup was not made"),
                          translate("IntegrityWatch", "Today's backup could not be made; the "
                                                      "work can go on.") + "\n\n" + text,
                          QMessageBox.StandardButton.Close, self._window)
        box.setModal(False)
        box.show()
        self._warning_box = box

    def _status(self, text: str) -> None:
        bar = self._window.statusBar() if isinstance(self._window, QMainWindow) else None
        if bar is not None:
            bar.showMessage(text, 0 if text.endswith("…") or "%" in text else 15000)
