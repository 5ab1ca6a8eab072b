"""Issue 16 item 5: every page's tables at 1366×768, for each role, in Vietnamese and English —
no horizontal scroll bar, no column cut off at the right edge, and no person's name elided."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QHeaderView, QTreeView

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui.desktop_window import DesktopWindow
from kpi_desktop.ui.tables import RecordTableView

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)
ROLES = {"official": "hcc-cv1", "deputy head": "hcc-pgd", "division head": "hcc-gd",
         "chairman": "ct", "agency administrator": "agency"}


@pytest.fixture(scope="module")
def world(demo_master, tmp_path_factory):
    import shutil

    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.evaluation import EvaluationService
    from kpi_desktop.services.review import ReviewService

    folder = tmp_path_factory.mktemp("tables") / "demo"
    shutil.copytree(demo_master, folder)
    services = AppServices.open(app_paths(folder))
    services.review = ReviewService(services.db, today=TODAY)
    services.evaluation = EvaluationService(services.db, today=TODAY)
    services.classification = ClassificationService(services.db, today=TODAY)
    services.keys.unlock("agency", "demo")
    yield services
    services.close()


def _cut_names(view, names: set[str]) -> list[str]:
    """Cells of any item view (the toolkit's or another) that show exactly a person's name in
    less width than the name needs."""
    from PySide6.QtCore import QModelIndex

    model, found = view.model(), []
    if model is None:
        return found
    metrics = view.fontMetrics()

    def walk(parent: QModelIndex, depth: int) -> None:
        try:
            columns = model.columnCount(parent)
        except TypeError:  # a list's model hides it: one column
            columns = 1
        for row in range(model.rowCount(parent)):
            for column in range(columns):
                index = model.index(row, column, parent)
                text = index.data()
                if isinstance(text, str) and text in names:
                    shown = view.visualRect(index)
                    if shown.isValid() and shown.width() < metrics.horizontalAdvance(text) + 6:
                        found.append(text)
            if depth < 3 and isinstance(view, QTreeView):
                walk(model.index(row, 0, parent), depth + 1)

    walk(QModelIndex(), 0)
    return found


def _problems(page, names: set[str]) -> list[str]:
    found = []
    for view in page.findChildren(QAbstractItemView):
        if not view.isVisibleTo(page) or view.width() < 2:
            continue
        name = f"{page.page_id}:{view.objectName() or type(view).__name__}"
        if isinstance(view, QAbstractScrollArea) and view.horizontalScrollBar().isVisible():
            found.append(f"{name}: horizontal scroll bar")
        header = view.header() if isinstance(view, QTreeView) else getattr(
            view, "horizontalHeader", lambda: None)()
        if isinstance(header, QHeaderView) and header.isVisible() \
                and header.length() > view.viewport().width() + 2:
            found.append(f"{name}: columns {header.length()} px wider than "
                             f"{view.viewport().width()} px")
        if isinstance(view, RecordTableView):
            found += [f"{name}: name cut “{text}”" for _row, text in view.elided_names()]
        found += [f"{name}: person's name cut “{text}”" for text in _cut_names(view, names)]
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_table_fits_at_1366x768(qtbot, world, role, language):
    i18n.set_language(language)
    window = DesktopWindow(world, settings=Settings(), person_id=ROLES[role])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    names = {row["full_name"] for row in world.organisation.people_overview()}
    problems = []
    for index, page in enumerate(window.pages):
        window.show_page(index)
        loading = getattr(page, "is_loading", None)
        if loading is not None:
            qtbot.waitUntil(lambda: not loading(), timeout=30000)  # noqa: B023
        qtbot.wait(5)
        problems += _problems(page, names)
    assert not problems, "\n".join(problems)
