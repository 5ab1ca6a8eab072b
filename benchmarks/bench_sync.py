"""Signed bundles at unit size: export and import of one month for everyone, hub ingest rate.

    python benchmarks/bench_sync.py [--size unit] [--pg URL]

Set-up (cached beside the data sets): the generated one-month data folder of the size, with a
real Ed25519 key for the agency and for every person (sealed with a low scrypt cost: the cost
only slows unlocking, not signing or verifying), enrolled as the agency's PC enrols them.

* export: every person's PC exports their month (``SyncService.export``: signs every record
  with the person's key, one bundle per recipient, encrypted for leaders and the agency, its
  data files deflated first: every PC has heard that its peers read format 2);
* import: the agency's PC, without the month's entries, revisions and statements, imports the
  bundles addressed to it (``SyncService.import_paths``: signature, manifest hashes,
  decryption, every record's signature, insert);
* hub ingest: ``HubService.receive`` of every bundle (verification without decryption, then
  stored) into SQLite, and into PostgreSQL with ``--pg`` (or ``KPI_TEST_PG_URL``).

Limits measured in the same run: Ed25519 verifications per second and SHA-256 MB/s
(``kpi_desktop.sync.keys`` → cryptography, hashlib), raw ``sqlite3`` inserts of the same
number of rows; the import's limit is the sum of verify + hash + insert for its signatures,
bytes and rows.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from kpi_desktop.runtime.paths import app_paths  # noqa: E402
from kpi_desktop.storage import seals  # noqa: E402
from kpi_desktop.sync import keys as crypto  # noqa: E402
from kpi_desktop.sync.bundle import data_file  # noqa: E402

# The verifying worker processes (spawned) import the main module again: kept as light as the
# application's own (kpi_desktop.app, a few ms), the data generator and the services (~0.9 s
# a worker) are imported where they are used — else every worker's start, part of the timed
# import, would cost more than in the application.
if TYPE_CHECKING:
    from kpi_desktop.services.context import AppServices

PASSPHRASE = "benchmark-pass"
AGENCY = "agency"
FAST_COST = 10
VERSION = 1
TODAY = None  # set from the data: the last day of the generated month


@dataclass
class SyncFigures:
    people: int
    bundles: int
    bundle_bytes: int
    export_s: float
    agency_bundles: int
    records: int
    import_s: float
    import_backups: int
    verify_per_s: float
    sha256_mb_s: float
    raw_rows_per_s: float
    hub_sqlite_s: float
    hub_bundles: int
    hub_pg_s: float | None
    verify_all_cores_per_s: float = 0.0  # every core verifying at once (processes)
    cores: int = 1
    export_signatures: int = 0  # signatures the export made (records + bundle headers)
    sign_per_s: float = 0.0
    export_io_s: float = 0.0  # encrypt + zip + write + fsync of the export's bundles, raw

    def _import_limit(self, verify_per_s: float) -> float:
        signatures = self.records + self.agency_bundles
        return (signatures / verify_per_s
                + self.bundle_bytes / 2**20 / self.sha256_mb_s
                + self.records / self.raw_rows_per_s)

    @property
    def import_limit_s(self) -> float:
        """Verify every signature (records + headers) on one core, hash every byte, insert
        every row."""
        return self._import_limit(self.verify_per_s)

    @property
    def import_limit_all_cores_s(self) -> float:
        """The same with the signatures verified on every core at once."""
        return self._import_limit(self.verify_all_cores_per_s or self.verify_per_s)

    @property
    def export_limit_s(self) -> float:
        """Make every signature the export made (one core), then encrypt, zip, write and
        fsync every bundle it wrote."""
        return (self.export_signatures / self.sign_per_s if self.sign_per_s else 0.0) + \
            self.export_io_s


def _open(folder: Path) -> AppServices:
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(folder))
    services.keys.cost = FAST_COST
    return services


def world(size: str) -> tuple[Path, list[str]]:
    """The one-month data folder with every key created and enrolled (cached)."""
    import generate

    data, _generated = generate.cached(size, months=1)
    folder = generate.cache_dir() / f"sync-{size}-m1-v{generate.VERSION}.{VERSION}"
    services = None
    if not (folder / "kpi.db").exists():
        partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(data, partial)
        services = _open(partial)
        try:
            services.keys.create(AGENCY, PASSPHRASE, enrol=True, cost=FAST_COST)
            with services.db.unit_of_work(read_only=True) as uow:
                people = [p.id for p in uow.org.list_people()]
            for pid in people:
                services.keys.create(pid, PASSPHRASE, enrol=True, cost=FAST_COST)
        finally:
            services.close()
        partial.rename(folder)
    services = _open(folder)
    try:
        with services.db.unit_of_work(read_only=True) as uow:
            people = sorted(p.id for p in uow.org.list_people())
    finally:
        services.close()
    return folder, people


def everyone_reads_the_newest_format(folder: Path) -> None:
    """The steady state of a unit where every PC runs this version: each PC has heard from its
    peers (the agency's organisation file, the leaders' and officials' bundles), which said
    they read the newest format (``services.sync.formats``): the export deflates its data
    files before encrypting them."""
    from kpi_desktop.services.sync.formats import remember_reads
    from kpi_desktop.sync.bundle import READS

    services = _open(folder)
    try:
        with services.db.unit_of_work() as uow:
            for peer in [AGENCY, *(p.id for p in uow.org.list_people())]:
                remember_reads(uow, peer, READS)
    finally:
        services.close()


@dataclass
class Written:
    """What one bundle of the export held before it was written (for the export's limit)."""

    members: dict[str, bytes]
    deflated: bool


def export_all(folder: Path, people: list[str], out: Path
               ) -> tuple[float, int, list[Written]]:
    """Every person's export of their month: (seconds, signatures made, the bundles' plain
    contents as handed to ``write_bundle``)."""
    from kpi_desktop.services.sync import plan

    services = _open(folder)
    made = [0]
    sign = crypto.KeyPair.sign
    write = plan.write_bundle
    handed: list[tuple[dict[str, Any], dict[str, bytes], bool]] = []

    def counted(self: crypto.KeyPair, data: bytes) -> bytes:
        made[0] += 1
        return sign(self, data)

    def kept(**kwargs: Any) -> bytes:
        handed.append((kwargs["records"], kwargs.get("files") or {},
                       bool(kwargs.get("deflate")) and kwargs.get("encrypt_to") is not None))
        return write(**kwargs)

    try:
        for pid in people:
            services.keys.unlock(pid, PASSPHRASE)
        crypto.KeyPair.sign = counted  # type: ignore[method-assign]
        plan.write_bundle = kept  # type: ignore[assignment]
        started = time.perf_counter()
        for pid in people:
            services.sync.export(pid, out / pid)
        seconds = time.perf_counter() - started
    finally:
        crypto.KeyPair.sign = sign  # type: ignore[method-assign]
        plan.write_bundle = write  # type: ignore[assignment]
        services.close()
    written = [Written({**{f"data/{name}.jsonl": data_file(rows)
                           for name, rows in records.items()},
                        **{f"files/{n}": c for n, c in files.items()}}, deflated)
               for records, files, deflated in handed]
    return seconds, made[0], written


def sign_rate(seconds: float = 0.5) -> float:
    """Ed25519 signatures a second on one core (600-byte records, the key object kept)."""
    key = crypto.generate_key()
    data = b"x" * 600
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(100):
            key.sign(data)
        count += 100
    return count / (time.perf_counter() - started)


def export_io_seconds(bundles: list[Written]) -> float:
    """The raw work of writing the export's bundles, without our code around it: the data
    files deflated first where the export deflated them (the same zlib level), AES-256-GCM
    over each file, into a zip (stored: ciphertext does not compress), write, fsync the file
    and its folder."""
    import io
    import zipfile
    import zlib

    from kpi_desktop.sync.bundle import _DEFLATE_LEVEL

    cipher = AESGCM(AESGCM.generate_key(bit_length=256))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        for index, bundle in enumerate(bundles):
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
                for name, content in bundle.members.items():
                    if bundle.deflated and name.startswith("data/"):
                        content = zlib.compress(content, _DEFLATE_LEVEL)
                    archive.writestr(name, cipher.encrypt(os.urandom(12), content, None))
            with open(folder / f"{index}.kpib", "wb") as handle:
                handle.write(out.getvalue())
                handle.flush()
                os.fsync(handle.fileno())
            descriptor = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        return time.perf_counter() - started


def _verify_for(seconds: float) -> int:
    key = crypto.generate_key()
    data = b"x" * 600
    signature = key.sign(data)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(100):
            crypto.verify(key.public_key, signature, data)
        count += 100
    return count


def verify_rate_all_cores(seconds: float = 1.0) -> tuple[float, int]:
    """Ed25519 verifications a second with every core verifying at once (one process a
    core, started beforehand): the two-core limit on this machine; and the cores."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kpi_desktop.sync.verifier import cores

    n = cores()
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_verify_for, [0.05] * n))  # started and warm
        started = time.perf_counter()
        counts = list(pool.map(_verify_for, [seconds] * n))
        return sum(counts) / (time.perf_counter() - started), n


def without_the_month(folder: Path) -> None:
    """The agency's PC before the month's bundles arrive: no entries, revisions, statements."""
    con = sqlite3.connect(folder / "kpi.db")
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        with con:
            for table in ("review_statements", "entry_revisions", "work_log_entries"):
                con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            # Sealed as the application seals its own deletions (in the same transaction):
            # otherwise the start-up check rightly reports rows deleted by another program.
            seals.seal_pending(con)
        con.execute("VACUUM")
    finally:
        con.close()


def verify_rate(seconds: float = 0.5) -> float:
    key = crypto.generate_key()
    data = b"x" * 600
    signature = key.sign(data)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(100):
            crypto.verify(key.public_key, signature, data)
        count += 100
    return count / (time.perf_counter() - started)


def sha256_rate(megabytes: int = 64) -> float:
    block = os.urandom(2**20)
    started = time.perf_counter()
    digest = hashlib.sha256()
    for _ in range(megabytes):
        digest.update(block)
    return megabytes / (time.perf_counter() - started)


def raw_insert_rate(rows: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        con = sqlite3.connect(Path(tmp) / "raw.db")
        con.execute("CREATE TABLE r (id TEXT PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT, "
                    "e TEXT, f TEXT, g TEXT)")
        data = [(f"r-{i:08d}", "p", "2026-06-15", "x", "1", "2.5", "y" * 40, "z" * 64)
                for i in range(rows)]
        started = time.perf_counter()
        with con:
            con.executemany("INSERT INTO r VALUES (?,?,?,?,?,?,?,?)", data)
        seconds = time.perf_counter() - started
        con.close()
    return rows / seconds


def hub_ingest(folder: Path, files: list[Path], store_url: str | None) -> float:
    from kpi_desktop.services.hub import HubService, open_hub_database

    services = _open(folder)
    store = None
    try:
        if store_url:
            store = open_hub_database(store_url)
            _empty_hub(store)
        hub = HubService(services.db, services.sync, store)
        contents = [f.read_bytes() for f in files]
        started = time.perf_counter()
        for data in contents:
            status, _line = hub.receive(data)
            assert status == "stored", status
        return time.perf_counter() - started
    finally:
        if store is not None:
            store.close()
        services.close()


def _empty_hub(store: Any) -> None:
    from sqlalchemy import text

    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM hub_bundles"))


def measure(size: str = "unit", pg_url: str | None = None,
            sample: int | None = None) -> SyncFigures:
    """The figures for everyone, or for the people of the first ``sample`` copies of the four
    divisions (24 people each, heads included, without the chairman) when given: the export
    signs ~0.4 s a person, so everyone at unit size takes about 7 minutes (see BENCHMARKS.md)."""
    folder, everyone = world(size)
    copies = {f"-{n}" for n in range(1, (sample or 0) + 1)}
    people = [p for p in everyone if p[p.rfind("-"):] in copies] if sample else everyone
    # Not the chairman: the generator has him confirm his own entries (he has no evaluator in
    # the data set), which a real import rightly refuses (separation of duties).
    people = [p for p in people if p != "ct"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pc = root / "pcs"
        shutil.copytree(folder, pc)
        agency_pc = root / "agency"
        shutil.copytree(folder, agency_pc)
        without_the_month(agency_pc)
        everyone_reads_the_newest_format(pc)
        os.sync()  # the copies at rest, as a PC's data are (not 200 MB still being written)
        out = root / "out"
        export_s, export_signatures, written = export_all(pc, people, out)
        files = sorted(out.rglob("*.kpib"))
        to_agency = [f for f in files if "_to_agency_" in f.name]
        services = _open(agency_pc)
        try:
            services.keys.unlock(AGENCY, PASSPHRASE)
            backups = len(list(services.paths.backup_dir.glob("*.db")))
            # Work (revisions) before reviews (statements about them): import_paths takes
            # files in name order, and "KPI_review_…" sorts first. Two batches, as an
            # administrator importing two folders would (one backup each): the work bundles,
            # then the review bundles.
            work = [f for f in to_agency if "_review_" not in f.name]
            reviews = [f for f in to_agency if "_review_" in f.name]
            started = time.perf_counter()
            results = [*services.sync.import_paths(work), *services.sync.import_paths(reviews)]
            import_s = time.perf_counter() - started
            backups = len(list(services.paths.backup_dir.glob("*.db"))) - backups
        finally:
            services.close()
        refused = [r for r in results if r.status not in ("imported", "already")]
        assert not refused, refused[0].error
        records = sum(sum(r.counts.values()) for r in results)
        hub_sqlite = hub_ingest(pc, files, None)
        hub_pg = hub_ingest(pc, files, pg_url) if pg_url else None
        all_cores, cores = verify_rate_all_cores()
        return SyncFigures(
            people=len(people), bundles=len(files),
            bundle_bytes=sum(f.stat().st_size for f in to_agency), export_s=export_s,
            agency_bundles=len(to_agency), records=records, import_s=import_s,
            import_backups=backups, verify_per_s=verify_rate(), sha256_mb_s=sha256_rate(),
            raw_rows_per_s=raw_insert_rate(max(records, 10_000)), hub_sqlite_s=hub_sqlite,
            hub_bundles=len(files), hub_pg_s=hub_pg,
            verify_all_cores_per_s=all_cores, cores=cores, export_signatures=export_signatures,
            sign_per_s=sign_rate(), export_io_s=export_io_seconds(written))


def main(argv: list[str]) -> int:
    import argparse

    import generate

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="unit")
    parser.add_argument("--pg", default=os.environ.get("KPI_TEST_PG_URL"))
    parser.add_argument("--sample", type=int,
                        help="only the people of the first N copies of the divisions")
    args = parser.parse_args(argv)
    f = measure(args.size, args.pg, args.sample)
    print(f)
    print(f"export {f.export_s:.2f} s, limit {f.export_limit_s:.2f} s "
          f"({f.export_signatures} signatures at {f.sign_per_s:,.0f}/s + raw bundle writing "
          f"{f.export_io_s:.2f} s), ratio {f.export_s / f.export_limit_s:.1f}")
    print(f"import {f.import_s:.2f} s; limit one core {f.import_limit_s:.2f} s (verify "
          f"{f.verify_per_s:,.0f}/s), ratio {f.import_s / f.import_limit_s:.2f}; limit "
          f"{f.cores} cores {f.import_limit_all_cores_s:.2f} s (verify "
          f"{f.verify_all_cores_per_s:,.0f}/s), ratio "
          f"{f.import_s / f.import_limit_all_cores_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
