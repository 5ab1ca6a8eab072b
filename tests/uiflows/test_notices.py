"""Issue 16 item 3: nobody is left to find out what happened to their work by chance. A banner
and counts in the navigation: entries returned to be fixed, entries confirmed since the last
sign-in; for leaders, items waiting and overdue, and they land on their inbox."""

from __future__ import annotations

import pytest

from kpi_desktop.domain.model import EntryStatus
from kpi_desktop.services.daily import EntryDraft

from .conftest import LANGUAGES, TODAY

pytestmark = pytest.mark.gui


def _returned_entry(services, person="kt-cv3"):
    [entry] = services.notifications.notices(person).returned
    return entry


def _nav_text(window, page_id):
    index = next(i for i, p in enumerate(window.pages) if p.page_id == page_id)
    return window.nav.item(index).text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_returned_entry_is_announced_and_opens_where_it_is_fixed(services, open_window,
                                                                  language):
    returned = _returned_entry(services)
    assert returned.reason and returned.reviewer_name == "Phan Văn Quang"
    window = open_window(services, "kt-cv3", language)
    banner = window.banner
    assert banner.isVisible()
    text = banner.text.text()
    assert returned.item_code in text and returned.reason in text
    assert "Phan Văn Quang" in text
    if language == "vi":
        assert "1 mục bị trả lại cần sửa" in text
        assert _nav_text(window, "today").endswith("(1)")
    else:
        assert "1 entry was returned to be fixed" in text
    # The link opens the work log on that day, with the entry in the form.
    banner.text.linkActivated.emit(f"entry:{returned.entry_id}:{returned.work_date}")
    page = window.current_page()
    assert page.page_id == "today" and page.day == returned.work_date
    assert page.editor.entry_id == returned.entry_id
    assert page.editor.reason.isVisible()  # the correction needs a reason: the form asks
    # ✕ hides the banner until something changes.
    banner.close_button.click()
    assert not banner.isVisible()
    window.refresh_notices()
    assert not banner.isVisible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirmations_since_the_last_sign_in_are_counted(services, open_window, language):
    official = "vp-cv1"
    services.notifications.record_sign_in(official)  # yesterday's session
    drafts = [services.daily.save(official, EntryDraft(
        work_date=TODAY, item_code="DC.27", quantity="1", output_doc_number=f"{n}/TB-UBND"))
        for n in (501, 502)]
    for draft in drafts:
        services.daily.submit(official, draft.id)
        services.review.confirm("vp-cvp", draft.id)
    assert {services.daily.entry(d.id).entry.status for d in drafts} == {EntryStatus.CONFIRMED}
    window = open_window(services, official, language)
    text = window.banner.text.text()
    if language == "vi":
        assert "2 mục đã được xác nhận từ lần đăng nhập trước" in text
    else:
        assert "2 entries were confirmed since your last sign-in" in text
    window.banner.text.linkActivated.emit("page:score")
    assert window.current_page().page_id == "score"
    # Signed in again: nothing new was confirmed since.
    assert services.notifications.record_sign_in(official) == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_leader_with_items_waiting_lands_on_the_inbox(services, open_window, language):
    waiting, overdue = services.review.waiting_counts("vp-cvp")
    assert waiting == 7
    window = open_window(services, "vp-cvp", language)
    assert window.current_page().page_id == "leader.inbox"
    assert _nav_text(window, "leader.inbox").endswith(f"({waiting})")
    text = window.banner.text.text()
    assert ("7 mục chờ đồng chí xác nhận" if language == "vi"
            else "7 entries wait for your review") in text
    # Confirming one in the inbox page updates the count at once.
    item = window.current_page()
    entry_id = services.review.inbox("vp-cvp").items[0].entry.id
    services.review.confirm("vp-cvp", entry_id)
    item.data_changed.emit()
    assert _nav_text(window, "leader.inbox").endswith("(6)")


def test_an_official_without_news_sees_no_banner_and_starts_on_today(services, open_window):
    window = open_window(services, "vp-cv1", "vi")
    assert not window.banner.isVisible()
    assert window.current_page().page_id == "today"


def test_overdue_items_are_said(services, open_window, monkeypatch):
    monkeypatch.setattr(type(services.review), "waiting_counts", lambda self, _p: (9, 4))
    window = open_window(services, "hcc-gd", "vi")
    assert "9 mục chờ đồng chí xác nhận, 4 mục quá hạn" in window.banner.text.text()
