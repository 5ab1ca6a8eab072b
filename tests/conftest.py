"""Shared test set-up: Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test may touch the real user folders."""
    monkeypatch.setenv("KPI_DESKTOP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    yield


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests read source (English) text unless they switch language themselves."""
    from kpi_desktop.runtime import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


DEMO_TODAY = "2026-11-23"


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory):
    """A data folder with the demo organisation, made once per test session (read-only use)."""
    from kpi_desktop.app import main

    folder = tmp_path_factory.mktemp("demo-master")
    assert main(["--data-dir", str(folder), "--lang", "en", "demo", "--today", DEMO_TODAY]) == 0
    return folder


@pytest.fixture
def demo_dir(demo_master, tmp_path):
    """A private copy of the demo data folder that a test may change."""
    import shutil

    target = tmp_path / "demo"
    shutil.copytree(demo_master, target)
    return target


@pytest.fixture(autouse=True)
def sync_ops():
    """Background operations run at once on the calling thread (ui/operations.py), so a test
    reads the outcome right after the action; a test of the real lane asks for ``async_ops``."""
    from kpi_desktop.ui import operations

    old = operations.use_runner(operations.SynchronousRunner())
    yield
    operations.use_runner(old)


@pytest.fixture
def async_ops(qapp):
    """Background operations on a real serial lane (ui/operations.py), waited for at the end."""
    from kpi_desktop.ui import operations

    lane = operations.Runner()
    old = operations.use_runner(lane)
    yield lane
    lane.wait(30000)
    operations.use_runner(old)
