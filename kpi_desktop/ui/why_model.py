"""The "why" of a score: each line's contribution to a, b and c, as a table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from kpi_desktop.runtime import i18n
from kpi_desktop.ui import formatting

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
        if getattr(line, "quality_cause", False):
            parts.append(self.tr("objective cause of the quality errors: {reason}").format(
                reason=getattr(line, "quality_cause_reason", "")))
        if getattr(line, "timeliness_cause", False):
            parts.append(self.tr("objective cause of the delays: {reason}").format(
                reason=getattr(line, "timeliness_cause_reason", "")))
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
        if getattr(line, "quality_cause", False):
            parts.append(self.tr("Objective cause of the quality errors confirmed (Article "
                                 "14.2(b)): no quality deduction. {reason}").format(
                reason=getattr(line, "quality_cause_reason", "")).strip())
        if getattr(line, "timeliness_cause", False):
            parts.append(self.tr("Objective cause of the delays confirmed (Article 14.2(c)): "
                                 "no timeliness deduction. {reason}").format(
                reason=getattr(line, "timeliness_cause_reason", "")).strip())
        return "\n".join(parts)
