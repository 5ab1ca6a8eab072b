"""Issue 16 item 12 on the sync channels: a record the recipient refused is named as people
know it (item, date, author), not by its internal key, in ``attention_lines`` (the Sync page
and ``kpi-desktop sync status``) — in Vietnamese and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.domain.model import StatementKind
from kpi_desktop.runtime import i18n

from .helpers import OFFICIAL, World, log_week, opened, review


def _export(folder: Path, owner: str, usb: Path) -> dict[str, Path]:
    with opened(folder, owner) as pc:
        return {r.recipient_id: r.path for r in pc.sync.export(owner, usb)}


@pytest.fixture
def refused_back(world: World) -> tuple[World, str, str]:
    """The official's self-confirmation, refused by the agency; the refusal is back home."""
    with opened(world.official, OFFICIAL) as pc:
        [entry_id] = log_week(pc, days=1)
        review(pc, OFFICIAL, entry_id, StatementKind.CONFIRM)
        with pc.db.unit_of_work(read_only=True) as uow:
            entry = uow.worklog.find(entry_id)
            code = uow.catalog.find_item(entry.catalog_item_id).code
            name = uow.org.get_person(OFFICIAL).full_name
            statement_id = uow.reviews.list_for_entry(entry_id)[0].id
    sent = _export(world.official, OFFICIAL, world.usb / "o1")
    with opened(world.agency, "agency") as pc:
        [refused] = pc.sync.import_paths([sent["agency"]])
    assert refused.status == "refused"
    receipts = _export(world.agency, "agency", world.usb / "a1")
    with opened(world.official, OFFICIAL) as pc:
        [back] = pc.sync.import_paths([receipts[OFFICIAL]])
    assert back.status == "imported"
    date = entry.work_date.strftime("%d/%m/%Y")
    return world, f"{code} ngày {date} của {name}", statement_id


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_refused_record_is_named_by_item_date_and_author(refused_back: Any,
                                                           language: str) -> None:
    world, vietnamese, statement_id = refused_back
    i18n.set_language(language)
    try:
        with opened(world.official, OFFICIAL) as pc:
            lines = pc.sync.attention_lines()
    finally:
        i18n.set_language("en")
    [line] = [text for text in lines if statement_id in text or "DC." in text
              or vietnamese.split()[0] in text]
    assert statement_id not in line and "stmt:" not in line
    code, _ngay, date, _cua, *name = vietnamese.split()
    expected = vietnamese if language == "vi" else f"{code} of {date} by {' '.join(name)}"
    assert expected in line, line
