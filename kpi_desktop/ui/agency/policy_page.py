"""Policy: the scoring policy's parameters (thresholds, deductions, switches, quota, work-log
rules); saved as a new policy version in force from a date, checked before it is stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.ui.agency.base import AgencyPage
from kpi_desktop.ui.common import (
    date_edit,
    date_text,
    from_qdate,
    mark_data,
    named,
    refresh_when_visible,
    row,
    scrolled,
)
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.tables import Column, RecordTableView


class PolicyPage(AgencyPage):
    """The policy in force, editable as the next version."""

    page_id = "agency_policy"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr("Scoring policy"))
        texts = self.texts
        self.current = QLabel()
        self.current.setWordWrap(True)
        mark_data(self.current)
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.groups: dict[str, QGroupBox] = {}
        # One widget per line of the table of parameters (scoring.POLICY_PARAMETERS), by kind.
        self.parameters = {v.name: v for v in self.admin.policy_parameters()}
        columns = QHBoxLayout()
        column_layouts = (QVBoxLayout(), QVBoxLayout())
        order = list(dict.fromkeys(v.group for v in self.parameters.values()))
        for index, group in enumerate(order):
            box = QGroupBox()
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            self.groups[group] = box
            column_layouts[0 if index < (len(order) + 1) // 2 else 1].addWidget(box)
            for view in (v for v in self.parameters.values() if v.group == group):
                widget = self._widget(view)
                widget.setObjectName(view.name)
                label = QLabel()
                label.setBuddy(widget)
                self.fields[view.name] = widget
                self.labels[view.name] = label
                form.addRow(label, widget)
        for layout in column_layouts:
            layout.addStretch(1)
            columns.addLayout(layout, 1)
        self.factors = self.fields["complexity_factors"]
        params = QWidget()
        params.setLayout(columns)
        self.scroll = scrolled(params)

        self.save_box = texts.box(lambda: self.tr("Save as a new policy version"))
        self.version = named(QLineEdit(), "policy_version")
        self.active_from = named(date_edit(self.admin.today()), "active_from")
        self.version_label = texts.label(lambda: self.tr("&Version:"), buddy=self.version)
        self.from_label = texts.label(lambda: self.tr("In force fr&om:"), buddy=self.active_from)
        self.save_button = texts.button(lambda: self.tr("&Save new version"), self.save,
                                        name="save_policy")
        self.reset_button = texts.button(lambda: self.tr("&Undo changes"), self.refresh,
                                         name="reset_policy")
        self.save_box.setLayout(row(self.version_label, (self.version, 1), self.from_label,
                                    self.active_from, self.save_button, self.reset_button))

        self.versions = self.texts.table(RecordTableView.of([
            Column(lambda: self.tr("Version"), lambda v: v.version),
            Column(lambda: self.tr("In force from"), lambda v: date_text(v.active_from),
                   sort=lambda v: v.active_from),
            Column(lambda: self.tr("Stored"), lambda v: date_text(v.created_at.date()),
                   sort=lambda v: v.created_at),
        ], key=lambda v: v.version, name="policy_versions"))
        self.versions.setMaximumHeight(120)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.current)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.save_box)
        layout.addWidget(self.message)
        layout.addWidget(self.versions)
        self.retranslate_ui()
        self.refresh()

    @staticmethod
    def _widget(view: Any) -> QWidget:
        widget: QWidget
        if view.kind == "switch":
            widget = QCheckBox()
        elif view.kind == "integer":
            widget = QSpinBox()
            widget.setRange(view.minimum if view.minimum is not None else 0,
                            view.maximum if view.maximum is not None else 100000)
        elif view.kind == "choice":
            widget = QComboBox()
            for value, _label in view.choices:
                widget.addItem(value, value)
        else:
            widget = QLineEdit()
        widget.setMaximumWidth(260 if view.kind in ("choice", "factors") else 110)
        return widget

    def title(self) -> str:
        return self.tr("Scoring policy")

    def retranslate_ui(self) -> None:
        self.parameters = {v.name: v for v in self.admin.policy_parameters()}
        groups = {v.group: v.group_label for v in self.parameters.values()}
        for group, box in self.groups.items():
            box.setTitle(groups.get(group, group))
        for name, label in self.labels.items():
            view = self.parameters[name]
            label.setText(view.label + ":")
            tip = view.article + (f" · {view.bounds}" if view.bounds else "")
            label.setToolTip(tip)
            self.fields[name].setToolTip(tip)
            if view.kind == "choice":
                combo = self.fields[name]
                assert isinstance(combo, QComboBox)
                labels = dict(view.choices)
                for index in range(combo.count()):
                    combo.setItemText(index, labels.get(combo.itemData(index), ""))
        self.factors.setToolTip(self.factors.toolTip() + " · " + self.tr(
            "Separate the factors with “;”, for example 1; 1.2; 1.5; 2; 3"))
        refresh_when_visible(self)

    def refresh(self) -> None:
        view = self.admin.current_policy()
        if view.active_from is None:
            now = self.tr("In force today: the defaults of Decree 335 (version {version}).")
        else:
            now = self.tr("In force today: version {version} (from {date}).")
        self.current.setText(now.format(version=view.version, date=date_text(view.active_from))
                             + " " + self.tr("Change the values below and save them as a new "
                                             "version; shares are written as decimals "
                                             "(0.25 = 25 %)."))
        for name in self.fields:
            widget, value = self.fields[name], view.values[name]
            if isinstance(widget, QCheckBox):
                widget.setChecked(value == "True")
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QLineEdit):
                widget.setText(value)
        self.versions.set_rows(self.admin.policy_versions())

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                out[name] = widget.value()
            elif isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, QLineEdit):
                out[name] = widget.text()
        return out

    def save(self) -> bool:
        values, version, active_from = (
            self.values(), self.version.text(), from_qdate(self.active_from.date()))
        return self.attempt(
            lambda: self.admin.save_policy(values, version=version, active_from=active_from),
            lambda version: self.tr("Policy {version} stored; publish the organisation to "
                                    "send it out.").format(version=version))
