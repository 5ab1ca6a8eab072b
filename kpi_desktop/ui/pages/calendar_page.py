"""The working-day calendar: the year's public holidays (Tết and the lunar days included, with
their names), the government's make-up Saturdays, and the agency's declared days off and
make-up working days — which heads, deputies and the agency administrator can edit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import CalendarDayKind
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    date_format,
    from_qdate,
    mark_data,
    row,
    to_qdate,
    weekday_name,
    year_spin,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import Column, Fit, RecordTableView

KIND_COLOURS = {CalendarDayKind.HOLIDAY: "#b91c1c", CalendarDayKind.DAY_OFF: "#c2410c",
                CalendarDayKind.MAKEUP_WORKDAY: "#15803d"}


def kind_label(kind: CalendarDayKind) -> str:
    return {
        CalendarDayKind.HOLIDAY: translate("Calendar", "public holiday"),
        CalendarDayKind.DAY_OFF: translate("Calendar", "day off"),
        CalendarDayKind.MAKEUP_WORKDAY: translate("Calendar", "make-up working day"),
    }[kind]


class CalendarPage(Page):
    """The year's exceptions to the Monday–Friday week."""

    page_id = "calendar"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._lines: list[Any] = []
        self._agency = user.role == "agency"  # the agency key, not a person
        self._editable = self._agency or services.calendar.can_edit(user.person_id)
        today = services.calendar.today()
        texts = self.texts
        self.intro = texts.label(lambda: self.tr(
            "Working days are Monday to Friday, except public holidays (Tết included) and the "
            "days off declared by the agency, plus make-up working days. Deadlines, the review "
            "rule, the early-completion bonus and the appeal deadline count these days."),
            wrap=True)
        self.year_label = texts.label(lambda: self.tr("Year"))
        self.year = year_spin(today.year)
        self.year.valueChanged.connect(self.refresh)
        self.count = QLabel()
        mark_data(self.count)
        top = row(self.year_label, self.year, self.count)
        top.insertSpacing(2, 16)
        top.setStretchFactor(self.count, 1)

        self.table = self.texts.table(RecordTableView.of([
            Column(lambda: self.tr("Date"),
                   lambda d: f"{weekday_name(d.day)} {formatting.date(d.day)}",
                   sort=lambda d: d.day),
            Column(lambda: self.tr("Kind"), lambda d: kind_label(d.kind),
                   foreground=lambda d: QColor(KIND_COLOURS[d.kind])),
            Column(lambda: self.tr("Name"), lambda d: d.name or (
                self.tr("government make-up day")
                if d.kind is CalendarDayKind.MAKEUP_WORKDAY else ""), fit=Fit.WRAP,
                min_chars=20),
            Column(lambda: self.tr("Source"), lambda d: self.tr("declared by the agency")
                   if d.declared else self.tr("public calendar"), fit=Fit.WRAP, min_chars=10),
        ], key=lambda d: d.day.isoformat(), name="calendar"))
        self.table.current_changed.connect(lambda _key: self._selection_changed())

        self.edit_box = texts.box(lambda: self.tr("Declare a day for the agency"))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDate(to_qdate(today))
        self.kind = QComboBox()
        self.name = texts.field(lambda: self.tr("for example: day off for the election"))
        self.add_button = texts.button(lambda: self.tr("Add"), self.add_day)
        self.remove_button = texts.button(lambda: self.tr("Remove the selected day"),
                                          self.remove_selected)
        self.date_label = texts.label(lambda: self.tr("Date"))
        self.kind_label = texts.label(lambda: self.tr("Kind"))
        self.name_label = texts.label(lambda: self.tr("Name"))
        self.edit_box.setLayout(row(self.date_label, self.date, self.kind_label, self.kind,
                                    self.name_label, (self.name, 1), self.add_button,
                                    self.remove_button))
        self.edit_box.setVisible(self._editable)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.edit_box)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Calendar")

    def retranslate_ui(self) -> None:
        self.date.setDisplayFormat(date_format())
        chosen = self.kind.currentData()
        self.kind.clear()
        self.kind.addItem(self.tr("Day off"), "day_off")
        self.kind.addItem(self.tr("Make-up working day"), "workday")
        if chosen is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(chosen)))
        self.refresh()

    def refresh(self) -> None:
        year = self.year.value()
        self._lines = self.services.calendar.year(year, language=i18n.current_language())
        self.table.set_rows(self._lines)
        calendar = self.services.calendar.calendar(year)
        working = len(calendar.working_days(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        self.count.setText(self.tr("{n} working days in {year}").format(n=working, year=year))
        self._selection_changed()

    def _selected_line(self) -> Any:
        return self.table.current_record()

    def _selection_changed(self) -> None:
        line = self._selected_line()
        self.remove_button.setEnabled(line is not None and line.declared)

    def _updated(self, year: int) -> None:
        if year != self.year.value():
            self.year.setValue(year)
        else:
            self.refresh()
        self.status_message.emit(self.tr("The calendar was updated."))
        self.data_changed.emit()

    def add_day(self) -> None:
        day, kind, name = from_qdate(self.date.date()), self.kind.currentData(), \
            self.name.text()
        service, me, agency = self.services.calendar, self.user.person_id, self._agency

        def added(_result: Any) -> None:
            self.name.clear()
            self._updated(day.year)

        Op(self, lambda: service.declare(day, kind, name, actor_id=me, as_agency=agency)) \
            .titled(self.tr("Day not recorded")).success(added).run()

    def remove_selected(self) -> None:
        line = self._selected_line()
        if line is None or not line.declared:
            return
        service, me, agency = self.services.calendar, self.user.person_id, self._agency
        Op(self, lambda: service.remove(line.day, actor_id=me, as_agency=agency)) \
            .titled(self.tr("Day not removed")) \
            .success(lambda _r: self._updated(line.day.year)).run()
