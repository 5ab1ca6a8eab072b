"""Convergence by simulation (issue 13): the demo organisation's PCs and the agency exchange
bundles for a simulated stretch of months, seeded and reproducible, with deliveries in random
order, duplicated, lost and re-sent, old copies replayed, device clocks skewed by days and
imports killed at random steps; at the end (after quiet rounds in which everything arrives)
every PC holds the newest version of every record it should, the agency's stored monthly
results equal the ones their authors decided, and nothing is lost.

    python benchmarks/convergence.py [--people all|N] [--months 12] [--seed 335]

Every person's PC is a data folder of its own, set up from the agency's organisation file
with the person's demo key; the agency is the demo's data folder. Each month every leader
assigns work, every official logs it against the plan and self-assesses, the leader returns
some entries (which are corrected), confirms the rest and the month, and sometimes unlocks and
confirms it again. ``tests/sync/test_convergence.py`` runs a short version.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EntryStatus, EvaluationStatus, Period
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.sync import importer as importer_module

DEMO_PASSPHRASE = "demo"
STEPS = ("import-verified", "import-applied", "import-files-written", "import-committed")
_ORIGINAL_NOW = model.utc_now


class _Killed(Exception):
    """An import that died at a step (the process would have been killed there)."""


@dataclass
class Faults:
    """How hostile the network and the PCs are (probabilities per bundle or import)."""

    lose: float = 0.15
    duplicate: float = 0.15
    replay: float = 0.10
    kill: float = 0.08
    skew_days: int = 3


@dataclass
class Report:
    """What a run did and found."""

    people: int
    months: int
    seed: int
    bundles: int = 0
    imports: int = 0
    lost: int = 0
    duplicated: int = 0
    replayed: int = 0
    killed: int = 0
    held: int = 0
    refused: int = 0
    quiet_rounds: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return [f"{self.people} people, {self.months} months, seed {self.seed}: "
                f"{self.bundles} bundles, {self.imports} imports ({self.lost} lost, "
                f"{self.duplicated} duplicated, {self.replayed} old copies replayed, "
                f"{self.killed} killed, {self.held} held, {self.refused} refused), "
                f"{self.quiet_rounds} quiet rounds, {self.seconds:.1f} s",
                "converged: every record where it belongs, the agency's results equal the "
                "authors'" if self.converged else f"NOT converged: {len(self.problems)} problems",
                *self.problems[:20]]


# ------------------------------------------------------------------ the PCs ----------------


@contextlib.contextmanager
def _clock(days: int) -> Iterator[None]:
    """Every module's ``utc_now`` runs ``days`` days off (a PC with a wrong clock)."""
    if not days:
        yield
        return

    def skewed() -> dt.datetime:
        return _ORIGINAL_NOW() + dt.timedelta(days=days)

    patched = [m for m in list(sys.modules.values()) if getattr(m, "utc_now", None)
               is _ORIGINAL_NOW and (getattr(m, "__name__", "") or "").startswith("kpi_desktop")]
    for module in patched:
        module.utc_now = skewed  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in patched:
            module.utc_now = _ORIGINAL_NOW  # type: ignore[attr-defined]


class World:
    """The PCs of a simulation: one data folder per person, and the agency's."""

    def __init__(self, root: Path, demo: Path, people: list[str], seed: int,
                 faults: Faults) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.faults = faults
        self.today = dt.date(2026, 12, 1)
        shutil.copytree(demo, root / "agency")
        self.folders = {"agency": root / "agency"}
        self.skew = {"agency": 0}
        self.network: list[tuple[str, bytes]] = []  # (recipient, bundle) in flight
        self.history: list[tuple[str, bytes]] = []  # every bundle ever sent (replays)
        with self.pc("agency") as agency:
            org = agency.sync.publish_organisation(root / "org").path
            with agency.db.unit_of_work(read_only=True) as uow:
                sealed = {p: uow.sync.sealed_key(p) for p in people}
                relations = uow.org.list_evaluator_relations()
        self.people = people
        self.evaluator = {r.evaluatee_id: r.evaluator_id for r in relations
                          if r.evaluatee_id in people and r.evaluator_id in people}
        for person in people:
            folder = root / person
            self.folders[person] = folder
            self.skew[person] = self.rng.randint(-faults.skew_days, faults.skew_days)
            with self.pc(person, unlock=False) as pc:
                assert pc.sync.import_paths([org])[0].status == "imported"
                with pc.db.unit_of_work() as uow:
                    uow.sync.put_sealed_key(sealed[person])

    @contextlib.contextmanager
    def pc(self, owner: str, *, unlock: bool = True) -> Iterator[AppServices]:
        """The services of ``owner``'s PC dated by the simulation, with their clock."""
        with _clock(self.skew[owner]):
            services = AppServices.open(app_paths(self.folders[owner]))
            day = self.today + dt.timedelta(days=self.skew[owner])
            for name in ("worklog", "daily", "review", "assignments", "evaluation",
                         "appeals", "calendar", "sync", "classification"):
                service = getattr(services, name, None)
                if service is None or not hasattr(service, "_today"):
                    continue
                # WorkLogService keeps a date (None: the real day), the others a function.
                service._today = day if name == "worklog" else (lambda d=day: d)
            try:
                if unlock:
                    services.keys.unlock(owner, DEMO_PASSPHRASE)
                yield services
            finally:
                services.close()

    # ---------------------------------------------------------------- the network ------------

    def export(self, owner: str, report: Report) -> None:
        out = self.root / "out" / owner
        with self.pc(owner) as pc:
            written = pc.sync.export(owner, out)
        for result in written:
            data = result.path.read_bytes()
            result.path.unlink()
            report.bundles += 1
            self.history.append((result.recipient_id, data))
            if self.rng.random() < self.faults.lose:
                report.lost += 1  # a stick left in a drawer: its records come again later
                continue
            self.network.append((result.recipient_id, data))
            if self.rng.random() < self.faults.duplicate:
                report.duplicated += 1
                self.network.append((result.recipient_id, data))

    def deliver(self, report: Report, *, hostile: bool = True) -> None:
        """Deliver what is in flight, in random order; replay some old copies."""
        batch, self.network = self.network, []
        if hostile:
            for _ in range(sum(self.rng.random() < self.faults.replay for _ in batch)):
                batch.append(self.rng.choice(self.history))
                report.replayed += 1
        self.rng.shuffle(batch)
        for recipient, data in batch:
            if recipient not in self.folders:
                continue
            step = (self.rng.choice(STEPS) if hostile and self.rng.random() < self.faults.kill
                    else None)
            self._import(recipient, data, step, report)

    def _import(self, owner: str, data: bytes, step: str | None, report: Report) -> None:
        def crash(name: str) -> None:
            if name == step:
                raise _Killed(name)

        report.imports += 1
        original = importer_module.crash_point
        importer_module.crash_point = crash
        try:
            with self.pc(owner) as pc:
                result = pc.sync.import_bytes(data)
        except _Killed:
            report.killed += 1
            if step != "import-committed":
                self.network.append((owner, data))  # the person imports it again later
            return
        finally:
            importer_module.crash_point = original
        if result.status == "held":
            report.held += 1
        elif result.status == "refused":
            report.refused += 1

    def exchange(self, report: Report, *, hostile: bool = True) -> None:
        for owner in ["agency", *self.people]:
            self.export(owner, report)
        self.deliver(report, hostile=hostile)


# ------------------------------------------------------------------ what people do ----------


def _work_month(world: World, period: Period) -> None:
    rng = world.rng
    staff = [p for p in world.people if p in world.evaluator]
    plans: dict[str, list[str]] = {}
    for person in staff:
        leader = world.evaluator[person]
        with world.pc(leader) as pc:
            items = pc.assignments.allowed_items(person)[:8]
            chosen = rng.sample(items, k=min(2, len(items)))
            plans[person] = [pc.assignments.assign(
                leader, person, item.code, str(period), Decimal(rng.randint(1, 3)),
                period.end).id for item in chosen]


def _log(world: World, period: Period) -> None:
    rng = world.rng
    for person in [p for p in world.people if p in world.evaluator]:
        with world.pc(person) as pc:
            with pc.db.unit_of_work(read_only=True) as uow:
                plan = [a for a in uow.assignments.list_for_person(person, period)]
            for assignment in plan:
                with pc.db.unit_of_work(read_only=True) as uow:
                    code = uow.catalog.get_item(assignment.catalog_item_id).code
                day = period.start + dt.timedelta(days=rng.randint(0, 20))
                while day.weekday() >= 5:
                    day += dt.timedelta(days=1)
                with contextlib.suppress(KpiError):
                    pc.worklog.add_entry(person_id=person, work_date=day, item_code=code,
                                         quantity=assignment.quantity,
                                         assignment_id=assignment.id, completed_on=day,
                                         submit=True, output_description=f"Hồ sơ {day:%d/%m}")
            criteria = {c.code: c.max_points - Decimal(rng.choice(("0", "0.5", "1")))
                        for c in pc.self_assessment.criteria()}
            with contextlib.suppress(KpiError):
                pc.self_assessment.save(person, period, criteria, submit=True)


def _review(world: World, period: Period) -> None:
    rng = world.rng
    for person in [p for p in world.people if p in world.evaluator]:
        leader = world.evaluator[person]
        with world.pc(leader) as pc:
            for item in pc.review.inbox(leader, person_id=person).items:
                with contextlib.suppress(KpiError):  # e.g. a month locked meanwhile
                    if rng.random() < 0.2 and item.entry.current_revision == 1:
                        pc.review.return_entry(leader, item.entry.id, "Thiếu số văn bản")
                    else:
                        pc.review.confirm(leader, item.entry.id)


def _revise(world: World) -> None:
    for person in [p for p in world.people if p in world.evaluator]:
        with world.pc(person) as pc:
            with pc.db.unit_of_work(read_only=True) as uow:
                returned = uow.worklog.list_by_status(EntryStatus.RETURNED,
                                                      person_ids=[person])
            for entry in returned:
                with contextlib.suppress(KpiError):  # its month was locked meanwhile
                    pc.daily.submit(person, entry.id, reason="Đã bổ sung số văn bản")


def _decide(world: World, period: Period) -> None:
    rng = world.rng
    for person in [p for p in world.people if p in world.evaluator]:
        leader = world.evaluator[person]
        with world.pc(leader) as pc:
            with pc.db.unit_of_work(read_only=True) as uow:
                month = uow.evaluations.get_monthly(person, period)
            if month is None or not month.self_criteria or month.status in (
                    EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED):
                continue
            for item in pc.review.inbox(leader, person_id=person).items:
                with contextlib.suppress(KpiError):
                    pc.review.confirm(leader, item.entry.id)
            try:
                pc.evaluation.confirm(leader, person, period)
            except KpiError:
                continue
            if rng.random() < 0.3:  # unlocked with a reason, confirmed again lower
                pc.evaluation.unlock(leader, person, period, "Chấm lại tiêu chí chung")
                criteria = dict(month.self_criteria)
                first = sorted(criteria)[0]
                criteria[first] = max(Decimal(0), criteria[first] - Decimal(1))
                pc.evaluation.confirm(leader, person, period, criteria=criteria,
                                      comment="Trừ 1 điểm tiêu chí chung")


# ------------------------------------------------------------------ the checks ------------


def _check(world: World, report: Report) -> None:
    """Every PC holds the newest version of what it should; the agency's results are the
    authors'; nothing is lost."""
    def read(owner: str) -> dict[str, Any]:
        with world.pc(owner, unlock=False) as pc, pc.db.unit_of_work(read_only=True) as uow:
            own = set() if owner == "agency" else {
                r.entry_id for r in uow.sync.revisions_by_authors([owner])}
            return {
                "entries": own,
                "revisions": {(r.entry_id, r.revision): r.snapshot_sha256
                              for r in uow.sync.revisions_by_authors(world.people)},
                "statements": {s.id for s in uow.sync.statements_by_reviewers(world.people)},
                "months": {(e.person_id, str(e.period)): (e.status, e.total,
                                                          e.evaluator_signature)
                           for e in uow.evaluations.list_monthly(person_ids=world.people)
                           if e.confirmed_at is not None or e.evaluator_signature},
            }

    views = {owner: read(owner) for owner in ["agency", *world.people]}
    agency = views["agency"]
    for person in world.people:
        own = views[person]
        mine = {k: v for k, v in own["revisions"].items() if k[0] in own["entries"]}
        for key, sha in mine.items():
            for holder in ("agency", world.evaluator.get(person)):
                if holder and views[holder]["revisions"].get(key) != sha:
                    report.problems.append(f"revision {key} of {person} missing at {holder}")
        leader = world.evaluator.get(person)
        if leader is None:
            continue
        decided = {k: v for k, v in views[leader]["months"].items() if k[0] == person}
        for key, value in decided.items():
            for holder in ("agency", person):
                if views[holder]["months"].get(key) != value:
                    report.problems.append(f"month {key} at {holder} is "
                                           f"{views[holder]['months'].get(key)!r:.60}, "
                                           f"its evaluator decided {value!r:.60}")
        for statement in views[leader]["statements"]:
            if statement not in agency["statements"]:
                report.problems.append(f"statement {statement} of {leader} missing at agency")


# ------------------------------------------------------------------ running ----------------


def run(demo: Path, root: Path, *, people: list[str], months: int, seed: int,
        faults: Faults | None = None, quiet_rounds: int = 6) -> Report:
    """Run a simulation in ``root`` (a fresh folder) from the demo data folder ``demo``."""
    started = time.perf_counter()
    faults = faults or Faults()
    world = World(root, demo, people, seed, faults)
    report = Report(people=len(people), months=months, seed=seed)
    for number in range(months):
        period = Period.month(2027, number + 1) if number else Period.parse("2026-12")
        world.today = period.start + dt.timedelta(days=2)
        _work_month(world, period)
        world.exchange(report)
        world.today = period.start + dt.timedelta(days=24)
        _log(world, period)
        world.exchange(report)
        _review(world, period)
        world.exchange(report)
        _revise(world)
        world.exchange(report)
        world.today = period.end + dt.timedelta(days=3)
        world.exchange(report)
        _decide(world, period)
        world.exchange(report)
    for _ in range(quiet_rounds):  # everything arrives now: no loss, no kill, no replay
        report.quiet_rounds += 1
        world.exchange(report, hostile=False)
        if not world.network:
            break
    for _ in range(2):
        world.exchange(report, hostile=False)
    _check(world, report)
    report.seconds = time.perf_counter() - started
    return report


def demo_people(demo: Path, count: int | None) -> list[str]:
    """The demo people (all, or the first ``count`` with a leader among them)."""
    services = AppServices.open(app_paths(demo))
    try:
        with services.db.unit_of_work(read_only=True) as uow:
            people = [p.id for p in uow.org.list_people()]
            relations = uow.org.list_evaluator_relations()
    finally:
        services.close()
    if count is None:
        return people
    leader = next(r.evaluator_id for r in relations if r.evaluator_id != "ct")
    staff = [r.evaluatee_id for r in relations if r.evaluator_id == leader]
    return [leader, *staff[: max(1, count - 1)]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", default="all", help="all, or how many")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=335)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-convergence-") as folder:
        root = Path(folder)
        demo = root / "demo"
        services = AppServices.open(app_paths(demo))
        try:
            services.demo.create(today=dt.date(2026, 11, 23))
        finally:
            services.close()
        people = demo_people(demo, None if args.people == "all" else int(args.people))
        report = run(demo, root / "world", people=people, months=args.months, seed=args.seed)
    print("\n".join(report.lines()))
    return 0 if report.converged else 1


if __name__ == "__main__":
    raise SystemExit(main())
