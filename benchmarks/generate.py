"""Realistic benchmark data: a commune (30 people) or a large unit (300 people), a year of work.

    python benchmarks/generate.py --size commune|unit [--months 12] [--out DIR]

The organisation copies the demo's structure (kpi_desktop.services.demo_data): the chairman
("ct") evaluates the heads, each head the deputy and staff of the division; divisions are
repeated (vp1, hcc1, kt1, vhxh1, vp2, ...) until the size is reached. The catalog is the demo's
real Nghĩa Lâm catalog. Every person logs about 6 entries a working day (about 1,500 a year):
mostly on 5-7 assigned catalog items, some ad hoc; each entry has its revision (snapshot +
SHA-256), a confirmation, and at the person's profile rates a return (then a second revision),
a delay or a failed review. The entries of the last 3 working days of the last month are
submitted but not reviewed yet (the leaders' inboxes). Every month ends with a LOCKED Form 01
evaluation carrying stored totals and level (plausible values from the profile, not
recomputed by the engine: computing 3,600 person-months with the engine would take minutes;
classification reads the stored totals).

Rows are written person by person with ``uow.bulk_insert`` (Core executemany).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from kpi_desktop.domain.model import (
    Assignment,
    CatalogItem,
    EntryRevision,
    EntryStatus,
    EvaluationStatus,
    EvaluatorRelation,
    ExtraKind,
    ItemScope,
    JobPosition,
    MonthlyEvaluation,
    Organisation,
    Period,
    Person,
    PersonRole,
    PolicyVersion,
    ReviewStatement,
    StatementKind,
    Unit,
    UnitKind,
    UnitMembership,
    WorkLogEntry,
    canonical_json,
    utc_now,
)
from kpi_desktop.runtime.paths import app_paths, resource_root
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.scoring.levels import level_for
from kpi_desktop.services import demo_data
from kpi_desktop.services.context import AppServices

SIZES = {"commune": 30, "unit": 300}
YEAR = 2026
ENTRIES_PER_DAY = 6
WAITING_DAYS = 3  # the last working days of the last month wait in the leaders' inboxes
VERSION = 5  # bump when the generated data changes or the schema moves (invalidates the cache)
DIVISIONS = [u for u in demo_data.UNITS if u[0] != "xa"]
TEMPLATE = [p for p in demo_data.PEOPLE if p[0] != "ct"]  # 24 people in 4 divisions


@dataclass
class Generated:
    """What :func:`generate` wrote and how long it took."""

    path: Path
    people: int
    months: int
    entries: int
    rows: int
    seconds: float


def _people(count: int) -> tuple[list[Unit], list[Person], dict[str, str], dict[str, str]]:
    """Units, people, evaluator of each person and profile name of each person."""
    chairman = demo_data.PEOPLE[0]
    xa = demo_data.UNITS[0]
    units = [Unit(id=xa[0], organisation_id=demo_data.ORG_ID, name_vi=xa[1], name_en=xa[2],
                  kind=xa[3], parent_id=None, code="XA")]
    people = [Person(id=chairman[0], full_name=chairman[1], unit_id="xa", role=chairman[3],
                     job_position_id=chairman[2], joined_on=dt.date(2020, 1, 1))]
    profiles = {chairman[0]: chairman[5]}
    copies = -(-(count - 1) // len(TEMPLATE))
    for copy in range(1, copies + 1):
        for uid, vi, en, _kind, _parent in DIVISIONS:
            units.append(Unit(id=f"{uid}{copy}", organisation_id=demo_data.ORG_ID,
                              name_vi=f"{vi} {copy}", name_en=f"{en} {copy}",
                              kind=UnitKind.DIVISION, parent_id="xa", code=f"{uid}{copy}".upper()))
    for index in range(count - 1):
        copy = index // len(TEMPLATE) + 1
        pid, name, position, role, unit, profile, _joined = TEMPLATE[index % len(TEMPLATE)]
        people.append(Person(id=f"{pid}-{copy}", full_name=f"{name} {copy}",
                             unit_id=f"{unit}{copy}", role=role, job_position_id=position,
                             joined_on=dt.date(2020, 1, 1)))
        profiles[f"{pid}-{copy}"] = profile
    heads = {p.unit_id: p.id for p in people if p.role is PersonRole.HEAD and p.id != "ct"}
    evaluator = {}
    for person in people[1:]:
        head = heads.get(person.unit_id)
        evaluator[person.id] = "ct" if person.role is PersonRole.HEAD or head is None else head
    return units, people, evaluator, profiles


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def _person_rows(rng: random.Random, person: Person, profile: demo_data.Profile,
                 evaluator_id: str | None, allowed: list[CatalogItem], months: list[Period],
                 policy: ScoringPolicy) -> tuple[list[object], int]:
    """Assignments, entries, revisions, statements and evaluations of one person's year."""
    own = [i for i in allowed if i.scope is not ItemScope.SHARED]
    shared = [i for i in allowed if i.scope is ItemScope.SHARED and i.coefficient <= 12]
    regular = rng.sample(own, k=min(len(own), 6)) + rng.sample(shared, k=3)
    extras = [i for i in allowed if i.coefficient <= 4] or allowed
    assignments: list[object] = []
    entries: list[object] = []
    revisions: list[object] = []
    statements: list[object] = []
    evaluations: list[object] = []
    for period in months:
        days = demo_data.working_days(period.start, period.end)
        chosen = rng.sample(regular, k=min(len(regular), rng.randint(5, 7)))
        completion = rng.uniform(*profile.completion)
        deadline = days[-1]
        waiting = set(days[-WAITING_DAYS:]) if period == months[-1] else set()
        counts: dict[str, int] = {}
        by_item = {}
        for day in days:
            for slot in range(ENTRIES_PER_DAY):
                ad_hoc = rng.random() < 0.15
                item = rng.choice(extras if ad_hoc else chosen)
                assignment_id = None if ad_hoc else f"a-{person.id}-{period}-{item.code}"
                if assignment_id:
                    counts[assignment_id] = counts.get(assignment_id, 0) + 1
                    by_item[assignment_id] = item
                entry_id = f"e-{person.id}-{day:%m%d}-{slot}"
                created = _at(day, 8 + slot)
                entry = WorkLogEntry(
                    id=entry_id, person_id=person.id, work_date=day, catalog_item_id=item.id,
                    quantity=Decimal(1), coefficient=item.coefficient, created_at=created,
                    updated_at=created, assignment_id=assignment_id,
                    extra_kind=ExtraKind.AD_HOC if ad_hoc else ExtraKind.NONE,
                    time_norm_minutes=item.time_norm_minutes,
                    complexity_level=item.complexity_level,
                    output_doc_number=f"{rng.randint(10, 480)}/CV-UBND",
                    output_description=item.output_vi, deadline=None if ad_hoc else deadline,
                    completed_on=day, status=EntryStatus.CONFIRMED, current_revision=1,
                    confirmed_revision=1)
                snapshot = canonical_json(entry.snapshot())
                digest = hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
                revisions.append(EntryRevision(entry_id=entry_id, revision=1,
                                               snapshot_json=snapshot, snapshot_sha256=digest,
                                               created_at=created, author_id=person.id))
                if day in waiting or evaluator_id is None:
                    # Submitted, not reviewed yet (the leader's inbox); the chairman's work
                    # waits for the province: nobody reviews their own entries (issue 13).
                    entries.append(dataclasses.replace(entry, status=EntryStatus.SUBMITTED,
                                                       confirmed_revision=None))
                    continue
                review = _at(demo_data.add_working_days(day, rng.randint(0, 2)), 9)
                revision = 1
                if rng.random() < profile.return_rate:
                    statements.append(ReviewStatement(
                        id=f"s-{entry_id}-r", entry_id=entry_id, revision=1,
                        reviewer_id=evaluator_id, kind=StatementKind.RETURN, created_at=review,
                        reason=rng.choice(demo_data.RETURN_REASONS)))
                    revision = 2
                    revisions.append(EntryRevision(
                        entry_id=entry_id, revision=2, snapshot_json=snapshot,
                        snapshot_sha256=digest, created_at=review, author_id=person.id,
                        reason=demo_data.REVISION_REASON))
                    entry = dataclasses.replace(entry, current_revision=2, confirmed_revision=2)
                if assignment_id and rng.random() < profile.delay_rate / 4:
                    statements.append(ReviewStatement(
                        id=f"s-{entry_id}-d", entry_id=entry_id, revision=revision,
                        reviewer_id=evaluator_id, kind=StatementKind.DELAY, created_at=review,
                        reason="Hoàn thành sau thời hạn."))
                if assignment_id and rng.random() < profile.fail_rate / 4:
                    statements.append(ReviewStatement(
                        id=f"s-{entry_id}-f", entry_id=entry_id, revision=revision,
                        reviewer_id=evaluator_id, kind=StatementKind.QUALITY_FAILED,
                        created_at=review, reason="Sai sót lớn về nội dung, phải làm lại."))
                statements.append(ReviewStatement(
                    id=f"s-{entry_id}-c", entry_id=entry_id, revision=revision,
                    reviewer_id=evaluator_id, kind=StatementKind.CONFIRM, created_at=review))
                entries.append(entry)
        for assignment_id, done in counts.items():
            item = by_item[assignment_id]
            assignments.append(Assignment(
                id=assignment_id, person_id=person.id, assigner_id=evaluator_id or person.id,
                catalog_item_id=item.id, period=period,
                quantity=Decimal(max(done, round(done / completion))),
                coefficient=item.coefficient, deadline=deadline, created_at=_at(days[0], 8)))
        evaluations.append(_evaluation(rng, person, profile, period, evaluator_id, completion,
                                       policy))
    return [*assignments, *entries, *revisions, *statements, *evaluations], len(entries)


def _evaluation(rng: random.Random, person: Person, profile: demo_data.Profile, period: Period,
                evaluator_id: str | None, completion: float,
                policy: ScoringPolicy) -> MonthlyEvaluation:
    criteria = demo_data._criteria(rng, rng.uniform(*profile.general))
    general = Fraction(sum(criteria.values(), Decimal(0)))
    ratio = Fraction(round(completion * 100), 100)
    task = min(Fraction(70), Fraction(70) * ratio - Fraction(rng.randint(0, 6), 2))
    total = max(Fraction(0), task + general)
    leader = person.role.is_leader
    closed = demo_data.add_working_days(period.end, 3)
    return MonthlyEvaluation(
        person_id=person.id, period=period, status=EvaluationStatus.LOCKED,
        unit_id=person.unit_id, self_criteria=criteria, confirmed_criteria=criteria,
        evaluator_id=evaluator_id, comment="Hoàn thành nhiệm vụ được giao.",
        dd=Decimal(100) if leader else None, e=Decimal(100) if leader else None,
        d=Decimal(100) if leader else None, a=ratio, b=Fraction(1), c=Fraction(1),
        task_ratio=ratio, task_points=task, general_points=general, total=total,
        level=level_for(policy, total), insufficient=False, policy_version=policy.version,
        submitted_at=_at(demo_data.add_working_days(period.end, 1), 9),
        confirmed_at=_at(closed, 10), locked_at=_at(closed, 10))


def generate(out: Path, size: str, *, months: int = 12, seed: int = 335) -> Generated:
    """Write the ``size`` organisation with ``months`` months of work into the data folder
    ``out`` (which must not hold a database yet)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    periods = [Period.month(YEAR, m) for m in range(1, months + 1)]
    policy = ScoringPolicy.default()
    services = AppServices.open(app_paths(out))
    entries = 0
    try:
        with services.db.unit_of_work() as uow:
            org = write_organisation(uow, size, policy)
            rows = org.rows
            allowed_of: dict[str, list[CatalogItem]] = {}
            for person in org.people:
                position = org.positions[person.job_position_id or ""]
                if position.id not in allowed_of:
                    allowed_of[position.id] = [i for i in org.items
                                               if demo_data._allowed(i, position)]
                objects, count = _person_rows(
                    rng, person, demo_data.PROFILES[org.profiles[person.id]],
                    org.evaluator.get(person.id), allowed_of[position.id], periods,
                    policy)
                rows += uow.bulk_insert(objects)
                entries += count
    finally:
        services.close()
    return Generated(out, len(org.people), months, entries, rows,
                     time.perf_counter() - started)


@dataclass
class WrittenOrganisation:
    """What :func:`write_organisation` wrote."""

    people: list[Person]
    evaluator: dict[str, str]
    profiles: dict[str, str]
    positions: dict[str, JobPosition]
    items: list[CatalogItem]
    rows: int


def write_organisation(uow: object, size: str, policy: ScoringPolicy) -> WrittenOrganisation:
    """The ``size`` organisation (units, people, memberships, evaluators, the catalog and
    ``policy`` in force from 1 January) written in the unit of work ``uow``."""
    version, items = demo_data.load_catalog(resource_root() / "demo" / "catalog_nghia_lam.json")
    positions = {p.id: p for p in _positions()}
    units, people, evaluator, profiles = _people(SIZES[size])
    organisation = Organisation(
        id=demo_data.ORG_ID, name_vi=f"Benchmark {size}", name_en=f"Benchmark {size}",
        code="BM", org_version=0, updated_at=demo_data.SOURCE_DATE)
    memberships = [UnitMembership(id=f"m-{p.id}", person_id=p.id, unit_id=p.unit_id,
                                  start_on=dt.date(2020, 1, 1)) for p in people]
    relations = [EvaluatorRelation(id=f"r-{pid}", evaluator_id=eid, evaluatee_id=pid,
                                   start_on=dt.date(2020, 1, 1))
                 for pid, eid in evaluator.items()]
    rows = uow.bulk_insert([organisation, *units, *positions.values(), *people,  # type: ignore[attr-defined]
                            *memberships, *relations, version, *items])
    uow.policies.add(PolicyVersion(version=policy.version,  # type: ignore[attr-defined]
                                   policy_json=policy.to_json(),
                                   active_from=dt.date(YEAR, 1, 1), created_at=utc_now()))
    return WrittenOrganisation(people, evaluator, profiles, positions, items, rows)


def evaluation(rng: random.Random, person: Person, profile_name: str, period: Period,
               evaluator_id: str, policy: ScoringPolicy) -> MonthlyEvaluation:
    """A LOCKED Form 01 of ``person``'s ``period`` with plausible stored totals (as the
    generator writes them, without the work behind them)."""
    profile = demo_data.PROFILES[profile_name]
    return _evaluation(rng, person, profile, period, evaluator_id,
                       rng.uniform(*profile.completion), policy)


def cache_dir() -> Path:
    """Where generated data folders are kept between runs (``KPI_BENCH_CACHE`` or the temp
    folder)."""
    chosen = os.environ.get("KPI_BENCH_CACHE")
    return Path(chosen) if chosen else Path(tempfile.gettempdir()) / "kpi-benchmarks"


def cached(size: str, *, months: int = 12) -> tuple[Path, Generated | None]:
    """The data folder of ``size`` × ``months``, generated unless already cached; returns the
    folder and, when it was generated now, what was generated."""
    folder = cache_dir() / f"{size}-m{months}-v{VERSION}"
    if (folder / "kpi.db").exists():
        return folder, None
    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    result = generate(partial, size, months=months)
    partial.rename(folder)
    return folder, dataclasses.replace(result, path=folder)


def _positions() -> list[JobPosition]:
    """The demo's job positions (as :func:`demo_data.generate` builds them)."""
    return [
        JobPosition(id=pid, name_vi=vi, name_en=en, unit_id=unit if unit == "xa" else f"{unit}1",
                    field_codes=fields,
                    leadership=lead, description_vi=dvi, description_en=den,
                    competency_framework_vi=demo_data.COMPETENCY_VI,
                    competency_framework_en=demo_data.COMPETENCY_EN)
        for pid, vi, en, unit, fields, lead, dvi, den in demo_data.POSITIONS
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="commune")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--out", type=Path, help="an empty data folder (default: the cache)")
    args = parser.parse_args(argv)
    if args.out is None:
        folder, generated = cached(args.size, months=args.months)
        if generated is None:
            print(f"already cached: {folder}")
            return 0
        result = generated
    else:
        result = generate(args.out, args.size, months=args.months)
    print(f"data folder: {result.path}")
    print(f"{result.people} people, {result.months} months, {result.entries} entries, "
          f"{result.rows} rows in {result.seconds:.1f} s "
          f"({result.rows / result.seconds:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
