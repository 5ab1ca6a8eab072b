"""Convergence by simulation, short: a leader, two officials and the agency exchange bundles
for two months with lost, duplicated, replayed and reordered deliveries, skewed clocks and
imports killed at random steps (``benchmarks/convergence.py`` runs the full year)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

CONVERGENCE = Path(__file__).resolve().parents[2] / "benchmarks" / "convergence.py"


def _load():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("benchmarks_convergence", CONVERGENCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_hostile_network_still_converges(demo_master: Path, tmp_path: Path) -> None:
    simulation = _load()
    people = simulation.demo_people(demo_master, 3)
    report = simulation.run(demo_master, tmp_path / "sim", people=people, months=2, seed=7,
                            faults=simulation.Faults(lose=0.25, duplicate=0.2, replay=0.2,
                                                     kill=0.15, skew_days=3))
    assert report.converged, "\n".join(report.lines())
    # The faults happened: this was not a quiet network.
    assert report.lost and report.duplicated and report.replayed and report.killed
    assert report.refused == 0 and report.held == 0
    again = simulation.run(demo_master, tmp_path / "again", people=people, months=2, seed=7,
                           faults=simulation.Faults(lose=0.25, duplicate=0.2, replay=0.2,
                                                    kill=0.15, skew_days=3))
    assert (again.bundles, again.lost, again.killed) == (report.bundles, report.lost,
                                                         report.killed)  # reproducible
