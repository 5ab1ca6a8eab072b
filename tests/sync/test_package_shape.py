"""The sync package keeps the shape of issue 13: one protocol and one registry of record kinds,
small files, an orchestrating service, one status rule (measured with ``ast`` and ruff)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from kpi_desktop.services.sync.kinds import BY_FILE, REGISTRY, RecordKind

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kpi_desktop" / "services" / "sync"
LIMIT = 400


def test_no_file_of_the_sync_package_is_over_400_lines() -> None:
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert len(sizes) >= 15
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}


def test_sync_service_is_at_most_400_lines() -> None:
    tree = ast.parse((PACKAGE / "service.py").read_text(encoding="utf-8"))
    [service] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SyncService"]
    assert service.end_lineno is not None
    assert service.end_lineno - service.lineno + 1 <= LIMIT


def test_no_function_of_the_sync_package_is_very_complex() -> None:
    """Cyclomatic complexity at most 20 everywhere (radon's grade C or better)."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", "--select", "C901", "--config",
         "lint.mccabe.max-complexity=20", str(PACKAGE)],
        capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_every_kind_declares_the_whole_protocol_once() -> None:
    declared = ("signed_forms", "author", "signed_at", "item_key", "bundle_kind",
                "check_author", "outgoing", "apply", "stored")
    assert len(BY_FILE) == len(REGISTRY)  # one payload file per kind
    for kind in REGISTRY:
        assert isinstance(kind, RecordKind)
        assert kind.name and kind.file and kind.authors
        for method in declared:
            assert getattr(type(kind), method) is not getattr(RecordKind, method), (
                f"{type(kind).__name__} does not declare {method}")


def _calls_with_status(path: Path, status_names: set[str]) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("set_status", "set_statuses")):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            for sub in ast.walk(arg):
                if (isinstance(sub, ast.Attribute) and sub.attr in status_names
                        and isinstance(sub.value, ast.Name) and sub.value.id == "EntryStatus"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_confirm_and_return_are_decided_only_in_the_domain_workflow() -> None:
    """No service or repository sets CONFIRMED/RETURNED itself: the status after a verdict
    comes from ``domain.workflow.status_after_verdict`` (the local review and import)."""
    offenders = []
    for folder in ("services", "storage", "hub", "ui"):
        for path in (ROOT / "kpi_desktop" / folder).rglob("*.py"):
            offenders += _calls_with_status(path, {"CONFIRMED", "RETURNED"})
    assert offenders == []
    users = [p.name for p in (ROOT / "kpi_desktop").rglob("*.py")
             if "status_after_verdict" in p.read_text(encoding="utf-8")]
    assert {"review.py", "statements.py", "workflow.py"} <= set(users)


def test_the_independence_contract_lists_every_kind_module_of_the_registry() -> None:
    """A kind module added to the registry (e.g. leave) joins the import-linter contract that
    keeps the kinds independent of each other (lint-imports then checks it)."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["importlinter"]["contracts"]
    [independent] = [c for c in contracts if c["type"] == "independence"
                     and any(".sync.kinds." in m for m in c["modules"])]
    kinds = {type(kind).__module__ for kind in REGISTRY}
    assert set(independent["modules"]) == kinds, (
        "add the kind module to 'Each record kind stands alone' in pyproject.toml")
    shared = {p.stem for p in (PACKAGE / "kinds").glob("*.py")} - {"__init__", "base"}
    assert {m.rsplit(".", 1)[1] for m in kinds} == shared  # no kind module outside the registry
