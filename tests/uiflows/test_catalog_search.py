"""Issue 16 item 9: the catalog is searched by outputs and details without diacritics; an empty
result says so and offers the whole catalog and a proposal of a new product; the wizard's
person search ignores diacritics too."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.ui.proposal_dialog import ProposalDialog
from kpi_desktop.ui.setup_wizard import SetupWizard

from .conftest import LANGUAGES

pytestmark = pytest.mark.gui


def test_outputs_and_details_are_searched_without_diacritics(services):
    codes = [c.item.code for c in services.daily.search_items("vp-cv3", "giay chung nhan",
                                                             all_items=True)]
    assert "VP.36" in codes  # its output is "Giấy chứng nhận/giấy xác nhận"
    # A detail ("Kiểm tra điều kiện, hướng dẫn hồ sơ, cập nhật sổ/hệ thống…") finds it too.
    detail = [c.item.code for c in services.daily.search_items(
        "vp-cv3", "cap nhat so/he thong trinh ky", all_items=True)]
    assert "VP.36" in detail
    # Items found by their name come before those found by output only.
    ranked = services.daily.search_items("vp-cv3", "ket hon", all_items=True)
    assert ranked[0].item.code == "VP.36"


def _search(qtbot, picker, text):
    picker.query.setFocus()
    picker.query.clear()
    if text.isascii():
        qtbot.keyClicks(picker.query, text)
    else:  # QTest cannot type Vietnamese letters: as an input method would commit them
        picker.query.setText(text)
    picker.search()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_picker_finds_by_output_and_says_when_nothing_matches(qtbot, services,
                                                                 open_window, language):
    window = open_window(services, "vp-cv3", language)
    page = window.show_page_id("today")
    picker = page.editor.picker
    picker.all_items.setChecked(True)
    _search(qtbot, picker, "giay chung nhan")
    assert "VP.36" in [c.item.code for c in picker.model.choices]
    assert picker.list.isVisible() and not picker.empty.isVisible()
    picker.all_items.setChecked(False)
    _search(qtbot, picker, "giấy chứng nhận khai sinh xyz")
    assert picker.model.rowCount() == 0
    assert picker.empty.isVisible() and not picker.list.isVisible()
    said = picker.empty_label.text()
    assert "giấy chứng nhận khai sinh xyz" in said
    assert ("Không có mục nào thuộc vị trí" if language == "vi" else "Nothing in your job") in said
    stale = "Enter để chọn" if language == "vi" else "Enter to choose"
    assert stale not in picker.detail.text()
    assert picker.whole_catalog_button.isVisible() and picker.propose_button.isVisible()
    picker.whole_catalog_button.click()  # searches everything at once
    assert picker.all_items.isChecked() and not picker.whole_catalog_button.isVisible()
    assert ("toàn bộ danh mục" if language == "vi" else "whole catalog") in \
        picker.empty_label.text()
    window.grab().save(str(window.settings_path.parent / f"empty-{language}.png"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_empty_search_offers_a_proposal_that_is_filed(qtbot, services, open_window,
                                                        language):
    window = open_window(services, "vp-cv3", language)
    page = window.show_page_id("today")
    picker = page.editor.picker
    _search(qtbot, picker, "Cấp bản sao trích lục hộ tịch điện tử")
    assert picker.propose_button.isVisible()
    picker.propose_button.click()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ProposalDialog) and w.isVisible())
    assert dialog.name.text() == "Cấp bản sao trích lục hộ tịch điện tử"
    dialog.accept()  # no reason, no points: refused with the reason, still open
    assert dialog.isVisible() and dialog.error.text()
    dialog.output.setText("Bản sao trích lục")
    dialog.group.setCurrentIndex(dialog.group.findData("N2"))
    dialog.points.setText("20")
    dialog.reason.setPlainText("Người dân đề nghị cấp bản sao điện tử ngày càng nhiều.")
    dialog.accept()
    assert not dialog.isVisible()
    [proposal] = services.proposals.proposals_of("vp-cv3")
    assert proposal.name_vi == "Cấp bản sao trích lục hộ tịch điện tử"
    message = page.editor.message.text()
    assert "Đặng Thị Lan" in message and proposal.name_vi in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wizard_person_search_ignores_diacritics(qtbot, tmp_path, demo_master, language):
    import shutil

    from kpi_desktop.runtime import i18n

    shutil.copytree(demo_master, tmp_path / "pc")
    services = AppServices.open(app_paths(tmp_path / "pc"))
    try:
        i18n.set_language(language)
        wizard = SetupWizard(services, today=lambda: dt.date(2026, 11, 23))
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        wizard.source_page.agency.setChecked(True)  # the organisation is already there
        wizard.next()
        people = wizard.person_page
        people.search.setText("dang thi lan")
        shown = [people.people.item(i) for i in range(people.people.count())
                 if not people.people.item(i).isHidden()]
        assert [item.text().split(" — ")[0] for item in shown] == ["Đặng Thị Lan"]
        people.search.setText("DANG lan")
        assert sum(not people.people.item(i).isHidden()
                   for i in range(people.people.count())) == 1
    finally:
        services.close()
