"""Today / Work log: the day (or week) of entries and the entry form with catalog search.

Keyboard: Ctrl+N new entry, Ctrl+S save, Ctrl+Enter submit, Ctrl+PgDown / Ctrl+PgUp next /
previous day, Alt+Home today. Drafts save themselves a moment after each change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EntryStatus, ExtraKind, Period
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.daily import EntryDraft, EntryView, ItemChoice
from kpi_desktop.services.messages import entry_status_label
from kpi_desktop.services.sync_summary import Delivery, delivery_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    STATUS_COLOURS,
    clock,
    column,
    data_label,
    date_format,
    duration,
    error_text,
    from_qdate,
    mark_data,
    name_of,
    named,
    refresh_when_visible,
    row,
    scrolled,
    short_date,
    split,
    stacked,
    to_qdate,
    weekday_name,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, Texts, UserContext
from kpi_desktop.ui.tables import RECORD_ROLE, RIGHT, Column, Fit, RecordTableModel, RecordTableView

_Index = QModelIndex | QPersistentModelIndex
AD_HOC, TAKEN_OVER = "__ad_hoc__", "__taken_over__"


def _output(entry: Any) -> str:
    return " — ".join(p for p in (entry.output_doc_number, entry.output_description) if p)


class EntryTable(RecordTableView):
    """The entries of a day or a week (records: ``EntryView``), keyed by entry id; a submitted
    entry's state says where it is on its way (``delivery``: entry id → where)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.delivery: dict[str, str] = {}
        columns: list[Column[EntryView]] = [
            Column(lambda: self.tr("Date"), lambda v: short_date(v.entry.work_date)),
            Column(lambda: self.tr("Code"), lambda v: v.item.code, tooltip=self._tip),
            Column(lambda: self.tr("Product / work"), self._name, tooltip=self._tip,
                   fit=Fit.WRAP),
            Column(lambda: self.tr("Quantity"), lambda v: formatting.number(
                v.entry.quantity, 0 if v.entry.quantity % 1 == 0 else 2),
                tooltip=self._tip, align=RIGHT),
            Column(lambda: self.tr("Output"), lambda v: _output(v.entry), tooltip=self._tip),
            Column(lambda: self.tr("Norm (h)"), lambda v: clock(v.norm_minutes),
                   tooltip=self._time_tip, align=RIGHT),
            Column(lambda: self.tr("Credited (h)"), lambda v: clock(v.credited_minutes),
                   tooltip=self._time_tip, align=RIGHT),
            Column(lambda: self.tr("Status"), self._state, tooltip=self._tip, fit=Fit.WRAP,
                   foreground=lambda v: QColor(STATUS_COLOURS[v.entry.status]), min_chars=8),
        ]
        model: RecordTableModel[EntryView] = RecordTableModel(columns, key=lambda v: v.entry.id)
        super().__init__(model, parent=parent)
        model.setParent(self)
        self.setColumnHidden(4, True)  # the output product is in the form and the tooltip

    def set_views(self, views: list[EntryView], delivery: dict[str, str] | None = None
                  ) -> None:
        self.delivery = dict(delivery or {})
        self.set_rows(views)

    def _name(self, view: EntryView) -> str:
        name = name_of(view.item)
        return self.tr("{name} (ad hoc)").format(name=name) if view.entry.is_extra else name

    def _state(self, view: EntryView) -> str:
        entry = view.entry
        text = entry_status_label(entry.status)
        if entry.id in self.delivery:  # submitted: where it is on its way
            text = delivery_label(self.delivery[entry.id])
        if entry.current_revision > 1:
            text = self.tr("{status} (revision {n})").format(status=text,
                                                             n=entry.current_revision)
        return text

    def _tip(self, view: EntryView) -> str:
        if view.return_reason:
            return self.tr("Returned by the leader: {reason}").format(reason=view.return_reason)
        output = _output(view.entry)
        return f"{name_of(view.item)}\n{output}" if output else name_of(view.item)

    def _time_tip(self, view: EntryView) -> str:
        if view.return_reason:
            return self._tip(view)
        return self.tr("Time norm {norm}, credited {credited}").format(
            norm=duration(view.norm_minutes), credited=duration(view.credited_minutes))


class ItemListModel(QAbstractListModel):
    """Catalog search results: "code — name" with group, coefficient and time norm."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices: list[ItemChoice] = []

    def set_choices(self, choices: list[ItemChoice]) -> None:
        self.beginResetModel()
        self.choices = list(choices)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        choice = self.choices[index.row()]
        item = choice.item
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{item.code} — {name_of(item)}"
            if choice.uses:
                text += f"  ({choice.uses}×)"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and not choice.allowed:
            return QColor("#9ca3af")
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe_item(item)
        return None


def describe_item(item: Any) -> str:
    norm = "–" if item.time_norm_minutes is None else duration(item.time_norm_minutes)
    return translate("ItemPicker", "Group {group} · coefficient {coefficient} · time norm "
                     "{norm}").format(
        group=item.group.value, coefficient=formatting.number(item.coefficient), norm=norm)


class ItemPicker(QWidget):
    """Type-ahead catalog search: a line edit and the matching items below it."""

    chosen = Signal(object)  # CatalogItem or None
    # "Propose a new product…" with the text searched for (an empty result offers it).
    propose_requested = Signal(str)
    # ☆ clicked: the chosen item in or out of the favourites.
    favourite_toggled = Signal(object)

    def __init__(self, page: WorkLogPage) -> None:
        super().__init__(page)
        self.page = page
        self.item: Any = None
        self._editable = True
        self.texts = texts = Texts()
        self.query = texts.field(lambda: self.tr("Search the catalog: code or name, e.g. "
                                                 "“xu ly don”"), search=True)
        self.all_items = texts.check(lambda: self.tr("All items"), tip=lambda: self.tr(
            "Also show items outside your job position"))
        # Nothing found: say so, and offer the whole catalog and a proposal (issue 16 item 9).
        self.empty = QWidget()
        self.empty.setObjectName("noItemFound")
        self.empty_label = data_label(wrap=True)  # the sentence names what was typed
        self.empty_label.setStyleSheet("color: #b45309")
        self.whole_catalog_button = texts.button(
            lambda: self.tr("Search the &whole catalog"), lambda: self.all_items.setChecked(True),
            name="searchWholeCatalog")
        self.propose_button = texts.button(
            lambda: self.tr("&Propose a new product…"),
            lambda: self.propose_requested.emit(self.query.text().strip()),
            name="proposeNewItem",
            tip=lambda: self.tr("Ask the agency to add a product to the catalog (Article 13(3))"))
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addLayout(row(self.whole_catalog_button, self.propose_button, None))
        self.empty.setVisible(False)
        self.list = texts.set(QListView(), tip=lambda: self.tr(
            "↓ to move into the list, Enter to choose"))
        self.model = ItemListModel(self)
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setMinimumHeight(96)
        self.list.setMaximumHeight(132)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.detail = data_label(wrap=True)
        self.detail.setObjectName("itemDetail")
        # ☆/★: the chosen item in or out of the person's "việc hay làm" (issue 16 item 16).
        self.favourite_button = QToolButton()
        self.favourite_button.setObjectName("toggleFavourite")
        self.favourite_button.setAutoRaise(True)
        self.favourite_button.clicked.connect(lambda: self.favourite_toggled.emit(self.item))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row((self.query, 1), self.all_items, self.favourite_button))
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.detail)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.search)
        self.query.textEdited.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._choose_current)
        self.all_items.toggled.connect(lambda _c: self.search())
        self.list.activated.connect(self._choose_index)
        self.list.selectionModel().currentChanged.connect(self._preview)
        self.query.installEventFilter(self)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.texts.apply()
        self._show_empty()
        self._show_detail(self.item)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        if (obj is self.query and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and self.model.rowCount()):
            self.list.setFocus()
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.model.index(0))
            return True
        return super().eventFilter(obj, event)

    def search(self) -> None:
        self._timer.stop()
        choices = self.page.services.daily.search_items(
            self.page.user.person_id, self.query.text(), all_items=self.all_items.isChecked(),
            limit=60)
        self.model.set_choices(choices)
        if choices:
            self.list.setCurrentIndex(self.model.index(0))
        else:  # no stale "Enter to choose: DC.39" under an empty list
            self._show_detail(self.item)
        self._show_empty()

    def _show_empty(self) -> None:
        """An empty result says so and offers the whole catalog and a proposal."""
        nothing = self.model.rowCount() == 0 and self._editable
        self.empty.setVisible(nothing)
        self.list.setVisible(self._editable and not nothing)
        if not nothing:
            return
        text = self.query.text().strip()
        if self.all_items.isChecked():
            sentence = self.tr("Nothing in the whole catalog matches “{text}”.") if text \
                else self.tr("The catalog is empty.")
        else:
            sentence = self.tr("Nothing in your job position's items matches “{text}”.") \
                if text else self.tr("Your job position has no catalog items.")
        self.empty_label.setText(sentence.format(text=text))
        self.whole_catalog_button.setVisible(not self.all_items.isChecked())

    def set_editable(self, editable: bool) -> None:
        """A read-only entry shows its item only (no list, no offers)."""
        self._editable = editable
        self.all_items.setVisible(editable)
        self._show_empty()

    def _preview(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_detail(self.model.choices[current.row()].item, preview=True)

    def _choose_current(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self._choose_index(index)

    def _choose_index(self, index: QModelIndex) -> None:
        self.set_item(self.model.choices[index.row()].item)
        self.chosen.emit(self.item)

    def set_item(self, item: Any) -> None:
        self.item = item
        self.query.setText("" if item is None else f"{item.code} — {name_of(item)}")
        self.query.setCursorPosition(0)
        self._show_detail(item)
        self.show_favourite()

    def show_favourite(self) -> None:
        """☆ (not a favourite) or ★ (a favourite) for the chosen item."""
        item = self.item
        starred = item is not None and item.code in self.page.favourite_codes()
        self.favourite_button.setText("★" if starred else "☆")
        self.favourite_button.setEnabled(item is not None)
        self.favourite_button.setToolTip(
            self.tr("Remove from my frequent tasks") if starred
            else self.tr("Add to my frequent tasks (one-click entry above the form)"))

    def _show_detail(self, item: Any, preview: bool = False) -> None:
        if item is None:
            self.detail.setText(self.tr("No item chosen yet."))
            return
        text = f"<b>{item.code}</b> {name_of(item)}<br>{describe_item(item)}"
        if preview and item is not self.item:
            text = self.tr("Enter to choose:") + " " + text
        self.detail.setText(text)


class _FavouriteButton(QToolButton):
    """A favourite's button: its code and as much of the name as the width allows, cut at the
    end ("DC.27 Soạn thông báo…"), never in the middle."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.full_text = text
        self.setText(text)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        room = max(self.width() - 2 * self.fontMetrics().horizontalAdvance("M"), 24)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                   room))


class FavouritesBar(QWidget):
    """"Việc hay làm": one button per favourite item, three to a row so the form never grows
    wider than the window; a click starts an entry of it, the button's menu (right click)
    takes it out."""

    chosen = Signal(str)
    removed = Signal(str)
    PER_ROW = 3

    def __init__(self, page: WorkLogPage) -> None:
        super().__init__(page)
        self.setObjectName("favouritesBar")
        self.page = page
        self.texts = Texts()
        self.label = self.texts.label(lambda: self.tr("Frequent tasks:"))
        self.hint = self.texts.label(lambda: self.tr("none yet: choose an item, then ☆"))
        self.hint.setStyleSheet("color: #6b7280")
        self.buttons: dict[str, QToolButton] = {}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(2)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.hint, 1)
        row.addLayout(self.grid, 1)
        self.retranslate_ui()

    def set_favourites(self, favourites: list[Any]) -> None:
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for index, favourite in enumerate(favourites):
            name = name_of(favourite.item)
            button = _FavouriteButton(f"{favourite.code} {name}")
            mark_data(button)  # a code and a catalog name
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setToolTip(f"{favourite.code} — {name}\n{describe_item(favourite.item)}")
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            remove = QAction(self.tr("Remove from my frequent tasks"), button)
            remove.triggered.connect(lambda _c=False, c=favourite.code: self.removed.emit(c))
            button.addAction(remove)
            button.clicked.connect(lambda _c=False, c=favourite.code: self.chosen.emit(c))
            self.grid.addWidget(button, index // self.PER_ROW, index % self.PER_ROW)
            self.buttons[favourite.code] = button
        self.hint.setVisible(not favourites)

    def retranslate_ui(self) -> None:
        self.texts.apply()
        for button in self.buttons.values():
            for action in button.actions():
                action.setText(self.tr("Remove from my frequent tasks"))


class EntryEditor(QGroupBox):
    """The form of one entry (new, draft, returned or read-only)."""

    def __init__(self, page: WorkLogPage) -> None:
        super().__init__(page)
        self.page = page
        self.entry_id: str | None = None
        self.view: EntryView | None = None
        self._loading = False
        self._confirmed_quantity: tuple[str, object] | None = None  # (item, quantity)
        self.texts = texts = Texts()
        self.picker = ItemPicker(page)
        self.quantity = texts.set(QLineEdit("1"), tip=lambda: self.tr(
            "How many products, in the catalog item's unit"))
        self.quantity.setMaximumWidth(120)
        self.assignment = QComboBox()
        mark_data(self.assignment)
        self.work_date = QDateEdit()
        self.work_date.setCalendarPopup(True)
        self.work_date.setMinimumWidth(140)
        self.doc_number = texts.field(lambda: self.tr("e.g. 125/UBND-VP"))
        self.description = texts.field(lambda: self.tr("Short description of the result"))
        self.deadline_set = texts.set(QCheckBox(), tip=lambda: self.tr("The entry has a deadline"))
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.completed_set = texts.set(QCheckBox(), tip=lambda: self.tr("The work is completed"))
        self.completed = QDateEdit()
        self.completed.setCalendarPopup(True)
        self.attachment_label = data_label()
        self.attach_button = texts.button(lambda: self.tr("Attach fil&e…"), self._choose_file)
        self.remove_attachment = texts.set(QToolButton(), lambda: self.tr("Remove"),
                                           tip=lambda: self.tr("Remove the attached file"))
        # "Thuộc nhiệm vụ được giao VP.17 (đã làm 1/2, hạn 17/12)" (issue 16 item 2)
        self.link = data_label(wrap=True)
        self.link.setObjectName("assignmentLink")
        self.link.setStyleSheet("color: #1d4ed8")
        self._ad_hoc_chosen = False  # the person chose "ad hoc" on purpose: keep it
        self.status = data_label(wrap=True)
        self.status.setObjectName("entryStatus")
        self.reason = texts.field(lambda: self.tr("Required when you resubmit a returned entry"))
        self.reason_label = texts.label(lambda: self.tr("&Reason for change:"), buddy=self.reason)
        self.message = data_label(wrap=True)
        self.message.setObjectName("entryMessage")
        # What the last action said, kept as a function so that a language switch says it
        # again in the new language (a sentence set once would stay in the old one).
        self._said: tuple[Any, str] | None = None
        self.new_button = texts.button(lambda: self.tr("&New entry"),
                                       lambda: self.page.new_entry(),
                                       tip=lambda: self.tr("Start a new entry (Ctrl+N)"))
        self.save_button = texts.button(lambda: self.tr("&Save draft"), lambda: self.save(),
                                        tip=lambda: self.tr("Save now (Ctrl+S); drafts also "
                                                            "save themselves"))
        self.submit_button = texts.button(
            lambda: self.tr("Su&bmit"), lambda: self.submit(),
            tip=lambda: self.tr("Submit to the leader (Ctrl+Enter); a submitted entry can no "
                                "longer be changed"))
        self.submit_button.setDefault(False)
        self.delete_button = texts.button(lambda: self.tr("&Delete draft"), self.delete)
        self._pending_attachment: Path | None = None
        self._remove_attachment = False

        self.labels = {key: QLabel() for key in (
            "item", "quantity", "assignment", "date", "doc", "description", "deadline",
            "completed", "attachment", "status")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow(self.labels["assignment"], self.assignment)
        form.addRow(self.labels["item"], self.picker)
        form.addRow("", self.link)
        form.addRow(self.labels["quantity"], self.quantity)
        form.addRow(self.labels["date"], self.work_date)
        form.addRow(self.labels["doc"], self.doc_number)
        form.addRow(self.labels["description"], self.description)
        for label, check, edit in ((self.labels["deadline"], self.deadline_set, self.deadline),
                                   (self.labels["completed"], self.completed_set,
                                    self.completed)):
            form.addRow(label, row(check, edit, None))
        form.addRow(self.labels["attachment"], row((self.attachment_label, 1),
                                                   self.attach_button, self.remove_attachment))
        form.addRow(self.labels["status"], self.status)
        form.addRow(self.reason_label, self.reason)
        for key in ("item", "quantity", "assignment", "doc", "description", "deadline"):
            self.labels[key].setBuddy({"item": self.picker.query, "quantity": self.quantity,
                                       "assignment": self.assignment, "doc": self.doc_number,
                                       "description": self.description,
                                       "deadline": self.deadline_set}[key])
        self.labels["date"].setBuddy(self.work_date)
        self.labels["completed"].setBuddy(self.completed_set)
        buttons = row(self.new_button, self.delete_button, None, self.save_button,
                      self.submit_button)
        self.favourites = FavouritesBar(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.favourites)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(1200)
        self.autosave.timeout.connect(self.auto_save)
        for signal in (self.quantity.textEdited, self.doc_number.textEdited,
                       self.description.textEdited):
            signal.connect(self._changed)
        self.quantity.textEdited.connect(lambda _t: self._show_link())
        for widget in (self.work_date, self.deadline, self.completed):
            widget.dateChanged.connect(self._changed)
        self.deadline_set.toggled.connect(self._dates_toggled)
        self.completed_set.toggled.connect(self._dates_toggled)
        self.picker.chosen.connect(self._item_chosen)
        self.picker.propose_requested.connect(self.propose)
        self.picker.favourite_toggled.connect(self.toggle_favourite)
        self.favourites.chosen.connect(self.log_favourite)
        self.favourites.removed.connect(lambda code: self.toggle_favourite(None, code))
        self.assignment.currentIndexChanged.connect(self._assignment_chosen)
        # Picking "ad hoc" in the list (even when it is shown already) is a deliberate choice.
        self.assignment.activated.connect(lambda _i: self._assignment_chosen(_i))
        self.remove_attachment.clicked.connect(self._drop_file)
        self.setTabOrder(self.assignment, self.picker.query)
        self.setTabOrder(self.picker.query, self.picker.all_items)
        self.setTabOrder(self.picker.all_items, self.picker.list)
        self.setTabOrder(self.picker.list, self.quantity)
        self.setTabOrder(self.quantity, self.work_date)
        self.setTabOrder(self.work_date, self.doc_number)
        self.setTabOrder(self.doc_number, self.description)
        self.setTabOrder(self.description, self.deadline_set)
        self.setTabOrder(self.deadline_set, self.deadline)
        self.setTabOrder(self.deadline, self.completed_set)
        self.setTabOrder(self.completed_set, self.completed)
        self.setTabOrder(self.completed, self.attach_button)
        self.setTabOrder(self.attach_button, self.reason)
        self.setTabOrder(self.reason, self.save_button)
        self.setTabOrder(self.save_button, self.submit_button)
        self.retranslate_ui()

    # -- text -----------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        texts = {
            "item": self.tr("Catalog &item:"), "quantity": self.tr("&Quantity:"),
            "assignment": self.tr("F&ulfils:"), "date": self.tr("W&ork date:"),
            "doc": self.tr("Document nu&mber:"), "description": self.tr("Output &product:"),
            "deadline": self.tr("De&adline:"), "completed": self.tr("&Completed on:"),
            "attachment": self.tr("Evidence file:"), "status": self.tr("Status:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.texts.apply()
        for edit in (self.work_date, self.deadline, self.completed):
            edit.setDisplayFormat(date_format())
        self.picker.retranslate_ui()
        self.favourites.retranslate_ui()
        self._fill_assignments()
        self._show_state()
        if self._said is not None:
            self.say(*self._said)

    # -- loading --------------------------------------------------------------------------
    def _fill_assignments(self) -> None:
        current = self.assignment.currentData()
        self._loading, was_loading = True, self._loading
        self.assignment.blockSignals(True)
        self.assignment.clear()
        self.assignment.addItem(self.tr("Ad hoc work (not assigned)"), AD_HOC)
        self.assignment.addItem(self.tr("Work taken over from a colleague"), TAKEN_OVER)
        day = from_qdate(self.work_date.date())
        for view in self.page.services.daily.assignments(self.page.user.person_id,
                                                         Period.containing(day)):
            a = view.assignment
            self.assignment.addItem(
                self.tr("Assigned: {code} {name} — {done}/{qty}, due {deadline}").format(
                    code=view.item.code, name=name_of(view.item),
                    done=formatting.number(view.logged, 0), qty=formatting.number(a.quantity, 0),
                    deadline=formatting.date(a.deadline)), a.id)
            self.assignment.setItemData(self.assignment.count() - 1, view.item,
                                        Qt.ItemDataRole.UserRole + 2)
        index = self.assignment.findData(current)
        self.assignment.setCurrentIndex(max(0, index))
        self.assignment.blockSignals(False)
        self._loading = was_loading

    def clear(self, day: dt.date) -> None:
        """Start a new, empty entry for ``day``."""
        self._ad_hoc_chosen = False
        self._loading = True
        self.autosave.stop()
        self.entry_id, self.view = None, None
        self.work_date.setDate(to_qdate(day))
        self._fill_assignments()
        self.assignment.setCurrentIndex(0)
        self.picker.set_item(None)
        self.picker.query.clear()
        self.picker.search()
        self.quantity.setText("1")
        self.doc_number.clear()
        self.description.clear()
        self.deadline_set.setChecked(False)
        self.deadline.setDate(to_qdate(day))
        self.completed_set.setChecked(True)
        self.completed.setDate(to_qdate(day))
        self.reason.clear()
        self._pending_attachment, self._remove_attachment = None, False
        self.unsay()
        self._loading = False
        self._show_state()

    def load(self, view: EntryView) -> None:
        self._ad_hoc_chosen = view.entry.assignment_id is None  # as it was saved
        self._loading = True
        self.autosave.stop()
        entry = view.entry
        self.entry_id, self.view = entry.id, view
        self.work_date.setDate(to_qdate(entry.work_date))
        self._fill_assignments()
        if entry.assignment_id:
            self.assignment.setCurrentIndex(max(0, self.assignment.findData(entry.assignment_id)))
        else:
            self.assignment.setCurrentIndex(
                1 if entry.extra_kind is ExtraKind.TAKEN_OVER else 0)
        self.picker.set_item(view.item)
        self.quantity.setText(formatting.number(entry.quantity, 0 if entry.quantity % 1 == 0
                                                else 2).replace(".", ""))
        self.doc_number.setText(entry.output_doc_number)
        self.description.setText(entry.output_description)
        self.deadline_set.setChecked(entry.deadline is not None)
        self.deadline.setDate(to_qdate(entry.deadline or entry.work_date))
        self.completed_set.setChecked(entry.completed_on is not None)
        self.completed.setDate(to_qdate(entry.completed_on or entry.work_date))
        self.reason.clear()
        self._pending_attachment, self._remove_attachment = None, False
        self.unsay()
        self._loading = False
        self._show_state()

    def _show_state(self) -> None:
        view = self.view
        editable = view is None or view.editable
        for widget in (self.picker, self.quantity, self.assignment, self.work_date,
                       self.doc_number, self.description, self.deadline_set, self.deadline,
                       self.completed_set, self.completed, self.attach_button,
                       self.remove_attachment):
            widget.setEnabled(editable)
        self.deadline.setEnabled(editable and self.deadline_set.isChecked())
        self.completed.setEnabled(editable and self.completed_set.isChecked())
        self.picker.set_editable(editable)
        returned = view is not None and view.entry.current_revision > 0 and view.editable
        self.reason.setVisible(returned)
        self.reason_label.setVisible(returned)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(view is not None and editable)
        self.delete_button.setEnabled(view is not None and view.entry.status is EntryStatus.DRAFT
                                      and view.entry.current_revision == 0)
        if view is None:
            self.setTitle(self.tr("New entry"))
            self.status.setText(self.tr("new — saved as a draft as soon as it is complete"))
        else:
            entry = view.entry
            self.setTitle(self.tr("Entry of {date}").format(date=formatting.date(entry.work_date)))
            text = entry_status_label(entry.status)
            if entry.status is EntryStatus.RETURNED:
                text = self.tr("returned by the leader: {reason} — correct it and submit again "
                               "with a reason").format(reason=view.return_reason or "–")
            elif entry.status is EntryStatus.SUBMITTED:
                text = self.tr("submitted (revision {n}) — {where}").format(
                    n=entry.current_revision,
                    where=delivery_label(self.page.delivery_of(entry)))
            elif entry.status is EntryStatus.CONFIRMED:
                text = self.tr("confirmed by the leader — read-only")
            else:
                text = self.tr("draft — saved on this computer, not yet submitted")
            self.status.setText(text)
            self.status.setStyleSheet(f"color: {STATUS_COLOURS[entry.status]}")
        if view is None:
            self.status.setStyleSheet("")
        self._show_attachment()
        self._show_link()

    def _show_attachment(self) -> None:
        name = None
        if self._pending_attachment is not None:
            name = self._pending_attachment.name
        elif self.view is not None and not self._remove_attachment:
            name = self.view.entry.attachment_name
        self.attachment_label.setText(name or "–")
        self.remove_attachment.setVisible(bool(name))

    # -- editing --------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        if self.view is not None and not self.view.editable:
            return
        self.autosave.start()

    def _dates_toggled(self, *_args: object) -> None:
        self.deadline.setEnabled(self.deadline_set.isChecked() and self.isEnabled())
        self.completed.setEnabled(self.completed_set.isChecked())
        self._show_state_dates()
        self._changed()

    def _show_state_dates(self) -> None:
        editable = self.view is None or self.view.editable
        self.deadline.setEnabled(editable and self.deadline_set.isChecked())
        self.completed.setEnabled(editable and self.completed_set.isChecked())

    def _item_chosen(self, item: Any) -> None:
        if self._loading:
            return
        data = self.assignment.currentData()
        if data not in (AD_HOC, TAKEN_OVER):
            assigned = self.assignment.itemData(self.assignment.currentIndex(),
                                                Qt.ItemDataRole.UserRole + 2)
            if assigned is not None and item is not None and assigned.id != item.id:
                self.assignment.setCurrentIndex(0)
                data = AD_HOC
        if data == AD_HOC and not self._ad_hoc_chosen and item is not None:
            # An item the leader assigned counts for that assignment unless the person
            # chooses "ad hoc" on purpose (issue 16 item 2).
            link = self.page.services.daily.suggest_assignment(
                self.page.user.person_id, item.code, from_qdate(self.work_date.date()),
                entry_id=self.entry_id)
            if link is not None:
                self._select_assignment(link.assignment_id)
        self._show_link()
        self.quantity.setFocus()
        self.quantity.selectAll()
        self._changed()

    def _select_assignment(self, assignment_id: str) -> None:
        index = self.assignment.findData(assignment_id)
        if index < 0:
            return
        self._loading, was = True, self._loading
        self.assignment.setCurrentIndex(index)
        self._loading = was
        for view in self.page.services.daily.assignments(
                self.page.user.person_id, Period.containing(from_qdate(self.work_date.date()))):
            if view.assignment.id == assignment_id:
                self.deadline_set.setChecked(True)
                self.deadline.setDate(to_qdate(view.assignment.deadline))

    def _show_link(self) -> None:
        """Which assignment the entry counts for, with the progress it makes."""
        data = self.assignment.currentData()
        if data in (AD_HOC, TAKEN_OVER, None):
            self.link.setText(self.tr("Not an assigned task: it counts as ad hoc work, outside "
                                      "the assigned total.") if self.picker.item is not None
                              and self._ad_hoc_chosen else "")
            self.link.setVisible(bool(self.link.text()))
            return
        day = from_qdate(self.work_date.date())
        view = next((v for v in self.page.services.daily.assignments(
            self.page.user.person_id, Period.containing(day)) if v.assignment.id == data),
            None)
        if view is None:
            self.link.setVisible(False)
            return
        counted = self.view is not None and self.view.entry.assignment_id == data
        try:
            adding = Decimal(0) if counted else Decimal(self.quantity.text().replace(",", "."))
        except (ArithmeticError, ValueError):
            adding = Decimal(0)
        done = view.logged + max(adding, Decimal(0))
        self.link.setText(self.tr("Counts for the assigned task {code} (done {done}/{quantity}, "
                                  "due {deadline})").format(
            code=view.item.code, done=formatting.number(done, 0 if done % 1 == 0 else 2),
            quantity=formatting.number(view.assignment.quantity, 0),
            deadline=formatting.day_month(view.assignment.deadline)))
        self.link.setVisible(True)

    def _assignment_chosen(self, _index: int) -> None:
        if self._loading:
            return
        # Choosing "ad hoc" (or taken over) is deliberate: no assignment is put back.
        self._ad_hoc_chosen = self.assignment.currentData() in (AD_HOC, TAKEN_OVER)
        self._show_link()
        item = self.assignment.itemData(self.assignment.currentIndex(),
                                        Qt.ItemDataRole.UserRole + 2)
        if item is not None:
            self.picker.set_item(item)
            assignment_id = self.assignment.currentData()
            for view in self.page.services.daily.assignments(
                    self.page.user.person_id, Period.containing(from_qdate(self.work_date.date()))):
                if view.assignment.id == assignment_id:
                    self.deadline_set.setChecked(True)
                    self.deadline.setDate(to_qdate(view.assignment.deadline))
        self._changed()

    def toggle_favourite(self, item: Any, code: str | None = None) -> None:
        """Put the chosen item into the favourites, or take it (or ``code``) out (on the
        serial lane); the status line names the item and the person."""
        code = code or (item.code if item is not None else None)
        if code is None:
            return
        favourites, person = self.page.services.favourites, self.page.user.person_id
        name = self.page.user.full_name
        if code in self.page.favourite_codes():
            def removed(_result: object) -> None:
                self.say(lambda: self.tr("{code} removed from the frequent tasks of {name}.")
                         .format(code=code, name=name), "#15803d")
                self.page.favourites_changed()

            Op(self, lambda: favourites.remove(person, code)).success(removed) \
                .failure(self._error).run()
        else:
            def added(_result: object) -> None:
                self.say(lambda: self.tr("{code} added to the frequent tasks of {name}: one "
                                         "click above the form logs it.").format(
                    code=code, name=name), "#15803d")
                self.page.favourites_changed()

            Op(self, lambda: favourites.add(person, code)).success(added) \
                .failure(self._error).run()

    def log_favourite(self, code: str) -> None:
        """One click on a frequent task: a new entry of it on the day shown, saved as a draft
        at once; the quantity is selected to be typed over."""
        item = self.page.services.daily.item_by_code(code)
        if item is None:
            return
        self.page.new_entry()
        self.picker.set_item(item)
        self._item_chosen(item)
        if self.save(quiet=True):
            self.say(lambda: self.tr("Draft {code} started from the frequent tasks: check the "
                                     "quantity and the output, then submit.").format(code=code),
                     "#15803d")
        self.quantity.setFocus()
        self.quantity.selectAll()

    def propose(self, text: str = "") -> Any:
        """Propose a new catalog product (an empty search offers it); returns the dialog."""
        from kpi_desktop.ui.proposal_dialog import ProposalDialog

        dialog = ProposalDialog(self.page.services, self.page.user.person_id,
                                self.page.user.full_name, name=text, parent=self)
        dialog.accepted.connect(lambda: self._proposed(dialog))
        dialog.open()
        return dialog

    def _proposed(self, dialog: Any) -> None:
        text = dialog.done_message()
        self.say(lambda: dialog.done_message(), "#1d4ed8")
        self.page.status_message.emit(text)
        self.page.data_changed.emit()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach evidence"))
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        self._pending_attachment, self._remove_attachment = path, False
        self._show_attachment()
        self._changed()

    def _drop_file(self) -> None:
        self._pending_attachment, self._remove_attachment = None, True
        self._show_attachment()
        self._changed()

    def draft(self) -> EntryDraft:
        data = self.assignment.currentData()
        item = self.picker.item
        return EntryDraft(
            work_date=from_qdate(self.work_date.date()),
            item_code=item.code if item is not None else self.picker.query.text().split(" ")[0],
            quantity=self.quantity.text(),
            assignment_id=None if data in (AD_HOC, TAKEN_OVER) else data,
            output_doc_number=self.doc_number.text(),
            output_description=self.description.text(),
            deadline=from_qdate(self.deadline.date()) if self.deadline_set.isChecked() else None,
            completed_on=(from_qdate(self.completed.date()) if self.completed_set.isChecked()
                          else None),
            attachment=self._pending_attachment,
            keep_attachment=not self._remove_attachment,
            extra_kind=ExtraKind.TAKEN_OVER if data == TAKEN_OVER else ExtraKind.AD_HOC)

    def auto_save(self) -> None:
        """Save silently when the form is complete (the draft keeps what was typed)."""
        if self.picker.item is None:
            return
        self.save(quiet=True)

    def save(self, *, quiet: bool = False) -> bool:
        """Save the entry (an operation on the serial lane); False when refused at once."""
        self.autosave.stop()
        if self.view is not None and not self.view.editable:
            return False
        daily, me, draft, entry_id = (self.page.services.daily, self.page.user.person_id,
                                      self._checked(self.draft()), self.entry_id)

        again: list[bool] = []  # the save made again once the quantity was confirmed

        def refused(error: KpiError) -> None:
            if self._quantity_confirmed(error, draft, quiet):
                again.append(self.save(quiet=quiet))
            else:
                self._error(error)

        done = self._change(lambda: daily.save(me, draft, entry_id),
                            lambda entry: self._saved(entry, quiet), refused)
        return again[-1] if again else done

    def _checked(self, draft: EntryDraft) -> EntryDraft:
        """``draft``, marked as checked when the person confirmed this very quantity."""
        if self._confirmed_quantity == (draft.item_code, draft.quantity):
            return replace(draft, confirm_quantity=True)
        return draft

    def _quantity_confirmed(self, error: KpiError, draft: EntryDraft, quiet: bool) -> bool:
        """Whether a quantity above what one day can hold was just confirmed (then the save
        is made again); an autosave never asks."""
        if error.code != "quantity_needs_confirmation" or quiet or not self._confirm(error):
            return False
        self._confirmed_quantity = (draft.item_code, draft.quantity)
        return True

    def _saved(self, entry: Any, quiet: bool) -> None:
        self.entry_id = entry.id
        self._pending_attachment, self._remove_attachment = None, False
        self.view = self.page.services.daily.entry(entry.id)
        revised = entry.current_revision > 0
        code = self.view.item.code if self.view is not None else ""
        self.say(lambda: (self.tr("Changes to {code} saved; submit again with a reason.")
                          if revised else self.tr("Draft {code} saved.")).format(code=code),
                 "#15803d")
        self._show_state()
        self.page.entry_saved(entry.id, quiet=quiet)

    def submit(self) -> bool:
        """Save and submit the entry in one operation; False when refused at once."""
        self.autosave.stop()
        if self.view is not None and not self.view.editable:
            return False
        daily, me, draft, entry_id, reason = (self.page.services.daily,
                                              self.page.user.person_id,
                                              self._checked(self.draft()), self.entry_id,
                                              self.reason.text())

        def work() -> tuple[Any, Any]:
            saved = daily.save(me, draft, entry_id)
            try:
                return saved, daily.submit(me, saved.id, reason)
            except KpiError as error:
                error.saved = saved  # type: ignore[attr-defined]  # the draft is stored
                raise

        def refused(error: KpiError) -> None:
            saved = getattr(error, "saved", None)
            if saved is not None:
                self._saved(saved, True)
            if self._quantity_confirmed(error, draft, False):
                again.append(self.submit())
            else:
                self._error(error)

        again: list[bool] = []  # the submission made again once the quantity was confirmed
        done = self._change(work, self._submitted, refused)
        return again[-1] if again else done

    def _submitted(self, result: tuple[Any, Any]) -> None:
        saved, entry = result
        self._saved(saved, True)
        self.view = self.page.services.daily.entry(entry.id)
        state = self.page.delivery_of(entry)
        leader = self.page.evaluator_name()
        code = self.view.item.code if self.view is not None else ""
        # Nothing has left this PC yet: say where the work is, not "sent to the leader".
        self.say(lambda: (self.tr("{code} submitted — {where}.") if not leader else
                          self.tr("{code} submitted for {leader} — {where}.")).format(
            code=code, leader=leader, where=delivery_label(state)), "#1d4ed8")
        self._show_state()
        self.page.entry_saved(entry.id, quiet=False)

    def delete(self) -> None:
        if self.entry_id is None:
            return
        daily, me, entry_id = self.page.services.daily, self.page.user.person_id, \
            self.entry_id
        self._change(lambda: daily.delete_draft(me, entry_id),
                     lambda _r: self.page.entry_deleted())

    def _change(self, work: Any, done: Any, refused: Any = None) -> bool:
        task = Op(self, work).success(done).failure(refused or self._error).run()
        return not (task.done and task.error is not None)

    def _error(self, error: Exception) -> None:
        self.say(lambda: error_text(error), "#b91c1c")

    def say(self, text: Any, colour: str) -> None:
        """Show what an action did; ``text`` makes the sentence (again after a language
        switch)."""
        self._said = (text, colour)
        self.message.setStyleSheet(f"color: {colour}")
        self.message.setText(text())

    def unsay(self) -> None:
        self._said = None
        self.message.clear()

    def _confirm(self, error: KpiError) -> bool:
        """Ask whether a quantity above what one day can hold is right (issue 14)."""
        answer = QMessageBox.question(
            self, self.tr("Check the quantity"),
            self.tr("{count} × “{item}” is more than one day can hold (at most {maximum} by "
                    "its time norm). Is the quantity right?").format(
                count=error.params.get("value", ""), item=error.params.get("item", ""),
                maximum=error.params.get("maximum", "")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


class WorkLogPage(Page):
    """Today / Work log."""

    page_id = "today"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.day = services.daily.today()
        self.week_mode = False
        self.delivery: dict[str, str] = {}
        self._favourite_codes: set[str] | None = None
        texts = self.texts
        self.heading = named(QLabel(), "pageHeading")
        self.prev_button = texts.set(QToolButton(), tip=lambda: self.tr(
            "Previous day (Ctrl+PgUp)"))
        self.prev_button.setText("◀")
        self.next_button = texts.set(QToolButton(), tip=lambda: self.tr("Next day (Ctrl+PgDown)"))
        self.next_button.setText("▶")
        self.today_button = texts.button(lambda: self.tr("&Today"), self.go_today,
                                         tip=lambda: self.tr("Go to today (Alt+Home)"))
        self.date_edit = texts.set(QDateEdit(to_qdate(self.day)),
                                   tip=lambda: self.tr("The day shown"))
        self.date_edit.setCalendarPopup(True)
        self.day_button = texts.button(lambda: self.tr("Da&y"))
        self.week_button = texts.button(lambda: self.tr("&Week"))
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
        self.day_button.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.day_button)
        self.mode_group.addButton(self.week_button)
        self.load_label = data_label(wrap=True)
        self.load_label.setObjectName("dayLoad")
        self.warning = data_label(wrap=True)
        self.warning.setObjectName("dayWarning")
        self.warning.setStyleSheet("color: #b45309; font-weight: 600")
        # Working days of this month so far with no entry (holidays excluded, issue 9 §3).
        self.missing = data_label(wrap=True)
        self.missing.setObjectName("daysWithoutEntries")
        self.missing.setTextFormat(Qt.TextFormat.RichText)
        self.missing.linkActivated.connect(lambda day: self.set_day(dt.date.fromisoformat(day)))
        self.week_strip = data_label(wrap=True)
        self.table = self.texts.table(EntryTable(self))
        self.model = self.table.source_model()
        self.editor = EntryEditor(self)

        nav = row((self.heading, 1), self.prev_button, self.date_edit, self.next_button,
                  self.today_button)
        nav.addSpacing(12)
        nav.addWidget(self.day_button)
        nav.addWidget(self.week_button)
        left = stacked(self.load_label, self.warning, self.missing, self.week_strip,
                       (self.table, 1))
        scroll = scrolled(self.editor, frame=False)
        self.splitter = split((left, 5, 720), (scroll, 4, 600), collapsible=False)
        column(self, nav, (self.splitter, 1))

        self.actions_by_name: dict[str, QAction] = {}
        for name, text, keys, slot in (
            ("new", lambda: self.tr("New entry"),
             [QKeySequence(QKeySequence.StandardKey.New)], self.new_entry),
            ("save", lambda: self.tr("Save"),
             [QKeySequence(QKeySequence.StandardKey.Save)], self.editor.save),
            ("submit", lambda: self.tr("Submit"),
             [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")], self.editor.submit),
            ("next_day", lambda: self.tr("Next day"),
             [QKeySequence("Ctrl+PgDown"), QKeySequence("Alt+Right")], lambda: self.move(1)),
            ("previous_day", lambda: self.tr("Previous day"),
             [QKeySequence("Ctrl+PgUp"), QKeySequence("Alt+Left")], lambda: self.move(-1)),
            ("today", lambda: self.tr("Today"), [QKeySequence("Alt+Home")], self.go_today),
        ):
            action = texts.set(QAction(self), text)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, s=slot: s())
            self.addAction(action)
            self.actions_by_name[name] = action

        self.prev_button.clicked.connect(lambda: self.move(-1))
        self.next_button.clicked.connect(lambda: self.move(1))
        self.date_edit.dateChanged.connect(self._date_edited)
        self.day_button.toggled.connect(lambda on: on and self.set_week_mode(False))
        self.week_button.toggled.connect(lambda on: on and self.set_week_mode(True))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.retranslate_ui()
        refresh_when_visible(self)
        self.editor.clear(self.day)
        self.favourites_changed()

    def title(self) -> str:
        return self.tr("Today / Work log")

    def retranslate_ui(self) -> None:
        self.date_edit.setDisplayFormat(date_format())
        self.editor.retranslate_ui()
        self._show_heading()
        self.refresh()

    # -- navigation -----------------------------------------------------------------------
    def move(self, days: int) -> None:
        self.set_day(self.day + dt.timedelta(days=7 * days if self.week_mode else days))

    def go_today(self) -> None:
        self.set_day(self.services.daily.today())

    def set_day(self, day: dt.date) -> None:
        if self.editor.autosave.isActive():
            self.editor.auto_save()
        self.day = day
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(to_qdate(day))
        self.date_edit.blockSignals(False)
        self.refresh()
        self.editor.clear(day)

    def set_week_mode(self, on: bool) -> None:
        self.week_mode = on
        self.day_button.setChecked(not on)
        self.week_button.setChecked(on)
        self.refresh()

    def _date_edited(self, value: Any) -> None:
        self.set_day(from_qdate(value))

    def new_entry(self) -> None:
        if self.editor.autosave.isActive():
            self.editor.auto_save()
        self.table.clearSelection()
        self.editor.clear(self.day)
        self.editor.assignment.setFocus()

    # -- data -----------------------------------------------------------------------------
    def refresh(self) -> None:
        daily = self.services.daily
        selected = self.selected_entry_id()
        if self.week_mode:
            days = daily.week(self.user.person_id, self.day)
        else:
            days = [daily.day(self.user.person_id, self.day)]
        views = [v for d in days for v in d.entries]
        self.delivery = self.services.sync_summary.delivery(
            self.user.person_id, [v.entry for v in views])
        self.table.clearSelection()  # chosen again below, without loading the form again
        self.table.set_views(views, self.delivery)
        self.table.setColumnHidden(0, not self.week_mode)
        current = next(d for d in days if d.day == self.day)
        self.load_label.setText(self.tr("{day}: credited {credited} · time norm {norm} of "
                                        "{limit}").format(
            day=f"{weekday_name(self.day)} {formatting.date(self.day)}",
            credited=duration(current.credited_minutes), norm=duration(current.norm_minutes),
            limit=duration(current.daily_norm_minutes)))
        over = [d for d in days if d.over_norm]
        if over:
            self.warning.setText(self.tr("Above 8 hours on {days}: the leader will look at "
                                         "it; nothing is blocked.").format(
                days=", ".join(formatting.date(d.day) for d in over)))
        else:
            self.warning.clear()
        self.warning.setVisible(bool(over))
        self._show_missing()
        if self.week_mode:
            parts = []
            for d in days:
                text = f"{short_date(d.day)}: {clock(d.norm_minutes)}"
                if d.over_norm:
                    text = f"<span style='color:#b45309'><b>{text}</b></span>"
                parts.append(text)
            self.week_strip.setText(" · ".join(parts))
        self.week_strip.setVisible(self.week_mode)
        if not views:
            self.table.setToolTip(self.tr("No entries on this day yet: press Ctrl+N to log "
                                          "work."))
        else:
            self.table.setToolTip("")
        self._show_heading()
        if selected:
            self.select_entry(selected, load=False)

    def _show_missing(self) -> None:
        """The "days with no entry" reminder: working days of this month before today."""
        calendar = getattr(self.services, "calendar", None)
        days = [] if calendar is None else calendar.missing_this_month(
            self.user.person_id, self.services.daily.today())
        shown = days[-8:]
        links = ", ".join(f"<a href='{d.isoformat()}'>{short_date(d)}</a>" for d in shown)
        if len(days) > len(shown):
            links = "…, " + links
        # English needs the singular for one day ("1 working day … has no entry").
        sentence = self.tr("{n} working day of this month has no entry: {days}") \
            if len(days) == 1 else self.tr("{n} working days of this month have no entry: "
                                           "{days}")
        self.missing.setText(sentence.format(n=len(days), days=links) if days else "")
        self.missing.setVisible(bool(days))

    def _show_heading(self) -> None:
        self.heading.setText("<b>" + (self.tr("Week of {date}") if self.week_mode
                                      else self.tr("Work log of {date}")).format(
            date=formatting.date(self.day)) + "</b>")

    def favourite_codes(self) -> set[str]:
        if self._favourite_codes is None:
            self._favourite_codes = self.services.favourites.codes(self.user.person_id)
        return self._favourite_codes

    def favourites_changed(self) -> None:
        """Show the person's favourites again (one was added or removed)."""
        self._favourite_codes = None
        self.editor.favourites.set_favourites(
            self.services.favourites.list(self.user.person_id))
        self.editor.picker.show_favourite()

    def delivery_of(self, entry: Any) -> str:
        """Where a submitted entry is (waiting for the USB stick, or with the leader)."""
        if entry.id not in self.delivery:
            self.delivery.update(self.services.sync_summary.delivery(
                self.user.person_id, [entry]))
        return self.delivery.get(entry.id, Delivery.WAITING)

    def evaluator_name(self) -> str:
        return self.services.daily.person(self.user.person_id).evaluator_name

    def selected_entry_id(self) -> str | None:
        return self.table.current_key()

    def select_entry(self, entry_id: str, *, load: bool = True) -> bool:
        view = self.table.source_model().record_of(entry_id)
        if view is None:
            return False
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.select_key(entry_id)
        selection.blockSignals(False)
        if load:
            self.editor.load(view)
        return True

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        if self.editor.autosave.isActive():
            self.editor.auto_save()
        view = current.data(RECORD_ROLE)
        if view.entry.id != self.editor.entry_id:
            self.editor.load(view)

    def entry_saved(self, entry_id: str, *, quiet: bool) -> None:
        self.refresh()
        self.select_entry(entry_id, load=False)
        self.data_changed.emit()
        if not quiet:
            self.status_message.emit(self.tr("Work log saved."))

    def entry_deleted(self) -> None:
        self.refresh()
        self.editor.clear(self.day)
        self.data_changed.emit()

    def log_assignment(self, assignment_id: str) -> None:
        """Start a new entry that fulfils ``assignment_id`` (from My assignments)."""
        self.set_day(self.services.daily.today())
        index = self.editor.assignment.findData(assignment_id)
        if index >= 0:
            self.editor.assignment.setCurrentIndex(index)
        self.editor.quantity.setFocus()
