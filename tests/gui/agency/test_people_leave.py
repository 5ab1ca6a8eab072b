"""A person leaves the organisation: the People page records the last day (refused while the
person still evaluates somebody, naming them, changing nothing); the published organisation
file hides them from sign-in and from the lists of a device, which keeps their history."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.ui.agency.base import agency_user
from kpi_desktop.ui.agency.people_page import PeoplePage
from kpi_desktop.ui.sign_in import SignInDialog, people_with_keys

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)
LAST_DAY = dt.date(2026, 11, 20)
LEAVER, LEADER = "hcc-cv2", "hcc-gd"


def _open(folder: Path) -> AppServices:
    services = AppServices.open(app_paths(folder), today=TODAY)  # one clock for every service
    services.keys.cost = 10
    services.sync._today = lambda: TODAY
    services.worklog._today = TODAY
    return services


def test_a_person_leaves_through_the_people_page_and_a_device_hides_them(
        qtbot, demo_master: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_master, tmp_path / "agency")
    agency = _open(tmp_path / "agency")
    device = _open(tmp_path / "device")
    try:
        agency.keys.unlock("agency", "demo")
        first = agency.sync.publish_organisation(tmp_path / "usb").path
        assert device.sync.import_paths([first])[0].status == "imported"
        device.keys.create(LEAVER, "pass-leaver")
        device.keys.create(LEADER, "pass-leader")
        with device.db.unit_of_work(read_only=True) as uow:
            item = uow.catalog.allowed_items(LEAVER)[0]
        entry = device.worklog.add_entry(
            person_id=LEAVER, work_date=dt.date(2026, 11, 16), item_code=item.code,
            quantity=Decimal(1), completed_on=dt.date(2026, 11, 16), submit=True,
            output_description="Hồ sơ một cửa")
        assert {p["id"] for p in people_with_keys(device)} == {LEAVER, LEADER}

        page = PeoplePage(agency, agency_user(agency))
        qtbot.addWidget(page)
        page.show()
        with agency.db.unit_of_work(read_only=True) as uow:
            entries_before = len(uow.worklog.list_for_person(LEAVER, dt.date(2026, 1, 1), TODAY))
        assert entries_before > 0

        # A leader who still evaluates people: refused, naming them; nothing changes.
        i18n.set_language("vi")
        page.choose(LEADER)
        assert page.leave_button.isEnabled()
        dialog = page.open_leave_dialog()
        qtbot.addWidget(dialog)
        before = dump_database(agency.paths.database)
        dialog.last_day.setDate(LAST_DAY)
        dialog.ok_button.click()
        text = dialog.error.text()
        assert dialog.result_view is None and "vẫn đang đánh giá" in text, text
        assert "Ngô Văn Long" in text and "Đỗ Thị Hạnh" in text  # say who
        assert dump_database(agency.paths.database) == before
        dialog.reject()
        # A last day in the future is refused too.
        dialog = page.open_leave_dialog()
        qtbot.addWidget(dialog)
        dialog.last_day.setDate(TODAY + dt.timedelta(days=3))
        dialog.ok_button.click()
        assert "trong tương lai" in dialog.error.text()
        assert dump_database(agency.paths.database) == before
        dialog.reject()
        i18n.set_language("en")

        # An official leaves: last day, no reason.
        page.choose(LEAVER)
        dialog = page.open_leave_dialog()
        qtbot.addWidget(dialog)
        dialog.last_day.setDate(LAST_DAY)
        dialog.ok_button.click()
        assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()
        assert "Đỗ Thị Hạnh left the organisation on 2026-11-20" in page.message.text()
        row = next(p for p in agency.agency.people() if p.id == LEAVER)
        assert not row.active and row.left_on == LAST_DAY and row.key_fingerprint is None
        assert "left on 2026-11-20" in page._role_text(row)
        assert not page.leave_button.isEnabled()  # chosen again, and gone
        assert page.open_leave_dialog() is None
        with agency.db.unit_of_work(read_only=True) as uow:
            assert [m.end_on for m in uow.org.memberships_of(LEAVER)][-1] == LAST_DAY
            assert not uow.org.evaluators_of(LEAVER, TODAY)
            assert uow.org.evaluators_of(LEAVER, LAST_DAY)  # the history is kept
            kept = uow.worklog.list_for_person(LEAVER, dt.date(2026, 1, 1), TODAY)
            assert len(kept) == entries_before
        changes = dict(agency.agency.publish_summary().changes)  # on the Publish page
        assert changes["person.leave"] == 1 and changes["key.revoke"] == 1

        # The device imports the next organisation file.
        second = agency.sync.publish_organisation(tmp_path / "usb").path
        assert device.sync.import_paths([second])[0].status == "imported"
        assert {p["id"] for p in people_with_keys(device)} == {LEADER}
        dialog = SignInDialog(device)
        qtbot.addWidget(dialog)
        shown = [dialog.person.itemData(i) for i in range(dialog.person.count())]
        assert LEAVER not in shown and LEADER in shown
        assert LEAVER not in {p["id"] for p in device.organisation.people_overview()}
        with device.db.unit_of_work(read_only=True) as uow:
            assert LEAVER not in {r.evaluatee_id for r in uow.org.evaluatees_of(LEADER, TODAY)}
            assert LEAVER in {r.evaluatee_id
                              for r in uow.org.evaluatees_of(LEADER, LAST_DAY)}
            person = uow.org.get_person(LEAVER)
            assert not person.active and person.left_on == LAST_DAY
            assert uow.worklog.get(entry.id).person_id == LEAVER  # their history stays
    finally:
        i18n.set_language("en")
        agency.close()
        device.close()
