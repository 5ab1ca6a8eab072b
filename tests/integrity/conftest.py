"""The demo data folder as a user has it on the day: no backup of today yet, never checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def fresh_copy(source: Path, target: Path) -> Path:
    """``source`` copied to ``target`` without its backups and check results (other tests of
    the session may have opened the shared demo folder and made the day's backup there)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "integrity.json"))
    (target / "backups").mkdir()
    return target


@pytest.fixture
def demo_dir(demo_master: Path, tmp_path: Path) -> Path:
    return fresh_copy(demo_master, tmp_path / "demo")
