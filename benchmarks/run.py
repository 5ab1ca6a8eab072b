"""The benchmark suite: generate (or reuse) a data set and measure the leader's heavy operations.

    QT_QPA_PLATFORM=offscreen python benchmarks/run.py --size commune|unit [--repeat 5]
        [--months 12] [--no-gui] [--no-tracemalloc] [--json OUT]

Each figure is the median of ``--repeat`` runs, printed beside the physical limit measured in
the same run on the same machine (and, where it applies, on the same data), with our/limit
ratio. "py MB" is the Python heap peak of one extra run under tracemalloc (for the pages: the
growth of the process's peak RSS while opening them); the whole run's peak RSS is printed last.
See BENCHMARKS.md for the figures and what they show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The signature verifier's worker processes are spawned: each runs this file's top again (as
# "__mp_main__") before it can verify anything. The application's own entry imports in ~5 ms;
# these imports take ~0.9 s, which the import figure would otherwise count (bench_sync.py).
if __name__ != "__mp_main__":
    import generate  # noqa: E402  (benchmarks/ is not a package)

    from kpi_desktop.runtime.paths import app_paths  # noqa: E402
    from kpi_desktop.services.classification import ClassificationService  # noqa: E402
    from kpi_desktop.services.context import AppServices  # noqa: E402
    from kpi_desktop.services.review import ReviewService  # noqa: E402
    from kpi_desktop.services.scores import ScoreService  # noqa: E402

    #: "Today" of the measurements: the last day of the generated year (the unit view shows
    #: the year of today; the inbox holds the entries of the last working days).
    TODAY = dt.date(generate.YEAR, 12, 31)
TOP_UNIT = "xa"
HEAD = "hcc-gd-1"  # a division head: their month includes the subordinates' scores (d factor)
OFFICIAL = "hcc-cv1-1"


@dataclass
class Figure:
    """One line of the table."""

    name: str
    ms: float
    limit_name: str = ""
    limit_ms: float | None = None
    py_peak_mb: float | None = None
    target: str = ""
    met: bool | None = None
    key: str = ""  # the figure's name in benchmarks/baseline.json (the regression gate)
    cpu_ms: float | None = None  # the same in the process's CPU time (in-process figures)
    limit_cpu_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if not self.limit_ms else self.ms / self.limit_ms

    @property
    def cpu_ratio(self) -> float | None:
        """ours/limit in CPU time: on a busy machine far steadier than in wall time (waiting
        for a core is not counted), so the regression gate compares these."""
        if self.cpu_ms is None or not self.limit_cpu_ms:
            return None
        return self.cpu_ms / self.limit_cpu_ms


def median_ms(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def paired_ms(repeat: int, action: Callable[[], object], limit: Callable[[], object]
              ) -> tuple[float, float, float, float]:
    """Medians of ``action`` and of its ``limit`` run alternately (A B A B …): on a shared
    machine the load drifts, and pairing keeps the two figures of one row comparable.
    Returns (ours, limit) in wall milliseconds, then (ours, limit) in CPU milliseconds."""
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for _ in range(repeat):
        for action_, times, cpu in ((action, ours, ours_cpu), (limit, theirs, theirs_cpu)):
            start, start_cpu = time.perf_counter(), time.process_time()
            action_()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return (statistics.median(ours), statistics.median(theirs), statistics.median(ours_cpu),
            statistics.median(theirs_cpu))


def exact_reference(services: AppServices) -> dict[str, tuple[Any, Any, Any]]:
    """Every person's (mean, level, reason) of the year computed the exact way, one Fraction
    at a time, from the stored totals (the computation before the roll-up moved into SQL)."""
    from fractions import Fraction

    from kpi_desktop.domain.model import Period, PersonRole
    from kpi_desktop.scoring import classify_year
    from kpi_desktop.services import scores

    found = {}
    with services.db.unit_of_work(read_only=True) as uow:
        calc = scores.Calculator(uow)
        policy = calc.policy(Period.whole_year(generate.YEAR))
        people = scores.members_at_year_end(uow, scores.unit_tree(uow, TOP_UNIT), generate.YEAR)
        ids = [p.id for p in people]
        totals = scores.with_transferred_months(uow, uow.evaluations.monthly_totals(
            person_ids=ids, year=generate.YEAR, statuses=scores.EVALUATED), ids, generate.YEAR)
        disciplined = {e.person_id for e in uow.discipline.list_for_year(generate.YEAR)
                       if e.kind in scores.OVERRIDE_KINDS}
        org_levels = {e.unit_id: e.level for e in uow.org_results.list_evaluations(
            generate.YEAR) if e.level is not None}
        by_person: dict[str, list[Any]] = {}
        for total in totals:
            by_person.setdefault(total.person_id, []).append(total)
        for person in people:
            mine = [t for t in sorted(by_person.get(person.id, []),
                                      key=lambda t: (t.period.start, t.period.kind.months))]
            values = [Fraction(t.total) if t.total is not None
                      else calc.person_period(person.id, t.period).score.total
                      for t in mine if t.total is not None or not t.insufficient]
            result = classify_year(policy, [v for v in values if v is not None],
                                   disciplined=person.id in disciplined,
                                   org_level=org_levels.get(person.unit_id)
                                   if person.role is PersonRole.HEAD else None)
            found[person.id] = (result.mean, result.level, result.reason)
    return found


TRACE = True  # False with --no-tracemalloc (the smoke test: tracemalloc triples the time)


def python_peak_mb(action: Callable[[], object]) -> float | None:
    if not TRACE:
        return None
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- physical limits --------------------------------------------------------------------------
def raw_insert_rate(rows: int = 100_000) -> float:
    """Rows per second of a raw sqlite3 executemany of 8-column rows into a file database."""
    with tempfile.TemporaryDirectory() as tmp:
        con = sqlite3.connect(Path(tmp) / "raw.db")
        con.execute("CREATE TABLE entry (id TEXT PRIMARY KEY, person_id TEXT, day TEXT, "
                    "item TEXT, quantity TEXT, coefficient TEXT, note TEXT, created_at TEXT)")
        data = [(f"e-{i:07d}", f"p-{i % 300}", "2026-06-15", f"item-{i % 90}", "1", "2.5",
                 "123/CV-UBND", "2026-06-15T17:00:00+00:00") for i in range(rows)]
        start = time.perf_counter()
        with con:
            con.executemany("INSERT INTO entry VALUES (?,?,?,?,?,?,?,?)", data)
        seconds = time.perf_counter() - start
        con.close()
    return rows / seconds


#: Year-end classification in plain SQL: everyone under the unit, the mean of their stored
#: monthly totals (stored as exact fractions "n" or "n/d") and its level band.
PLAIN_CLASSIFICATION = """
WITH RECURSIVE tree(id) AS (
    SELECT id FROM units WHERE id = :unit
    UNION ALL SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id),
totals AS (
    SELECT e.person_id,
           CASE WHEN instr(e.total, '/') > 0
                THEN CAST(substr(e.total, 1, instr(e.total, '/') - 1) AS REAL)
                     / CAST(substr(e.total, instr(e.total, '/') + 1) AS REAL)
                ELSE CAST(e.total AS REAL) END AS total
    FROM monthly_evaluations e
    WHERE e.period LIKE :year || '-%' AND e.status IN ('confirmed', 'locked')
      AND e.total IS NOT NULL)
SELECT p.id, p.full_name, count(t.total), avg(t.total),
       CASE WHEN avg(t.total) >= 90 THEN 'excellent' WHEN avg(t.total) >= 70 THEN 'good'
            WHEN avg(t.total) >= 50 THEN 'complete' ELSE 'not_complete' END
FROM people p LEFT JOIN totals t ON t.person_id = p.id
WHERE p.unit_id IN (SELECT id FROM tree)
GROUP BY p.id ORDER BY p.id
"""


def plain_classification(database: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(database)
    try:
        return con.execute(PLAIN_CLASSIFICATION, {"unit": TOP_UNIT,
                                                  "year": str(generate.YEAR)}).fetchall()
    finally:
        con.close()


BARE_WINDOW = ("import resource, time; from PySide6.QtWidgets import QApplication, QMainWindow; "
               "app = QApplication([]); w = QMainWindow(); w.show(); app.processEvents(); "
               "u = resource.getrusage(resource.RUSAGE_SELF); "
               "print('ready 0 cpu', (u.ru_utime + u.ru_stime) * 1000, flush=True)")


def _until_ready(command: list[str]) -> tuple[float, float, float | None]:
    """Wall milliseconds from starting ``command`` to its "ready … cpu N" line (the window is
    painted), the CPU milliseconds the process reports then, and the wall milliseconds to its
    "loaded" line (the data folder open and the first page's data in; ``None`` without)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.perf_counter()
    wall = cpu = loaded = None
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("ready "):
                wall = (time.perf_counter() - started) * 1000
                cpu = float(line.split()[3])
            elif line.startswith("loaded "):
                loaded = (time.perf_counter() - started) * 1000
                break
        process.communicate()
    if wall is None or cpu is None or process.returncode != 0:
        raise RuntimeError(f"{command} did not start: exit {process.returncode}")
    return wall, cpu, loaded


def cold_starts(repeat: int, command: list[str], bare: list[str]
                ) -> tuple[tuple[float, float, float | None], tuple[float, float]]:
    """Medians of ``repeat`` cold starts of ``command`` and of the bare window ``bare``, run
    alternately (after one of each to warm the disk cache): ((wall, CPU, loaded wall) of
    ``command``, (wall, CPU) of ``bare``)."""
    _until_ready(command)
    _until_ready(bare)
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(_until_ready(command))
        theirs.append(_until_ready(bare))
    loaded = [r[2] for r in ours if r[2] is not None]
    return ((statistics.median(r[0] for r in ours), statistics.median(r[1] for r in ours),
             statistics.median(loaded) if loaded else None),
            (statistics.median(r[0] for r in theirs), statistics.median(r[1] for r in theirs)))


def bare_window_ms(repeat: int) -> float:
    """A bare PySide6 QMainWindow shown, from a cold interpreter (subprocess, offscreen)."""
    command = [sys.executable, "-c", BARE_WINDOW]
    _until_ready(command)
    return statistics.median(_until_ready(command)[0] for _ in range(repeat))


def demo_folder() -> Path:
    """The demo organisation's data folder (cached), for the application's cold start."""
    folder = generate.cache_dir() / f"demo-v{generate.VERSION}"
    if not (folder / "kpi.db").exists():
        partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        services = AppServices.open(app_paths(partial), create_demo_if_empty=True,
                                    today=dt.date(2026, 11, 23))
        services.close()
        partial.rename(folder)
    return folder


def measure_cold_start(repeat: int) -> list[Figure]:
    """The application (benchmarks/cold_start.py: kpi_desktop.app's start without the sign-in
    dialog) to its painted main window, for a division head on the demo data, against a bare
    PySide6 window started the same way, the two alternately; wall time (load-sensitive) and
    CPU time; and the wall time until the data folder is open and the first page's data in.
    The application's byte code is compiled first, as an installed application has it (this
    environment may set PYTHONDONTWRITEBYTECODE)."""
    import compileall

    package = Path(__file__).resolve().parents[1] / "kpi_desktop"
    compileall.compile_dir(package, quiet=1)
    script = str(Path(__file__).resolve().parent / "cold_start.py")
    (app_wall, app_cpu, loaded), (bare_wall, bare_cpu) = cold_starts(
        repeat, [sys.executable, script, str(demo_folder()), "hcc-gd"],
        [sys.executable, "-c", BARE_WINDOW])
    figures = [Figure("cold start to a painted main window (wall)", app_wall,
                      "bare PySide6 QMainWindow, same way (wall)", bare_wall,
                      target="≤ 3× a bare window", met=app_wall <= 3 * bare_wall,
                      key="cold_start"),
               Figure("cold start to a painted main window (CPU)", app_cpu,
                      "bare PySide6 QMainWindow, same way (CPU)", bare_cpu,
                      key="cold_start_cpu")]
    if loaded is not None:
        figures.append(Figure("  the first page's data in, after the paint (wall)", loaded,
                              "bare PySide6 QMainWindow, same way (wall)", bare_wall))
    return figures


# -- the application ---------------------------------------------------------------------------
def open_services(folder: Path) -> AppServices:
    services = AppServices.open(app_paths(folder))
    services.review = ReviewService(services.db, today=TODAY)
    services.classification = ClassificationService(services.db, today=TODAY)
    return services


def measure_core(services: AppServices, repeat: int, people: int,
                 months: int) -> list[Figure]:
    figures = []
    database = services.db.path
    rows = plain_classification(database)
    assert len(rows) == people, (len(rows), people)

    def classify() -> Any:
        result = services.scores.classify_unit(TOP_UNIT, generate.YEAR)
        assert len(result.rows) == people
        return result

    # The roll-up must give exactly what the exact computation gives, for every person.
    reference = exact_reference(services)
    got = {r.person.id: (r.result.mean, r.result.level, r.result.reason)
           for r in classify().rows}
    differ = sorted(pid for pid in reference if got.get(pid) != reference[pid])
    print(f"classification identical to the exact computation for "
          f"{len(reference) - len(differ)} of {len(reference)} people (mean, level, reason)")
    if differ or len(got) != len(reference):
        raise AssertionError(f"the roll-up differs from the exact computation: {differ[:10]}")

    # Fast operations: more samples (pairs with the limit) than ``repeat``.
    samples = max(repeat, 3) * 5
    ours, plain, ours_cpu, plain_cpu = paired_ms(samples, classify,
                                                 lambda: plain_classification(database))
    figures.append(Figure(f"year-end classification, {people} people × {months} months",
                          ours, "same aggregate in plain SQL (sqlite3)",
                          plain, python_peak_mb(classify),
                          "< 1 s and ≤ 3× plain SQL" if people >= 300 else "",
                          key="classification", cpu_ms=ours_cpu, limit_cpu_ms=plain_cpu))
    if people >= 300:
        figures[-1].met = figures[-1].ms < 1000 and (figures[-1].ratio or 0) <= 3

    def overview() -> object:
        return services.classification.overview("ct", TOP_UNIT, generate.YEAR)

    ours, plain, ours_cpu, plain_cpu = paired_ms(samples, overview,
                                                 lambda: plain_classification(database))
    figures.append(Figure("unit view data (classification.overview)", ours,
                          "same aggregate in plain SQL (sqlite3)", plain,
                          python_peak_mb(overview), "≤ 3× plain SQL" if people >= 300 else "",
                          key="unit_view_data", cpu_ms=ours_cpu, limit_cpu_ms=plain_cpu))
    if people >= 300:
        figures[-1].met = (figures[-1].ratio or 0) <= 3

    for who in (HEAD, OFFICIAL):
        def month(who: str = who) -> str:
            result = services.scores.person_period(who, f"{generate.YEAR}-{min(6, months):02d}")
            return ScoreService.as_text(result)

        figures.append(Figure(f"one person's month with its why ({who})", median_ms(repeat, month),
                              py_peak_mb=python_peak_mb(month)))

    # One month. Its limit: the same table rendered from data gathered beforehand (the PDF
    # writer alone), run alternately with the whole report.
    from kpi_desktop import reports as writers
    from kpi_desktop.services.reports import make_code

    period = f"{generate.YEAR}-{min(6, months):02d}"
    ready = services.reports.unit_data(TOP_UNIT, period)
    meta = services.reports._meta(make_code("unit", TOP_UNIT, ready.period, ready.facts()),
                                  ready.policy_version)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "unit.pdf"

        def pdf() -> object:
            return services.reports.unit_summary(TOP_UNIT, period, out)

        def render() -> object:
            return writers.render_unit_summary(ready, meta, None)

        ours, limit, ours_cpu, limit_cpu = paired_ms(max(repeat, 3), pdf, render)
        figures.append(Figure(f"unit summary PDF, {period}, {people} people "
                              f"({out.stat().st_size // 1024} KB)", ours,
                              "the same table rendered from ready data (PDF writer alone)",
                              limit, python_peak_mb(pdf), "≤ 2× its limit",
                              ours <= 2 * limit, key="unit_summary_pdf", cpu_ms=ours_cpu,
                              limit_cpu_ms=limit_cpu))
    return figures


def measure_gui(services: AppServices, repeat: int, bare_ms: float) -> list[Figure]:
    """Open the leader's inbox and unit view offscreen as DesktopWindow does (show + refresh):
    time to first paint, time until the page has loaded its data (its ``loaded`` signal; the
    pages load in a worker thread and fill themselves on the GUI thread) and the longest
    GUI-thread stall seen by a 10 ms QTimer heartbeat."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.ui.leader.inbox_page import ReviewInboxPage
    from kpi_desktop.ui.leader.unit_page import UnitViewPage
    from kpi_desktop.ui.pages.base import UserContext

    _app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive)
    user = UserContext(person_id="ct", full_name="Nguyễn Văn Hùng", role="head", unit_id=TOP_UNIT,
                       is_evaluator=True)
    waiting = len(services.review.inbox("ct").items)
    # As kpi_desktop.app does once its window is up: what exists now stays out of the
    # collector's full passes (each would stall every thread for ~250 ms).
    gc.collect()
    gc.freeze()

    # Only QEventLoop.exec() here: a loop of app.processEvents() calls aborts PySide6 6.12
    # ("none_dealloc: deallocating None", each call drops a reference to None).
    state: dict[str, Any] = {}
    watched: dict[type, type] = {}

    def with_paint_watch(cls: type) -> type:
        """``cls`` noting its first paint (an event filter aborts PySide6 6.12 the same way)."""
        if cls not in watched:
            def paint_event(self: Any, event: Any) -> None:
                cls.paintEvent(self, event)
                if "paint" not in state:
                    state["paint"] = state["clock"].elapsed()

            watched[cls] = type(f"Watched{cls.__name__}", (cls,), {"paintEvent": paint_event})
        return watched[cls]

    def open_page(cls: type) -> tuple[float, float, float]:
        clock = QElapsedTimer()
        loop = QEventLoop()
        state.clear()
        state.update(clock=clock, loop=loop)
        beats: list[int] = [0]
        heart = QTimer()
        heart.setInterval(10)
        heart.timeout.connect(lambda: beats.append(clock.elapsed()))
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        # Built beforehand, as the main window builds its pages at start; opening a page is
        # what the window does when the leader chooses it: show it and refresh() it.
        page = with_paint_watch(cls)(services, user)
        page.resize(1280, 800)

        def loaded() -> None:
            if "loaded" not in state:
                state["loaded"] = clock.elapsed()
                QTimer.singleShot(100, loop.quit)  # heartbeat on for 100 ms more

        page.loaded.connect(loaded)
        clock.start()
        heart.start()
        guard.start(60_000)
        page.show()
        page.refresh()
        loop.exec()
        heart.stop()
        guard.stop()
        beats.append(clock.elapsed())
        stall = max(b - a for a, b in zip(beats, beats[1:], strict=False))
        if os.environ.get("KPI_BENCH_DEBUG"):
            print(cls.__name__, "paint", state.get("paint"), "loaded", state.get("loaded"),
                  "gaps", [(a, b - a) for a, b in zip(beats, beats[1:], strict=False)
                           if b - a > 40])
        page.close()
        page.deleteLater()
        return (float(state.get("paint", clock.elapsed())),
                float(state.get("loaded", clock.elapsed())), float(stall))

    figures = []
    for cls, label in ((ReviewInboxPage, f"leader's inbox ({waiting} entries waiting)"),
                       (UnitViewPage, "unit view (year, everyone)")):
        before = rss_mb()
        runs = [open_page(cls) for _ in range(repeat)]
        paint = statistics.median(r[0] for r in runs)
        loaded = statistics.median(r[1] for r in runs)
        stall = max(r[2] for r in runs)
        # No tracemalloc here (PySide6 6.12 aborts with it): growth of the peak RSS instead.
        figures.append(Figure(f"{label}: first paint (loading state)", paint,
                              "bare PySide6 QMainWindow cold start", bare_ms,
                              rss_mb() - before, "< 300 ms", paint < 300))
        figures.append(Figure(f"{label}: fully loaded", loaded,
                              "bare PySide6 QMainWindow cold start", bare_ms,
                              target="usable < 300 ms", met=loaded < 300))
        figures.append(Figure(f"{label}: longest GUI stall", stall, target="≤ 100 ms",
                              met=stall <= 100))
    return figures


def measure_sync(size: str, pg_url: str | None, sample: int | None) -> list[Figure]:
    """One month of signed bundles for everyone (benchmarks/bench_sync.py): export, the
    agency's import against verify + hash + insert, hub ingest on SQLite and PostgreSQL
    (``KPI_TEST_PG_URL``)."""
    import bench_sync

    f = bench_sync.measure(size, pg_url, sample or None)
    scale = generate.SIZES[size] / f.people
    signatures = f.records + f.agency_bundles
    figures = [
        Figure(f"export of one month, {f.people} people ({f.bundles} bundles, signed)",
               f.export_s * 1000,
               f"its {f.export_signatures:,} signatures ({f.sign_per_s:,.0f}/s, one core) + "
               f"AES-GCM, zip, write, fsync of its bundles ({f.export_io_s:.2f} s)",
               f.export_limit_s * 1000, target="≤ 3× its limit",
               met=f.export_s <= 3 * f.export_limit_s, key="export"),
        Figure(f"import of one month into the agency's PC ({f.agency_bundles} bundles, "
               f"{f.records:,} records, {f.bundle_bytes / 2**20:.1f} MB, "
               f"{f.import_backups} backups)", f.import_s * 1000,
               f"verify {signatures:,} signatures on ONE core ({f.verify_per_s:,.0f}/s) "
               f"+ sha256 ({f.sha256_mb_s:,.0f} MB/s) + raw inserts "
               f"({f.raw_rows_per_s:,.0f} rows/s)", f.import_limit_s * 1000),
        Figure(f"  the same import against its {f.cores}-core limit", f.import_s * 1000,
               f"verify {signatures:,} signatures on {f.cores} cores at once "
               f"({f.verify_all_cores_per_s:,.0f}/s) + sha256 + raw inserts",
               f.import_limit_all_cores_s * 1000, target=f"≤ 1.5× the {f.cores}-core limit",
               met=f.import_s <= 1.5 * f.import_limit_all_cores_s, key="import"),
        Figure(f"hub ingest on SQLite ({f.hub_bundles} bundles): "
               f"{f.hub_bundles / f.hub_sqlite_s:,.0f} bundles/s", f.hub_sqlite_s * 1000),
    ]
    if scale > 1:
        figures.append(Figure(f"  import extrapolated to all {generate.SIZES[size]} people "
                              f"(× {scale:.1f})", f.import_s * scale * 1000,
                              f"the {f.cores}-core limit, extrapolated the same way",
                              f.import_limit_all_cores_s * scale * 1000, target="< 12 s",
                              met=f.import_s * scale < 12))
    if f.hub_pg_s is not None:
        figures.append(Figure(f"hub ingest on PostgreSQL ({f.hub_bundles} bundles): "
                              f"{f.hub_bundles / f.hub_pg_s:,.0f} bundles/s",
                              f.hub_pg_s * 1000))
    return figures


def measure_province(people: int, pg_url: str | None) -> list[Figure]:
    """The province hub (benchmarks/bench_province.py) at ``people`` people with real-size
    bundles (130 signed revisions each), on PostgreSQL when ``KPI_TEST_PG_URL`` is set (else
    SQLite): one by one, 16 uploaders at once (group commit) and 100 a transaction, each
    beside the limit measured in the same run (SHA-256 of every bundle + one verification a
    bundle); ingest is per-bundle work, so the ratio holds at 20,000 people."""
    import bench_province

    store = "pg" if pg_url else "sqlite"
    f = bench_province.measure(people, 130, [store], pg_url, ("1", "u16", "100"))
    figures = []
    for name, seconds in f.ingest.items():
        batch = name.split("/")[1]
        how = ("one by one" if batch == "1" else f"{batch[1:]} uploaders at once"
               if batch.startswith("u") else f"{batch} a transaction")
        figures.append(Figure(
            f"province hub ingest, {'PostgreSQL' if store == 'pg' else 'SQLite'}, {how}: "
            f"{f.bundles:,} bundles × 130 records, {f.bundles / seconds:,.0f} bundles/s "
            f"(driver calls {f.database.get(name, 0.0):.1f} s; × {20_000 / f.bundles:.0f} for "
            f"20,000 people: {seconds * 20_000 / f.bundles:.0f} s)", seconds * 1000,
            f"SHA-256 of every bundle + {f.bundles:,} verifications ({f.verify_per_s:,.0f}/s)",
            f.limit_s * 1000, target="≤ 5× its limit", met=seconds <= 5 * f.limit_s))
        size = 1 if batch == "1" or batch.startswith("u") else int(batch)
        stored = f.raw_store_s.get(size)
        if stored is not None:  # the limit with the database's own storing of the bytes
            figures.append(Figure(
                "  the same against the limit with the bytes' storage", seconds * 1000,
                f"the limit above + the same bundle bytes stored by plain INSERTs "
                f"({size} a transaction, psycopg): {stored:.2f} s",
                (f.limit_s + stored) * 1000))
    return figures


def measure_check(size: str) -> list[Figure]:
    """The signature check of ``kpi-desktop check`` on a year of signed records
    (benchmarks/bench_check.py) beside the verification limit on every core, same run."""
    import bench_check

    f = bench_check.measure(size)
    figures = [Figure(
        f"check: every stored signature of the year ({f.records:,} signed records, "
        f"{f.problems} problems)", f.check_s * 1000,
        f"{f.records:,} raw verifications on {f.cores} cores at once "
        f"({f.verify_all_cores_per_s:,.0f}/s; one core {f.verify_per_s:,.0f}/s: "
        f"{f.one_core_limit_s:.1f} s)", f.limit_s * 1000,
        target=f"≤ 1.5× the {f.cores}-core limit", met=f.check_s <= 1.5 * f.limit_s)]
    if f.full_check_s is not None:
        figures.append(Figure(
            f"  the whole kpi-desktop check ({f.full_check_progress} progress calls)",
            f.full_check_s * 1000, f"the same {f.cores}-core verification limit",
            f.limit_s * 1000, target=f"≤ 1.5× the {f.cores}-core limit",
            met=f.full_check_s <= 1.5 * f.limit_s))
    return figures


def print_table(figures: list[Figure]) -> None:
    print(f"{'measurement':<62} {'ours ms':>9} {'limit ms':>9} {'ratio':>6} {'py MB':>6}  "
          "target")
    for f in figures:
        limit = f"{f.limit_ms:9.1f}" if f.limit_ms is not None else " " * 9
        ratio = f"{f.ratio:6.1f}" if f.ratio is not None else " " * 6
        peak = f"{f.py_peak_mb:6.1f}" if f.py_peak_mb is not None else " " * 6
        verdict = "" if f.met is None else (" met" if f.met else " MISSED")
        print(f"{f.name:<62} {f.ms:9.1f} {limit} {ratio} {peak}  {f.target}{verdict}")
        if f.limit_name:
            cpu = "" if f.cpu_ratio is None else (
                f" (CPU time: {f.cpu_ms:.1f} / {f.limit_cpu_ms:.1f} ms = {f.cpu_ratio:.1f}×)")
            print(f"{'':<4}limit: {f.limit_name}{cpu}")


def main(argv: list[str]) -> int:
    if "--size" in argv and argv[argv.index("--size") + 1:][:1] == ["province"]:
        # The province hub (20,000 people, one month) has its own generator and measures
        # the hub's ingest only: `run.py --size province [bench_province.py options]`.
        import bench_province

        rest = argv[:argv.index("--size")] + argv[argv.index("--size") + 2:]
        return bench_province.main(rest)
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="commune")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-gui", action="store_true", help="skip the offscreen pages")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--no-cold-start", action="store_true",
                        help="skip the application's cold start (subprocesses)")
    parser.add_argument("--no-sync", action="store_true",
                        help="skip the bundles (export, import, hub ingest; one month)")
    parser.add_argument("--sync-sample", type=int, default=1,
                        help="above commune size, bundles of this many copies of the four "
                             "divisions (24 people each; 0: everyone)")
    parser.add_argument("--province", type=int, default=0, metavar="PEOPLE",
                        help="also the province hub's ingest with this many people's real-size "
                             "bundles (benchmarks/bench_province.py; 0: not)")
    parser.add_argument("--check", action="store_true",
                        help="also the signature check of kpi-desktop check on the year, every "
                             "revision and statement signed (benchmarks/bench_check.py)")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the extra runs that measure the Python heap peak")
    parser.add_argument("--baseline", type=Path,
                        help="the regression gate: exit 1 when a ratio of this run is more "
                             "than twice its value in this file (benchmarks/baseline.json)")
    parser.add_argument("--record-baseline", type=Path, metavar="FILE",
                        help="write this run's ratios to FILE as the gate's reference")
    parser.add_argument("--attempts", type=int, default=3,
                        help="with --baseline: measure again up to this many times in all "
                             "while a ratio is over its bound (a busy machine's passing noise "
                             "does not fail the gate; a real regression stays)")
    args = parser.parse_args(argv)
    global TRACE
    TRACE = not args.no_tracemalloc
    people = generate.SIZES[args.size]
    print(f"machine: {os.cpu_count()} cores, {_cpu_model()}; Python {sys.version.split()[0]}; "
          f"SQLite {sqlite3.sqlite_version}")

    raw_rate = raw_insert_rate()
    folder, generated = generate.cached(args.size, months=args.months)
    if generated is not None:
        rate = generated.rows / generated.seconds
        print(f"generated {generated.people} people × {generated.months} months: "
              f"{generated.entries:,} entries, {generated.rows:,} rows in "
              f"{generated.seconds:.1f} s = {rate:,.0f} rows/s (uow.bulk_insert incl. building "
              f"the objects); raw sqlite3 executemany {raw_rate:,.0f} rows/s, "
              f"ratio {raw_rate / rate:.1f}×")
    else:
        print(f"reusing {folder} (delete it to regenerate); raw sqlite3 executemany "
              f"{raw_rate:,.0f} rows/s")

    figures = measure_all(args, folder, people)
    print_table(figures)
    peak = rss_mb()
    print(f"peak RSS of the whole run: {peak:.0f} MB (target < 400 MB: "
          f"{'met' if peak < 400 else 'MISSED'})")
    if args.json:
        args.json.write_text(json.dumps({
            "size": args.size, "months": args.months, "repeat": args.repeat,
            "raw_insert_rows_per_s": raw_rate, "peak_rss_mb": peak,
            "generation": None if generated is None else asdict(generated) | {
                "path": str(generated.path)},
            "figures": [asdict(f) | {"ratio": f.ratio} for f in figures],
        }, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.baseline is not None or args.record_baseline is not None:
        return gate(args, folder, people, figures)
    return 0


def measure_all(args: argparse.Namespace, folder: Path, people: int) -> list[Figure]:
    """Every figure the options ask for, on the data folder ``folder``."""
    services = open_services(folder)
    try:
        figures = measure_core(services, args.repeat, people, args.months)
        if not args.no_gui:
            figures += measure_gui(services, args.repeat, bare_window_ms(args.repeat))
    finally:
        services.close()
    if not args.no_cold_start:
        figures += measure_cold_start(args.repeat)
    if not args.no_sync:  # at unit size a sample: the export takes ~0.4 s a person
        figures += measure_sync(args.size, os.environ.get("KPI_TEST_PG_URL"),
                                args.sync_sample if people > 30 else None)
    if args.check:
        figures += measure_check(args.size)
    if args.province:
        figures += measure_province(args.province, os.environ.get("KPI_TEST_PG_URL"))
    return figures


#: A ratio may grow to this multiple of its recorded value before the gate fails.
GATE_FACTOR = 2.0


def ratios(figures: list[Figure]) -> dict[str, float]:
    """The gated ratios of a run, by key (figures with a limit measured in the same run): in
    CPU time where the figure has it, else in wall time."""
    found = {}
    for f in figures:
        ratio = f.cpu_ratio if f.cpu_ratio is not None else f.ratio
        if f.key and ratio is not None:
            found[f.key] = ratio
    return found


def gate(args: argparse.Namespace, folder: Path, people: int, figures: list[Figure]) -> int:
    """Record the run's ratios (``--record-baseline``) or check them against the recorded
    ones (``--baseline``): ratios, not times, so a slower or busier machine does not fail it;
    a ratio over twice its recorded value is measured again (up to ``--attempts`` runs in
    all, keeping each ratio's best), so a moment of load does not fail it either."""
    setting = {"size": args.size, "months": args.months, "repeat": args.repeat,
               "gui": not args.no_gui, "cold_start": not args.no_cold_start,
               "sync": not args.no_sync}
    if args.record_baseline is not None:
        load = os.getloadavg()
        flags = " ".join(flag for flag, off in (("--no-gui", args.no_gui),
                                                 ("--no-cold-start", args.no_cold_start),
                                                 ("--no-sync", args.no_sync)) if off)
        args.record_baseline.write_text(json.dumps({
            "command": f"QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run.py --size "
                       f"{args.size} --months {args.months} --repeat {args.repeat} {flags} "
                       f"--no-tracemalloc --record-baseline benchmarks/baseline.json",
            "setting": setting,
            "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{os.cpu_count()} cores, {_cpu_model()}, load average "
                       f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
            "ratios": {key: round(value, 3) for key, value in sorted(ratios(figures).items())},
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"recorded {len(ratios(figures))} ratios in {args.record_baseline}")
        return 0
    recorded = json.loads(args.baseline.read_text(encoding="utf-8"))
    if recorded.get("setting") != setting:
        print(f"the baseline was recorded with {recorded.get('setting')}, not {setting}")
        return 2
    bounds = {key: GATE_FACTOR * value for key, value in recorded["ratios"].items()}
    best = ratios(figures)
    missing = sorted(set(bounds) - set(best))
    if missing:
        print(f"gate: no figure for {', '.join(missing)}")
        return 1
    attempt = 1
    while attempt < args.attempts and any(best[k] > bounds[k] for k in bounds):
        attempt += 1
        over = ", ".join(f"{k} {best[k]:.2f}" for k in sorted(bounds) if best[k] > bounds[k])
        print(f"gate: over the bound ({over}): measuring again ({attempt}/{args.attempts})")
        for key, value in ratios(measure_all(args, folder, people)).items():
            best[key] = min(best.get(key, value), value)
    failed = False
    for key in sorted(bounds):
        verdict = "ok" if best[key] <= bounds[key] else "REGRESSION"
        failed |= verdict != "ok"
        print(f"gate {key:<20} ratio {best[key]:6.2f}  recorded {recorded['ratios'][key]:6.2f}"
              f"  bound {bounds[key]:6.2f}  {verdict}")
    return 1 if failed else 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
