"""The next bundle of a batch is read while the current one is applied, its signatures verified
by the workers meanwhile (issue 18): the batch ends exactly as bundle by bundle, and a bundle
read ahead under keys that changed before its turn is read again — and refused as it should
be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi_desktop.domain.model import StatementKind
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.files import ImportResult, bundle_order
from kpi_desktop.services.sync.importer import Batch
from kpi_desktop.services.sync.kinds import base
from kpi_desktop.sync import verifier

from .helpers import LEADER, OFFICIAL, World, log_week, opened, state


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Verification through the worker pool even for a few signatures; counts the bundles
    whose reading ahead was taken over."""
    monkeypatch.setattr(verifier, "parallel", lambda: True)
    monkeypatch.setattr(verifier, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(verifier, "CHUNK", 2)
    monkeypatch.setattr(verifier, "FIRST_CHUNK", 1)
    taken: list[int] = []
    adopt = base.ImportContext.adopt

    def counted(self: base.ImportContext, ahead: base.ImportContext) -> None:
        taken.append(1)
        adopt(self, ahead)

    monkeypatch.setattr(base.ImportContext, "adopt", counted)
    return taken


def _to_agency(world: World) -> list[Path]:
    """The official's week (work), and the leader's own week with the leader's verdicts on
    the official's week (review), as the bundles addressed to the agency."""
    with opened(world.official, OFFICIAL) as pc:
        log_week(pc)
        pc.sync.export(OFFICIAL, world.usb / "official")
    with opened(world.leader, LEADER) as pc:
        log_week(pc, person=LEADER)
        from_official = [p for p in (world.usb / "official").iterdir()
                         if f"_to_{LEADER}_" in p.name]
        assert all(r.ok for r in pc.sync.import_paths(from_official))
        with pc.db.unit_of_work(read_only=True) as uow:
            entries = [e.id for e in uow.worklog.list_for_person(
                OFFICIAL, *_week()) if e.current_revision]
        assert pc.review is not None
        for n, entry_id in enumerate(entries):
            if n % 2 == 0:
                pc.review.confirm(LEADER, entry_id)
            else:
                pc.review.return_entry(LEADER, entry_id, "Bổ sung hồ sơ")
        pc.sync.export(LEADER, world.usb / "leader")
    return sorted(p for p in world.usb.rglob("*.kpib") if f"_to_{AGENCY}_" in p.name)


def _week() -> tuple[dt.date, dt.date]:
    return dt.date(2026, 11, 16), dt.date(2026, 11, 22)


def _statuses(results: list[ImportResult]) -> list[tuple[str, str | None, dict[str, int]]]:
    return [(r.status, r.error.code if r.error else None, dict(r.counts)) for r in results]


def test_a_batch_read_ahead_ends_as_bundle_by_bundle(world: World, tmp_path: Path,
                                                     workers: list[int],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    bundles = _to_agency(world)
    assert len(bundles) == 2
    other = world.copy_to(tmp_path / "one-by-one")
    with opened(world.agency, "agency") as agency:
        ahead = agency.sync.import_paths(bundles)
    assert len(workers) == len(bundles) - 1  # every bundle but the first was read ahead
    with opened(other.agency, "agency") as agency:  # in the order a batch takes them
        one_by_one = [agency.sync.import_paths([b])[0]
                      for b in sorted(bundles, key=lambda b: bundle_order(b.name))]
    assert _statuses(ahead) == _statuses(one_by_one)
    assert all(r.status == "imported" for r in ahead), _statuses(ahead)
    assert state(world.agency) == state(other.agency)
    assert any(s.kind is StatementKind.RETURN for s in _statements(world.agency))


def _statements(folder: Path) -> list[object]:
    with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
        return [s for e in uow.worklog.list_for_person(OFFICIAL, *_week())
                for s in uow.reviews.list_for_entry(e.id)]


def test_a_bundle_read_ahead_is_read_again_when_its_keys_changed(
        world: World, workers: list[int]) -> None:
    bundles = _to_agency(world)
    first = next(b for b in bundles if f"_{OFFICIAL}_" in b.name)
    leaders = next(b for b in bundles if f"_{LEADER}_" in b.name)
    with opened(world.agency, "agency") as agency:
        importer = agency.sync._importer()
        batch = Batch()
        data, following = first.read_bytes(), leaders.read_bytes()
        assert importer.run(data, str(first), batch, following=following).status == "imported"
        assert importer._ahead is not None and importer._ahead.data is following
        # Before its turn, the leader's key is revoked here: the bundle read ahead with it
        # must not be taken over.
        with agency.db.unit_of_work(read_only=True) as uow:
            [key] = [k for k in uow.org.list_person_keys(LEADER) if k.revoked_at is None]
        agency.keys.revoke(key.fingerprint)
        before = state(world.agency)
        result = importer.run(following, str(leaders), batch)
        assert (result.status, result.error.code if result.error else None) == (
            "refused", "bundle_signer_revoked")
        assert workers == []  # nothing read ahead was taken over
        assert state(world.agency) == before
        # The same answer as a fresh import of the bundle.
        assert agency.sync.import_paths([leaders])[0].error.code == "bundle_signer_revoked"
