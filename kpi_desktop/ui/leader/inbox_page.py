"""The review inbox: submitted entries by person and day; confirm, return, verdicts, bulk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QDesktopServices, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Period
from kpi_desktop.runtime import i18n
from kpi_desktop.services.review import Flag, InboxItem, flag_label, return_reason_templates
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    FLAG_BACKGROUND,
    OVERDUE_BACKGROUND,
    DetailSplitter,
    LeaderReasonDialog,
    add_fields,
    data_label,
    error_text,
    mark_data,
    names_of,
    scrolled,
    set_texts,
    show_error,
    stacked,
)
from kpi_desktop.ui.operations import Loader, Op, Task
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.tables import break_header

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class ReviewInboxPage(Page):
    """Everything waiting for the leader's review."""

    page_id = "leader.inbox"
    # Emitted on the GUI thread when a refresh has filled the page.
    loaded = Signal()

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.loader: Loader[Any] = Loader(self)
        self._items: dict[str, InboxItem] = {}
        self._task: Task | None = None  # a bulk confirmation running
        self._acting = False  # a single decision is being stored
        self._bulk_people: set[str] = set()  # whose entries the running bulk action confirms
        self._undo: _Undo | None = None  # the last decision(s), while they can be undone
        self._bold = QFont()  # made here, on the GUI thread; the worker only copies it
        self._bold.setBold(True)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(6)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # Fixed modes (sized once per refresh): ResizeToContents would measure every row on
        # each layout change, which stalls the GUI with hundreds of entries.
        for section in range(6):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.setResizeContentsPrecision(300)  # sized from the first rows, not every entry
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemSelectionChanged.connect(self._show_current)
        mark_data(self.tree)

        self.detail_box = QGroupBox()
        form = QFormLayout(self.detail_box)
        self.d_person = data_label(wrap=True)
        self.d_item = data_label(wrap=True)
        self.d_quantity = data_label()
        self.d_output = data_label(wrap=True)
        self.d_attachment = data_label(wrap=True)
        self.d_dates = data_label(wrap=True)
        self.d_reason = data_label(wrap=True)
        self.d_flags = data_label(wrap=True)
        self._form_labels = add_fields(form, [
            self.d_person, self.d_item, self.d_quantity, self.d_output, self.d_attachment,
            self.d_dates, self.d_reason, self.d_flags])
        self.history_title = QLabel()
        self.history = QListWidget()
        self.history.setMaximumHeight(110)
        mark_data(self.history)

        self.confirm_button = QPushButton()
        self.return_button = QPushButton()
        self.quality_button = QPushButton()
        self.delay_button = QPushButton()
        self.cause_button = QPushButton()
        self.bulk_button = QPushButton()
        self.week_button = QPushButton()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.attachment_button = QPushButton()
        self.attachment_button.clicked.connect(self.open_attachment)
        self.progress = QProgressBar()
        self.progress.hide()
        # What the last action did, naming the person and the item, with Undo until it is
        # exported (issue 16, item 14).
        self.done_line = data_label(wrap=True)
        self.done_line.setObjectName("lastAction")
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undo")
        self.undo_button.hide()
        self.undo_button.clicked.connect(self.undo_last)
        self.confirm_button.clicked.connect(self.confirm_current)
        self.return_button.clicked.connect(self.return_current)
        self.quality_button.clicked.connect(self.quality_failed_current)
        self.delay_button.clicked.connect(self.delay_current)
        self.cause_button.clicked.connect(self.objective_cause_current)
        self.bulk_button.clicked.connect(self.confirm_selected)
        self.week_button.clicked.connect(self.confirm_week)
        self.cancel_button.clicked.connect(self._cancel_bulk)

        verdicts = QGridLayout()
        for index, button in enumerate((self.confirm_button, self.return_button,
                                        self.quality_button, self.delay_button,
                                        self.cause_button, self.attachment_button)):
            verdicts.addWidget(button, index // 2, index % 2)
        bulk = QHBoxLayout()
        for widget in (self.bulk_button, self.week_button, self.progress, self.cancel_button):
            bulk.addWidget(widget)
        bulk.addWidget(self.done_line, 1)
        bulk.addWidget(self.undo_button)

        right = stacked(self.detail_box, self.history_title, self.history, verdicts, None)

        right_scroll = scrolled(right, frame=False)
        self.splitter = DetailSplitter(self.tree, right_scroll, detail_width=370)
        self.splitter.splitterMoved.connect(lambda *_: self._fit_columns())
        self.splitter.fold_button.toggled.connect(lambda _on: self._fit_columns())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.splitter.fold_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bulk)

        # Keyboard (on the list): arrows move; Ctrl+Enter confirms and moves on; Ctrl+R
        # returns; Ctrl+Down / Ctrl+Up go to the next / previous entry.
        self._keys = {
            (Qt.Key.Key_Return, True): self.confirm_current,
            (Qt.Key.Key_Enter, True): self.confirm_current,
            (Qt.Key.Key_R, True): self.return_current,
            (Qt.Key.Key_Down, True): self.select_next,
            (Qt.Key.Key_Up, True): self.select_previous,
        }
        self.tree.installEventFilter(self)
        self.retranslate_ui()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            slot = self._keys.get((Qt.Key(event.key()), control))
            if slot is not None:
                slot()
                return True
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- Page -----------------
    def title(self) -> str:
        return self.tr("Review inbox")

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels(self._header_labels())
        self.detail_box.setTitle(self.tr("Selected entry"))
        set_texts(self._form_labels, [
            self.tr("Person"), self.tr("Product / work"), self.tr("Quantity"),
            self.tr("Output product"), self.tr("Attachment"), self.tr("Dates"),
            self.tr("Reason for the revision"), self.tr("Attention")])
        self.history_title.setText(self.tr("Review history"))
        self.confirm_button.setText(self.tr("Confirm (Ctrl+Enter)"))
        self.return_button.setText(self.tr("Return… (Ctrl+R)"))
        self.quality_button.setText(self.tr("Failed quality review…"))
        self.delay_button.setText(self.tr("Delay"))
        self.cause_button.setText(self.tr("Objective cause…"))
        self.bulk_button.setText(self.tr("Confirm selected"))
        self.week_button.setText(self.tr("Confirm the person's week"))
        self.cancel_button.setText(self.tr("Stop"))
        self.attachment_button.setText(self.tr("Open the attachment"))
        self.undo_button.setText(self.tr("&Undo"))
        self.undo_button.setToolTip(self.tr("Withdraw this decision; possible until the next "
                                            "export"))
        self.confirm_button.setToolTip(self.tr("Confirm the entry and go to the next one"))
        self.quality_button.setToolTip(self.tr("Major content error: −25 % of its quality"))
        self.delay_button.setToolTip(self.tr("One missed deadline: −25 % of its timeliness"))
        if self._items or self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reload in a worker thread; the page stays usable and says it is loading."""
        review, reviewer = self.services.review, self.user.person_id
        self.summary.setText(self.tr("Loading…"))
        self.loader.load(lambda: self._fetch(review, reviewer),
                         lambda data: self._populate(*data),
                         failed=self._load_failed)

    def reload_now(self) -> None:
        """Reload on the GUI thread (after the leader's own action: the list must be current
        before the next key press)."""
        self.loader.cancel()
        self._populate(*self._fetch(self.services.review, self.user.person_id))

    def is_loading(self) -> bool:
        return self.loader.is_loading()

    def _fetch(self, review: Any,
               reviewer: str) -> tuple[Any, Any, list[QTreeWidgetItem], _Undo | None]:
        """The inbox, the delays, the tree's items (built here, in the worker: items that
        belong to no tree yet may be made in any thread; the GUI thread only inserts them)
        and the offered Undo if it can no longer be made."""
        inbox = review.inbox(reviewer)
        delays = review.delay_report(reviewer, Period.containing(review.today()))
        undo = self._undo  # exported meanwhile (or withdrawn)? then Undo is no longer offered
        gone = undo if undo is not None and not review.undoable(reviewer, undo.statements) \
            else None
        return inbox, delays, self._person_nodes(inbox), gone

    def _person_nodes(self, inbox: Any) -> list[QTreeWidgetItem]:
        nodes = []
        for person in inbox.people:
            count = len(person.items)
            person_node = QTreeWidgetItem([self.tr("{name} — {n} waiting").format(
                name=person.person_name, n=count)])
            person_node.setFont(0, self._bold)
            for day in person.days:
                day_node = QTreeWidgetItem([self.tr("{date} — norm time {hours} h").format(
                    date=formatting.date(day.work_date),
                    hours=formatting.number(day.norm_minutes / 60, 1))])
                person_node.addChild(day_node)
                day_node.addChildren([self._entry_node(item) for item in day.items])
            nodes.append(person_node)
        return nodes

    def _load_failed(self, error: KpiError) -> None:
        self.summary.setText("")
        show_error(self, self.tr("Review"), error)

    def _populate(self, inbox: Any, delays: Any, nodes: list[QTreeWidgetItem],
                  gone: _Undo | None = None) -> None:
        selected = self.selected_entry_ids()
        if gone is not None and gone is self._undo:
            self._undo = None
            self.undo_button.hide()
        self._items = {item.entry.id: item for item in inbox.items}
        self.tree.clear()
        self.tree.addTopLevelItems(nodes)
        for person_node in nodes:
            person_node.setFirstColumnSpanned(True)
            for index in range(person_node.childCount()):
                person_node.child(index).setFirstColumnSpanned(True)
        self.tree.expandToDepth(1)
        self._fit_columns()
        summary = self.tr(
            "{n} entries are waiting for your review; {late} of them longer than {limit} "
            "working days (highlighted).").format(n=len(self._items), late=inbox.overdue_count,
                                                  limit=inbox.limit_days)
        if delays:
            summary += "\n" + self.tr("Review delays of the leaders you evaluate: {list}").format(
                list="; ".join(self.tr("{name}: {late} decided late this month, {waiting} "
                                       "waiting too long").format(
                    name=d.leader_name, late=d.decided_late, waiting=d.waiting_overdue)
                    for d in delays))
        self.summary.setText(summary)
        if selected:
            self._select_ids(selected[:1])
        elif self._items:
            self.select_next()
        self._show_current()
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Quantity, dates, waiting days and flags at their width (headers on two lines when
        wider than their values), the work up to half of the rest, the output the remainder."""
        header = self.tree.header()
        available = self.tree.viewport().width()
        if available <= 1:
            return
        labels = self._header_labels()
        widths = {}
        for column in (1, 3, 4, 5):
            content = self.tree.sizeHintForColumn(column)
            text = labels[column]
            one_line = header.fontMetrics().horizontalAdvance(text) + 16
            if one_line > content + 8 and " " in text:
                text = break_header(text)
            labels[column] = text
            title = max(header.fontMetrics().horizontalAdvance(line)
                        for line in text.split("\n")) + 16
            widths[column] = min(max(content, title), 200 if column == 5 else 160)
        self.tree.setHeaderLabels(labels)
        rest = max(0, available - sum(widths.values()))
        widths[0] = max(180, min(self.tree.sizeHintForColumn(0), int(rest * 0.5)))
        for column, width in widths.items():
            header.resizeSection(column, width)

    def _header_labels(self) -> list[str]:
        return [self.tr("Person / day / work"), self.tr("Quantity"), self.tr("Output product"),
                self.tr("Submitted"), self.tr("Waiting (working days)"), self.tr("Attention")]

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_columns()

    # ---------------------------------------------------------------- building -------------
    def _entry_node(self, item: InboxItem) -> QTreeWidgetItem:
        name = item.item_name_vi if i18n.current_language() == "vi" else item.item_name_en
        entry = item.entry
        output = " — ".join(x for x in (entry.output_doc_number, entry.output_description) if x)
        flags = [f for f in Flag if f in item.flags]
        node = QTreeWidgetItem([
            f"{item.item_code}  {name}",
            f"{formatting.number(entry.quantity)} {item.unit_of_output}".strip(),
            output or "–",
            formatting.date(item.submitted_at.date()),
            str(item.waiting_days),
            ", ".join(flag_label(f) for f in flags),
        ])
        node.setData(0, ENTRY_ROLE, entry.id)
        node.setToolTip(0, f"{item.item_code} {name}")
        node.setToolTip(2, output)
        node.setToolTip(5, node.text(5))
        if item.overdue:
            for column in range(6):
                node.setBackground(column, QBrush(OVERDUE_BACKGROUND))
        elif flags:
            node.setBackground(5, QBrush(FLAG_BACKGROUND))
        return node

    def _entry_nodes(self) -> list[QTreeWidgetItem]:
        nodes = []
        for p in range(self.tree.topLevelItemCount()):
            person = self.tree.topLevelItem(p)
            for d in range(person.childCount()):
                day = person.child(d)
                nodes.extend(day.child(e) for e in range(day.childCount()))
        return nodes

    def _select_ids(self, ids: list[str]) -> None:
        wanted = set(ids)
        self.tree.clearSelection()
        for node in self._entry_nodes():
            if node.data(0, ENTRY_ROLE) in wanted:
                node.setSelected(True)
                self.tree.setCurrentItem(node)

    # ---------------------------------------------------------------- selection ------------
    def selected_entry_ids(self) -> list[str]:
        """Selected entries; a selected person or day stands for all its entries."""
        ids: list[str] = []

        def collect(node: QTreeWidgetItem) -> None:
            entry_id = node.data(0, ENTRY_ROLE)
            if entry_id:
                ids.append(entry_id)
            for index in range(node.childCount()):
                collect(node.child(index))

        for node in self.tree.selectedItems():
            collect(node)
        return list(dict.fromkeys(ids))

    def current_entry_id(self) -> str | None:
        node = self.tree.currentItem()
        if node is not None and node.data(0, ENTRY_ROLE):
            return node.data(0, ENTRY_ROLE)
        ids = self.selected_entry_ids()
        return ids[0] if ids else None

    def print_request(self) -> PrintRequest | None:
        entry_id = self.current_entry_id()
        item = self._items.get(entry_id) if entry_id else None
        if item is None:
            return None
        return PrintRequest(person_id=item.entry.person_id,
                            period=Period.containing(item.entry.work_date))

    def select_next(self) -> None:
        self._step(1)

    def select_previous(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        nodes = self._entry_nodes()
        if not nodes:
            return
        current = self.current_entry_id()
        ids = [n.data(0, ENTRY_ROLE) for n in nodes]
        index = ids.index(current) + step if current in ids else 0
        index = max(0, min(index, len(ids) - 1))
        self._select_ids([ids[index]])

    def _show_current(self) -> None:
        entry_id = self.current_entry_id()
        item = self._items.get(entry_id) if entry_id else None
        enabled = item is not None and self._task is None
        for button in (self.confirm_button, self.return_button, self.quality_button,
                       self.delay_button, self.cause_button):
            button.setEnabled(enabled)
        self.bulk_button.setEnabled(bool(self.selected_entry_ids()) and self._task is None)
        self.week_button.setEnabled(enabled)
        self.attachment_button.setEnabled(self.attachment_path() is not None)
        self.history.clear()
        if item is None:
            for label in (self.d_person, self.d_item, self.d_quantity, self.d_output,
                          self.d_attachment, self.d_dates, self.d_reason, self.d_flags):
                label.setText("")
            return
        entry = item.entry
        name = item.item_name_vi if i18n.current_language() == "vi" else item.item_name_en
        self.d_person.setText(item.person_name)
        self.d_item.setText(f"{item.item_code} — {name}")
        self.d_quantity.setText(self.tr("{q} {unit} × coefficient {k}").format(
            q=formatting.number(entry.quantity), unit=item.unit_of_output,
            k=formatting.number(entry.coefficient)))
        self.d_output.setText(" — ".join(
            x for x in (entry.output_doc_number, entry.output_description) if x) or "–")
        self.d_attachment.setText(entry.attachment_name or "–")
        self.d_dates.setText(self.tr("worked {work}, deadline {deadline}, completed {done}")
                             .format(work=formatting.date(entry.work_date),
                                     deadline=formatting.date(entry.deadline) or "–",
                                     done=formatting.date(entry.completed_on) or "–"))
        self.d_reason.setText(item.revision_reason or "–")
        self.d_flags.setText(", ".join(flag_label(f) for f in Flag if f in item.flags) or "–")
        for statement in self.services.review.statements(entry.id):
            self.history.addItem(self.tr("{date}: {kind} by {who} {reason}").format(
                date=formatting.date(statement.created_at.date()),
                kind=statement_label(statement.kind.value),
                who=names_of(self.services)(statement.reviewer_id),
                reason=statement.reason).strip())

    # ---------------------------------------------------------------- actions --------------
    def _person_entry_ids(self, person_id: str) -> list[str]:
        """The entries of one person, in the order the tree shows them."""
        return [node.data(0, ENTRY_ROLE) for node in self._entry_nodes()
                if self._items[node.data(0, ENTRY_ROLE)].entry.person_id == person_id]

    def _describe(self, item: InboxItem) -> str:
        """"Phạm Thị Hoa — VP.17 Soạn thảo văn bản (18/11/2026)"."""
        name = item.item_name_vi if i18n.current_language() == "vi" else item.item_name_en
        return self.tr("{person} — {code} {item} ({date})").format(
            person=item.person_name, code=item.item_code, item=name,
            date=formatting.date(item.entry.work_date))

    def _act(self, action: Any, done: str, *, advance: bool) -> bool:
        """Store one decision about the current entry (off the GUI thread); afterwards the
        selection stays with the same person: the next of their entries, never somebody
        else's (repeated Ctrl+Enter cannot confirm another person's work)."""
        entry_id = self.current_entry_id()
        if entry_id is None or self._task is not None or self._acting:
            return False
        item = self._items[entry_id]
        person = item.entry.person_id
        position = self._person_entry_ids(person).index(entry_id)
        review, me = self.services.review, self.user.person_id
        self._acting = True

        def stored(_result: Any) -> None:
            self.reload_now()
            remaining = self._person_entry_ids(person)
            if not advance and entry_id in remaining:
                self._select_ids([entry_id])
            elif remaining:
                self._select_ids([remaining[min(position, len(remaining) - 1)]])
            else:
                self.tree.clearSelection()
                self.tree.setCurrentItem(None)
                self._show_current()
            text = done.format(what=self._describe(item))
            if advance and not remaining:
                text += " " + self.tr("Nothing more of {name} waits.").format(
                    name=item.person_name)
            statement = review.last_statement(me, entry_id)
            self._offer_undo(text, None if statement is None else _Undo(
                [statement.id], [entry_id], statement_label(statement.kind.value),
                self._describe(item)))
            self.data_changed.emit()

        def ended() -> None:
            self._acting = False

        Op(self, lambda: action(entry_id)).titled(self.tr("Review")).success(stored) \
            .always(ended).run()
        return True

    def _offer_undo(self, text: str, undo: _Undo | None) -> None:
        """Say what was done; offer Undo while the decision has not left this PC."""
        self._undo = undo
        self.done_line.setText(text)
        self.undo_button.setVisible(undo is not None)
        self.status_message.emit(text)

    def undo_last(self) -> None:
        """Withdraw the last decision, or the whole last bulk confirmation (refused once it
        was exported); the selection goes back to the (first) entry it was about."""
        undo = self._undo
        if undo is None:
            return
        review, me = self.services.review, self.user.person_id

        def undone(_result: Any) -> None:
            self._undo = None
            self.undo_button.hide()
            self.reload_now()
            self._select_ids(undo.entries[:1])
            text = self.tr("Undone: {kind} of {what}.").format(kind=undo.kind, what=undo.what)
            self.done_line.setText(text)
            self.status_message.emit(text)
            self.data_changed.emit()

        def refused(error: KpiError) -> None:
            self._undo = None
            self.undo_button.hide()
            show_error(self, self.tr("Undo"), error)

        Op(self, lambda: review.undo_many(me, undo.statements)).success(undone) \
            .failure(refused).run()

    def confirm_current(self) -> None:
        self._act(lambda e: self.services.review.confirm(self.user.person_id, e),
                  self.tr("Confirmed: {what}."), advance=True)

    def return_current(self) -> None:
        if self.current_entry_id() is None:
            return
        dialog = LeaderReasonDialog(self.tr("Return for revision"),
                                    self.tr("Why is this entry returned? The author will see "
                                            "it."), return_reason_templates(), self)
        if dialog.exec():
            reason = dialog.reason()
            self._act(lambda e: self.services.review.return_entry(self.user.person_id, e,
                                                                  reason),
                      self.tr("Returned for revision: {what}."), advance=True)

    def quality_failed_current(self) -> None:
        if self.current_entry_id() is None:
            return
        dialog = LeaderReasonDialog(self.tr("Failed quality review"),
                                    self.tr("Describe the major content error."), None, self)
        if dialog.exec():
            reason = dialog.reason()
            self._act(lambda e: self.services.review.mark_quality_failed(
                self.user.person_id, e, reason),
                self.tr("Failed quality review recorded: {what}."), advance=False)

    def delay_current(self) -> None:
        self._act(lambda e: self.services.review.mark_delay(self.user.person_id, e),
                  self.tr("Delay recorded: {what}."), advance=False)

    def objective_cause_current(self) -> None:
        entry_id = self.current_entry_id()
        if entry_id is None:
            return
        item = self._items.get(entry_id)
        late = item is not None and Flag.COMPLETED_LATE in item.flags
        dialog = ObjectiveCauseDialog(self, timeliness=late)
        if dialog.exec():
            reason = dialog.reason()
            quality, timeliness = dialog.quality.isChecked(), dialog.timeliness.isChecked()
            self._act(lambda e: self.services.review.mark_objective_cause(
                self.user.person_id, e, reason, quality=quality, timeliness=timeliness),
                self.tr("Objective cause recorded: {what}."), advance=False)

    def attachment_path(self) -> Path | None:
        """The stored file of the current entry's attachment, if it is on this PC."""
        entry_id = self.current_entry_id()
        item = self._items.get(entry_id) if entry_id else None
        daily = self.services.daily
        if item is None or not item.entry.attachment_sha256 or daily is None:
            return None
        path = daily.attachment_path(item.entry.attachment_sha256)
        return path if path.exists() else None

    def open_attachment(self) -> None:
        path = self.attachment_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def confirm_week(self) -> None:
        entry_id = self.current_entry_id()
        item = self._items.get(entry_id) if entry_id else None
        if item is None:
            return
        ids = self.services.review.week_entry_ids(self.user.person_id, item.entry.person_id,
                                                  item.entry.work_date)
        self.start_bulk(ids)

    def confirm_selected(self) -> None:
        self.start_bulk(self.selected_entry_ids())

    def bulk_question(self, ids: list[str]) -> str:
        """"Confirm 3 entries of Phạm Thị Hoa?" — with every person's name and count."""
        people: dict[str, int] = {}
        for entry_id in ids:
            item = self._items.get(entry_id)
            if item is not None:
                people[item.person_name] = people.get(item.person_name, 0) + 1
        if len(people) == 1:
            name, count = next(iter(people.items()))
            return self.tr("Confirm {n} entries of {name}? Each one counts in their score "
                           "as it is.").format(n=count, name=name)
        listing = "; ".join(self.tr("{name}: {n}").format(name=name, n=count)
                            for name, count in people.items())
        return self.tr("Confirm {n} entries of {people} people ({list})? Each one counts in "
                       "their score as it is.").format(n=len(ids), people=len(people),
                                                       list=listing)

    def start_bulk(self, ids: list[str], *, ask: bool = True) -> None:
        """Confirm ``ids`` in the worker, with progress; asks first, naming the people and
        the count (issue 16, item 14)."""
        ids = [i for i in dict.fromkeys(ids) if i in self._items]
        if not ids or self._task is not None or self._acting:
            return
        if ask and QMessageBox.question(
                self, self.tr("Confirm entries"), self.bulk_question(ids)) \
                != QMessageBox.StandardButton.Yes:
            return
        names = sorted({self._items[i].person_name for i in ids})
        review, reviewer = self.services.review, self.user.person_id
        self.progress.setRange(0, len(ids))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        task = Op.reporting(self, lambda progress, cancelled: review.confirm_many(
            reviewer, ids, progress=progress, cancelled=cancelled)) \
            .titled(self.tr("Review")).on_progress(self._bulk_progress) \
            .success(lambda result: self._bulk_done(result, names, ids)) \
            .always(self._bulk_finish).run()
        self._task = None if task.done else task
        self._show_current()

    def _bulk_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _cancel_bulk(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _bulk_finish(self) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.reload_now()
        # The selection stays with the people of the bulk action: their next entry left, or
        # nothing (never somebody else's entry, which a following Ctrl+Enter would confirm).
        people, self._bulk_people = self._bulk_people, set()
        if people:
            left = [node.data(0, ENTRY_ROLE) for node in self._entry_nodes()
                    if self._items[node.data(0, ENTRY_ROLE)].entry.person_id in people]
            if left:
                self._select_ids(left[:1])
            else:
                self.tree.clearSelection()
                self.tree.setCurrentItem(None)
            self._show_current()
        self.data_changed.emit()

    def _bulk_done(self, result: Any, names: list[str], ids: list[str]) -> None:
        count = len(result.confirmed)
        what = (self.tr("1 entry of {names}") if count == 1 else
                self.tr("{n} entries of {names}")).format(n=count, names=", ".join(names))
        message = self.tr("{n} entries of {names} confirmed.").format(
            n=len(result.confirmed), names=", ".join(names))
        if result.skipped:
            message += " " + self.tr("{n} could not be confirmed: {reason}").format(
                n=len(result.skipped), reason=error_text(result.skipped[0][1]))
        self._offer_undo(message, _Undo(list(result.statements), list(result.confirmed),
                                        statement_label("confirm"), what)
                         if result.statements else None)
        self.summary.setText(message)
        self._bulk_people = {self._items[i].entry.person_id for i in ids if i in self._items}


@dataclass(frozen=True)
class _Undo:
    """What Undo withdraws: the statements made by the last action, the entries they are
    about, and the words for the status line ("confirmed", "Phạm Thị Hoa — VP.17 …")."""

    statements: list[str]
    entries: list[str]
    kind: str
    what: str


def statement_label(kind: str) -> str:
    from kpi_desktop.runtime.i18n import translate

    return {
        "confirm": translate("StatementKind", "confirmed"),
        "return": translate("StatementKind", "returned"),
        "quality_failed": translate("StatementKind", "failed quality review"),
        "delay": translate("StatementKind", "delay"),
        "objective_cause": translate("StatementKind", "objective cause"),
        "quality_cause": translate("StatementKind", "objective cause of the quality errors"),
        "timeliness_cause": translate("StatementKind", "objective cause of the delays"),
    }.get(kind, kind)


class ObjectiveCauseDialog(LeaderReasonDialog):
    """An objective cause confirmed for the quality errors (Điều 14.2b), the delays
    (Điều 14.2c) or both — each exemption chosen on its own, with the reason."""

    def __init__(self, parent: QWidget | None = None, *, quality: bool = False,
                 timeliness: bool = False) -> None:
        super().__init__(
            QCoreApplication.translate("ObjectiveCauseDialog", "Objective cause"),
            QCoreApplication.translate(
                "ObjectiveCauseDialog",
                "Which confirmed objective cause exempts this entry, and from which deduction?"),
            None, parent)
        self.quality = QCheckBox(self.tr("&Quality: its major content errors are not "
                                         "deducted (Article 14.2(b))"))
        self.timeliness = QCheckBox(self.tr("&Timeliness: its delays are not deducted "
                                            "(Article 14.2(c))"))
        self.quality.setChecked(quality)
        self.timeliness.setChecked(timeliness)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.quality)
        layout.insertWidget(2, self.timeliness)

    def _accept(self) -> None:
        if not (self.quality.isChecked() or self.timeliness.isChecked()):
            self.quality.setFocus()
            return
        super()._accept()

