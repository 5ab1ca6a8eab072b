""""Sync now" fetches before it pushes: a newly enrolled PC syncs through a real hub process
without importing the newest organisation file by hand (the organisation file comes first,
then what is addressed to the PC), and its receipts leave in the same push."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi_desktop.services.hub_client import sync_now
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.pages.sync import SyncPage

from .helpers import LEADER, World, opened
from .test_sync_hub import hub, hub_world  # noqa: F401 - the module's own hub process

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

NEWCOMER, NEWCOMER_PASS = "hcc-cv3", "pass-newcomer"


@pytest.mark.gui
def test_a_newly_enrolled_pc_syncs_without_importing_the_organisation_file(
        qtbot, hub_world: World, hub: str) -> None:  # noqa: F811
    world = hub_world
    newpc = world.root / "newcomer"
    with opened(newpc) as pc:
        [first] = sorted(world.usb.glob("KPI_organisation_*_v0002.kpib"))
        assert pc.sync.import_paths([first])[0].status == "imported"
        pc.keys.create(NEWCOMER, NEWCOMER_PASS)
        request = pc.keys.enrolment_request(NEWCOMER)
    with opened(world.agency, "agency") as agency:
        agency.keys.enrol(request)
        agency.sync.publish_organisation(agency.paths.data_dir / "outbox")
        assert sync_now(agency, hub, "agency").sent >= 1  # the organisation file went up
    with opened(world.leader, LEADER) as pc:
        # Work assigned before the leader's PC has the newcomer's key: the sync brings the
        # key first, so the plan leaves encrypted to the newcomer in the same "Sync now".
        item = pc.assignments.allowed_items(NEWCOMER)[0]
        assignment = pc.assignments.assign(LEADER, NEWCOMER, item.code, "2026-12", "2",
                                           dt.date(2026, 12, 20))
        outcome = sync_now(pc, hub, LEADER)
        assert [r.kind for r in outcome.received if r.status == "imported"][0] == \
            "organisation"
        assert outcome.sent >= 1
    with opened(newpc) as pc:
        pc.keys.unlock(NEWCOMER, NEWCOMER_PASS)
        assert not pc.keys.info(NEWCOMER).enrolled
        page = SyncPage(pc, UserContext(person_id=NEWCOMER, full_name=NEWCOMER,
                                         role="official", unit_id="hcc", is_evaluator=False))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        page.hub_url.setText(hub)
        assert page.sync_button.isEnabled()
        page.sync_now()  # no `org import` first: the old order refused (key not enrolled)
        qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=60000)
        assert pc.keys.info(NEWCOMER).enrolled, page.result.text()
        received = [line for line in pc.sync.history() if line.direction == "in"]
        # Newest first: the plan, organisation version 3 from the hub, version 2 by hand.
        assert [(line.kind, line.seq) for line in received][:3] == [
            ("plan", 1), ("organisation", 3), ("organisation", 2)]
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.assignments.get(assignment.id).person_id == NEWCOMER
        # The receipt of the plan left in the same push.
        assert "Sent 1 bundle to the hub." in page.result.text()
        # What arrived, in names and plain counts (issue 16 item 4).
        assert "The organisation file was imported." in page.result.text()
        assert "imported (" not in page.result.text()
        # The page shows the same sync: nothing new now, and the outbox is empty.
        page.sync_now()
        qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=60000)
        assert "Nothing new from the hub." in page.result.text()
        assert "Sent 0 bundles to the hub." in page.result.text()
        assert not list((newpc / "outbox").glob("*.kpib"))
