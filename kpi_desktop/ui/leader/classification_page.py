"""Year-end classification (Form 02): computed levels, self-ratings, decisions, quota warning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import DisciplineAuthority, DisciplineKind, Level, Period
from kpi_desktop.domain.scores import YearReason
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.discipline import authority_label, discipline_kind_label
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    LEVEL_COLOURS,
    OVERDUE_BACKGROUND,
    DetailSplitter,
    add_fields,
    data_label,
    date_edit,
    date_format,
    dialog_buttons,
    fill_levels,
    from_qdate,
    mark_data,
    name_of,
    row,
    scrolled,
    stacked,
    year_spin,
)
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableModel, RecordTableView


def reason_label(reason: YearReason, disciplined: bool) -> str:
    return {
        YearReason.CLASSIFIED: "",
        YearReason.CLASSIFIED_ON_LEAVE: translate("YearReason", "classified on leave"),
        YearReason.TOO_FEW_MONTHS: translate("YearReason", "fewer than 6 months worked"),
        YearReason.NO_MONTHS: translate("YearReason", "no evaluated month"),
        YearReason.DISCIPLINED: translate("YearReason", "disciplined"),
        YearReason.CAPPED_BY_ORG: translate("YearReason", "capped by the organisation's level"),
    }[reason]


class YearClassificationPage(Page):
    """Form 02 for the leader's unit: the year's levels, decisions and the quota check."""

    page_id = "leader.classification"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._overview: Any = None
        today = services.classification.today()
        texts = self.texts
        self.year_label = texts.label(lambda: self.tr("Year:"))
        self.year = year_spin(today.year)
        self.year.valueChanged.connect(self.refresh)
        self.exceptional = texts.check(lambda: self.tr("Outstanding organisation (quota 25 %)"))
        self.exceptional.toggled.connect(self.refresh)
        top = row(self.year_label, self.year, self.exceptional, None)
        self.quota = data_label(wrap=True)
        self.quota.setTextFormat(Qt.TextFormat.RichText)

        self._candidates: set[str] = set()
        self.model: RecordTableModel[Any] = self.texts.table(RecordTableModel(
            self._columns(), key=lambda r: r.person.id,
            row_background=lambda r: OVERDUE_BACKGROUND if r.person.id in self._candidates
            else None, parent=self))
        self.table = RecordTableView(self.model)
        self.table.current_changed.connect(lambda _key: self._show_person())

        self.form_box = texts.box(lambda: self.tr("Form 02 decision"))
        form = QFormLayout(self.form_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.person_line = data_label(wrap=True)
        self.level_combo = QComboBox()
        self.level_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.level_combo.setMinimumContentsLength(14)
        self.minutes = QLineEdit()
        self.decision_no = QLineEdit()
        self.decision_date = date_edit(today)
        self.reason = QLineEdit()
        self.quota_note = QLineEdit()
        form.addRow(self.person_line)
        self._labels = texts.each(add_fields(form, [
            self.level_combo, self.minutes, self.decision_no, self.decision_date, self.reason,
            self.quota_note]), lambda: (
            self.tr("Level"), self.tr("Minutes of the year-end meeting"),
            self.tr("Decision number"), self.tr("Decision date"),
            self.tr("Reason (needed for a lower level)"), self.tr("Quota note")))
        self.decide_button = texts.button(lambda: self.tr("Record the decision"), self.decide)
        self.supersede_button = texts.button(lambda: self.tr("Replacement decision"),
                                             self.supersede)
        self.discipline_button = texts.button(lambda: self.tr("Record discipline…"),
                                              self.record_discipline)
        form.addRow(row(self.decide_button, self.supersede_button))
        form.addRow(self.discipline_button)
        self.history_label = texts.label(lambda: self.tr("Decisions (oldest first)"))
        self.history = QListWidget()
        self.history.setMaximumHeight(110)
        mark_data(self.history)
        form.addRow(self.history_label)
        form.addRow(self.history)
        scroll = scrolled(stacked(self.form_box, None))
        splitter = DetailSplitter(self.table, scroll, detail_width=400)
        top.addWidget(splitter.fold_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.quota)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Year-end classification")

    def retranslate_ui(self) -> None:
        self.decision_date.setDisplayFormat(date_format())
        fill_levels(self.level_combo,
                    (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE, None))
        self.refresh()

    # ---------------------------------------------------------------- showing --------------
    def refresh(self) -> None:
        chosen = self.selected_person()
        self._overview = self.services.classification.overview(
            self.user.person_id, self.user.unit_id, self.year.value(),
            exceptional=self.exceptional.isChecked())
        names = {r.person.id: r.person.full_name for r in self._overview.rows}
        candidates: set[str] = set()
        lines = []
        for scope in self._overview.scopes:
            if not scope.over:
                continue
            candidates.update(scope.candidates)
            where = (self.tr("unit {name}").format(name=scope.name) if scope.kind == "unit"
                     else self.tr("group “{name}”").format(name=self._group(scope.key)))
            lines.append(self.tr(
                "{where}: {excellent} Excellent, {limit} allowed ({good} Good) — over by "
                "{excess}. Candidates, lowest mean first: {names}.").format(
                where=where, excellent=scope.quota.excellent, limit=scope.quota.limit,
                good=scope.quota.good, excess=scope.quota.excess,
                names=", ".join(names.get(p, p) for p in scope.candidates)))
        if lines:
            self.quota.setText("<b>" + self.tr("Excellent quota exceeded — the approver "
                                                "decides; nobody is moved down "
                                                "automatically.") + "</b><br>"
                               + "<br>".join(lines))
            self.quota.setStyleSheet("background:#fef3c7; padding:6px;")
        else:
            self.quota.setText(self.tr("The Excellent quota is respected (policy {v}).")
                               .format(v=self._overview.policy_version))
            self.quota.setStyleSheet("")
        rows = self._overview.rows
        self._candidates = candidates
        self.model.set_rows(rows)
        if chosen is None or not self.table.select_key(chosen):
            first = next((r.person.id for r in rows if r.can_decide), None)
            if first:
                self.table.select_key(first)
        self._show_person()

    def _columns(self) -> list[Column[Any]]:
        def decided(row: Any) -> bool:
            return row.current is not None and row.current.decided_at is not None

        def remarks(row: Any) -> str:
            parts = [reason_label(row.result.reason, row.result.disciplined)]
            parts += [f"{discipline_kind_label(e.kind)} {e.decision_no}" for e in row.discipline]
            if row.history_count > 1:
                parts.append(self.tr("replaced {n} time(s)").format(n=row.history_count - 1))
            return "; ".join(p for p in parts if p)

        units = self._unit_names()
        return [
            Column(lambda: self.tr("Person"), lambda r: r.person.full_name, fit=Fit.NAME),
            Column(lambda: self.tr("Unit"), lambda r: units.get(r.person.unit_id,
                                                                 r.person.unit_id),
                   fit=Fit.ELIDE, min_chars=8),
            Column(lambda: self.tr("Months"), lambda r: str(r.months), sort=lambda r: r.months,
                   align=RIGHT),
            Column(lambda: self.tr("Mean"), lambda r: formatting.number(r.result.mean),
                   sort=lambda r: r.result.mean, align=RIGHT),
            Column(lambda: self.tr("By the scores"), lambda r: level_label(r.result.level),
                   foreground=lambda r: LEVEL_COLOURS.get(r.result.level, LEVEL_COLOURS[None]),
                   fit=Fit.WRAP, min_chars=10),
            Column(lambda: self.tr("Self-rating"),
                   lambda r: level_label(r.self_level) if r.self_level else "–",
                   fit=Fit.WRAP, min_chars=10),
            Column(lambda: self.tr("Decided"),
                   lambda r: level_label(r.current.decided_level) if decided(r) else "–",
                   fit=Fit.WRAP, min_chars=10),
            Column(lambda: self.tr("Decision"),
                   lambda r: f"{r.current.decision_no} {formatting.date(r.current.decision_date)}"
                   if decided(r) else "–", fit=Fit.WRAP, min_chars=8),
            Column(lambda: self.tr("Remarks"), remarks, fit=Fit.WRAP, min_chars=10),
        ]

    def _unit_names(self) -> dict[str, str]:
        try:
            return {u.id: name_of(u) for u in self.services.org_evaluation.units(
                self.user.person_id)}
        except KpiError:
            return {}

    def _group(self, key: str) -> str:
        return {"leaders": self.tr("leaders"), "staff": self.tr("professional staff")}.get(key,
                                                                                            key)

    def print_request(self) -> PrintRequest:
        return PrintRequest(person_id=self.selected_person(),
                            period=Period.whole_year(self.year.value()), kind="form02")

    def selected_person(self) -> str | None:
        return self.table.current_key()

    def select_person(self, person_id: str) -> None:
        self.table.select_key(person_id)

    def _row(self) -> Any:
        person_id = self.selected_person()
        return self._overview.row(person_id) if person_id and self._overview else None

    def _show_person(self) -> None:
        row = self._row()
        self.history.clear()
        if row is None:
            self.person_line.setText(self.tr("Select a person."))
            self.form_box.setEnabled(False)
            return
        self.form_box.setEnabled(True)
        decided = row.current is not None and row.current.decided_at is not None
        self.person_line.setText(self.tr(
            "<b>{name}</b>: {months} months, mean {mean} → {level}").format(
            name=row.person.full_name, months=row.months,
            mean=formatting.number(row.result.mean), level=level_label(row.result.level)))
        proposed = row.proposed_level
        self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(
            proposed.value if proposed else "")))
        for widget in (self.decide_button, self.supersede_button, self.discipline_button,
                       self.level_combo):
            widget.setEnabled(row.can_decide)
        self.decide_button.setEnabled(row.can_decide and not decided)
        self.supersede_button.setEnabled(row.can_decide and decided)
        if not row.can_decide:
            self.person_line.setText(self.person_line.text() + "<br>" + self.tr(
                "Only this person's evaluator can decide their classification."))
        for item in self.services.classification.history(row.person.id, self.year.value()):
            state = self.tr("decision {no} of {date}: {level}").format(
                no=item.decision_no, date=formatting.date(item.decision_date),
                level=level_label(item.decided_level)) if item.decided_at else \
                self.tr("self-rating: {level}").format(level=level_label(item.self_level))
            self.history.addItem(state + (f" — {item.reason}" if item.reason else ""))

    # ---------------------------------------------------------------- actions --------------
    def _level(self) -> Level | None:
        value = self.level_combo.currentData()
        return Level(value) if value else None

    def decide(self) -> None:
        row = self._row()
        if row is None:
            return
        service, me, year, level = (self.services.classification, self.user.person_id,
                                    self.year.value(), self._level())
        values = dict(minutes_ref=self.minutes.text(), decision_no=self.decision_no.text(),
                      decision_date=from_qdate(self.decision_date.date()),
                      reason=self.reason.text(), quota_note=self.quota_note.text())
        self.run_change(lambda: service.decide(me, row.person.id, year, level, **values),
                        title=self.tr("Year-end classification"),
                        then=lambda _r: self.reason.clear(),
                        done=self.tr("Decision recorded: {name}, {year}.").format(
                            name=row.person.full_name, year=year))

    def supersede(self) -> None:
        row = self._row()
        if row is None or row.current is None:
            return
        service, me, current, level = (self.services.classification, self.user.person_id,
                                       row.current.id, self._level())
        values = dict(decision_no=self.decision_no.text(),
                      decision_date=from_qdate(self.decision_date.date()),
                      reason=self.reason.text(), minutes_ref=self.minutes.text())
        self.run_change(lambda: service.supersede(me, current, level, **values),
                        title=self.tr("Year-end classification"),
                        then=lambda _r: self.reason.clear(),
                        done=self.tr("Replacement decision recorded; the old one is kept."))

    def record_discipline(self) -> None:
        row = self._row()
        if row is None:
            return
        earlier = [s.event for s in self.services.discipline.for_person(row.person.id)]
        dialog = DisciplineDialog(self, earlier=earlier, today=self.services.classification.today())
        if not dialog.exec():
            return
        service, me = self.services.discipline, self.user.person_id
        kind = dialog.kind.currentData()
        values = dict(decided_on=from_qdate(dialog.decided_on.date()),
                      decision_no=dialog.decision_no.text(),
                      authority=dialog.authority.currentData(), note=dialog.note.text(),
                      related_event_id=dialog.related.currentData() or None,
                      already_counted_year=dialog.counted_year.value() or None,
                      committed_on=dialog.committed_on_date())
        # The year it counts for follows Điều 20.4c / 11.3 (services.discipline).
        self.run_change(lambda: service.record(me, row.person.id, kind, **values),
                        title=self.tr("Year-end classification"),
                        done=self.tr("Discipline recorded: {name}.").format(
                            name=row.person.full_name))


class DisciplineDialog(QDialog):
    """Kind, date and decision reference of a discipline decision."""

    def __init__(self, parent: QWidget | None = None, *, earlier: list[Any] | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record discipline"))
        self.kind = QComboBox()
        for kind in DisciplineKind:
            self.kind.addItem(discipline_kind_label(kind), kind.value)
        self.authority = QComboBox()
        for authority in DisciplineAuthority:
            self.authority.addItem(authority_label(authority), authority.value)
        self.decided_on = date_edit(today or dt.date.today())
        self.decision_no = QLineEdit()
        # The date of the act, beside the decision's (Điều 11.3c–d: an act at an old
        # organisation counts in that organisation's result).
        self.act_known = QCheckBox(self.tr("known"))
        self.committed_on = QDateEdit()
        self.committed_on.setCalendarPopup(True)
        self.committed_on.setDisplayFormat(date_format())
        self.committed_on.setDate(self.decided_on.date())
        self.committed_on.setEnabled(False)
        self.act_known.toggled.connect(self.committed_on.setEnabled)
        self.act_known.setToolTip(self.tr(
            "An act committed at the person's old organisation and disciplined here counts in "
            "the old organisation's result (Article 11.3(c)–(d))."))
        act_row = QHBoxLayout()
        act_row.addWidget(self.committed_on, 1)
        act_row.addWidget(self.act_known)
        self.related = QComboBox()
        self.related.addItem(self.tr("(none — a separate act)"), "")
        for event in earlier or []:
            self.related.addItem(f"{discipline_kind_label(event.kind)} {event.decision_no} "
                                 f"({formatting.date(event.decided_on)})", event.id)
        self.related.setToolTip(self.tr(
            "Party and administrative decisions about the same act count once (Article "
            "11.3a)."))
        self.counted_year = QSpinBox()
        self.counted_year.setRange(0, 2100)
        self.counted_year.setSpecialValueText(self.tr("no"))
        self.counted_year.setToolTip(self.tr(
            "If this act was already used to rate the person Unsatisfactory in an earlier "
            "year, give that year: the decision is not counted again (Article 11.3b)."))
        self.note = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Type of decision"), self.authority)
        form.addRow(self.tr("Decided on"), self.decided_on)
        form.addRow(self.tr("Decision number"), self.decision_no)
        form.addRow(self.tr("Date of the act"), act_row)
        form.addRow(self.tr("Same act as"), self.related)
        form.addRow(self.tr("Already rated Unsatisfactory in"), self.counted_year)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(dialog_buttons(self))

    def committed_on_date(self) -> dt.date | None:
        """The date of the act, when the evaluator entered it."""
        return from_qdate(self.committed_on.date()) if self.act_known.isChecked() else None
