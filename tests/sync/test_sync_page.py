"""The Sync page: key status, unlock, export to and import from a folder, history."""

from __future__ import annotations

import pytest

from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.pages.sync import SyncPage

from .helpers import LEADER, OFFICIAL, PASSPHRASES, World, log_week, opened

pytestmark = pytest.mark.gui


def _user(person: str, role: str = "official") -> UserContext:
    return UserContext(person_id=person, full_name=person, role=role, unit_id="hcc",
                       is_evaluator=role != "official")


def test_unlock_export_and_import_through_the_page(qtbot, world: World, async_ops) -> None:
    with opened(world.official) as services:
        log_week(services, days=2)
        page = SyncPage(services, _user(OFFICIAL))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert "locked" in page.key_value.text() and page.passphrase.isVisible()
        assert not page.export_button.isEnabled()
        page.passphrase.setText("wrong passphrase")
        page._unlock()
        qtbot.waitUntil(lambda: "wrong" in page.result.text(), timeout=20000)
        page.passphrase.setText(PASSPHRASES[OFFICIAL])
        page._unlock()
        qtbot.waitUntil(page.export_button.isEnabled, timeout=20000)
        assert "2 records not yet received" in page.outbox.text()
        page.export_to(world.usb)
        qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
        assert "You can remove the USB stick now." in page.result.text()
        assert page.history.row_count() >= 2
        # The buttons come back at once, not when the page is left (issue 16, item 10).
        assert all(b.isEnabled() for b in (page.export_button, page.import_button,
                                           page.sync_button))
    with opened(world.leader, LEADER) as services:
        page = SyncPage(services, _user(LEADER, "head"))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        page.import_from(world.usb)
        qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
        # One summary in names and plain counts (issue 16 item 4).
        assert "Received from " in page.result.text()
        assert "2 entries to review" in page.result.text()
        assert "revisions" not in page.result.text()
        assert page.import_button.isEnabled() and page.export_button.isEnabled()


def test_a_person_without_a_key_creates_one_and_gets_an_enrolment_request(
        qtbot, world: World, sync_ops) -> None:
    with opened(world.official) as services:
        page = SyncPage(services, _user("hcc-cv2"))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert page.create_button.isVisible() and "No key" in page.key_value.text()
        page.passphrase.setText("abc")
        page._create_key()
        assert "at least 8 characters" in page.result.text()  # one rule (issue 14)
        page.passphrase.setText("12345678")
        page._create_key()
        assert "among the first that anyone would try" in page.result.text()
        page.passphrase.setText("một mật khẩu")
        page._create_key()
        assert "Key of hcc-cv2 created" in page.result.text()
        assert "USB" in page.result.text()  # the request goes where the person chooses
        assert not (world.official / "KPI_enrolment_hcc-cv2.json").exists()
        assert "waiting for the agency" in page.key_value.text()
        assert not page.create_button.isVisible()


def test_the_page_names_bundles_that_did_not_arrive(qtbot, world: World, sync_ops,
                                                    tmp_path) -> None:
    sent = []
    for number in range(3):
        with opened(world.official, OFFICIAL) as services:
            log_week(services, days=1)
            sent += [r.path for r in services.sync.export(OFFICIAL, world.usb / str(number))
                     if r.recipient_id == LEADER]
    with opened(world.leader, LEADER) as services:
        services.sync.import_paths([sent[0], sent[2]])  # the second was lost
        with services.db.unit_of_work(read_only=True) as uow:
            name = uow.org.get_person(OFFICIAL).full_name
        page = SyncPage(services, _user(LEADER, "head"))
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        page.refresh()
        assert page.attention.isVisible()
        assert page.attention.text() == f"1 bundle from {name} has not arrived."
        page.grab().save(str(tmp_path / "sync-page-gap.png"))
        services.sync.import_paths([sent[1]])
        page.refresh()
        assert not page.attention.isVisible()
