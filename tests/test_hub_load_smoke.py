"""The hub load test (benchmarks/hub_load.py) still runs: a few clients for a few seconds."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[1] / "benchmarks" / "hub_load.py"

pytest.importorskip("uvicorn")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_hub_load_runs(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("benchmarks_hub_load", LOAD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    out = tmp_path / "load.json"
    assert module.main(["--clients", "12", "--seconds", "4", "--kinds",
                        "huge_owner,challenge_flood,junk_bundle,everyone_bundle,forged_token",
                        "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["hub_alive_at_end"] is True
    assert result["honest"]["errors"] == {}
    assert result["honest"]["statuses"]["upload"].get("201", 0) >= 1
    assert result["hostile"]["statuses"]["huge_owner"] == {"413": result["hostile"]["requests"][
        "huge_owner"]}
    assert result["hub_rss_mb"]["peak"] < result["hub_rss_mb"]["start"] + 60
