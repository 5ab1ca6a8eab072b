"""Qt's own strings in Vietnamese (issue 16 item 6): dialog buttons, message boxes, Qt's file
dialog, wizard buttons, the context menus of text fields, the input dialog — translated by the
project's ``translations/qtbase_vi.ts`` (Qt ships no Vietnamese), loaded beside its own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWizard,
    QWizardPage,
)

from kpi_desktop.runtime import i18n

from .qt_words import english_in, english_words, visible_texts

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


class Recorder(QTranslator):
    """Notes every (context, text) Qt asks a translation for, and answers nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str, str]] = set()

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002
        self.asked.add((context, source_text, disambiguation or ""))
        return ""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


@pytest.fixture
def vietnamese(qapp):
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def _stock_dialogs(tmp_path):
    """Qt's dialogs and menus as the application shows them, built and shown (not run)."""
    (tmp_path / "Mau01_2026-11.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "USB").mkdir()
    shown = []
    box = QMessageBox(QMessageBox.Icon.Question, "KPI Desktop", "?")
    every = QMessageBox.StandardButton.NoButton
    for name in ("Ok", "Save", "SaveAll", "Open", "Yes", "YesToAll", "No", "NoToAll", "Abort",
                 "Retry", "Ignore", "Close", "Cancel", "Discard", "Help", "Apply", "Reset",
                 "RestoreDefaults"):
        every |= getattr(QMessageBox.StandardButton, name)
    box.setStandardButtons(every)
    box.setDetailedText("…")
    shown.append(box)
    buttons = QDialog()
    QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                     | QDialogButtonBox.StandardButton.Close, buttons)
    shown.append(buttons)
    for mode, accept in ((QFileDialog.FileMode.ExistingFile, QFileDialog.AcceptMode.AcceptOpen),
                         (QFileDialog.FileMode.AnyFile, QFileDialog.AcceptMode.AcceptSave),
                         (QFileDialog.FileMode.Directory, QFileDialog.AcceptMode.AcceptOpen)):
        files = QFileDialog(None, "KPI Desktop", str(tmp_path))
        files.setFileMode(mode)
        files.setAcceptMode(accept)
        files.setViewMode(QFileDialog.ViewMode.Detail)
        if mode != QFileDialog.FileMode.Directory:
            files.setNameFilters(["PDF (*.pdf)", QCoreApplication.translate("QFileDialog",
                                                                             "All Files (*)")])
        shown.append(files)
    wizard = QWizard()
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    shown.append(wizard)
    ask = QInputDialog()
    ask.setLabelText(QCoreApplication.translate("QInputDialog", "Enter a value:"))
    shown.append(ask)
    for editor in (QLineEdit("x"), QTextEdit("x"), QPlainTextEdit("x")):
        menu = editor.createStandardContextMenu()  # a child of the editor
        menu.setProperty("editor", editor)
        shown.append(menu)
        shown.append(editor)
    spin = QSpinBox()
    spin.setValue(2)
    shown.append(spin)  # its context menu is built on right click: see the recorder test
    return shown


def test_qt_dialogs_and_menus_show_no_english_in_vietnamese(qtbot, vietnamese, tmp_path):
    problems = []
    for widget in _stock_dialogs(tmp_path):
        widget.resize(800, 500)
        widget.show()
        qtbot.wait(20)  # the file dialog lists the folder in the background
        problems += [(type(widget).__name__, *found) for found in english_in(widget)]
        widget.close()
        widget.deleteLater()
    assert problems == []


def test_every_qt_string_these_dialogs_ask_for_is_translated(qtbot, vietnamese, tmp_path,
                                                             monkeypatch):
    """What Qt asks its translators for while the dialogs and menus are built and used has a
    Vietnamese text in qtbase_vi.ts (new strings of a newer Qt are caught here)."""
    # Qt's file dialog can list the working folder too (when the folder a dialog showed in an
    # earlier test is gone): the types of its files are asked for, which depend on the files,
    # not on the dialogs. Those are tested below (test_file_types_in_the_file_dialog_...).
    monkeypatch.chdir(tmp_path)
    recorder = Recorder()
    QCoreApplication.installTranslator(recorder)  # asked first: it sees every request
    try:
        widgets = _stock_dialogs(tmp_path)
        for widget in widgets:
            widget.show()
            qtbot.wait(20)
            if isinstance(widget, QSpinBox | QDateEdit):
                widget.lineEdit().createStandardContextMenu()
        for widget in widgets:
            widget.close()
    finally:
        QCoreApplication.removeTranslator(recorder)
    qt = QTranslator()
    assert qt.load(str(i18n.qt_qm_path("vi")))
    ignored = {"QShortcut", "QGuiApplication", "QProgressBar"}  # key names, layout, "%p%"
    missing = sorted((c, s) for c, s, d in recorder.asked
                     if c.startswith("Q") and c not in ignored and re.search("[A-Za-z]", s)
                     and not qt.translate(c, s, d or None))
    assert missing == []


def test_message_box_buttons_and_text_field_menu_in_vietnamese(qtbot, vietnamese):
    box = QMessageBox(QMessageBox.Icon.Question, "KPI Desktop", "Nộp tháng 11/2026?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    texts = sorted(b.text().replace("&", "") for b in box.buttons())
    assert texts == ["Có", "Không"]
    field = QLineEdit("x")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    assert "Sao chép" in [a.text().replace("&", "").split("\t")[0] for a in menu.actions()]
    assert QLocale().language() == QLocale.Language.Vietnamese  # calendars say "tháng 11"
    i18n.set_language("en")
    assert QLocale().language() == QLocale.Language.English
    box2 = QMessageBox(QMessageBox.Icon.Question, "KPI Desktop", "?",
                       QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box2)
    assert sorted(b.text().replace("&", "") for b in box2.buttons()) == ["No", "Yes"]


def test_file_dialog_of_the_application_is_qts_own_and_translated(qtbot, vietnamese, tmp_path):
    """A static chooser as the pages call it: Qt's widget dialog, "Tìm trong", "Tên tệp"."""
    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        seen["texts"] = [t for _w, t in visible_texts(dialog)] if dialog else []
        seen["english"] = english_in(dialog) if dialog else None
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(300, look)
    QFileDialog.getSaveFileName(None, "Lưu tệp PDF", str(tmp_path / "Mau01.pdf"), "PDF (*.pdf)")
    assert seen["english"] == []
    labels = " ".join(seen["texts"]).replace("&", "")
    assert "Tìm trong:" in labels and "Tên tệp:" in labels and "Loại tệp:" in labels


def test_english_words_list_catches_the_slips_of_the_issue():
    assert english_words("Đã nhận: acks 203, duplicates 205") == ["duplicates"]
    assert english_words("gửi <b>agency</b>") == ["agency"]
    assert english_words("In mẫu 01 — an toàn, do lãnh đạo giao") == []
    assert english_words("&Cancel") == ["Cancel"]


def test_qt_translation_is_compiled_and_current(tmp_path):
    sys.path.insert(0, str(ROOT / "packaging"))
    import i18n as workflow

    [ts] = workflow.qt_catalogs()
    fresh = tmp_path / "fresh.qm"
    workflow.lrelease(ts, fresh)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), (
        "run: python packaging/i18n.py release")


# The files a commune official keeps beside the application's own, and the type the file
# dialog's "Type" column must show for each in Vietnamese.
_FILE_TYPES = {
    "Mau01_PhamThiHoa_2026-11.pdf": "Tài liệu PDF",
    "BaoCao.docx": "Tài liệu Word",
    "BaoCao_cu.doc": "Tài liệu Microsoft Word",
    "BangTinh.xlsx": "Bảng tính Excel",
    "BangTinh_cu.xls": "Bảng tính Microsoft Excel",
    "TrinhChieu.pptx": "Bản trình chiếu PowerPoint",
    "VanBan.odt": "Văn bản OpenDocument",
    "QuyetDinh.jpg": "Ảnh JPEG",
    "ChupManHinh.png": "Ảnh PNG",
    "HoSo.zip": "Tệp nén ZIP",
    "HoSo.rar": "Tệp nén RAR",
    "HoSo.7z": "Tệp nén 7-Zip",
    "GhiChu.md": "Tài liệu Markdown",
    "CaiDat.exe": "Chương trình Windows (EXE)",
}

_TYPES_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QFileInfo
from PySide6.QtWidgets import QApplication, QFileIconProvider
app = QApplication([])
from kpi_desktop.runtime import i18n
i18n.set_language("vi")
folder = Path(sys.argv[1])
provider = QFileIconProvider()
print(json.dumps({f.name: provider.type(QFileInfo(str(f))) for f in sorted(folder.iterdir())}))
"""


@pytest.mark.parametrize("database", ["qt", "system"])
def test_file_types_in_the_file_dialog_are_vietnamese(tmp_path, database):
    """The file dialog's "Type" column describes each file from a MIME database: Qt's own on
    Windows (English descriptions, asked of the translator as "QMimeType") or the system's
    (Vietnamese for most types, not for Markdown). Both show Vietnamese for the files users
    keep; run in a fresh process, since the database is chosen once a process."""
    import json
    import os
    import subprocess

    folder = tmp_path / "files"
    folder.mkdir()
    for name in _FILE_TYPES:
        (folder / name).write_bytes(b"x")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if database == "qt":
        nowhere = tmp_path / "no-mime"
        nowhere.mkdir()
        env |= {"XDG_DATA_DIRS": str(nowhere), "XDG_DATA_HOME": str(nowhere)}
    elif not Path("/usr/share/mime/packages").is_dir():
        pytest.skip("no system MIME database here")
    done = subprocess.run([sys.executable, "-c", _TYPES_SCRIPT, str(folder)], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    if database == "qt":
        assert shown == _FILE_TYPES
    else:  # the system's own wording where it has one; never English
        english = [(name, text) for name, text in shown.items() if english_words(text)]
        assert english == []
        assert shown["GhiChu.md"] == "Tài liệu Markdown"
