"""One chart of horizontal bars, drawn with QPainter: a title, a label per row, a bar (with a
lighter bar behind it for a total, e.g. points assigned behind points completed) and the figure
after it. The leader's level distribution and points-by-KPI-kind charts are two uses of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Bar:
    """One row: its label, its value (and the total behind it), its colour and its figure."""

    label: str
    value: float
    colour: QColor
    text: str
    behind: float | None = None


class BarChart(QWidget):
    """Rows of labelled horizontal bars under a title; each bar's length is its value against
    the largest value (or total behind a bar) of the chart."""

    def __init__(self, title: Callable[[], str], *, label_align: Qt.AlignmentFlag =
                 Qt.AlignmentFlag.AlignLeft, figure_sample: str = "000",
                 axis: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._label_align = label_align
        self._figure_sample = figure_sample
        self._axis = axis
        self.bars: list[Bar] = []

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        rect = self.rect().adjusted(10, 8, -10, -8)
        metrics = painter.fontMetrics()
        line = metrics.height()
        text = self.palette().text().color()
        painter.setPen(text)
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft, self._title())
        if not self.bars:
            painter.end()
            return
        label_width = max(metrics.horizontalAdvance(bar.label) for bar in self.bars) + 10
        figure_width = metrics.horizontalAdvance(self._figure_sample) + 6
        top = rect.top() + line + 10
        slot = min((rect.bottom() - top) / len(self.bars), 2.6 * line)
        height = min(slot * 0.6, 2.2 * line)
        span = max(10.0, rect.width() - label_width - figure_width)
        biggest = max(max(bar.value, bar.behind or 0.0) for bar in self.bars) or 1.0
        x = rect.left() + label_width
        for index, bar in enumerate(self.bars):
            middle = top + index * slot + slot / 2
            painter.setPen(text)
            painter.drawText(QRectF(rect.left(), middle - line / 2, label_width - 8, line),
                             self._label_align | Qt.AlignmentFlag.AlignVCenter, bar.label)
            end = x + span * bar.value / biggest
            if bar.behind is not None:
                light = QColor(bar.colour)
                light.setAlpha(60)
                end = max(end, x + span * bar.behind / biggest)
                painter.fillRect(QRectF(x, middle - height / 2, span * bar.behind / biggest,
                                        height), light)
            painter.fillRect(QRectF(x, middle - height / 2, span * bar.value / biggest,
                                    height), bar.colour)
            painter.drawText(QRectF(end + 4, middle - line / 2, rect.right() - end - 4, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             bar.text)
        if self._axis:
            painter.setPen(QColor("#9ca3af"))
            painter.drawLine(int(x), int(top), int(x), int(rect.bottom()))
        painter.end()
