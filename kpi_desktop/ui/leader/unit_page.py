"""The unit view: everyone's monthly totals and levels for the year, a distribution chart, and
a drill-down into a person's "why"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Level, Period, fold_text
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import audit_action_label, level_abbreviation, level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.charts import Bar, BarChart
from kpi_desktop.ui.common import (
    LEVEL_COLOURS,
    DetailSplitter,
    data_label,
    dialog_buttons,
    month_text,
    row,
    show_error,
    year_spin,
)
from kpi_desktop.ui.leader.transfer_dialog import (
    month_origins,
    organisation_changes_button,
    origin_differs,
    origin_text,
    why_origin_line,
)
from kpi_desktop.ui.operations import Loader
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView

ORIGIN_COLOUR = QColor("#1d4ed8")
LEVELS: tuple[Level | None, ...] = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE,
                                    Level.NOT_COMPLETE, None)


@dataclass(frozen=True)
class UnitRow:
    """One person's year in the unit view."""

    person_id: str
    name: str
    unit: str
    unit_id: str
    totals: dict[Period, Any]
    origins: dict[Period, Any]
    months: int
    mean: Any
    level: Level | None
    search: str
    levels: dict[Period, Level]  # each month's indicative level (scoring.level_for)
    away: tuple[Period, ...] = ()  # months entirely on leave: not in the mean (Điều 11.2)
    # The twelve months' totals as shown, formatted in the worker (not on the GUI thread
    # each time the table paints or fits its columns).
    month_texts: tuple[str, ...] = ()


class UnitViewPage(Page):
    """Everyone of the leader's unit for a year, with the distribution of levels."""

    page_id = "leader.unit"
    # Emitted on the GUI thread when a refresh has filled the page.
    loaded = Signal()

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._overview: Any = None
        self.loader: Loader[Any] = Loader(self)
        today = services.classification.today()
        texts = self.texts
        self.year_label = texts.label(lambda: self.tr("Year:"))
        self.year = year_spin(today.year)
        self.year.valueChanged.connect(self.refresh)
        self.span = QComboBox()  # the year, or one of its half years (Điều 17.3)
        self._span = 0
        self.span.currentIndexChanged.connect(self._span_chosen)
        self.search = texts.field(lambda: self.tr("Filter by name…"))
        self.search.textChanged.connect(self._filter_changed)
        self.level = QComboBox()
        self.level.currentIndexChanged.connect(self._filter_changed)
        self.audit_button = texts.button(lambda: self.tr("Audit log…"), self.open_audit)
        # the selected person's leave (Điều 11.2)
        self.leave_button = texts.button(
            lambda: self.tr("Lea&ve…"), self.open_leave, tip=lambda: self.tr(
                "Sick, maternity or unpaid personal leave of the selected person (Article "
                "11.2)"))
        top = row(self.year_label, self.year, self.span, (self.search, 1), self.level,
                  self.leave_button, self.audit_button)
        self.changes_button = organisation_changes_button(services, user.person_id,
                                                          self.refresh, self)
        if self.changes_button is not None:  # transfers and mergers (issue 9 §4)
            top.addWidget(self.changes_button)

        self.table = self.texts.table(RecordTableView.of(self._columns(), key=lambda r: r.person_id,
                                        sortable=True, name="unit"))
        self.model = self.table.source_model()
        self.proxy = self.table.model()
        self.table.doubleClicked.connect(self.open_why)
        self.hint = texts.label(lambda: self.tr(
            "Double-click a person to see why they got their score. Monthly levels are "
            "indicative; the year's level is decided in the year-end classification."))
        self.chart = BarChart(lambda: self.tr("Distribution of levels"),
                              label_align=Qt.AlignmentFlag.AlignRight, axis=True)
        self.chart.setMinimumSize(260, 200)
        self.counts: dict[Level | None, int] = {}  # people at each level, as the chart shows
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
        top.addWidget(self.splitter.fold_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.hint)
        self.retranslate_ui()

    def _columns(self) -> list[Column[UnitRow]]:
        def month_column(number: int) -> Column[UnitRow]:
            periods: dict[int, Period] = {}  # by year: a year's view asks 10,000 times

            def month(row: UnitRow) -> Period:
                year = self.year.value()
                found = periods.get(year)
                if found is None:
                    found = periods[year] = Period.month(year, number)
                return found

            return Column(
                lambda: short_month(number),
                lambda r: r.month_texts[number - 1] if r.month_texts else (
                    formatting.number(r.totals[month(r)])
                    if r.totals.get(month(r)) is not None else ""),
                sort=lambda r: r.totals.get(month(r)) if r.totals.get(month(r)) is not None
                else -1, align=RIGHT,
                foreground=lambda r: LEVEL_COLOURS[Level.NOT_COMPLETE]
                if r.levels.get(month(r)) is Level.NOT_COMPLETE
                else (ORIGIN_COLOUR if origin_differs(r.origins.get(month(r)), r.unit_id)
                      else None),
                italic=lambda r: origin_differs(r.origins.get(month(r)), r.unit_id),
                tooltip=lambda r: origin_text(r.origins[month(r)])
                if origin_differs(r.origins.get(month(r)), r.unit_id) else None)

        return [
            Column(lambda: self.tr("Person"), lambda r: r.name, fit=Fit.NAME),
            Column(lambda: self.tr("Unit"), lambda r: r.unit, fit=Fit.ELIDE, min_chars=6),
            *[month_column(number) for number in range(1, 13)],
            Column(lambda: self.tr("Months"),
                   lambda r: f"{r.months} (+{len(r.away)})" if r.away else str(r.months),
                   sort=lambda r: r.months, align=RIGHT,
                   tooltip=lambda r: self.tr(
                       "Months entirely on leave, not in the mean (Article 11.2): {months}"
                   ).format(months=", ".join(month_text(m) for m in r.away))
                   if r.away else None),
            Column(lambda: self.tr("Mean"), lambda r: formatting.number(r.mean),
                   sort=lambda r: r.mean if r.mean is not None else -1, align=RIGHT,
                   tooltip=lambda r: self.tr("Mean of the months of the half year (Article "
                                             "17.3)") if self._span else None),
            # HTXSNV… in a narrow cell (the full name in the tooltip), review §2.3 #46
            Column(lambda: self.tr("Level"), lambda r: level_abbreviation(r.level),
                   tooltip=lambda r: level_label(r.level),
                   sort=lambda r: r.level.rank if r.level else -1,
                   foreground=lambda r: LEVEL_COLOURS.get(r.level, LEVEL_COLOURS[None])),
        ]

    def title(self) -> str:
        return self.tr("Unit view")

    def retranslate_ui(self) -> None:
        self.span.blockSignals(True)
        self.span.clear()
        for text in (self.tr("Whole year"), self.tr("First half"), self.tr("Second half")):
            self.span.addItem(text)
        self.span.setCurrentIndex(self._span)
        self.span.blockSignals(False)
        current = self.level.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        self.level.addItem(self.tr("All levels"), "*")
        for level in LEVELS:
            self.level.addItem(level_label(level), level.value if level else "")
        self.level.setCurrentIndex(max(0, self.level.findData(current)))
        self.level.blockSignals(False)
        if self._overview is not None or self.is_loading() or self.isVisible():
            self.refresh()  # not at construction: the window refreshes a page it shows

    def _filter_changed(self) -> None:
        text, level = fold_text(self.search.text()), self.level.currentData()
        self.table.set_filter(lambda r: (not text or text in r.search) and (
            level == "*" or (r.level.value if r.level else "") == level))

    def refresh(self) -> None:
        """Reload off the GUI thread; the page shows at once and says it is loading."""
        year = self.year.value()
        classification, actor, unit = (self.services.classification, self.user.person_id,
                                       self.user.unit_id)
        self.quota.setText(self.tr("Loading…"))
        self.loader.load(lambda: self._prepare(year, classification.overview(actor, unit, year)),
                         self._populate, failed=self._load_failed)

    def is_loading(self) -> bool:
        return self.loader.is_loading()

    def _span_chosen(self, index: int) -> None:
        self._span = max(0, index)
        self.refresh()

    def show_span(self, half: int) -> None:
        """Show the year (0) or its first or second half (1, 2): the mean and the level of
        the columns are then the half year's (Điều 17.3)."""
        self.span.setCurrentIndex(half)

    def _load_failed(self, error: KpiError) -> None:
        self.quota.setText("")
        show_error(self, self.tr("Unit view"), error)

    def _prepare(self, year: int, overview: Any) -> tuple[Any, list[UnitRow],
                                                          dict[Level | None, int]]:
        """The table's records, made in the worker."""
        counts: dict[Level | None, int] = {}
        origins = month_origins(self.services, [r.person.id for r in overview.rows], year)
        units = {p["unit_id"]: p["unit_name"]
                 for p in self.services.organisation.people_overview()}
        rows = []
        half = self._span  # 0: the year; 1, 2: a half year (Điều 17.3)
        for line in overview.rows:
            person, level = line.person, line.result.level
            mean, months = line.result.mean, line.months
            if half:
                mean, level, months = overview.half(line, half)
            totals = dict(zip(line.periods, line.monthly_totals, strict=True))
            rows.append(UnitRow(
                person_id=person.id, name=person.full_name,
                unit=units.get(person.unit_id, person.unit_id), unit_id=person.unit_id,
                totals=totals,
                month_texts=tuple(
                    formatting.number(totals[m]) if totals.get(m) is not None else ""
                    for m in (Period.month(year, n) for n in range(1, 13))),
                origins={Period.month(year, m): origins[(person.id, f"{year}-{m:02d}")]
                         for m in range(1, 13) if (person.id, f"{year}-{m:02d}") in origins},
                months=months, mean=mean, level=level,
                search=fold_text(f"{person.full_name} {person.id}"),
                levels=dict(zip(line.periods, line.monthly_levels, strict=False)),
                away=line.leave_months))
            counts[level] = counts.get(level, 0) + 1
        return overview, rows, counts

    def _populate(self, prepared: Any) -> None:
        overview, rows, counts = prepared
        self._overview = overview
        self.table.set_rows(rows)
        self.counts = counts
        self.chart.set_bars([Bar(level_label(level), counts.get(level, 0), LEVEL_COLOURS[level],
                                 str(counts.get(level, 0))) for level in LEVELS])
        over = [s for s in self._overview.scopes if s.over]
        if over:
            self.quota.setText(self.tr("Excellent quota exceeded in {n} group(s); see the "
                                       "year-end classification.").format(n=len(over)))
        else:
            self.quota.setText(self.tr("The Excellent quota is respected."))
        self.loaded.emit()

    def person_at(self, proxy_row: int) -> str:
        return self.table.keys()[proxy_row]

    def print_request(self) -> PrintRequest:
        return PrintRequest(person_id=self.table.current_key(), unit_id=self.user.unit_id,
                            period=Period.whole_year(self.year.value()), kind="unit")

    def open_leave(self) -> Any:
        """The leave of the selected person (recorded by their evaluator or the chairman)."""
        from kpi_desktop.ui.leader.leave_dialog import LeaveRecordDialog

        person_id = self.table.current_key()
        if person_id is None or self._overview is None:
            return None
        row = self._overview.row(person_id)
        dialog = LeaveRecordDialog(self.services, self.user.person_id, person_id,
                             row.person.full_name, self)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def open_audit(self) -> None:
        AuditDialog(self.services.evaluation.audit_trail(self.user.person_id), self).exec()

    def open_why(self, index: Any) -> None:
        person_id = self.person_at(index.row())
        row = self._overview.row(person_id)
        month = row.periods[-1] if row.periods else Period.containing(
            self.services.classification.today())
        WhyDialog(self.services, person_id, month, list(row.periods), self).exec()


class AuditDialog(QDialog):
    """Who changed what, when and why (newest first)."""

    def __init__(self, events: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit log"))
        self.resize(980, 520)
        self.table = RecordTableView.of([
            Column(lambda: self.tr("When"), _when, sort=lambda e: e.at),
            Column(lambda: self.tr("Who"), lambda e: e.actor_id or ""),
            Column(lambda: self.tr("What"), lambda e: audit_action_label(e.action), fit=Fit.WRAP,
                   min_chars=16),
            Column(lambda: self.tr("Record"), lambda e: e.object_id, fit=Fit.ELIDE,
                   min_chars=8),
            Column(lambda: self.tr("Why / details"), _detail, fit=Fit.WRAP, min_chars=20),
        ], key=lambda e: id(e), name="audit")
        self.table.set_rows(events)
        buttons = dialog_buttons(self, close=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def _when(event: Any) -> str:
    local = event.at.astimezone()
    return f"{formatting.date(local.date())} {local:%H:%M}"


def _detail(event: Any) -> str:
    detail = event.detail.get("reason") or event.detail.get("comment") or ", ".join(
        f"{k}={v}" for k, v in event.detail.items() if k not in ("reason", "comment"))
    return str(detail)


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
        self.table = RecordTableView.of([
            Column(lambda: self.tr("Code"), lambda line: line.code),
            Column(lambda: self.tr("Product / work"), lambda line: line.name_vi
                   if i18n.current_language() == "vi" else line.name_en, fit=Fit.WRAP,
                   min_chars=24),
            self._number(lambda: self.tr("Coefficient"), lambda line: line.coefficient),
            self._number(lambda: self.tr("Quantity"), lambda line: line.quantity),
            self._number(lambda: self.tr("Assigned (units)"), lambda line: line.assigned_units),
            self._number(lambda: self.tr("Completed (units)"),
                         lambda line: line.completed_units),
            self._number(lambda: self.tr("Quality (units)"), lambda line: line.quality_units),
            self._number(lambda: self.tr("On time (units)"), lambda line: line.ontime_units),
        ], key=lambda line: id(line), name="why")
        buttons = dialog_buttons(self, close=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.month)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    @staticmethod
    def _number(header: Any, value: Any) -> Column[Any]:
        return Column(header, lambda line: formatting.number(value(line)), sort=value,
                      align=RIGHT)

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
        self.table.set_rows(result.lines)
