"""Through a real hub process: the hub applies a newer organisation file it receives (a newly
enrolled person can log in at once), an appeal goes official → leader and its decision comes
back, and the agency's decision on a proposal reaches the official."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    Appeal,
    AppealOutcome,
    AppealStatus,
    ProposalStatus,
    new_id,
    utc_now,
)
from kpi_desktop.domain.values import Period
from kpi_desktop.services.hub_client import HubClient, sync_now

from .helpers import LEADER, OFFICIAL, World, opened
from .test_proposals import _points
from .test_sync_hub import hub, hub_world  # noqa: F401 - the module's own hub process

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

NEWCOMER, NEWCOMER_PASS = "hcc-cv2", "pass-newcomer"


def test_the_hub_applies_a_newer_organisation_file(hub_world: World, hub: str) -> None:  # noqa: F811
    world = hub_world
    newpc = world.root / "newcomer"
    with opened(newpc) as pc:
        [first] = sorted(world.usb.glob("KPI_organisation_*_v0002.kpib"))
        assert pc.sync.import_paths([first])[0].status == "imported"
        pc.keys.create(NEWCOMER, NEWCOMER_PASS)
        request = pc.keys.enrolment_request(NEWCOMER)
    client = HubClient(hub)
    with opened(world.agency, "agency") as agency:
        agency.keys.enrol(request)
        published = agency.sync.publish_organisation(world.root / "agency-out")
    with opened(newpc) as pc:
        pc.keys.unlock(NEWCOMER, NEWCOMER_PASS)
        key = pc.keys.require(NEWCOMER)
        with pytest.raises(RefusedValue) as refused:  # the hub does not know the key yet
            client.login(NEWCOMER, key.sign)
        assert refused.value.code == "hub_refused"
        assert client.upload(published.path.read_bytes())
        # No `org import` on the server: the hub knows the new key now.
        client.login(NEWCOMER, key.sign)
        newest = max((line for line in client.inbox() if line["kind"] == "organisation"),
                     key=lambda line: line["seq"])
        result = pc.sync.import_bytes(client.download(newest["bundle_id"]))
        assert result.status == "imported" and pc.keys.info(NEWCOMER).enrolled
        assert sync_now(pc, hub, NEWCOMER).sent == 0  # enrolled: sync works from now on
    # The same file again, or an older one, is accepted by the hub and changes nothing.
    assert client.upload(published.path.read_bytes())
    assert client.upload(first.read_bytes())
    shutil.rmtree(world.root / "agency-out")


def test_an_appeal_and_a_proposal_decision_travel_through_the_hub(
        hub_world: World, hub: str) -> None:  # noqa: F811
    world = hub_world
    group, points = _points(world)
    appeal = Appeal(id=new_id(), person_id=OFFICIAL, period=Period.parse("2026-10"),
                    reason="Đề nghị xem lại điểm tiêu chí chung", filed_at=utc_now())
    with opened(world.official, OFFICIAL) as pc:
        with pc.db.unit_of_work() as uow:
            uow.appeals.add(appeal)
        proposal = pc.proposals.propose(
            person_id=OFFICIAL, name_vi="Tổng hợp ý kiến cử tri", group=group.value,
            points=str(points), reason="Việc mới từ năm 2026")
        sync_now(pc, hub, OFFICIAL)
    with opened(world.leader, LEADER) as pc:
        received = sync_now(pc, hub, LEADER).received
        assert sum(r.counts.get("appeals", 0) for r in received) == 1
        with pc.db.unit_of_work() as uow:
            filed = uow.appeals.get(appeal.id)
            assert filed.status is AppealStatus.FILED
            uow.appeals.update(dataclasses.replace(
                filed, status=AppealStatus.DECIDED, outcome=AppealOutcome.CHANGED,
                decision="Điều chỉnh điểm tiêu chí 2.3", decided_by=LEADER,
                decided_at=utc_now()))
        sync_now(pc, hub, LEADER)
    with opened(world.agency, "agency") as pc:
        received = sync_now(pc, hub, "agency").received
        assert sum(r.counts.get("proposals", 0) for r in received) == 1
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.appeals.get(appeal.id).status is AppealStatus.DECIDED
        pc.proposals.reject(proposal.id, note="Gộp vào mục 3.1")
        pc.sync.publish_organisation(pc.paths.data_dir / "outbox")
        sync_now(pc, hub, "agency")
    with opened(world.official, OFFICIAL) as pc:
        sync_now(pc, hub, OFFICIAL)
        with pc.db.unit_of_work(read_only=True) as uow:
            decided = uow.appeals.get(appeal.id)
        assert decided.status is AppealStatus.DECIDED
        assert decided.outcome is AppealOutcome.CHANGED and decided.decided_by == LEADER
        [mine] = pc.proposals.proposals_of(OFFICIAL)
        assert mine.status is ProposalStatus.REJECTED and mine.decision_note == "Gộp vào mục 3.1"


def test_a_rotated_agency_key_reaches_the_hub_and_the_pcs(
        hub_world: World, hub: str) -> None:  # noqa: F811
    world = hub_world
    with opened(world.agency, "agency") as agency:
        old = agency.keys.require("agency")
        new = agency.sync.rotate_agency_key("demo")
        agency.sync.publish_organisation(agency.paths.data_dir / "outbox")
        # The hub follows the rotation link, applies the file and knows the new key: the
        # agency logs in with it, and the upload of its outbox works.
        sync_now(agency, hub, "agency")
        rotated = agency.keys.require("agency")
    HubClient(hub).login("agency", rotated.sign)
    with pytest.raises(RefusedValue):
        HubClient(hub).login("agency", old.sign)
    with opened(world.official, OFFICIAL) as pc:
        sync_now(pc, hub, OFFICIAL)
        assert pc.sync.agency_fingerprint() == new
