"""Issue 16 item 14: leader actions ask with the person's name and the count, end with a status
line naming the person and the item, can be undone until the next export, and the selection
stays with the same person. In Vietnamese and English, at 1366×768."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kpi_desktop.domain.model import EntryStatus
from kpi_desktop.runtime import i18n
from kpi_desktop.ui.leader.inbox_page import ReviewInboxPage

from .conftest import user

pytestmark = pytest.mark.gui


@pytest.fixture(params=["vi", "en"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def _page(qtbot, services):
    page = ReviewInboxPage(services, user("hcc-gd"))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=30000)
    return page


def _status(services, entry_id):
    with services.db.unit_of_work(read_only=True) as uow:
        return uow.worklog.get(entry_id).status


def test_bulk_confirmation_asks_with_the_name_and_the_count(qtbot, leader_services, language,
                                                            monkeypatch):
    page = _page(qtbot, leader_services)
    first = page._items[page.current_entry_id()]
    name = first.person_name
    mine = page._person_entry_ids(first.entry.person_id)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2])
                        or QMessageBox.StandardButton.No)
    page.start_bulk(mine)
    assert asked and name in asked[0] and str(len(mine)) in asked[0]
    assert all(_status(leader_services, e) is EntryStatus.SUBMITTED for e in mine)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2])
                        or QMessageBox.StandardButton.Yes)
    page.start_bulk(mine)
    assert all(_status(leader_services, e) is EntryStatus.CONFIRMED for e in mine)
    assert name in page.done_line.text() and str(len(mine)) in page.done_line.text()


def test_a_confirmation_names_the_person_and_the_item_and_can_be_undone(
        qtbot, leader_services, language):
    page = _page(qtbot, leader_services)
    entry_id = page.current_entry_id()
    item = page._items[entry_id]
    shown = []
    page.status_message.connect(shown.append)
    qtbot.keyClick(page.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _status(leader_services, entry_id) is EntryStatus.CONFIRMED
    line = page.done_line.text()
    assert item.person_name in line and item.item_code in line and shown[-1] == line
    assert page.undo_button.isVisible()
    page.undo_button.click()
    assert _status(leader_services, entry_id) is EntryStatus.SUBMITTED
    assert entry_id in page._items and page.current_entry_id() == entry_id
    assert not page.undo_button.isVisible()
    assert not [s for s in leader_services.review.statements(entry_id)
                if s.reviewer_id == "hcc-gd"]


def test_undo_ends_with_the_next_export(qtbot, leader_services, language, monkeypatch):
    page = _page(qtbot, leader_services)
    entry_id = page.current_entry_id()
    page.confirm_current()
    [statement_id] = page._undo.statements
    with leader_services.db.unit_of_work() as uow:  # what the export does: sign it
        uow.sync.set_statement_signature(statement_id, b"\x01" * 64, "fingerprint")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    page.undo_last()
    assert shown and _status(leader_services, entry_id) is EntryStatus.CONFIRMED
    expected = {"vi": "đã được xuất", "en": "already been exported"}[language]
    assert expected in shown[0]


def test_repeated_ctrl_enter_never_jumps_to_another_person(qtbot, leader_services, language):
    page = _page(qtbot, leader_services)
    first = page._items[page.current_entry_id()]
    person = first.entry.person_id
    mine = page._person_entry_ids(person)
    others = [e for e in page._items if e not in mine]
    assert others, "the demo inbox has several people"
    page._select_ids([mine[-1]])  # the last of this person's entries: next would be another's
    for _ in range(len(mine) + 2):
        qtbot.keyClick(page.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        current = page.current_entry_id()
        assert current is None or page._items[current].entry.person_id == person
    assert all(_status(leader_services, e) is EntryStatus.CONFIRMED for e in mine)
    assert all(_status(leader_services, e) is EntryStatus.SUBMITTED for e in others)
    assert first.person_name in page.done_line.text()


def test_a_bulk_confirmation_can_be_undone_until_the_next_export(qtbot, leader_services,
                                                                 language, monkeypatch):
    page = _page(qtbot, leader_services)
    first = page._items[page.current_entry_id()]
    mine = page._person_entry_ids(first.entry.person_id)
    others = [e for e in page._items if e not in mine]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    page.start_bulk(mine)
    assert all(_status(leader_services, e) is EntryStatus.CONFIRMED for e in mine)
    # Nothing of this person is left: nothing is selected (never another person's entry).
    assert page.current_entry_id() is None
    assert page.undo_button.isVisible() and first.person_name in page.done_line.text()
    page.undo_button.click()
    assert all(_status(leader_services, e) is EntryStatus.SUBMITTED for e in mine)
    assert all(_status(leader_services, e) is EntryStatus.SUBMITTED for e in others)
    assert page.current_entry_id() in mine and not page.undo_button.isVisible()
    line = page.done_line.text()
    assert first.person_name in line and str(len(mine)) in line
    # Confirmed again, then exported (signed): the page no longer offers Undo once it reloads.
    page.start_bulk(mine)
    assert page.undo_button.isVisible()
    with leader_services.db.unit_of_work() as uow:
        for statement_id in page._undo.statements:
            uow.sync.set_statement_signature(statement_id, b"\x01" * 64, "fingerprint")
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=30000)
    assert not page.undo_button.isVisible()


def test_undo_many_is_all_or_nothing(leader_services):
    review = leader_services.review
    inbox = review.inbox("hcc-gd")
    ids = [item.entry.id for item in inbox.items[:3]]
    result = review.confirm_many("hcc-gd", ids)
    assert result.confirmed == ids and len(result.statements) == 3
    with leader_services.db.unit_of_work() as uow:  # the last one was exported meanwhile
        uow.sync.set_statement_signature(result.statements[-1], b"\x01" * 64, "fingerprint")
    from kpi_desktop.domain.errors import KpiError

    with pytest.raises(KpiError) as refused:
        review.undo_many("hcc-gd", result.statements)
    assert refused.value.code == "undo_already_sent"
    assert all(_status(leader_services, e) is EntryStatus.CONFIRMED for e in ids)
    assert review.undo_many("hcc-gd", result.statements[:2])
    assert [_status(leader_services, e) for e in ids] == [
        EntryStatus.SUBMITTED, EntryStatus.SUBMITTED, EntryStatus.CONFIRMED]
    assert not review.undoable("hcc-gd", result.statements)
    assert not review.undoable("hcc-gd", [])
