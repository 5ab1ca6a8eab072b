"""The main window: the organisation's people, and a person's monthly score with its "why".

This is the foundation's window; the official's and the leader's desktops grow from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class WhyModel(QAbstractTableModel):
    """Each line's contribution to a, b and c (the "why" of a score)."""

    COLUMNS = 9

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[Any] = []

    def set_lines(self, lines: list[Any]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [self.tr("Code"), self.tr("Product / work"), self.tr("Coefficient"),
                self.tr("Quantity"), self.tr("Assigned (units)"), self.tr("Completed (units)"),
                self.tr("Quality (units)"), self.tr("On time (units)"),
                self.tr("Remarks")][section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            name = line.name_vi if i18n.current_language() == "vi" else line.name_en
            values = [line.code, name, formatting.number(line.coefficient),
                      formatting.number(line.quantity), formatting.number(line.assigned_units),
                      formatting.number(line.completed_units),
                      formatting.number(line.quality_units),
                      formatting.number(line.ontime_units), self._remarks(line)]
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._explain(line)
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column <= 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _remarks(self, line: Any) -> str:
        parts = []
        if line.extra:
            parts.append(self.tr("extra"))
        if not line.completed:
            parts.append(self.tr("not completed"))
        if line.failed_reviews:
            parts.append(self.tr("failed review ×{n}").format(n=line.failed_reviews))
        if line.delays:
            parts.append(self.tr("late ×{n}").format(n=line.delays))
        if line.objective_cause:
            parts.append(self.tr("objective cause"))
        return ", ".join(parts)

    def _explain(self, line: Any) -> str:
        parts = []
        if line.extra:
            parts.append(self.tr("Ad hoc or taken-over work: counted outside the assigned total."))
        if not line.completed:
            parts.append(self.tr("Assigned but not completed."))
        if line.failed_reviews:
            parts.append(self.tr("Failed quality reviews: {n} (−25 % each).").format(
                n=line.failed_reviews))
        if line.delays:
            parts.append(self.tr("Missed deadlines: {n} (−25 % each).").format(n=line.delays))
        if line.objective_cause:
            parts.append(self.tr("Objective cause confirmed: no deduction."))
        return "\n".join(parts)


class ScorePanel(QWidget):
    """A person's month: a, b, c, task points, general points, total, level and the why table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("scoreTitle")
        self.title.setWordWrap(True)
        self.period_label = QLabel()
        self.period = QComboBox()
        self.summary = QGroupBox()
        form = QFormLayout(self.summary)
        self._labels: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        for key in ("a", "b", "c", "d", "task_points", "general_points", "total", "level"):
            label, value = QLabel(), QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._labels[key], self._values[key] = label, value
            form.addRow(label, value)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.why = QTableView()
        self.why_model = WhyModel(self)
        self.why.setModel(self.why_model)
        self.why.setAlternatingRowColors(True)
        self.why.verticalHeader().hide()
        header = self.why.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.why.verticalHeader().setDefaultSectionSize(24)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addWidget(self.why, 1)
        self._result: Any = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.period_label.setText(self.tr("&Month:"))
        self.period_label.setBuddy(self.period)
        self.summary.setTitle(self.tr("Score of the month"))
        names = {
            "a": self.tr("a. Quantity"), "b": self.tr("b. Quality"), "c": self.tr("c. Timeliness"),
            "d": self.tr("Leader factors d / đ / e"), "task_points": self.tr("Task points (of 70)"),
            "general_points": self.tr("General criteria (of 30)"), "total": self.tr("Total"),
            "level": self.tr("Indicative level"),
        }
        for key, text in names.items():
            self._labels[key].setText(text)
        self.why_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, WhyModel.COLUMNS - 1)
        self.show_result(self._result)

    def show_result(self, result: Any) -> None:
        """Show a ``PersonPeriodResult`` from the score service (or nothing)."""
        self._result = result
        if result is None:
            self.title.setText(self.tr("Choose a person on the left."))
            for value in self._values.values():
                value.clear()
            self.notice.clear()
            self.why_model.set_lines([])
            return
        score = result.score
        self.title.setText(f"<b>{result.person_name}</b><br>{result.position_name}")
        self._values["a"].setText(formatting.percent(score.a))
        self._values["b"].setText(formatting.percent(score.b))
        self._values["c"].setText(formatting.percent(score.c))
        leader = result.leader
        self._values["d"].setText("–" if leader is None else " / ".join(
            formatting.percent(v) for v in (leader.d, leader.dd, leader.e)))
        self._values["task_points"].setText(formatting.number(score.task_points))
        self._values["general_points"].setText(formatting.number(score.general_points))
        self._values["total"].setText(f"<b>{formatting.number(score.total)}</b>")
        self._values["level"].setText(
            "–" if score.insufficient else level_label(score.level))
        notices = []
        if score.insufficient:
            notices.append(self.tr("Insufficient data: nothing was assigned this month, so no "
                                   "score is computed."))
        if result.general_source == "self":
            notices.append(self.tr("General criteria: the self-assessment, not yet confirmed."))
        elif result.general_source == "none":
            notices.append(self.tr("General criteria: not yet assessed (counted as 0)."))
        self.notice.setText("\n".join(notices))
        self.why_model.set_lines(result.lines)


class MainWindow(QMainWindow):
    """The application's window; gets its services through ``__init__``."""

    def __init__(self, services: Any, *, settings: Settings | None = None,
                 settings_path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self.resize(1280, 720)
        self.people_model = QStandardItemModel(self)
        self.people = QTreeView()
        self.people.setModel(self.people_model)
        self.people.setHeaderHidden(True)
        self.people.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.score_panel = ScorePanel()
        splitter = QSplitter()
        splitter.addWidget(self.people)
        splitter.addWidget(self.score_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 960])
        self.setCentralWidget(splitter)
        self._build_menus()
        self.people.selectionModel().currentChanged.connect(self._person_changed)
        self.score_panel.period.currentIndexChanged.connect(self._refresh_score)
        self._load_people()
        self._load_periods()
        self.retranslate_ui()

    # -- building ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setData(code)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def _load_people(self) -> None:
        self.people_model.clear()
        units: dict[str, QStandardItem] = {}
        for row in self.services.organisation.people_overview():
            unit = units.get(row["unit_id"])
            if unit is None:
                unit = QStandardItem(row["unit_name"])
                unit.setSelectable(False)
                units[row["unit_id"]] = unit
                self.people_model.appendRow(unit)
            item = QStandardItem(f"{row['full_name']} — {row['position_name']}")
            item.setData(row["id"], PERSON_ID_ROLE)
            unit.appendRow(item)
        self.people.expandAll()

    def _load_periods(self) -> None:
        combo = self.score_panel.period
        combo.blockSignals(True)
        combo.clear()
        for period in reversed(self.services.scores.periods()):
            combo.addItem(period, period)
        combo.blockSignals(False)

    # -- behaviour ---------------------------------------------------------------------------
    def current_person_id(self) -> str | None:
        index = self.people.currentIndex()
        return index.data(PERSON_ID_ROLE) if index.isValid() else None

    def select_person(self, person_id: str) -> bool:
        for row in range(self.people_model.rowCount()):
            unit = self.people_model.item(row)
            for child in range(unit.rowCount()):
                item = unit.child(child)
                if item.data(PERSON_ID_ROLE) == person_id:
                    self.people.setCurrentIndex(item.index())
                    return True
        return False

    def _person_changed(self, *_args: object) -> None:
        self._refresh_score()

    def _refresh_score(self, *_args: object) -> None:
        person_id = self.current_person_id()
        period = self.score_panel.period.currentData()
        if not person_id or not period:
            self.score_panel.show_result(None)
            return
        self.score_panel.show_result(self.services.scores.person_period(person_id, period))

    def set_language(self, language: str) -> None:
        """Switch the whole interface live and remember the choice."""
        language = i18n.set_language(language)
        self.language_actions[language].setChecked(True)
        self.settings.language = language
        if self.settings_path is not None:
            self.settings.save(self.settings_path)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop — work log and Decree 335 evaluation"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About KPI Desktop"))
        self.score_panel.retranslate_ui()
        if self.current_person_id():
            self._refresh_score()

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About KPI Desktop"), self.tr(
            "KPI Desktop records daily work, computes the monthly score and the yearly "
            "classification of Decree 335/2025/NĐ-CP on this computer, and works offline."))
