"""What happens around a written PDF: where it is saved by default, its suggested name, opening
it, and sending it to a printer.

- Files are offered in the user's Documents folder, named after the form, the person (or unit)
  and the period in letters every PC and USB stick accepts: ``Mau01_PhamThiHoa_2026-11.pdf``.
- "Open file" hands the file to the desktop's PDF viewer (:class:`QDesktopServices`).
- "Print…" asks for the printer and the number of copies (:class:`QPrintDialog` of
  QtPrintSupport, part of PySide6-Essentials) and gives the PDF to the system's print spooler
  as it is, so the printed page is the signed PDF itself: ``lp`` (CUPS) on Linux and macOS,
  the shell's "print" verb on Windows. A printer set to print to a file gets a copy of the PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from kpi_desktop.domain.model import Period
from kpi_desktop.domain.values import file_name_words
from kpi_desktop.runtime.i18n import translate

# The prefix of each report's file name.
FILE_PREFIX = {"form01": "Mau01", "form02": "Mau02", "unit": "TongHop", "export": "XuatDuLieu",
               "dossier": "HoSo", "dossiers": "HoSo"}
# Kinds written into a folder (no file suffix).
FOLDER_KINDS = ("export", "dossiers")


def documents_folder() -> Path:
    """The user's Documents folder (the home folder when the desktop names none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def suggested_name(kind: str, subject_name: str, period: Period | str,
                   suffix: str = ".pdf") -> str:
    """``Mau01_PhamThiHoa_2026-11.pdf``: the form, the person or unit, the period."""
    parts = [FILE_PREFIX.get(kind, file_name_words(kind))]
    words = file_name_words(subject_name)
    if words:
        parts.append(words)
    parts.append(str(period))
    return "_".join(parts) + (suffix if kind not in FOLDER_KINDS else "")


def open_file(path: Path) -> bool:
    """Show the file in the desktop's viewer; False when no program would open it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# Sends a file to a printer: ``spool(path, printer_name, copies)``; tests replace it.
Spooler = Callable[[Path, str, int], None]


def _command(path: Path, printer: str, copies: int) -> Sequence[str]:
    command = ["lp"]
    if printer:
        command += ["-d", printer]
    return [*command, "-n", str(max(1, copies)), "--", str(path)]


def system_spool(path: Path, printer: str, copies: int) -> None:
    """Give the PDF to the system's spooler (raises OSError when there is none or it refuses)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        for _ in range(max(1, copies)):
            os.startfile(str(path), "print")  # type: ignore[attr-defined]  # noqa: S606
        return
    if shutil.which("lp") is None:
        raise FileNotFoundError("lp")
    done = subprocess.run(_command(path, printer, copies), capture_output=True, text=True,  # noqa: S603
                          timeout=60, check=False)
    if done.returncode != 0:
        raise OSError(done.stderr.strip() or done.stdout.strip() or str(done.returncode))


def print_file(parent: QWidget | None, path: Path, *,
               spool: Spooler | None = None) -> str | None:
    """Ask for the printer and the copies, then print ``path``. Returns a sentence saying what
    happened (for the status line), or None when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(translate("Printing", "Print {name}").format(name=path.name))
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintSelection, False)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, False)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintCurrentPage, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    copies = max(1, printer.copyCount())
    target = printer.outputFileName()
    try:
        if target:  # "print to file": the PDF itself is the file
            shutil.copyfile(path, target)
            return translate("Printing", "A copy was saved as {path}.").format(path=target)
        (spool or system_spool)(path, printer.printerName(), copies)
    except (OSError, subprocess.SubprocessError) as error:
        return translate("Printing", "The file could not be printed ({error}). Open it and "
                                     "print from the viewer.").format(error=error)
    name = printer.printerName() or translate("Printing", "the default printer")
    copies_text = translate("Printing", "1 copy") if copies == 1 else translate(
        "Printing", "{n} copies").format(n=copies)
    return translate("Printing", "{name}: {copies} sent to {printer}.").format(
        name=path.name, copies=copies_text, printer=name)


__all__ = ["FILE_PREFIX", "documents_folder", "open_file", "print_file", "suggested_name",
           "system_spool"]
