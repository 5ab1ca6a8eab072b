"""Issue 16 item 2 (the GUI side): an item picked from the catalog search that matches an open
assignment counts for it and says so; ad hoc work is a deliberate choice."""

from __future__ import annotations

import pytest

from .conftest import LANGUAGES

pytestmark = pytest.mark.gui


def _pick(qtbot, editor, code):
    editor.picker.query.setFocus()
    editor.picker.query.clear()
    qtbot.keyClicks(editor.picker.query, code.lower())
    editor.picker.search()
    index = next(i for i, c in enumerate(editor.picker.model.choices) if c.item.code == code)
    editor.picker.list.setCurrentIndex(editor.picker.model.index(index))
    editor.picker._choose_current()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_assigned_item_picked_from_the_search_counts_for_its_assignment(
        qtbot, services, open_window, language):
    [dc17] = [v for v in services.daily.assignments("vp-cv1", v_period())
              if v.item.code == "DC.17"]
    assert (dc17.logged, dc17.assignment.quantity) == (6, 8)
    window = open_window(services, "vp-cv1", language)
    page = window.show_page_id("today")
    editor = page.editor
    page.new_entry()
    _pick(qtbot, editor, "DC.17")
    assert editor.assignment.currentData() == dc17.assignment.id
    expected = ("Thuộc nhiệm vụ được giao DC.17 (đã làm 7/8, hạn 16/11)" if language == "vi"
                else "Counts for the assigned task DC.17 (done 7/8, due 16 Nov)")
    assert editor.link.isVisible() and editor.link.text() == expected
    editor.quantity.setText("2")
    editor.quantity.textEdited.emit("2")
    assert "8/8" in editor.link.text()
    assert editor.save()
    saved = services.daily.entry(editor.entry_id).entry
    assert saved.assignment_id == dc17.assignment.id and not saved.is_extra
    [after] = [v for v in services.daily.assignments("vp-cv1", v_period())
               if v.item.code == "DC.17"]
    assert after.logged == 8


@pytest.mark.parametrize("language", LANGUAGES)
def test_ad_hoc_is_a_deliberate_choice(qtbot, services, open_window, language):
    window = open_window(services, "vp-cv1", language)
    editor = window.show_page_id("today").editor
    window.current_page().new_entry()
    editor.assignment.setCurrentIndex(editor.assignment.findData("__ad_hoc__"))
    editor.assignment.activated.emit(editor.assignment.currentIndex())
    _pick(qtbot, editor, "DC.17")
    assert editor.assignment.currentData() == "__ad_hoc__"  # kept: the person chose it
    assert ("nhiệm vụ phát sinh" if language == "vi" else "ad hoc") in editor.link.text()
    assert editor.save()
    assert services.daily.entry(editor.entry_id).entry.assignment_id is None
    # An item nobody assigned stays ad hoc, without a line about an assignment.
    window.current_page().new_entry()
    _pick(qtbot, editor, "DC.27")
    assert editor.assignment.currentData() == "__ad_hoc__" and not editor.link.text()


def v_period():
    from kpi_desktop.domain.model import Period

    return Period.parse("2026-11")
