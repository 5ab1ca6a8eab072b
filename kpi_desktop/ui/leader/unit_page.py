"""The unit view: everyone's monthly totals and levels for the year, a distribution chart, and
a drill-down into a person's "why"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QRectF, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Level, Period, fold_text
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    LEVEL_COLOURS,
    DetailSplitter,
    data_label,
    mark_data,
    month_text,
    show_error,
)
from kpi_desktop.ui.leader.transfer_dialog import (
    mark_origin,
    month_origins,
    organisation_changes_button,
    why_origin_line,
)
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tasks import TaskRunner

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 4
LEAVE_ROLE = Qt.ItemDataRole.UserRole + 5  # months entirely on leave (Điều 11.2)
LEVELS: tuple[Level | None, ...] = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE,
                                    Level.NOT_COMPLETE, None)


class DistributionChart(QWidget):
    """Bars of how many people are at each level (drawn with QPainter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[Level | None, int] = {}
        self.setMinimumSize(260, 200)

    def set_counts(self, counts: dict[Level | None, int]) -> None:
        self.counts = dict(counts)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        rect = self.rect().adjusted(10, 8, -10, -8)
        metrics = painter.fontMetrics()
        line = metrics.height()
        text_colour = self.palette().text().color()
        painter.setPen(text_colour)
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft, self.tr("Distribution of levels"))
        labels = [level_label(level) for level in LEVELS]
        label_width = max(metrics.horizontalAdvance(text) for text in labels) + 8
        count_width = metrics.horizontalAdvance("000") + 6
        top = rect.top() + line + 10
        slot = min((rect.bottom() - top) / len(LEVELS), 2.6 * line)
        bar_height = min(slot * 0.6, 2.2 * line)
        span = max(10.0, rect.width() - label_width - count_width)
        highest = max([1, *self.counts.values()])
        for index, (level, text) in enumerate(zip(LEVELS, labels, strict=True)):
            count = self.counts.get(level, 0)
            middle = top + index * slot + slot / 2
            painter.setPen(text_colour)
            painter.drawText(QRectF(rect.left(), middle - line / 2, label_width - 8, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            width = span * count / highest
            bar = QRectF(rect.left() + label_width, middle - bar_height / 2, width, bar_height)
            painter.fillRect(bar, LEVEL_COLOURS[level])
            painter.drawText(QRectF(bar.right() + 4, middle - line / 2, count_width, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(count))
        painter.setPen(QColor("#9ca3af"))
        x = int(rect.left() + label_width)
        painter.drawLine(x, int(top), x, int(rect.bottom()))
        painter.end()


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.level: str | None = "*"
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 - Qt
        model = self.sourceModel()
        index = model.index(row, 0, parent)
        if self.text and self.text not in (model.data(index, SEARCH_ROLE) or ""):
            return False
        return self.level == "*" or model.data(index, LEVEL_ROLE) == self.level


class UnitViewPage(Page):
    """Everyone of the leader's unit for a year, with the distribution of levels."""

    page_id = "leader.unit"
    #: Emitted on the GUI thread when a refresh has filled the page.
    loaded = Signal()

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._overview: Any = None
        self.runner = TaskRunner(self)
        self._load: Any = None  # the running load (refresh off the GUI thread)
        self._generation = 0  # a newer refresh makes older loads stale
        today = services.classification.today()
        self.year_label = QLabel()
        self.year = QSpinBox()
        self.year.setRange(2020, 2100)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(self.refresh)
        self.span = QComboBox()  # the year, or one of its half years (Điều 17.3)
        self._span = 0
        self.span.currentIndexChanged.connect(self._span_chosen)
        self.search = QLineEdit()
        self.search.textChanged.connect(self._filter_changed)
        self.level = QComboBox()
        self.level.currentIndexChanged.connect(self._filter_changed)
        self.audit_button = QPushButton()
        self.audit_button.clicked.connect(self.open_audit)
        self.leave_button = QPushButton()  # the selected person's leave (Điều 11.2)
        self.leave_button.clicked.connect(self.open_leave)
        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addWidget(self.span)
        top.addWidget(self.search, 1)
        top.addWidget(self.level)
        top.addWidget(self.leave_button)
        top.addWidget(self.audit_button)
        self.changes_button = organisation_changes_button(services, user.person_id,
                                                          self.refresh, self)
        if self.changes_button is not None:  # transfers and mergers (issue 9 §4)
            top.addWidget(self.changes_button)

        self.model = QStandardItemModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Column widths from the visible rows and up to 100 more, not all 300+: measuring
        # every cell stalls the GUI for 100 ms and more.
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.doubleClicked.connect(self.open_why)
        mark_data(self.table)
        self.hint = QLabel()
        self.chart = DistributionChart()
        self.chart.setFixedWidth(300)
        self.quota = data_label(wrap=True)
        side = QVBoxLayout()
        side.addWidget(self.chart, 1)
        side.addWidget(self.quota)
        side_panel = QWidget()
        side_panel.setLayout(side)
        # The chart folds away (folded at first on a 1366-pixel screen): the twelve months,
        # the mean and the level then fit without scrolling sideways.
        self.splitter = DetailSplitter(self.table, side_panel, detail_width=300)
        self.splitter.show_detail(False)
        self.splitter.fold_button.toggled.connect(lambda _on: self._fit_columns())
        self.splitter.splitterMoved.connect(lambda *_: self._fit_columns())
        top.addWidget(self.splitter.fold_button)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.installEventFilter(self)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hint)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Unit view")

    def retranslate_ui(self) -> None:
        self.year_label.setText(self.tr("Year:"))
        self.search.setPlaceholderText(self.tr("Filter by name…"))
        self.audit_button.setText(self.tr("Audit log…"))
        self.span.blockSignals(True)
        self.span.clear()
        for text in (self.tr("Whole year"), self.tr("First half"), self.tr("Second half")):
            self.span.addItem(text)
        self.span.setCurrentIndex(self._span)
        self.span.blockSignals(False)
        self.leave_button.setText(self.tr("&Leave…"))
        self.leave_button.setToolTip(self.tr("Sick, maternity or unpaid personal leave of the "
                                             "selected person (Article 11.2)"))
        current = self.level.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        self.level.addItem(self.tr("All levels"), "*")
        for level in LEVELS:
            self.level.addItem(level_label(level), level.value if level else "")
        self.level.setCurrentIndex(max(0, self.level.findData(current)))
        self.level.blockSignals(False)
        self.hint.setText(self.tr("Double-click a person to see why they got their score. "
                                  "Monthly levels are indicative; the year's level is "
                                  "decided in the year-end classification."))
        if self._overview is not None or self._load is not None or self.isVisible():
            self.refresh()  # not at construction: the window refreshes a page it shows

    def _filter_changed(self) -> None:
        modern = hasattr(self.proxy, "beginFilterChange")  # Qt ≥ 6.9
        if modern:
            self.proxy.beginFilterChange()
        self.proxy.text = fold_text(self.search.text())
        self.proxy.level = self.level.currentData()
        if modern:
            self.proxy.endFilterChange()
        else:  # pragma: no cover - older Qt
            self.proxy.invalidateFilter()

    def refresh(self) -> None:
        """Reload in a worker thread; the page shows at once and says it is loading."""
        year = self.year.value()
        self.model.setHorizontalHeaderLabels(self._headers(year))
        self._generation += 1
        generation = self._generation
        classification, actor, unit = (self.services.classification, self.user.person_id,
                                       self.user.unit_id)
        self.quota.setText(self.tr("Loading…"))
        self._load = self.runner.start(
            lambda _progress, _cancelled: self._prepare(
                year, classification.overview(actor, unit, year)),
            on_finished=lambda prepared: self._loaded(generation, year, prepared),
            on_failed=lambda error: self._load_failed(generation, error))

    def _span_chosen(self, index: int) -> None:
        self._span = max(0, index)
        self.refresh()

    def show_span(self, half: int) -> None:
        """Show the year (0) or its first or second half (1, 2)."""
        self.span.setCurrentIndex(half)

    def is_loading(self) -> bool:
        return self._load is not None

    def _headers(self, year: int) -> list[str]:
        headers = [self.tr("Person"), self.tr("Unit")]
        headers += [short_month(number) for number in range(1, 13)]
        return headers + [self.tr("Months"), self.tr("Mean"), self.tr("Level")]

    def _loaded(self, generation: int, year: int, prepared: Any) -> None:
        if generation == self._generation:
            self._load = None
            self._populate(year, prepared)

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._load = None
        self.quota.setText("")
        if not isinstance(error, KpiError):
            raise error
        show_error(self, self.tr("Unit view"), error)

    def _prepare(self, year: int, overview: Any) -> tuple[Any, list[list[QStandardItem]],
                                                          dict[Level | None, int]]:
        """The table's rows, built in the worker (items that belong to no model yet may be
        made in any thread; the GUI thread only appends them)."""
        months = [Period.month(year, m) for m in range(1, 13)]
        counts: dict[Level | None, int] = {}
        rows: list[list[QStandardItem]] = []
        origins = month_origins(self.services, [r.person.id for r in overview.rows], year)
        units = {p["unit_id"]: p["unit_name"]
                 for p in self.services.organisation.people_overview()}
        for row in overview.rows:
            totals = dict(zip(row.periods, row.monthly_totals, strict=True))
            levels = dict(zip(row.periods, row.monthly_levels, strict=False))
            unit = units.get(row.person.unit_id, row.person.unit_id)
            cells = [self._cell(row.person.full_name, row.person.full_name),
                     self._cell(unit, unit)]
            cells[1].setToolTip(unit)
            for month in months:
                total = totals.get(month)
                cell = self._cell(formatting.number(total) if total is not None else "",
                                  float(total) if total is not None else -1.0, right=True)
                if levels.get(month) is Level.NOT_COMPLETE:
                    cell.setForeground(QBrush(LEVEL_COLOURS[Level.NOT_COMPLETE]))
                mark_origin(cell, origins.get((row.person.id, str(month))), row.person.unit_id)
                cells.append(cell)
            half = self._span  # 0: the year; 1, 2: a half year (Điều 17.3)
            if half:
                mean, level, counted = overview.half(row, half)
            else:
                mean, level, counted = row.result.mean, row.result.level, row.months
            away = row.leave_months  # months entirely on leave (Điều 11.2)
            months_cell = self._cell(f"{counted} (+{len(away)})" if away else str(counted),
                                     counted, right=True)
            if away:
                months_cell.setToolTip(self.tr(
                    "Months entirely on leave, not in the mean (Article 11.2): {months}"
                ).format(months=", ".join(month_text(m) for m in away)))
            months_cell.setData(len(away), LEAVE_ROLE)
            cells.append(months_cell)
            mean_cell = self._cell(formatting.number(mean), float(mean) if mean is not None
                                   else -1.0, right=True)
            if half:
                mean_cell.setToolTip(self.tr("Mean of the months of the half year (Article "
                                             "17.3)"))
            cells.append(mean_cell)
            level_cell = self._cell(level_label(level), level.rank if level else -1)
            level_cell.setForeground(QBrush(LEVEL_COLOURS.get(level, LEVEL_COLOURS[None])))
            cells.append(level_cell)
            cells[0].setData(row.person.id, PERSON_ROLE)
            cells[0].setData(fold_text(f"{row.person.full_name} {row.person.id}"), SEARCH_ROLE)
            cells[0].setData(level.value if level else "", LEVEL_ROLE)
            rows.append(cells)
            counts[level] = counts.get(level, 0) + 1
        return overview, rows, counts

    def _populate(self, year: int, prepared: Any) -> None:
        overview, rows, counts = prepared
        self._overview = overview
        self.model.clear()
        self.model.setHorizontalHeaderLabels(self._headers(year))
        for cells in rows:
            self.model.appendRow(cells)
        self._fit_columns()
        self.chart.set_counts(counts)
        over = [s for s in self._overview.scopes if s.over]
        if over:
            self.quota.setText(self.tr("Excellent quota exceeded in {n} group(s); see the "
                                       "year-end classification.").format(n=len(over)))
        else:
            self.quota.setText(self.tr("The Excellent quota is respected."))
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Every column at its content's width except the unit, which takes what is left
        (elided, its name in the tooltip): nothing scrolls sideways."""
        columns = self.model.columnCount()
        if columns < 2:
            return
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        bold = header.fontMetrics()
        pad = 14 + self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)
        rows = min(self.model.rowCount(), 400)
        for column in range(columns):
            title = self.model.headerData(column, Qt.Orientation.Horizontal) or ""
            widest = max([bold.horizontalAdvance(str(title)) + pad] + [
                metrics.horizontalAdvance(str(self.model.index(row, column).data() or "")) + 12
                for row in range(rows)])
            header.resizeSection(column, widest)
        others = sum(header.sectionSize(c) for c in range(columns) if c != 1)
        room = self.table.viewport().width() - others - 2
        header.resizeSection(1, max(60, min(header.sectionSize(1), room)))

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    @staticmethod
    def _cell(text: str, sort: Any, *, right: bool = False) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(sort, SORT_ROLE)
        if right:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def person_at(self, proxy_row: int) -> str:
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        return self.model.data(source, PERSON_ROLE)

    def open_leave(self) -> Any:
        """The leave of the selected person (recorded by their evaluator or the chairman)."""
        from kpi_desktop.ui.leader.leave_dialog import LeaveDialog

        index = self.table.currentIndex()
        if not index.isValid():
            return None
        person_id = self.person_at(index.row())
        row = self._overview.row(person_id)
        dialog = LeaveDialog(self.services, self.user.person_id, person_id,
                             row.person.full_name, self)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def open_audit(self) -> None:
        AuditDialog(self.services.evaluation.audit_trail(self.user.person_id), self).exec()

    def open_why(self, index: QModelIndex) -> None:
        person_id = self.person_at(index.row())
        row = self._overview.row(person_id)
        month = row.periods[-1] if row.periods else Period.containing(self.services.clock.today())
        WhyDialog(self.services, person_id, month, list(row.periods), self).exec()


def action_label(action: str) -> str:
    """What an audit line's action means, in words."""
    return {
        "entry.create": translate("AuditLog", "created a work-log entry"),
        "entry.submit": translate("AuditLog", "submitted a work-log entry"),
        "entry.confirm": translate("AuditLog", "confirmed an entry"),
        "entry.return": translate("AuditLog", "returned an entry"),
        "entry.quality_failed": translate("AuditLog", "recorded a failed quality review"),
        "entry.delay": translate("AuditLog", "recorded a delay"),
        "entry.objective_cause": translate("AuditLog", "recorded an objective cause"),
        "entry.quality_cause": translate(
            "AuditLog", "recorded an objective cause of the quality errors"),
        "entry.timeliness_cause": translate(
            "AuditLog", "recorded an objective cause of the delays"),
        "entry.undo": translate("AuditLog", "undid a decision before it was sent"),
        "review.late": translate("AuditLog", "reviewed after the time limit"),
        "assignment.create": translate("AuditLog", "assigned a task"),
        "assignment.cancel": translate("AuditLog", "cancelled an assignment"),
        "assignment.copy": translate("AuditLog", "copied last month's assignments"),
        "evaluation.confirm": translate("AuditLog", "confirmed a monthly evaluation"),
        "evaluation.lock": translate("AuditLog", "locked a month"),
        "evaluation.unlock": translate("AuditLog", "unlocked a month"),
        "evaluator.delegate": translate("AuditLog", "appointed an acting evaluator"),
        "discipline.record": translate("AuditLog", "recorded a discipline decision"),
        "classification.self_rating": translate("AuditLog", "recorded a Form 02 self-rating"),
        "classification.decide": translate("AuditLog", "recorded a classification decision"),
        "classification.supersede": translate("AuditLog", "replaced a classification decision"),
        "transfer.person": translate("AuditLog", "transferred a person to another unit"),
        "unit.merge": translate("AuditLog", "merged units"),
        "transfer.export": translate("AuditLog", "sent a person's monthly results to another "
                                                 "agency"),
        "transfer.import": translate("AuditLog", "received a person's monthly results from "
                                                 "another agency"),
    }.get(action, action)


class AuditDialog(QDialog):
    """Who changed what, when and why (newest first)."""

    def __init__(self, events: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit log"))
        self.resize(980, 520)
        self.table = QTableWidget(len(events), 5)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What"),
                                              self.tr("Record"), self.tr("Why / details")])
        mark_data(self.table)
        for row, event in enumerate(events):
            local = event.at.astimezone()
            detail = event.detail.get("reason") or event.detail.get("comment") or ", ".join(
                f"{k}={v}" for k, v in event.detail.items() if k not in ("reason", "comment"))
            values = [f"{formatting.date(local.date())} {local:%H:%M}", event.actor_id or "",
                      action_label(event.action), event.object_id, str(detail)]
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def short_month(number: int) -> str:
    """"T1"…"T12" in Vietnamese, "Jan"…"Dec" in English."""
    if i18n.current_language() == "vi":
        return f"T{number}"
    return dt.date(2026, number, 1).strftime("%b")


class WhyDialog(QDialog):
    """A person's month: each line's contribution to a, b and c."""

    def __init__(self, services: Any, person_id: str, month: Period, months: list[Period],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person_id = person_id
        self.resize(900, 480)
        self.month = QComboBox()
        for period in reversed(months or [month]):
            self.month.addItem(month_text(period), str(period))
        self.month.currentIndexChanged.connect(self.refresh)
        self.summary = data_label(wrap=True)
        self.table = QTableWidget(0, 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        mark_data(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.month)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Product / work"), self.tr("Coefficient"),
            self.tr("Quantity"), self.tr("Assigned (units)"), self.tr("Completed (units)"),
            self.tr("Quality (units)"), self.tr("On time (units)")])
        self.refresh()

    def refresh(self) -> None:
        result = self.services.scores.person_period(self.person_id,
                                                    Period.parse(self.month.currentData()))
        score = result.score
        self.setWindowTitle(self.tr("Why: {name}").format(name=result.person_name))
        self.summary.setText(self.tr(
            "a {a} %, b {b} %, c {c} %; task points {tp}; general criteria {g}; total {t} "
            "({level}); policy {policy}").format(
            a=formatting.number(score.a), b=formatting.number(score.b),
            c=formatting.number(score.c), tp=formatting.number(score.task_points),
            g=formatting.number(score.general_points), t=formatting.number(score.total),
            level=level_label(score.level), policy=score.policy_version))
        origin = why_origin_line(self.services, self.person_id, self.month.currentData())
        if origin:  # the unit and evaluator of the month (transfers, issue 9 §4)
            self.summary.setText(f"{self.summary.text()}\n{origin}")
        self.table.setRowCount(len(result.lines))
        for index, line in enumerate(result.lines):
            name = line.name_vi if i18n.current_language() == "vi" else line.name_en
            values = [line.code, name, formatting.number(line.coefficient),
                      formatting.number(line.quantity), formatting.number(line.assigned_units),
                      formatting.number(line.completed_units),
                      formatting.number(line.quality_units), formatting.number(line.ontime_units)]
            for column, text in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
