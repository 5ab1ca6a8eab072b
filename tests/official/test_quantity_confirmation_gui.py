"""The entry form asks before it stores a quantity above what one day can hold, and refuses a
control character with the field named (issue 14)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from kpi_desktop.runtime.settings import Settings
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.ui.desktop_window import DesktopWindow

from .conftest import OFFICIAL, TODAY
from .test_official_gui import _choose_item

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot, services, demo_dir):
    win = DesktopWindow(services, settings=Settings(), settings_path=demo_dir / "settings.json",
                        person_id=OFFICIAL)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page_id("today")
    yield page.editor
    win.close()


def test_a_large_quantity_is_confirmed_once(editor, qtbot, services, demo_dir, monkeypatch):
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    _choose_item(qtbot, editor, "dc.01")  # 30 minutes each: 48 fill a whole day
    editor.quantity.setText("60")
    before = dump_database(demo_dir / "kpi.db")
    assert not editor.save()  # "No": nothing stored, the reason shown
    assert "more than one day can hold (at most 48" in editor.message.text()
    assert dump_database(demo_dir / "kpi.db") == before
    assert editor.save()  # "Yes": stored
    assert services.daily.entry(editor.entry_id).entry.quantity == 60
    assert len(asked) == 2 and "60 × “DC.01”" in asked[0]
    editor.description.setText("Tra loi cong van")
    assert editor.save() and len(asked) == 2  # not asked again for the same quantity
    assert services.daily.day(OFFICIAL, TODAY).entries


def test_autosave_never_asks(editor, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a: pytest.fail("autosave must not open a dialog"))
    _choose_item(qtbot, editor, "dc.01")
    editor.quantity.setText("60")
    assert not editor.save(quiet=True)
    assert editor.entry_id is None


def test_a_control_character_in_the_form_is_refused(editor, qtbot, demo_dir):
    _choose_item(qtbot, editor, "dc.02")
    editor.doc_number.setText("12\x1b/UBND")
    before = dump_database(demo_dir / "kpi.db")
    assert not editor.save()
    assert "output document number" in editor.message.text()
    assert "U+001B" in editor.message.text()
    assert dump_database(demo_dir / "kpi.db") == before
