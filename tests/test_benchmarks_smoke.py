"""The regression gate (issue 18): the commune-size benchmark runs and none of its ratios is
more than twice its value recorded in benchmarks/baseline.json.

Ratios, not times: each figure is measured alternately with its limit in the same run (in
CPU time, which waiting for a core on a busy machine does not inflate), and a ratio over its
bound is measured again before the gate fails (``run.py --attempts``). Record a new baseline
with the command in benchmarks/baseline.json's "command" when a change makes a figure
legitimately slower or faster (and say why in the commit).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
RUN = BENCHMARKS / "run.py"
BASELINE = BENCHMARKS / "baseline.json"


def _load_run():
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_commune_benchmark_within_twice_its_recorded_ratios(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("KPI_BENCH_CACHE", str(tmp_path / "cache"))
    run = _load_run()
    out = tmp_path / "figures.json"
    recorded = json.loads(BASELINE.read_text(encoding="utf-8"))
    setting = recorded["setting"]
    assert setting["size"] == "commune" and not setting["cold_start"] and not setting["sync"]

    code = run.main(["--size", "commune", "--months", str(setting["months"]),
                     "--repeat", str(setting["repeat"]), "--no-tracemalloc", "--no-cold-start",
                     "--no-sync", "--json", str(out), "--baseline", str(BASELINE)])

    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"generated 30 people × {setting['months']} months" in printed
    assert "identical to the exact computation for 30 of 30 people" in printed
    gated = [line for line in printed.splitlines() if line.startswith("gate ")]
    assert len(gated) == len(recorded["ratios"]) >= 3
    assert all(line.endswith(" ok") for line in gated), gated
    result = json.loads(out.read_text(encoding="utf-8"))
    names = [f["name"] for f in result["figures"]]
    assert any(n.startswith("year-end classification, 30 people") for n in names)
    assert any(n.startswith("unit summary PDF") for n in names)
    assert any("leader's inbox (90 entries waiting)" in n for n in names)
    assert any(n.startswith("unit view") for n in names)
    for figure in result["figures"]:
        assert figure["ms"] >= 0
    keys = {f["key"]: f for f in result["figures"] if f["key"]}
    assert set(recorded["ratios"]) <= set(keys)
    for key in recorded["ratios"]:
        assert keys[key]["limit_ms"] > 0 and keys[key]["cpu_ms"] > 0

    # A second run reuses the cached data folder instead of generating it again.
    folder, generated = run.generate.cached("commune", months=setting["months"])
    assert generated is None and (folder / "kpi.db").exists()


def test_the_gate_fails_a_ratio_over_twice_its_record(tmp_path: Path, capsys) -> None:
    """The comparison itself, on made-up figures: within twice passes, over twice fails (after
    the measurements again that --attempts allows)."""
    import argparse

    run = _load_run()
    baseline = tmp_path / "baseline.json"
    setting = {"size": "commune", "months": 6, "repeat": 3, "gui": False, "cold_start": False,
               "sync": False}
    baseline.write_text(json.dumps({"setting": setting, "ratios": {"classification": 3.0}}))
    args = argparse.Namespace(size="commune", months=6, repeat=3, no_gui=True,
                              no_cold_start=True, no_sync=True, baseline=baseline,
                              record_baseline=None, attempts=2)

    def figure(cpu_ms: float) -> list:
        return [run.Figure("classification", 10, "plain", 1, key="classification",
                           cpu_ms=cpu_ms, limit_cpu_ms=1.0)]

    again: list[float] = []

    def measure_again(*_: object) -> list:
        return figure(again.pop())

    run.measure_all = measure_again  # what gate() calls to measure again
    assert run.gate(args, tmp_path, 30, figure(5.9)) == 0
    again[:] = [6.5]
    assert run.gate(args, tmp_path, 30, figure(6.1)) == 1  # over the bound twice
    again[:] = [5.0]
    assert run.gate(args, tmp_path, 30, figure(6.1)) == 0  # once: passing noise
    assert "REGRESSION" in capsys.readouterr().out
