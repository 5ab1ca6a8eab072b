"""Fixtures of the official's desk: services on a private copy of the demo, today fixed."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.daily import DailyWorkService

TODAY = dt.date(2026, 11, 23)
OFFICIAL = "vp-cv1"


@pytest.fixture
def services(demo_dir):
    paths = app_paths(demo_dir)
    opened = AppServices.open(paths)
    opened.daily = DailyWorkService(opened.db, paths.attachments_dir, today=lambda: TODAY)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def preview_translations(tmp_path_factory):
    """The committed translations plus the pending ones of translations/pending/*.json."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "packaging"))
    from screenshots import preview_translations as build

    return build(tmp_path_factory.mktemp("translations"))
