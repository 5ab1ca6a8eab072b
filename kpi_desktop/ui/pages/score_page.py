"""My score: the month's a, b, c, points, total and level; the year's trend; the "why"."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import EntryStatus, Period, PeriodKind
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.calendar import MonthProgress
from kpi_desktop.services.messages import entry_status_label, level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    STATUS_COLOURS,
    data_label,
    last_finished,
    mark_data,
    name_of,
    named,
    period_text,
    refresh_when_visible,
    row,
    stacked,
)
from kpi_desktop.ui.pages.appeals_page import appeal_changes
from kpi_desktop.ui.pages.base import Page, PrintRequest, Text, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableModel
from kpi_desktop.ui.why_model import WhyModel

_Index = QModelIndex | QPersistentModelIndex
LEVEL_COLOURS = ("#15803d", "#2563eb", "#b45309")  # Excellent, Good, Satisfactory lines


def month_progress(services: Any, period: Period) -> MonthProgress:
    """Whether ``period`` is over (the daily service's today), and its working days so far."""
    today = services.daily.today()
    calendar = getattr(services, "calendar", None)
    if calendar is None:
        finished = today > period.end
        return MonthProgress(period, finished, 0, 0)
    return calendar.progress(period, today)


def provisional_text(progress: MonthProgress) -> str:
    """"Provisional — month 12 is not over (4/22 working days)" ("" for a finished month)."""
    if progress.finished:
        return ""
    return translate("Provisional", "Provisional — month {month} is not over ({elapsed}/{total} "
                     "working days): no level until it ends.").format(
        month=progress.period.start.month, elapsed=progress.elapsed, total=progress.total)


def evaluator_line(services: Any, person_id: str) -> str:
    """"Evaluator: Trần Thị Mai (Phó Chánh Văn phòng)" for the official's pages."""
    info = services.daily.person(person_id)
    if not info.evaluator_name:
        return translate("Evaluator", "Evaluator: none recorded")
    title = info.evaluator_position_vi if i18n.current_language() == "vi" \
        else info.evaluator_position_en
    name = f"{info.evaluator_name} ({title})" if title else info.evaluator_name
    return translate("Evaluator", "Evaluator: {name}").format(name=name)


def month_name(period: Period) -> str:
    """A month as "11/2026" (vi) or "Nov 2026" (en)."""
    return translate("Period", "{month}/{year}").format(month=period.start.month,
                                                         year=period.start.year)


def period_name(period: Period) -> str:
    """A month ("9/2026"), quarter ("Quý 1/2026") or half year ("6 tháng đầu năm 2026")."""
    return month_name(period) if period.kind is PeriodKind.MONTH else period_text(period)


class OwnMonthPage(Page):
    """What the official's month pages (My score, Month submission) share: the top row with the
    heading, who evaluates them (Điều 10, by name and title) and the period chooser, and the
    provisional notice ("Tạm tính — tháng 12 chưa kết thúc (4/22 ngày làm việc)") the page
    places. They open on the last finished month: the running month is only provisional."""

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None, *,
                 heading: Text, month_label: Text) -> None:
        """``heading`` and ``month_label``: the page's texts (``lambda: self.tr(…)``)."""
        super().__init__(services, user, parent, heading=heading)
        self.period = last_finished(services.daily.today())
        self.evaluator = named(data_label(), "evaluatorName")
        self.provisional = named(data_label(wrap=True), "provisionalNotice")
        self.provisional.setStyleSheet("color: #92400e; background: #fef3c7; padding: 4px;")
        self.month = mark_data(QComboBox())
        self.month_label = self.texts.label(month_label, buddy=self.month)
        self.month.currentIndexChanged.connect(self._month_chosen)

    def top_row(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(16)
        top.addWidget(self.evaluator, 1)
        top.addWidget(self.month_label)
        top.addWidget(self.month)
        return top

    def show_periods(self, periods: list[Period]) -> None:
        """Offer ``periods`` (in this order) with the page's period chosen."""
        self.month.blockSignals(True)
        self.month.clear()
        for period in periods:
            self.month.addItem(period_name(period), str(period))
        self.month.setCurrentIndex(max(0, self.month.findData(str(self.period))))
        self.month.blockSignals(False)

    def show_notices(self) -> MonthProgress:
        """The evaluator line and, for a month not over yet, the provisional notice."""
        self.evaluator.setText(evaluator_line(self.services, self.user.person_id))
        progress = month_progress(self.services, self.period)
        self.provisional.setText(provisional_text(progress))
        self.provisional.setVisible(not progress.finished)
        return progress

    def _month_chosen(self, _index: int) -> None:
        data = self.month.currentData()
        if data:
            self.show_period(Period.parse(data))

    def show_period(self, period: Period) -> None:
        self.period = period
        self.refresh()

    def print_request(self) -> PrintRequest:
        return PrintRequest(person_id=self.user.person_id, period=self.period)


class TrendChart(QWidget):
    """The year's monthly totals as bars, with the level thresholds (drawn with QPainter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, Fraction | None, bool]] = []  # label, total, selected
        self.lines: tuple[Fraction, ...] = ()  # the policy's cut-offs, highest first
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.empty_text = ""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 200)

    def set_points(self, points: list[tuple[str, Fraction | None, bool]],
                   lines: tuple[Fraction, ...] = ()) -> None:
        self.points = points
        self.lines = lines
        self.setToolTip("\n".join(f"{label}: {formatting.number(total)}"
                                  for label, total, _ in points))
        self.update()

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(36, 10, -10, -24)
        painter.fillRect(self.rect(), self.palette().base())
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        # grid: 0, 100 and the cut-offs of the policy in force (Excellent, Good, Satisfactory)
        painter.setPen(QPen(QColor("#d1d5db"), 1))
        colours = dict(zip(self.lines, LEVEL_COLOURS, strict=False))
        for value in sorted({Fraction(0), Fraction(100), *self.lines}):
            y = rect.bottom() - rect.height() * float(value) / 100
            colour = colours.get(value)
            pen = QPen(QColor(colour or "#d1d5db"), 1,
                       Qt.PenStyle.DashLine if colour else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(QColor("#4b5563"))
            painter.drawText(QRectF(0, y - 8, 32, 16),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             formatting.number(value, 0 if value.denominator == 1 else 1))
        if not self.points:
            painter.end()
            return
        slot = rect.width() / len(self.points)
        bar = min(36.0, slot * 0.6)
        previous: QPointF | None = None
        for index, (label, total, selected) in enumerate(self.points):
            x = rect.left() + slot * index + slot / 2
            painter.setPen(QColor("#111827" if selected else "#4b5563"))
            painter.drawText(QRectF(x - slot / 2, rect.bottom() + 4, slot, 18),
                             int(Qt.AlignmentFlag.AlignCenter), label)
            if total is None:
                painter.drawText(QRectF(x - slot / 2, rect.bottom() - 20, slot, 18),
                                 int(Qt.AlignmentFlag.AlignCenter), "–")
                previous = None
                continue
            value = float(min(Fraction(100), max(Fraction(0), total)))
            top = rect.bottom() - rect.height() * value / 100
            colour = QColor("#1d4ed8" if selected else "#93c5fd")
            painter.fillRect(QRectF(x - bar / 2, top, bar, rect.bottom() - top), colour)
            point = QPointF(x, top)
            if previous is not None:
                painter.setPen(QPen(QColor("#1e3a8a"), 2))
                painter.drawLine(previous, point)
            previous = point
            if selected:
                painter.setPen(QColor("#111827"))
                painter.drawText(QRectF(x - slot / 2, top - 18, slot, 16),
                                 int(Qt.AlignmentFlag.AlignCenter), formatting.number(total, 1))
        painter.end()


class EntryStatusModel(RecordTableModel[Any]):
    """Each entry of the month with its status and the leader's reason when returned (on the
    table toolkit)."""

    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([
            Column(lambda: self.tr("Date"), lambda v: formatting.date(v.entry.work_date),
                   sort=lambda v: v.entry.work_date),
            Column(lambda: self.tr("Code"), lambda v: v.item.code),
            Column(lambda: self.tr("Product / work"), lambda v: name_of(v.item),
                   fit=Fit.ELIDE, min_chars=20),
            Column(lambda: self.tr("Quantity"), lambda v: formatting.number(
                v.entry.quantity, 0 if v.entry.quantity % 1 == 0 else 2),
                sort=lambda v: v.entry.quantity, align=RIGHT),
            Column(lambda: self.tr("Status"), lambda v: entry_status_label(v.entry.status),
                   foreground=lambda v: QColor(STATUS_COLOURS[v.entry.status])),
            Column(lambda: self.tr("Leader's remarks"), self._remarks,
                   tooltip=lambda v: v.return_reason or None, fit=Fit.WRAP, min_chars=16),
        ], key=lambda v: v.entry.id, parent=parent)

    @property
    def views(self) -> list[Any]:
        return self.rows

    def set_views(self, views: list[Any]) -> None:
        self.set_rows(views)

    def _remarks(self, view: Any) -> str:
        remarks = []
        if view.return_reason:
            remarks.append(self.tr("returned: {reason}").format(reason=view.return_reason))
        if view.failed_reviews:
            remarks.append(self.tr("failed review ×{n}").format(n=view.failed_reviews))
        if view.delays:
            remarks.append(self.tr("late ×{n}").format(n=view.delays))
        if view.entry.is_extra:
            remarks.append(self.tr("ad hoc"))
        return "; ".join(remarks)


class ScorePage(OwnMonthPage):
    """My score."""

    page_id = "score"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent,
                         heading=lambda: self.tr("My score and why"),
                         month_label=lambda: self.tr("&Month:"))
        texts = self.texts
        self.result: Any = None
        self.summary = texts.box(lambda: self.tr("Score of the month"))
        form = QFormLayout(self.summary)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in ("a", "b", "c", "leader", "task_points", "general_points", "total", "level"):
            label, value = QLabel(), data_label(wrap=key == "level")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key], self.values[key] = label, value
            form.addRow(label, value)
        self.notice = data_label(wrap=True)
        self.notice.setObjectName("scoreNotice")
        # The history of a result changed by an appeal (Điều 21.3).
        self.appeal_note = data_label(wrap=True)
        self.appeal_note.setObjectName("scoreAppealNote")
        self.appeal_note.setStyleSheet("background:#fef3c7; padding:4px;")
        self.appeal_note.hide()
        self.chart_box = texts.box(lambda: self.tr("Monthly totals this year"))
        self.chart = TrendChart()
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.addWidget(self.chart)
        self.tabs = QTabWidget()
        self.why = QTableView()
        self.why_model = WhyModel(self)
        self.why.setModel(self.why_model)
        self.entries = QTableView()
        self.entries_model = EntryStatusModel(self)
        self.entries.setModel(self.entries_model)
        for table, stretch in ((self.why, 1), (self.entries, 2)):
            table.verticalHeader().hide()
            table.setAlternatingRowColors(True)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setWordWrap(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
            table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(self.why, "")
        self.tabs.addTab(self.entries, "")
        self.why_note = data_label(wrap=True)

        top = self.top_row()
        left = stacked(self.provisional, self.summary, self.appeal_note, self.notice, None)
        left.setMinimumWidth(450)
        left.setMaximumWidth(560)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row(left, (self.chart_box, 1)))
        layout.addWidget(stacked(self.why_note, (self.tabs, 1)), 1)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("My score")

    def retranslate_ui(self) -> None:
        self.chart.setAccessibleName(self.tr("Chart of the monthly totals"))
        names = {
            "a": self.tr("a. Quantity"), "b": self.tr("b. Quality"),
            "c": self.tr("c. Timeliness"), "leader": self.tr("Leader factors d / đ / e"),
            "task_points": self.tr("Task points (of 70)"),
            "general_points": self.tr("General criteria (of 30)"), "total": self.tr("Total"),
            "level": self.tr("Indicative level"),
        }
        for key, text in names.items():
            self.labels[key].setText(text)
        self.tabs.setTabText(0, self.tr("Why: each product's contribution"))
        self.tabs.setTabText(1, self.tr("Entries of the month and their status"))
        self.why_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                              WhyModel.COLUMNS - 1)
        self.entries_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                                  EntryStatusModel.COLUMNS - 1)
        refresh_when_visible(self)

    def _fill_months(self) -> None:
        """This year's and last year's months, then their quarters and half years (Điều 17.3:
        the mean of their months), newest first."""
        today = self.services.daily.today()
        current = Period.containing(today)
        months = []
        month = Period.month(today.year - 1, 1)
        while month <= current:
            months.insert(0, month)
            month = month.next()
        longer = [period for year in (today.year, today.year - 1)
                  for period in [Period.quarter(year, q) for q in (4, 3, 2, 1)]
                  + [Period(PeriodKind.HALF, year, h) for h in (2, 1)] if period.start <= today]
        self.show_periods(months + longer)

    def _show_rollup(self) -> None:
        """A quarter or half year: the mean of the months worked, with each month's total."""
        rollup = self.services.scores.rollup(self.user.person_id, self.period)
        self.rollup = rollup
        self.summary.setTitle(self.tr("Mean of the months of {period}").format(
            period=period_name(self.period)))
        for key in ("a", "b", "c", "leader"):
            self.labels[key].setVisible(False)
            self.values[key].setVisible(False)
        self.values["task_points"].setText(formatting.number(rollup.task_points))
        self.values["general_points"].setText(formatting.number(rollup.general_points))
        self.values["total"].setText(f"<b>{formatting.number(rollup.total)}</b>")
        self.values["level"].setText("–" if rollup.level is None else
                                     f"<b>{level_label(rollup.level)}</b>")
        lines = []
        for m, code in zip(rollup.months, rollup.notes, strict=True):
            # Why a month has no total, or is not in the mean: the words of the forms.
            note = " — " + self.services.scores.month_note_text(code) if code else ""
            lines.append(f"{month_name(m.period)}: {formatting.number(m.total)}{note}")
        lines.append(self.tr("Mean of {count} months worked (Article 17.3).").format(
            count=rollup.months_counted))
        self.notice.setText("\n".join(lines))
        self.appeal_note.hide()
        self.why_model.set_lines([])
        self.entries_model.set_views([])
        trend = self.services.daily.trend(self.user.person_id, self.period.start.year)
        inside = {str(m) for m in self.period.months()}
        self.chart.set_points([(str(point.period.start.month), point.score.total,
                                str(point.period) in inside) for point in trend],
                              self._cut_offs())

    def _cut_offs(self) -> tuple[Fraction, ...]:
        """The lines of the chart: the cut-offs of the policy that scored the period."""
        policy = self.services.scores.policy(self.period) if self.result is None or \
            self.period.kind is not PeriodKind.MONTH else self.result.policy
        return (policy.threshold_excellent, policy.threshold_good, policy.threshold_complete)
    def refresh(self) -> None:
        self._fill_months()
        person = self.user.person_id
        if self.period.kind is not PeriodKind.MONTH:
            self.evaluator.setText(evaluator_line(self.services, person))
            self.provisional.setVisible(False)
            self._show_rollup()
            return
        for key in ("a", "b", "c"):
            self.labels[key].setVisible(True)
            self.values[key].setVisible(True)
        self.summary.setTitle(self.tr("Score of the month"))
        self.result = self.services.scores.person_period(person, self.period)
        score = self.result.score
        progress = self.show_notices()
        self.values["a"].setText(formatting.percent(score.a))
        self.values["b"].setText(formatting.percent(score.b))
        self.values["c"].setText(formatting.percent(score.c))
        leader = self.result.leader
        self.values["leader"].setText("–" if leader is None else " / ".join(
            formatting.percent(v) for v in (leader.d, leader.dd, leader.e)))
        self.labels["leader"].setVisible(leader is not None)
        self.values["leader"].setVisible(leader is not None)
        self.values["task_points"].setText(formatting.number(score.task_points))
        self.values["general_points"].setText(formatting.number(score.general_points))
        self.values["total"].setText(f"<b>{formatting.number(score.total)}</b>")
        # No level for a month that is not over: the running month is provisional.
        self.values["level"].setText("–" if score.insufficient or not progress.finished else
                                     f"<b>{level_label(score.level)}</b>")
        notices = []
        if score.insufficient:
            notices.append(self.tr("Insufficient data: nothing was assigned this month, so no "
                                   "score is computed."))
        if self.result.general_source == "self":
            notices.append(self.tr("General criteria: your self-assessment, not yet confirmed."))
        elif self.result.general_source == "none":
            notices.append(self.tr("General criteria: not yet assessed (counted as 0) — fill in "
                                   "Month submission."))
        entries = self.services.daily.month_entries(person, self.period)
        waiting = sum(v.entry.status is EntryStatus.SUBMITTED for v in entries)
        drafts = sum(v.entry.status is EntryStatus.DRAFT for v in entries)
        returned = sum(v.entry.status is EntryStatus.RETURNED for v in entries)
        if drafts or waiting or returned:
            notices.append(self.tr("Only confirmed entries count: {drafts} draft(s), {waiting} "
                                   "waiting for the leader, {returned} returned.").format(
                drafts=drafts, waiting=waiting, returned=returned))
        notices.append(self.tr("Indicative only: the evaluator confirms the month. Policy "
                               "{version}.").format(version=score.policy_version))
        self.notice.setText("\n".join(notices))
        changes = appeal_changes(self.services, person, self.period)
        self.appeal_note.setText("\n".join(changes))
        self.appeal_note.setVisible(bool(changes))
        self.why_model.set_lines(list(self.result.lines))
        self.entries_model.set_views(entries)
        self.why_note.setText(self.tr(
            "a = completed ÷ assigned, b = passed quality ÷ assigned (−25 % per failed review), "
            "c = on time ÷ assigned (−25 % per delay), in standard units (quantity × "
            "coefficient); ad hoc work counts outside the assigned total."))
        trend = self.services.daily.trend(person, self.period.start.year)
        self.chart.set_points([
            (str(point.period.start.month), point.score.total,
             point.period == self.period) for point in trend], self._cut_offs())
