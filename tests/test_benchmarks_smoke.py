"""The benchmark suite still runs: its smallest size (a commune, one month, one repeat)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def _load_run():
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_commune_month_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("KPI_BENCH_CACHE", str(tmp_path / "cache"))
    run = _load_run()
    out = tmp_path / "figures.json"

    assert run.main(["--size", "commune", "--months", "1", "--repeat", "1", "--no-tracemalloc",
                     "--no-cold-start", "--no-sync", "--json", str(out)]) == 0

    printed = capsys.readouterr().out
    assert "generated 30 people × 1 months" in printed
    result = json.loads(out.read_text(encoding="utf-8"))
    names = [f["name"] for f in result["figures"]]
    assert any(n.startswith("year-end classification, 30 people") for n in names)
    assert any(n.startswith("unit summary PDF") for n in names)
    assert any("leader's inbox (90 entries waiting)" in n for n in names)
    assert any(n.startswith("unit view") for n in names)
    for figure in result["figures"]:
        assert figure["ms"] >= 0
    classification = result["figures"][0]
    assert classification["limit_ms"] > 0 and classification["ratio"] > 0
    assert result["generation"]["entries"] > 30 * 15 * 6
    assert result["raw_insert_rows_per_s"] > 0

    # A second run reuses the cached data folder instead of generating it again.
    folder, generated = run.generate.cached("commune", months=1)
    assert generated is None and (folder / "kpi.db").exists()
