"""Shared test set-up: Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402


def _top_level_widgets() -> set:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return set(app.topLevelWidgets()) if isinstance(app, QApplication) else set()


def _delete_widgets(widgets) -> None:
    """Close and delete widgets a test left behind, at once: a window that outlives its test
    still answers a later test's language switch, and would read a data folder that is gone."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in widgets:
        try:
            widget.close()
            widget.deleteLater()
        except RuntimeError:  # already deleted on the C++ side
            pass
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, tmp_path,
                       monkeypatch: pytest.MonkeyPatch):
    """No test may touch the real user folders, and a test leaves no data behind.

    A full run would otherwise keep about 12 GB of demo copies and backups until it ends (a CI
    machine ran out of disk): the data folder is removed here, and a passing test's tmp_path by
    pytest (tmp_path_retention_policy in pyproject.toml). Asking for tmp_path makes this fixture
    end before tmp_path is removed, so the test's windows are gone before their folders are."""
    import shutil

    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("KPI_DESKTOP_DATA_DIR", str(folder))
    before = _top_level_widgets()
    yield
    _delete_widgets(_top_level_widgets() - before)
    shutil.rmtree(folder, ignore_errors=True)


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
