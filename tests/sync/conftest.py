"""Fixtures of the sync tests: the three PCs set up once per session, copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import World, build_world


@pytest.fixture(scope="session")
def world_master(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    """Agency, official and leader PCs with enrolled keys and organisation version 2."""
    return build_world(demo_master, tmp_path_factory.mktemp("sync-world") / "world")


@pytest.fixture
def world(world_master: World, tmp_path: Path) -> World:
    """A private copy of the three PCs that a test may change."""
    return world_master.copy_to(tmp_path / "world")
