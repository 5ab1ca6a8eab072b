"""The "why" of a score: each line's contribution to a, b and c, as a table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from kpi_desktop.runtime import i18n
from kpi_desktop.ui import formatting
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableModel


class WhyModel(RecordTableModel[Any]):
    """Each line's contribution to a, b and c (the "why" of a score), on the table toolkit:
    the tooltip of every cell explains the line's deductions."""

    COLUMNS = 9

    def __init__(self, parent: QObject | None = None) -> None:
        def figure(header: Any, value: Any) -> Column[Any]:
            return Column(header, lambda line: formatting.number(value(line)),
                          sort=value, tooltip=self._explain, align=RIGHT)

        super().__init__([
            Column(lambda: self.tr("Code"), lambda line: line.code, tooltip=self._explain),
            Column(lambda: self.tr("Product / work"), self._name, tooltip=self._explain,
                   fit=Fit.ELIDE, min_chars=20),
            figure(lambda: self.tr("Coefficient"), lambda line: line.coefficient),
            figure(lambda: self.tr("Quantity"), lambda line: line.quantity),
            figure(lambda: self.tr("Assigned (units)"), lambda line: line.assigned_units),
            figure(lambda: self.tr("Completed (units)"), lambda line: line.completed_units),
            figure(lambda: self.tr("Quality (units)"), lambda line: line.quality_units),
            figure(lambda: self.tr("On time (units)"), lambda line: line.ontime_units),
            Column(lambda: self.tr("Remarks"), self._remarks, tooltip=self._explain,
                   fit=Fit.WRAP, min_chars=14),
        ], parent=parent)

    @property
    def _lines(self) -> list[Any]:
        return self.rows

    def set_lines(self, lines: list[Any]) -> None:
        self.set_rows(lines)

    @staticmethod
    def _name(line: Any) -> str:
        return line.name_vi if i18n.current_language() == "vi" else line.name_en

    def _notes(self, line: Any) -> list[tuple[str, str]]:
        """What changed the line's points: (a short remark, its explanation) each."""
        notes = []
        if line.extra:
            notes.append((self.tr("extra"), self.tr(
                "Ad hoc or taken-over work: counted outside the assigned total.")))
        if not line.completed:
            notes.append((self.tr("not completed"), self.tr("Assigned but not completed.")))
        if line.failed_reviews:
            notes.append((self.tr("failed review ×{n}").format(n=line.failed_reviews),
                          self.tr("Failed quality reviews: {n} (−25 % each).").format(
                              n=line.failed_reviews)))
        if line.delays:
            notes.append((self.tr("late ×{n}").format(n=line.delays),
                          self.tr("Missed deadlines: {n} (−25 % each).").format(n=line.delays)))
        if getattr(line, "quality_cause", False):
            reason = getattr(line, "quality_cause_reason", "")
            notes.append((
                self.tr("objective cause of the quality errors: {reason}").format(reason=reason),
                self.tr("Objective cause of the quality errors confirmed (Article "
                        "14.2(b)): no quality deduction. {reason}").format(reason=reason).strip()))
        if getattr(line, "timeliness_cause", False):
            reason = getattr(line, "timeliness_cause_reason", "")
            notes.append((
                self.tr("objective cause of the delays: {reason}").format(reason=reason),
                self.tr("Objective cause of the delays confirmed (Article 14.2(c)): "
                        "no timeliness deduction. {reason}").format(reason=reason).strip()))
        return notes

    def _remarks(self, line: Any) -> str:
        return ", ".join(remark for remark, _explanation in self._notes(line))

    def _explain(self, line: Any) -> str:
        return "\n".join(explanation for _remark, explanation in self._notes(line))
