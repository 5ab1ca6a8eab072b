"""What the "no English in the Vietnamese interface" tests read: every visible text of a widget
tree (labels, buttons, titles, placeholders, tooltips, combo and list entries, tab names, table
headers, menus), and the English words that must not appear in it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
    QWizard,
)

from kpi_desktop.ui.common import DATA_PROPERTY

#: English words of Qt's own dialogs and of the application's former slips ("agency",
#: "duplicates", "revisions", sync kinds "work"/"review"). Whole words, case-insensitive, and
#: none of them is also a Vietnamese word written without marks ("in", "do", "an", "to" are).
_WORDS = """
ok cancel close yes no save open apply reset discard retry ignore abort help
look file name files type directory directories folder size date modified back forward next
finish choose rename delete new undo redo cut copy paste select all details show hide
view list detail sidebar parent
agency duplicates revisions work review submitted confirmed returned draft sent leader
passphrase sign import export settings today score month week entry entries unit person
the and of with for from your you
"""
ENGLISH = frozenset(_WORDS.split())

_WORD = re.compile(r"[A-Za-z]+")


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_PATH = re.compile(r"\S*[/\\]\S*")  # a file or folder named in a message is data
_OPTION = re.compile(r"(?<!\w)--?[A-Za-z][\w-]*")  # a command-line option the person types


def english_words(text: str) -> list[str]:
    """The words of :data:`ENGLISH` in ``text`` (markup and ``&`` mnemonics removed; quoted
    text is a literal the person types or reads back — a CSV column, a file name — and is
    not checked)."""
    plain = _PATH.sub(" ", _QUOTED.sub(" ", re.sub(r"<[^>]+>", " ", text or "")))
    plain = _OPTION.sub(" ", plain)
    plain = plain.replace("&", "")
    return [w for w in _WORD.findall(plain) if w.lower() in ENGLISH]


def is_data(widget: QWidget | None) -> bool:
    while widget is not None:
        if widget.property(DATA_PROPERTY):
            return True
        widget = widget.parentWidget()
    return False


def _menu_texts(menu: QMenu) -> Iterator[str]:
    for action in menu.actions():
        if action.text():
            yield action.text()
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for every text of ``root`` and its visible children that is interface
    text (not data: names, numbers, dates, file names marked ``kpiData``, and not the
    contents of Qt's file list, which shows the user's own files)."""
    if isinstance(root, QDialog | QWizard) and root.windowTitle():
        yield type(root).__name__ + ".title", root.windowTitle()
    if isinstance(root, QMenu):
        for text in _menu_texts(root):
            yield "menu", text
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        name = type(widget).__name__
        if widget.toolTip() and not isinstance(widget.parent(), QAbstractItemView):
            yield name + ".tooltip", widget.toolTip()
        if is_data(widget):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name + ".title", widget.title()
        elif isinstance(widget, QLineEdit):
            yield name + ".placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox) and widget.objectName() != "lookInCombo":
            for i in range(widget.count()):
                yield name + ".item", widget.itemText(i)
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield name + ".tab", widget.tabText(i)
        elif isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield name + ".item", widget.item(i).text()
        if isinstance(widget, QTableView | QTreeView):
            header: QHeaderView = widget.header() if isinstance(widget, QTreeView) \
                else widget.horizontalHeader()
            model = widget.model()
            if header.isVisible() and model is not None:
                for column in range(model.columnCount()):
                    if not header.isSectionHidden(column):
                        value = model.headerData(column, Qt.Orientation.Horizontal)
                        yield name + ".header", str(value or "")


def english_in(root: QWidget) -> list[tuple[str, str, list[str]]]:
    """Every interface text of ``root`` that contains an English word."""
    found = []
    for where, text in visible_texts(root):
        words = english_words(text)
        if words:
            found.append((where, text, words))
    return found
