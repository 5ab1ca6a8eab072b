"""Catalog: the versions of the product/work catalog and their items by complexity group;
import a workbook in the layout of QĐ 283 after a preview (or the reason it is refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QLineEdit, QWidget

from kpi_desktop.domain.values import fold_text
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.kpi_kinds import kpi_kind_label
from kpi_desktop.ui.agency.base import AgencyPage, PreviewDialog, points_text
from kpi_desktop.ui.common import (
    column,
    data_label,
    date_text,
    form,
    named,
    refresh_when_visible,
    row,
)
from kpi_desktop.ui.formatting import number
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView

GROUPS = ("N1", "N2", "N3", "N4", "N5")


def _scope(value: Any) -> str:
    scope = getattr(value, "value", value)
    return {
        "leadership": translate("Agency", "leadership"),
        "shared": translate("Agency", "shared"),
        "division": translate("Agency", "division"),
    }.get(str(scope), str(scope))


def _item_columns(*, with_kind: bool) -> list[Column[Any]]:
    """The catalog's columns (the preview has no KPI kind yet)."""
    columns = [
        Column(lambda: translate("Catalog", "Code"), lambda i: i.code),
        Column(lambda: translate("Catalog", "Task"), lambda i: f"{i.name_vi} — {i.detail_vi}"
               if getattr(i, "detail_vi", "") else i.name_vi,
               tooltip=lambda i: getattr(i, "output_vi", "") or i.name_vi, fit=Fit.WRAP,
               min_chars=30),
        Column(lambda: translate("Catalog", "Group"), lambda i: getattr(i.group, "value", i.group)),
        Column(lambda: translate("Catalog", "Points"), lambda i: points_text(i.points),
               sort=lambda i: i.points, align=RIGHT),
        Column(lambda: translate("Catalog", "Coefficient"), lambda i: number(i.coefficient, 2),
               sort=lambda i: i.coefficient, align=RIGHT),
        Column(lambda: translate("Catalog", "Part"), lambda i: _scope(i.scope)),
    ]
    if with_kind:
        columns.insert(5, Column(lambda: translate("Catalog", "KPI kind"),
                                 lambda i: kpi_kind_label(i.kpi_kind) if i.kpi_kind else "—"))
    return columns


class CatalogImportDialog(PreviewDialog):
    """A catalog workbook read and checked; Import stores it as a new active version."""

    def __init__(self, services: Any, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(services, path, _item_columns(with_kind=False),
                         key=lambda i: i.code, accept_name="import_catalog",
                         table_name="preview_items", parent=parent)
        self.setMinimumSize(900, 540)
        self.import_button, self.items, self.summary = self.accept_button, self.rows, \
            self.intro
        self.error.setObjectName("catalog_error")
        self.version = named(QLineEdit(), "version")
        self.label = named(QLineEdit(), "label")
        fields, (self.version_label, self.label_label) = form(None, [self.version, self.label])
        self.lay_out(self.intro, self.rows, fields)
        self.retranslate_ui()
        self._check()

    @property
    def count(self) -> int:
        """How many items were imported (after Import)."""
        return int(self.outcome or 0)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import a catalog workbook"))
        self.items.retranslate()
        self.version_label.setText(self.tr("&Version:"))
        self.label_label.setText(self.tr("&Label:"))
        self.version.setPlaceholderText(self.tr("for example QD283-2026"))
        self.label.setPlaceholderText(self.tr("for example QĐ 283/QĐ-UBND"))
        self.import_button.setText(self.tr("&Import as the active catalog"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _check(self) -> None:
        if not self.check(lambda: self.services.agency.preview_catalog(self.path),
                          self.tr("The workbook cannot be imported; nothing was changed.")):
            return
        groups = ", ".join(f"{g}: {n}" for g, n in self.preview.by_group.items())
        self.summary.setText(self.tr(
            "{file}: {count} items ({groups}); standard work unit = {points} points. Nothing "
            "is written until you press Import.").format(
            file=self.path.name, count=len(self.preview.items), groups=groups,
            points=number(self.preview.standard_unit_points, 0)))
        self.items.set_rows(self.preview.items)
        self.version.setText(self.path.stem[:40].replace(" ", "-"))

    def change(self) -> Any:
        agency, path = self.services.agency, self.path
        version, label = self.version.text(), self.label.text()
        return lambda: agency.import_catalog(path, version_id=version, label=label)


class CatalogPage(AgencyPage):
    """Catalog versions and the items of the chosen one."""

    page_id = "agency_catalog"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr("Product/work catalog"))
        texts = self.texts
        self.version = named(QComboBox(), "catalog_version", data=True)
        self.group = named(QComboBox(), "group", data=True)  # N1…N5 are the decree's codes
        self.search = texts.field(lambda: self.tr("Search code or name…"), name="search",
                                  search=True)
        self.import_button = texts.button(lambda: self.tr("&Import workbook…"),
                                          self._choose_workbook, name="import_workbook")
        self.version_label = texts.label(lambda: self.tr("&Version:"), buddy=self.version)
        self.group_label = texts.label(lambda: self.tr("G&roup:"), buddy=self.group)
        self.info = data_label(wrap=True)
        self.items = texts.table(RecordTableView.of(
            _item_columns(with_kind=True), key=lambda i: i.id, filtered=True, name="items"))
        top = row(self.heading, None, self.version_label, self.version, self.group_label,
                  self.group, self.search, self.import_button)
        top.setStretchFactor(self.version, 2)
        top.setStretchFactor(self.search, 2)
        column(self, top, self.info, (self.items, 1), self.message)
        self._items: list[Any] = []
        self.version.currentIndexChanged.connect(lambda _i: self._load_items())
        self.group.currentIndexChanged.connect(lambda _i: self._show_items())
        self.search.textChanged.connect(lambda _t: self._show_items())
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Catalog")

    def retranslate_ui(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(self.tr("all"), None)
        for g in GROUPS:
            self.group.addItem(g, g)
        self.group.setCurrentIndex(max(0, self.group.findData(current)))
        self.group.blockSignals(False)
        refresh_when_visible(self)

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
        self.items.set_rows(self._items)
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
        group = self.group.currentData()
        wanted = fold_text(self.search.text())
        self.items.set_filter(lambda i: (group is None or i.group.value == group) and (
            not wanted or wanted in fold_text(f"{i.code} {i.name_vi} {i.name_en}")))

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
