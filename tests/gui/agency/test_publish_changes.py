"""The Publish page lists every kind of change the next organisation file carries, including
those made outside the agency pages: transfers and unit mergers, organisation indicators,
calendar days and decisions on proposals."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.agency_admin import ORG_ACTIONS
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.messages import audit_action_label as change_label
from kpi_desktop.ui.agency.base import agency_user
from kpi_desktop.ui.agency.publish_page import PublishPage

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)


def test_every_published_kind_of_change_has_words_in_both_languages() -> None:
    for language in ("en", "vi"):
        i18n.set_language(language)
        labels = [change_label(action) for action in ORG_ACTIONS]
        assert not set(labels) & set(ORG_ACTIONS) and len(set(labels)) == len(labels)
    assert change_label("unit.merge") == "sáp nhập đơn vị"
    i18n.set_language("en")


def test_the_publish_page_lists_transfers_indicators_calendar_and_proposals(
        qtbot, demo_master: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_master, tmp_path / "agency")
    services = AppServices.open(app_paths(tmp_path / "agency"))
    try:
        services.keys.cost = 10
        services.sync._today = lambda: TODAY
        services.keys.unlock("agency", "demo")
        page = PublishPage(services, agency_user(services))
        qtbot.addWidget(page)
        page.show()
        page.folder.setText(str(tmp_path / "usb"))
        page.publish()
        qtbot.waitUntil(lambda: page.outcome is not None, timeout=30000)
        assert [page.changes.item(i).text() for i in range(page.changes.count())] == [
            "No changes since the last publication."]

        services.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 11, 1),
                                    reason="Luân chuyển", actor_id="ct",
                                    confirm_date=True)  # far from today: confirmed
        services.transfers.merge(["hcc"], "vp", dt.date(2026, 11, 20), reason="Sáp nhập",
                                 actor_id="ct")
        code = services.org_evaluation.definitions()[0].code
        services.org_evaluation.set_indicator("ct", "kt", "2026-10", code, "25")
        services.calendar.declare(dt.date(2026, 12, 24), "day_off", "Nghỉ bù",
                                  as_agency=True)
        for name in ("Việc mới một", "Việc mới hai"):
            services.proposals.propose(person_id="hcc-cv1", name_vi=name, group="N2",
                                       points="20", reason="Phát sinh")
        first, second = services.proposals.proposals("proposed")
        services.proposals.accept(first.id, code="DC.98")
        services.proposals.reject(second.id, note="Gộp vào mục khác")
        page.refresh()
        lines = {page.changes.item(i).text() for i in range(page.changes.count())}
        assert {"transferred a person to another unit: 1", "merged units: 1",
                "entered an organisation indicator: 1", "declared a calendar day: 1",
                "accepted a proposal into the catalog: 1", "rejected a proposal: 1"} <= lines, lines
        i18n.set_language("vi")
        page.refresh()
        lines = {page.changes.item(i).text() for i in range(page.changes.count())}
        assert "sáp nhập đơn vị: 1" in lines, lines
    finally:
        i18n.set_language("en")
        services.close()
