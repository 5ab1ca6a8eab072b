"""``kpi-desktop review …``: exit codes and refusals with translated reasons."""

from __future__ import annotations

import json

from kpi_desktop.app import main


def test_review_commands(demo_dir, capsys):
    base = ["--data-dir", str(demo_dir), "--lang", "en", "review"]
    assert main([*base, "inbox", "--by", "hcc-gd", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["person"].startswith("hcc-") for r in rows)
    first, second = rows[0]["entry"], rows[1]["entry"]
    assert main([*base, "confirm", "--by", "hcc-gd", first]) == 0
    assert "1 entries confirmed" in capsys.readouterr().out
    assert main([*base, "confirm", "--by", "hcc-gd", first]) == 3
    assert "only submitted entries" in capsys.readouterr().err
    assert main([*base, "return", "--by", "hcc-gd", "--reason", " ", second]) == 3
    assert "Please give a reason." in capsys.readouterr().err
    assert main([*base, "return", "--by", "kt-tp", "--reason", "x", second]) == 3
    assert "Only the evaluator" in capsys.readouterr().err
    assert main([*base, "return", "--by", "hcc-gd", "--reason", "Thiếu", second]) == 0
    assert main([*base, "month", "--by", "hcc-gd", "--person", "hcc-cv1",
                 "--period", "2026-11"]) == 3
    assert "self-assessment" in capsys.readouterr().err
    assert main([*base, "unlock", "--by", "hcc-gd", "--person", "hcc-cv1",
                 "--period", "2026-10", "--reason", "Sót sản phẩm"]) == 0
    assert main([*base, "unlock", "--by", "hcc-gd", "--person", "hcc-cv1",
                 "--period", "2026-13", "--reason", "x"]) == 3
