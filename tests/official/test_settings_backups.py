"""Settings: back up now, and restore a backup from the list (issue 7, data safety)."""

from __future__ import annotations

import pytest

from kpi_desktop.domain.errors import NotFound
from kpi_desktop.services.daily import EntryDraft
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.pages.settings_page import SettingsPage

from .conftest import OFFICIAL, TODAY

pytestmark = pytest.mark.gui


def test_backup_now_then_restore_brings_the_old_data_back(qtbot, services):
    user = UserContext(person_id=OFFICIAL, full_name="Phạm Thị Hoa", role="official",
                       unit_id="vp", is_evaluator=False)
    page = SettingsPage(services, user)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    before = page.backups.rowCount()
    page.backup_now.click()
    assert page.backups.rowCount() == before + 1
    chosen = page.backups.keys()[0]  # newest first: the one just made
    entry = services.daily.save(OFFICIAL, EntryDraft(work_date=TODAY, item_code="DC.01",
                                                     quantity="1", completed_on=TODAY))
    assert services.daily.entry(entry.id) is not None
    with qtbot.waitSignal(page.data_changed):
        page.restore_backup(chosen)
    with pytest.raises(NotFound):  # the entry made after the backup is gone
        services.daily.entry(entry.id)
    assert page.backups.rowCount() == before + 2  # the replaced data was kept as a backup
