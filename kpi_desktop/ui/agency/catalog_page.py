"""Catalog: the versions of the product/work catalog and their items by complexity group;
import a workbook in the layout of QĐ 283 after a preview (or the reason it is refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.agency.base import AgencyPage, fill, points_text, table
from kpi_desktop.ui.common import ERROR_STYLE, date_text, mark_data
from kpi_desktop.ui.formatting import number
from kpi_desktop.ui.pages.base import UserContext

GROUPS = ("N1", "N2", "N3", "N4", "N5")


def _kpi_kind(value: Any) -> str:
    from kpi_desktop.runtime.i18n import translate

    kind = getattr(value, "value", value)
    return {
        "spearhead": translate("Agency", "spearhead"),
        "hard": translate("Agency", "hard"),
        "soft": translate("Agency", "soft"),
    }.get(str(kind), "—") if kind else "—"


def _scope(value: Any) -> str:
    from kpi_desktop.runtime.i18n import translate

    scope = getattr(value, "value", value)
    return {
        "leadership": translate("Agency", "leadership"),
        "shared": translate("Agency", "shared"),
        "division": translate("Agency", "division"),
    }.get(str(scope), str(scope))


class CatalogImportDialog(QDialog):
    """A catalog workbook read and checked; Import stores it as a new active version."""

    def __init__(self, services: Any, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.path = path
        self.preview: Any = None
        self.count = 0
        self.setMinimumSize(900, 540)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        mark_data(self.summary)
        self.items = table(6, stretch=1)
        self.items.setObjectName("preview_items")
        self.version = QLineEdit()
        self.version.setObjectName("version")
        self.label = QLineEdit()
        self.label.setObjectName("label")
        self.version_label, self.label_label = QLabel(), QLabel()
        self.version_label.setBuddy(self.version)
        self.label_label.setBuddy(self.label)
        form = QFormLayout()
        form.addRow(self.version_label, self.version)
        form.addRow(self.label_label, self.label)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("catalog_error")
        self.error.setStyleSheet(ERROR_STYLE)
        mark_data(self.error)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_catalog")
        self.cancel_button = QPushButton()
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self._check()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import a catalog workbook"))
        self.items.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Task"), self.tr("Group"), self.tr("Points"),
            self.tr("Coefficient"), self.tr("Part")])
        self.version_label.setText(self.tr("&Version:"))
        self.label_label.setText(self.tr("&Label:"))
        self.version.setPlaceholderText(self.tr("for example QD283-2026"))
        self.label.setPlaceholderText(self.tr("for example QĐ 283/QĐ-UBND"))
        self.import_button.setText(self.tr("&Import as the active catalog"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _check(self) -> None:
        try:
            self.preview = self.services.agency.preview_catalog(self.path)
        except KpiError as error:
            self.summary.setText(self.path.name)
            self.error.setText(self.tr("The workbook cannot be imported; nothing was "
                                       "changed.") + " " + describe(error))
            self.import_button.setEnabled(False)
            return
        groups = ", ".join(f"{g}: {n}" for g, n in self.preview.by_group.items())
        self.summary.setText(self.tr(
            "{file}: {count} items ({groups}); standard work unit = {points} points. Nothing "
            "is written until you press Import.").format(
            file=self.path.name, count=len(self.preview.items), groups=groups,
            points=number(self.preview.standard_unit_points, 0)))
        fill(self.items, [[i.code, i.name_vi, i.group, points_text(i.points),
                           number(i.coefficient, 2), _scope(i.scope)]
                          for i in self.preview.items])
        self.version.setText(self.path.stem[:40].replace(" ", "-"))

    def accept(self) -> None:
        try:
            self.count = self.services.agency.import_catalog(
                self.path, version_id=self.version.text(), label=self.label.text())
        except KpiError as error:
            self.error.setText(describe(error))
            return
        super().accept()


class CatalogPage(AgencyPage):
    """Catalog versions and the items of the chosen one."""

    page_id = "agency_catalog"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.heading = QLabel()
        self.version = QComboBox()
        self.version.setObjectName("catalog_version")
        mark_data(self.version)
        self.version_label = QLabel()
        self.version_label.setBuddy(self.version)
        self.group = QComboBox()
        self.group.setObjectName("group")
        mark_data(self.group)  # N1…N5 are the decree's codes
        self.group_label = QLabel()
        self.group_label.setBuddy(self.group)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_workbook")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.version_label)
        top.addWidget(self.version, 2)
        top.addWidget(self.group_label)
        top.addWidget(self.group)
        top.addWidget(self.search, 2)
        top.addWidget(self.import_button)
        self.info = QLabel()
        self.info.setWordWrap(True)
        mark_data(self.info)
        self.items = table(7, stretch=1)
        self.items.setObjectName("items")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.message)
        self._items: list[Any] = []
        self.version.currentIndexChanged.connect(lambda _i: self._load_items())
        self.group.currentIndexChanged.connect(lambda _i: self._show_items())
        self.search.textChanged.connect(lambda _t: self._show_items())
        self.import_button.clicked.connect(self._choose_workbook)
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Catalog")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Product/work catalog") + "</b>")
        self.version_label.setText(self.tr("&Version:"))
        self.group_label.setText(self.tr("&Group:"))
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(self.tr("all"), None)
        for g in GROUPS:
            self.group.addItem(g, g)
        self.group.setCurrentIndex(max(0, self.group.findData(current)))
        self.group.blockSignals(False)
        self.search.setPlaceholderText(self.tr("Search code or name…"))
        self.import_button.setText(self.tr("&Import workbook…"))
        self.items.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Task"), self.tr("Group"), self.tr("Points"),
            self.tr("Coefficient"), self.tr("KPI kind"), self.tr("Part")])
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        chosen = self.version.currentData()
        versions = self.admin.catalog_versions()
        self.version.blockSignals(True)
        self.version.clear()
        for v in versions:
            state = self.tr("active") if v.active else self.tr("earlier")
            self.version.addItem(f"{v.label or v.id} ({state})", v.id)
        active = next((v.id for v in versions if v.active), None)
        index = self.version.findData(chosen if chosen is not None else active)
        self.version.setCurrentIndex(max(0, index))
        self.version.blockSignals(False)
        self._load_items()

    def _load_items(self) -> None:
        version_id = self.version.currentData()
        versions = {v.id: v for v in self.admin.catalog_versions()}
        version = versions.get(version_id)
        self._items = self.admin.catalog_items(version_id) if version_id else []
        if version is None:
            self.info.setText(self.tr("No catalog yet: import the agency's catalog workbook."))
        else:
            self.info.setText(self.tr(
                "Version {version}: {count} items; standard work unit = {points} points; "
                "published {date}.").format(
                version=version.id, count=len(self._items),
                points=number(version.standard_unit_points, 0),
                date=date_text(version.published_at.date() if version.published_at else None)))
        self._show_items()

    def _show_items(self) -> None:
        from kpi_desktop.ui.agency.people_page import _fold

        group = self.group.currentData()
        wanted = _fold(self.search.text())
        rows = [i for i in self._items if (group is None or i.group.value == group)
                and (not wanted or wanted in _fold(f"{i.code} {i.name_vi} {i.name_en}"))]
        fill(self.items, [[i.code, i.name_vi if not i.detail_vi else f"{i.name_vi} — "
                           f"{i.detail_vi}", i.group.value, points_text(i.points),
                           number(i.coefficient, 2), _kpi_kind(i.kpi_kind), _scope(i.scope)]
                          for i in rows], [i.id for i in rows])
        for r, item in enumerate(rows):
            self.items.item(r, 1).setToolTip(item.output_vi or item.name_vi)

    def _choose_workbook(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Catalog workbook"), "", self.tr("Workbooks (*.xlsx);;All files (*)"))
        if path:
            self.open_workbook(Path(path)).exec()

    def open_workbook(self, path: Path) -> CatalogImportDialog:
        """The preview dialog of a catalog workbook (the caller shows it)."""
        dialog = CatalogImportDialog(self.services, path, self)
        dialog.accepted.connect(lambda: self._imported(dialog))
        return dialog

    def _imported(self, dialog: CatalogImportDialog) -> None:
        self.version.blockSignals(True)
        self.version.clear()
        self.version.blockSignals(False)
        self.show_ok(self.tr("Catalog version {version}: {count} items imported; publish the "
                             "organisation to send it out.").format(
            version=dialog.version.text(), count=dialog.count))
        self.refresh()
        self.data_changed.emit()
