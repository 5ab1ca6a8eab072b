"""The checks trust adds, on a year of signed records: every stored signature verified.

    python benchmarks/bench_check.py [--size unit]

Set-up (cached beside the data sets): the generated 12-month data folder of the size with a
real Ed25519 key for the agency and every person (``KeyService.create``, enrolled; scrypt
cost 10: the cost only slows unlocking) and every entry revision and review statement signed
by its author with the kind's own canonical bytes (``RecordKind.signed_forms``), as their
exports would have signed them — at unit size 446,400 revisions and as many statements.

Measured: the signature check of ``kpi-desktop check`` (``services.sync.kinds.verify_stored``:
every stored record of every kind, read, its canonical bytes rebuilt and its signature
verified, in batches on every core), beside the limit measured in the same run: the same
number of raw Ed25519 verifications on every core at once (``bench_sync.verify_rate_all_cores``)
and on one core; and, when the integrity work's ``IntegrityService.full_check`` is present, the
whole check with its progress callback.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

if __name__ != "__mp_main__":  # the verifier's spawned workers re-run this top: keep it light
    import generate  # noqa: E402
    from bench_sync import (  # noqa: E402
        AGENCY,
        FAST_COST,
        PASSPHRASE,
        _open,
        verify_rate,
        verify_rate_all_cores,  # noqa: E402
    )

VERSION = 1


@dataclass
class CheckFigures:
    records: int  # signed records verified
    problems: int
    check_s: float
    verify_per_s: float
    verify_all_cores_per_s: float
    cores: int
    full_check_s: float | None = None
    full_check_progress: int = 0  # progress calls the full check made

    @property
    def limit_s(self) -> float:
        return self.records / self.verify_all_cores_per_s

    @property
    def one_core_limit_s(self) -> float:
        return self.records / self.verify_per_s


def signed_year(size: str) -> Path:
    """The 12-month data folder with everyone's key and every revision and statement signed
    (cached)."""
    data, _generated = generate.cached(size, months=12)
    folder = generate.cache_dir() / f"check-{size}-m12-v{generate.VERSION}.{VERSION}"
    if (folder / "kpi.db").exists():
        return folder
    from kpi_desktop.services.sync.kinds.revisions import RevisionKind
    from kpi_desktop.services.sync.kinds.statements import ReviewStatementKind, SignedStatement

    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(data, partial)
    services = _open(partial)
    revisions, statements = RevisionKind(), ReviewStatementKind()
    try:
        services.keys.create(AGENCY, PASSPHRASE, enrol=True, cost=FAST_COST)
        with services.db.unit_of_work(read_only=True) as uow:
            people = sorted(p.id for p in uow.org.list_people())
        for pid in people:
            services.keys.create(pid, PASSPHRASE, enrol=True, cost=FAST_COST)
        for pid in people:
            key = services.keys.unlock(pid, PASSPHRASE)
            with services.db.unit_of_work() as uow:
                signed = [revisions.with_signature(r, key.sign(revisions.signed_forms(r)[0]),
                                                   key.fingerprint)
                          for r in uow.sync.revisions_by_authors([pid])]
                uow.sync.set_revision_signatures(signed)
                mine = uow.sync.statements_by_reviewers([pid])
                shas = uow.sync.revision_hashes({(s.entry_id, s.revision) for s in mine})
                made = []
                for statement in mine:
                    record = SignedStatement(statement, shas[(statement.entry_id,
                                                              statement.revision)])
                    made.append((statement.id, key.sign(statements.signed_forms(record)[0]),
                                 key.fingerprint))
                uow.sync.set_statement_signatures(made)
    finally:
        services.close()
    partial.rename(folder)
    return folder


def measure(size: str = "unit") -> CheckFigures:
    from kpi_desktop.services.sync.kinds import REGISTRY, verified_in_batches

    folder = signed_year(size)
    services = _open(folder)
    try:
        # What services.sync.kinds.verify_stored does (kind by kind, in batches on every
        # core), counting the records on the way.
        with services.db.unit_of_work(read_only=True) as uow:
            started = time.perf_counter()
            keys: dict[str, Any] = {}

            def lookup(fp: str) -> Any:
                if fp not in keys:
                    keys[fp] = uow.org.find_key(fp)
                return keys[fp]

            records = problems = 0
            for kind in REGISTRY:
                for _record, problem in verified_in_batches(kind, kind.stored(uow), lookup):
                    records += 1
                    problems += problem is not None
            seconds = time.perf_counter() - started
        all_cores, cores = verify_rate_all_cores()
        figures = CheckFigures(records=records, problems=problems, check_s=seconds,
                               verify_per_s=verify_rate(), verify_all_cores_per_s=all_cores,
                               cores=cores)
        integrity = getattr(services, "integrity", None)
        full_check = getattr(integrity, "full_check", None)
        if full_check is not None:
            calls = [0]

            def progress(*_args: Any) -> None:
                calls[0] += 1

            started = time.perf_counter()
            full_check(progress=progress)
            figures.full_check_s = time.perf_counter() - started
            figures.full_check_progress = calls[0]
        return figures
    finally:
        services.close()


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="unit")
    args = parser.parse_args(argv)
    f = measure(args.size)
    print(f)
    print(f"signature check of {f.records:,} records: {f.check_s:.1f} s ({f.problems} "
          f"problems); limit {f.limit_s:.1f} s on {f.cores} cores "
          f"({f.verify_all_cores_per_s:,.0f}/s), ratio {f.check_s / f.limit_s:.2f}; one core "
          f"{f.one_core_limit_s:.1f} s ({f.verify_per_s:,.0f}/s)")
    if f.full_check_s is not None:
        print(f"full check {f.full_check_s:.1f} s, ratio {f.full_check_s / f.limit_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
