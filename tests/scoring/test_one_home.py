"""Issue 15: one home per rule — level cut-offs in one function, one diacritic fold, one
policy resolver, one number formatter (checked over the package's source)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "kpi_desktop"


def _sources():
    """(module path, its code without comments) for every module of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        code = "\n".join(line.split("#")[0] for line in
                         path.read_text(encoding="utf-8").splitlines())
        yield path.relative_to(PACKAGE).as_posix(), code


def test_level_cut_offs_are_compared_in_exactly_one_function():
    compare = re.compile(r"[<>]=?\s*(?:\w+\.)?threshold_(?:excellent|good|complete)\b"
                         r"|threshold_(?:excellent|good|complete)\s*[<>]")
    literal = re.compile(r"(?:total|mean|value|score)\s*[<>]=?\s*(?:90|70|50)\b")
    found = {name for name, text in _sources()
             if compare.search(text) or literal.search(text)}
    # levels.py cuts levels; policy.py states the order of the cut-offs as a validity rule.
    assert found <= {"scoring/levels.py", "scoring/policy.py"}, found
    levels = (PACKAGE / "scoring" / "levels.py").read_text(encoding="utf-8")
    # The cut-offs are read in one function (``_cuts``), which level_for walks; the roll-up's
    # floating-point pre-check (clear_level) reads the same list and leaves anything near a
    # cut-off to level_for.
    cuts = levels[levels.index("def _cuts("):]
    cuts = cuts[:cuts.index("\ndef ")]
    uses = re.findall(r"policy\.threshold_(?:excellent|good|complete)", levels)
    assert len(uses) == 3 and all(u in cuts for u in uses)
    assert levels.count("def level_for(") == 1


def test_one_diacritic_fold():
    offenders = [name for name, text in _sources()
                 if re.search(r"normalize\(\s*[\"']NF[K]?D[\"']", text)
                 and name != "domain/values.py"]
    assert offenders == []


def test_one_policy_resolver():
    offenders = [name for name, text in _sources()
                 if "policies.in_force_on(" in text and name != "services/policies.py"]
    assert offenders == []
    assert not any(re.search(r"def (_?policy_for|_policy_in_force)\b", text)
                   for _name, text in _sources())


def test_one_number_formatter():
    pattern = re.compile(r"f\"\{[^}]*:\.?2f\}\"|:\.2f\}")
    offenders = [name for name, text in _sources() if pattern.search(text)
                 and name not in ("domain/numbers.py",)]
    assert offenders == []
