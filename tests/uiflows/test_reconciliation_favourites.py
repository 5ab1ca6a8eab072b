"""Issue 16 item 16: the reconciliation page (who has not logged, not submitted, which leader is
behind, by unit, exportable) and favourites ("việc hay làm") for one-click entry."""

from __future__ import annotations

import csv

import pytest

from kpi_desktop.domain.model import EntryStatus, Period
from kpi_desktop.ui.pages.registry import pages_for

from .conftest import LANGUAGES, TODAY

pytestmark = pytest.mark.gui
OCTOBER, NOVEMBER = Period.parse("2026-10"), Period.parse("2026-11")


def test_the_report_finds_who_needs_a_reminder(services):
    report = services.reconciliation.report("ct", NOVEMBER, idle_limit=2)
    assert len(report.rows) == 25  # the chairman sees everyone
    long = next(r for r in report.rows if r.person_name == "Ngô Văn Long")
    assert long.last_entry.isoformat() == "2026-11-18" and long.idle_days == 2
    assert report.not_logging(long) and long.unit_name == "Trung tâm Phục vụ hành chính công"
    assert not report.not_logging(next(r for r in report.rows if r.person_name == "Phạm Thị Hoa"))
    assert all(report.not_submitted(r) for r in report.rows)  # November is still open
    assert not any(report.not_submitted(r) for r in
                   services.reconciliation.report("ct", OCTOBER).rows)  # October is locked
    mai = next(r for r in report.rows if r.person_name == "Trần Thị Mai")
    assert mai.is_leader and mai.waiting == 7 and mai.evaluator_name == "Nguyễn Văn Hùng"
    # A division head sees their unit only; an official may not look.
    division = services.reconciliation.report("vp-cvp", NOVEMBER)
    assert {r.unit_name for r in division.rows} == {"Văn phòng HĐND-UBND"}
    assert not services.reconciliation.can_view("vp-cv1")
    assert services.reconciliation.can_view("agency")
    assert len(services.reconciliation.report("agency", NOVEMBER).rows) == 25


def test_a_leader_behind_is_flagged(services):
    services.self_assessment.save("vp-cv1", NOVEMBER, {}, submit=False)  # nothing yet
    from kpi_desktop.domain.model import GENERAL_CRITERIA

    services.self_assessment.save("vp-cv1", NOVEMBER,
                                  {c.code: 1 for c in GENERAL_CRITERIA}, submit=True)
    report = services.reconciliation.report("ct", NOVEMBER)
    mai = next(r for r in report.rows if r.person_name == "Trần Thị Mai")
    assert mai.months_to_confirm == 1 and report.leader_behind(mai)
    hoa = next(r for r in report.rows if r.person_name == "Phạm Thị Hoa")
    assert not report.not_submitted(hoa)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_shows_and_exports_the_reminders(qtbot, services, open_window, tmp_path,
                                                  language):
    window = open_window(services, "ct", language)
    page = window.show_page_id("reconciliation")
    assert page is not None and page.period.currentData() == "2026-10"
    page.period.setCurrentIndex(page.period.findData("2026-11"))
    page.idle.setValue(2)
    names = [page.model.index(r, 1).data() for r in range(page.model.rowCount())]
    assert "Ngô Văn Long" in names  # only people who need a reminder are listed
    assert page.summary.text().startswith(
        "Tháng 11/2026: 1/25 người chưa ghi nhật ký từ 2 ngày làm việc" if language == "vi"
        else "Nov 2026: 1 of 25 people have logged nothing for 2 working days or more")
    target = tmp_path / "DoiSoat_2026-11.csv"
    written = page.export_to(target)
    assert written == target and str(target) in page.message.text()
    with target.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    assert rows[0][0] == ("Đơn vị" if language == "vi" else "Unit")
    long = next(r for r in rows if r[1] == "Ngô Văn Long")
    assert long[4] == "2026-11-18" and long[5] == "2" and long[-1] in ("có", "yes")
    assert len(rows) - 1 == page.model.rowCount()
    said = page.message.text()
    window.set_language("en" if language == "vi" else "vi")  # said again, in the new language
    qtbot.waitUntil(lambda: page.message.text() != said)
    assert str(target) in page.message.text()


def test_the_page_is_for_heads_and_the_agency_only(services):
    from kpi_desktop.ui.pages.base import UserContext

    def ids(person, role, evaluator):
        return [p.page_id for p in pages_for(UserContext(person, "x", role, "vp", evaluator))]

    assert "reconciliation" in ids("ct", "head", True)
    assert "reconciliation" not in ids("vp-cv1", "official", False)
    assert "reconciliation" in ids("agency", "agency", False)


@pytest.mark.parametrize("language", LANGUAGES)
def test_favourites_log_an_entry_with_one_click(qtbot, services, open_window, language):
    window = open_window(services, "vp-cv1", language)
    page = window.show_page_id("today")
    editor = page.editor
    assert editor.favourites.hint.isVisible() and not editor.favourites.buttons
    item = services.daily.item_by_code("DC.27")
    editor.picker.set_item(item)
    assert editor.picker.favourite_button.text() == "☆"
    editor.picker.favourite_button.click()
    assert "DC.27" in editor.favourites.buttons and editor.picker.favourite_button.text() == "★"
    assert "Phạm Thị Hoa" in editor.message.text()
    for code in ("DC.17", "VP.17"):  # a full row of three, at 1366×768
        services.favourites.add("vp-cv1", code)
    page.favourites_changed()
    qtbot.wait(50)
    for code, button in editor.favourites.buttons.items():
        shown, full = button.text(), button.full_text
        assert full.startswith(code + " ") and button.toolTip().startswith(code + " — ")
        # Cut at the end, never in the middle, and it fits its button.
        assert shown == full or (shown.endswith("…") and full.startswith(shown[:-1])), shown
        assert shown.startswith(code)
        assert button.fontMetrics().horizontalAdvance(shown) <= button.width()
    for code in ("DC.17", "VP.17"):
        services.favourites.remove("vp-cv1", code)
    page.favourites_changed()
    before = len(services.daily.day("vp-cv1", TODAY).entries)
    editor.favourites.buttons["DC.27"].click()  # one click: a draft of DC.27 today
    entries = services.daily.day("vp-cv1", TODAY).entries
    assert len(entries) == before + 1
    new = next(v for v in entries if v.entry.id == editor.entry_id)
    assert new.item.code == "DC.27" and new.entry.status is EntryStatus.DRAFT
    assert new.entry.quantity == 1 and editor.quantity.selectedText() == "1"  # to type over
    assert "DC.27" in editor.message.text()
    # Right click → remove; the star follows.
    editor.favourites.buttons["DC.27"].actions()[0].trigger()
    assert not editor.favourites.buttons and services.favourites.list("vp-cv1") == []


def test_favourites_are_bounded_and_survive_by_code(services):
    from kpi_desktop.domain.errors import RefusedValue
    from kpi_desktop.services.favourites import MAX_FAVOURITES

    codes = [c.item.code for c in services.daily.search_items("vp-cv1", "")][:MAX_FAVOURITES + 1]
    for code in codes[:MAX_FAVOURITES]:
        services.favourites.add("vp-cv1", code)
    services.favourites.add("vp-cv1", codes[0])  # already there: no change
    with pytest.raises(RefusedValue) as refused:
        services.favourites.add("vp-cv1", codes[MAX_FAVOURITES])
    assert refused.value.code == "favourites_full"
    assert [f.code for f in services.favourites.list("vp-cv1")] == codes[:MAX_FAVOURITES]
