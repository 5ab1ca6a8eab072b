"""Organisation: the tree of units; add a sub-unit, rename, move, close."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from kpi_desktop.ui.agency.base import AgencyPage
from kpi_desktop.ui.common import column, named, refresh_when_visible, row, with_side_panel
from kpi_desktop.ui.pages.base import UserContext

ID_ROLE = Qt.ItemDataRole.UserRole


class OrganisationPage(AgencyPage):
    """Units of the organisation as a tree, edited one action at a time."""

    page_id = "agency_org"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent,
                         heading=lambda: self.tr("Units of the organisation"))
        texts = self.texts
        self.tree = named(QTreeWidget(), "units", data=True)
        self.tree.setColumnCount(3)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

        self.edit_box = texts.box(lambda: self.tr("Name of the chosen unit"))
        self.name_vi = named(QLineEdit(), "name_vi")
        self.name_en = named(QLineEdit(), "name_en")
        edit, (self.name_vi_label, self.name_en_label) = texts.form(self.edit_box, [
            (lambda: self.tr("Name (&Vietnamese):"), self.name_vi),
            (lambda: self.tr("Name (&English):"), self.name_en)])
        self.rename_button = texts.button(lambda: self.tr("&Rename the chosen unit"),
                                          self.rename_unit, name="rename_unit")
        edit.addRow(self.rename_button)

        self.new_box = texts.box(lambda: self.tr("New unit under the chosen unit"))
        self.new_name_vi = texts.field(lambda: self.tr("for example Phòng Kinh tế"),
                                       name="new_name_vi")
        self.new_name_en = named(QLineEdit(), "new_name_en")
        self.code = named(QLineEdit(), "code")
        new_form, self.new_labels = texts.form(self.new_box, [
            (lambda: self.tr("N&ame (Vietnamese):"), self.new_name_vi),
            (lambda: self.tr("Name (E&nglish):"), self.new_name_en),
            (lambda: self.tr("Co&de:"), self.code)])
        self.add_button = texts.button(lambda: self.tr("Add the ne&w unit"), self.add_unit,
                                       name="add_unit")
        new_form.addRow(self.add_button)

        self.move_box = texts.box(lambda: self.tr("Move or close the chosen unit"))
        self.parent_combo = named(QComboBox(), "move_to", data=True)
        self.move_button = texts.button(lambda: self.tr("&Move under"), self.move_unit,
                                        name="move_unit")
        self.close_button = texts.button(lambda: self.tr("&Close the unit"), self.close_unit,
                                         name="close_unit")
        self.close_note = texts.label(lambda: self.tr(
            "Only a unit without people and open sub-units can be closed; it stays in the "
            "history."), wrap=True)
        column(self.move_box, row(self.parent_combo, self.move_button), self.close_button,
               self.close_note)

        column(self, self.heading, (with_side_panel(
            self.tree, [self.edit_box, self.new_box, self.move_box, self.message], 420), 1))

        self.tree.currentItemChanged.connect(lambda *_: self._selected())
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Organisation")

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels([self.tr("Unit"), self.tr("Code"), self.tr("State")])
        refresh_when_visible(self)

    # ---------------------------------------------------------------- data -----------------

    def refresh(self) -> None:
        chosen = self.chosen_id()
        units = self.admin.units()
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        pending = list(units)
        while pending:  # parents before children, whatever the order
            rest = []
            for unit in pending:
                parent = items.get(unit.parent_id or "")
                if unit.parent_id and parent is None and any(
                        u.id == unit.parent_id for u in pending):
                    rest.append(unit)
                    continue
                state = self.tr("open") if unit.active else self.tr("closed")
                item = QTreeWidgetItem([unit.name_vi, unit.code, state])
                item.setData(0, ID_ROLE, unit.id)
                if unit.name_en:
                    item.setToolTip(0, unit.name_en)
                (parent.addChild(item) if parent is not None
                 else self.tree.addTopLevelItem(item))
                items[unit.id] = item
            if len(rest) == len(pending):
                break
            pending = rest
        self.tree.expandAll()
        self.parent_combo.clear()
        for unit in units:
            if unit.active:
                self.parent_combo.addItem(unit.name_vi, unit.id)
        if chosen in items:
            self.tree.setCurrentItem(items[chosen])
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._selected()

    def chosen_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def choose(self, unit_id: str) -> None:
        for item in self.tree.findItems("", Qt.MatchFlag.MatchContains
                                        | Qt.MatchFlag.MatchRecursive, 0):
            if item.data(0, ID_ROLE) == unit_id:
                self.tree.setCurrentItem(item)
                return
        raise KeyError(unit_id)

    def _selected(self) -> None:
        unit_id = self.chosen_id()
        unit = next((u for u in self.admin.units() if u.id == unit_id), None)
        has = unit is not None
        self.rename_button.setEnabled(has)
        self.add_button.setEnabled(has and unit.active)
        is_root = has and unit.parent_id is None
        self.move_button.setEnabled(has and not is_root)
        self.close_button.setEnabled(has and not is_root and unit.active)
        if has:
            self.name_vi.setText(unit.name_vi)
            self.name_en.setText(unit.name_en)

    # ---------------------------------------------------------------- actions --------------

    def add_unit(self) -> bool:
        parent = self.chosen_id()
        if parent is None:
            return False
        name_vi, name_en, code = (self.new_name_vi.text(), self.new_name_en.text(),
                                  self.code.text())
        return self.attempt(
            lambda: self.admin.add_unit(name_vi=name_vi, parent_id=parent, name_en=name_en,
                                        code=code),
            lambda unit: self.tr("Unit “{name}” added.").format(name=unit.name_vi),
            lambda _unit: [field.clear() for field in (self.new_name_vi, self.new_name_en,
                                                       self.code)])

    def rename_unit(self) -> bool:
        unit = self.chosen_id()
        if unit is None:
            return False
        name_vi, name_en = self.name_vi.text(), self.name_en.text()
        return self.attempt(
            lambda: self.admin.rename_unit(unit, name_vi=name_vi, name_en=name_en),
            lambda changed: self.tr("Unit renamed to “{name}”.").format(name=changed.name_vi))

    def move_unit(self) -> bool:
        unit, parent = self.chosen_id(), self.parent_combo.currentData()
        if unit is None or parent is None:
            return False
        return self.attempt(lambda: self.admin.move_unit(unit, parent),
                            lambda changed: self.tr("“{name}” moved.").format(
                                name=changed.name_vi))

    def close_unit(self) -> bool:
        unit = self.chosen_id()
        if unit is None:
            return False
        return self.attempt(lambda: self.admin.close_unit(unit),
                            lambda changed: self.tr("“{name}” closed.").format(
                                name=changed.name_vi))

