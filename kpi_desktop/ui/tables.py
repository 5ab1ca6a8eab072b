"""The table toolkit: one model with declarative columns, one filter, one view that fits its
window.

A page says once what each column shows; the model answers every role Qt asks for::

    columns = [
        Column(lambda: self.tr("Person"), lambda r: r.person_name, fit=Fit.NAME),
        Column(lambda: self.tr("Total"), lambda r: formatting.number(r.total),
               sort=lambda r: r.total, align=RIGHT),
        Column(lambda: self.tr("Remarks"), lambda r: r.remarks, fit=Fit.WRAP),
    ]
    self.model = RecordTableModel(columns, key=lambda r: r.person_id, parent=self)
    self.table = RecordTableView(self.model)
    self.model.set_rows(rows)            # a reset; the selection is kept by key

Headers are callables so they are translated when shown (``self.tr`` of the page, which
lupdate sees) and follow a language switch (:meth:`RecordTableModel.retranslate`).

Fitting (:class:`RecordTableView`): the table never scrolls sideways. ``Fit.NAME`` columns
(people's names) always get the width of their longest text and are never cut; ``Fit.CONTENT``
columns (numbers, dates, states) get theirs unless the window is too narrow; ``Fit.WRAP``
columns share what is left and wrap their text onto more lines; ``Fit.ELIDE`` columns share it
too and cut their text with "…" (the tooltip has it whole). A header wider than its column's
values is broken onto two lines. Every cell's tooltip holds its full text.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from kpi_desktop.ui.pages.base import DATA_PROPERTY, mark_data

R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex

# The record's key (``key=`` of the model), on every cell.
ID_ROLE = Qt.ItemDataRole.UserRole + 1
# The value sorting uses (``sort=`` of the column, else the display text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
# The record itself.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 3
# Header role: the column's :class:`Fit` as a string ("name", "content", "wrap", "elide").
FIT_ROLE = Qt.ItemDataRole.UserRole + 4

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter



class Fit(enum.Enum):
    """How a column takes its width (see the module's docstring)."""

    NAME = "name"
    CONTENT = "content"
    WRAP = "wrap"
    ELIDE = "elide"


@dataclass(frozen=True, eq=False)
class Column(Generic[R]):
    """One column: its header and what each role shows for a record."""

    header: Callable[[], str]
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str | None] | None = None
    foreground: Callable[[R], QColor | None] | None = None
    background: Callable[[R], QColor | None] | None = None
    bold: Callable[[R], bool] | None = None
    italic: Callable[[R], bool] | None = None
    align: Qt.AlignmentFlag = LEFT
    fit: Fit = Fit.CONTENT
    # Narrowest width a WRAP/ELIDE column is given, in average characters.
    min_chars: int = 12


@dataclass(frozen=True)
class RowStyle:
    """How a whole row looks (a greyed former member, a red refused row, a bold total)."""

    foreground: QColor | None = None
    background: QColor | None = None
    bold: bool = False
    italic: bool = False
    tooltip: str | None = None


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of records shown through declarative :class:`Column` s.

    ``row_style(record)`` may give a :class:`RowStyle` for the whole row (a column's own
    colours and tooltip come first).
    """

    def __init__(self, columns: Sequence[Column[R]], *,
                 key: Callable[[R], Hashable] | None = None,
                 row_background: Callable[[R], QColor | None] | None = None,
                 row_style: Callable[[R], RowStyle | None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._key = key or (lambda record: id(record))
        self._row_background = row_background
        self._row_style = row_style
        self._rows: list[R] = []
        self._header_breaks: dict[int, str] = {}

    def _style(self, record: R) -> RowStyle | None:
        return self._row_style(record) if self._row_style is not None else None

    def emphasis(self, record: R, column: Column[R]) -> tuple[bool, bool]:
        """(bold, italic) of the record's cell in ``column`` (the font role's one rule)."""
        if self._row_style is None and column.bold is None and column.italic is None:
            return False, False
        style = self._style(record)
        bold = (column.bold is not None and column.bold(record)) or bool(
            style is not None and style.bold)
        italic = (column.italic is not None and column.italic(record)) or bool(
            style is not None and style.italic)
        return bold, italic

    # -- content ----------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[R]) -> None:
        """Replace every row (a model reset; views keep their selection by key)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def record(self, row: int) -> R:
        return self._rows[row]

    def key(self, row: int) -> Hashable:
        return self._key(self._rows[row])

    def row_of(self, key: Hashable) -> int:
        """The row of the record with ``key``, or -1."""
        return next((i for i, r in enumerate(self._rows) if self._key(r) == key), -1)

    def record_of(self, key: Hashable) -> R | None:
        row = self.row_of(key)
        return self._rows[row] if row >= 0 else None

    def item(self, row: int, column: int) -> Cell | None:
        """The cell at ``row``, ``column`` (read as a ``QStandardItem`` is read), or None."""
        index = self.index(row, column)
        return Cell(index) if index.isValid() else None

    def retranslate(self) -> None:
        """Headers and cells again in the current language."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows and self.columns:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.columns) - 1))

    def set_header_break(self, column: int, text: str | None) -> None:
        """Show ``text`` (the header with a line break) instead of the one-line header."""
        if text is None:
            changed = self._header_breaks.pop(column, None) is not None
        else:
            changed = self._header_breaks.get(column) != text
            self._header_breaks[column] = text
        if changed:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    # -- QAbstractItemModel -----------------------------------------------------------------
    # While Qt destroys a view and its model, it may still ask the model for its size after
    # the Python half of the model is gone: an empty answer then, not an AttributeError.
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(getattr(self, "_rows", ()))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(getattr(self, "columns", ()))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Columns are closures over the page that made them. When the garbage collector takes
    # a page apart, it may empty those closures before Qt has finished destroying the page's
    # views, and a view being destroyed still asks for headers and cells: the answer is then
    # empty, not a NameError inside Qt's event loop.
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            return self._header_data(section, orientation, role)
        except NameError as exc:
            if _page_gone(exc):
                return None
            raise

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED:  # a painted cell is asked ~10 roles; most have no answer
            return None
        try:
            return self._data(index, role)
        except NameError as exc:
            if _page_gone(exc):
                return None
            raise

    def _header_data(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_breaks.get(section) or column.header()
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header()
        if role == FIT_ROLE:
            return column.fit.value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align & Qt.AlignmentFlag.AlignHorizontal_Mask
                       | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _data(self, index: _Index, role: int) -> Any:
        row, rows = index.row(), self._rows  # an invalid index has row -1
        if not 0 <= row < len(rows):
            return None
        record = rows[row]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = column.tooltip(record) if column.tooltip is not None else None
            if tip is None:
                style = self._style(record)
                tip = style.tooltip if style is not None and style.tooltip else None
            return (tip if tip is not None else column.text(record)) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = column.foreground(record) if column.foreground is not None else None
            if colour is None:
                style = self._style(record)
                colour = style.foreground if style is not None else None
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = column.background(record) if column.background is not None else None
            if colour is None and self._row_background is not None:
                colour = self._row_background(record)
            if colour is None:
                style = self._style(record)
                colour = style.background if style is not None else None
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.FontRole:
            bold, italic = self.emphasis(record, column)
            if bold or italic:
                font = QFont()
                font.setBold(bold)
                font.setItalic(italic)
                return font
            return None
        if role == ID_ROLE:
            return self._key(record)
        if role == SORT_ROLE:
            return column.sort(record) if column.sort is not None else column.text(record)
        if role == RECORD_ROLE:
            return record
        return None


# Pixels a WRAP or ELIDE column given its whole text gets beyond it (RecordTableView._share).
_SLACK = 8

# The roles :meth:`RecordTableModel.data` answers.
_ANSWERED = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
    ID_ROLE, SORT_ROLE, RECORD_ROLE})


class RecordFilter(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE` and keeps the records ``accepts`` says yes to."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._accepts: Callable[[Any], bool] | None = None

    def set_filter(self, accepts: Callable[[Any], bool] | None) -> None:
        """Show only the records for which ``accepts(record)`` is true (None: all)."""
        modern = hasattr(self, "beginFilterChange")  # Qt >= 6.9
        if modern:
            self.beginFilterChange()
        self._accepts = accepts
        if modern:
            self.endFilterChange()
        else:  # pragma: no cover - older Qt
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt
        if self._accepts is None:
            return True
        source = self.sourceModel()
        record = source.data(source.index(row, 0, parent), RECORD_ROLE)
        return record is None or bool(self._accepts(record))

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802 - Qt
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            return a is None and b is not None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class Cell:
    """One shown cell, read as a ``QTableWidgetItem`` is read (``text()``, ``data(role)``,
    ``toolTip()``, ``background()``, ``foreground()``, ``font()``): for code and tests that
    look at a table cell by cell. It reads the model each time; it changes nothing."""

    def __init__(self, index: QModelIndex) -> None:
        self._index = QPersistentModelIndex(index)

    def _data(self, role: int) -> Any:
        return self._index.data(role) if self._index.isValid() else None

    def row(self) -> int:
        return self._index.row()

    def column(self) -> int:
        return self._index.column()

    def text(self) -> str:
        value = self._data(Qt.ItemDataRole.DisplayRole)
        return "" if value is None else str(value)

    def data(self, role: int) -> Any:
        return self._data(role)

    def toolTip(self) -> str:  # noqa: N802 - QTableWidgetItem's name
        return str(self._data(Qt.ItemDataRole.ToolTipRole) or "")

    def background(self) -> QBrush:
        return self._data(Qt.ItemDataRole.BackgroundRole) or QBrush()

    def foreground(self) -> QBrush:
        return self._data(Qt.ItemDataRole.ForegroundRole) or QBrush()

    def font(self) -> QFont:
        return self._data(Qt.ItemDataRole.FontRole) or QFont()


def _page_gone(exc: NameError) -> bool:
    """True when a column's closure lost its page (the garbage collector emptied it)."""
    return "free variable" in str(exc)


def break_header(text: str) -> str:
    """A header broken onto two lines at the space nearest its middle (one word: as it is)."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    middle = len(text) / 2
    cut = min(spaces, key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1:]


class RecordTableView(QTableView):
    """A read-only table of records that fits its width (see the module's docstring).

    ``current_changed`` carries the key of the record the cursor moved to (None when none).
    """

    current_changed = Signal(object)

    def __init__(self, model: RecordTableModel[Any] | RecordFilter, *,
                 multi: bool = False, sortable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark_data(self)
        self.setModel(model)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                              else QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        if sortable:  # the records' own order until a header is clicked
            self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(sortable)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_columns)
        self._wanted: list[Hashable] = []
        source = self.source_model()
        # What each column's values need, measured once for the records shown (a fit runs
        # again when the vertical scroll bar comes or the view is resized): forgotten when
        # the records, their order or their texts change.
        self._widths: dict[tuple[int, int], int] = {}
        for changed in (model.modelReset, model.layoutChanged, model.dataChanged,
                        model.rowsInserted, model.rowsRemoved):
            changed.connect(self._forget_widths)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._after_reset)
        model.layoutChanged.connect(self._schedule_fit)
        model.dataChanged.connect(self._schedule_fit)
        model.headerDataChanged.connect(self._header_changed)
        if model is not source:  # (the filter's own reset has forgotten the widths)
            source.modelReset.connect(self._schedule_fit)
        self.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self._last_key: Any = None
        self.verticalScrollBar().rangeChanged.connect(self._schedule_fit)
        self._fitting = False
        self._mapped_rows: list[int] | None = None  # proxy → source rows during a fit

    @classmethod
    def of(cls, columns: Sequence[Column[Any]], *, key: Callable[[Any], Hashable],
           row_style: Callable[[Any], RowStyle | None] | None = None,
           filtered: bool = False, multi: bool = False, sortable: bool = False,
           name: str = "", parent: QWidget | None = None) -> RecordTableView:
        """A view with its own model (and a :class:`RecordFilter` when ``filtered`` or
        ``sortable``): the usual way a page makes a table."""
        model: RecordTableModel[Any] = RecordTableModel(columns, key=key, row_style=row_style)
        shown: RecordTableModel[Any] | RecordFilter = model
        if filtered or sortable:
            shown = RecordFilter()
            shown.setSourceModel(model)
        view = cls(shown, multi=multi, sortable=sortable, parent=parent)
        model.setParent(view)
        if shown is not model:
            shown.setParent(view)
        if name:
            view.setObjectName(name)
        return view

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Replace the records (the selection is kept by key)."""
        self.source_model().set_rows(rows)

    def retranslate(self) -> None:
        self.source_model().retranslate()

    def set_filter(self, accepts: Callable[[Any], bool] | None) -> None:
        """Show only the records ``accepts`` says yes to (a view made with ``filtered``)."""
        model = self.model()
        assert isinstance(model, RecordFilter)
        model.set_filter(accepts)

    def records(self) -> list[Any]:
        """The records shown (filtered, sorted), top to bottom."""
        model = self.model()
        return [model.index(row, 0).data(RECORD_ROLE) for row in range(model.rowCount())]

    # -- records ----------------------------------------------------------------------------
    def source_model(self) -> RecordTableModel[Any]:
        model = self.model()
        while isinstance(model, QSortFilterProxyModel):
            model = model.sourceModel()
        assert isinstance(model, RecordTableModel)
        return model

    def text(self, row: int, column: int) -> str:
        """The text shown in a cell (of the rows as shown: filtered and sorted)."""
        return str(self.model().index(row, column).data() or "")

    def row_count(self) -> int:
        return self.model().rowCount()

    def rowCount(self) -> int:  # noqa: N802 - the name QTableWidget users know
        """The number of rows shown (as ``QTableWidget.rowCount``)."""
        return self.model().rowCount()

    def columnCount(self) -> int:  # noqa: N802 - the name QTableWidget users know
        return self.model().columnCount()

    def item(self, row: int, column: int) -> Cell | None:
        """The cell shown at ``row``, ``column`` (as ``QTableWidget.item``), or None."""
        index = self.model().index(row, column)
        return Cell(index) if index.isValid() else None

    def _current(self) -> QModelIndex | None:
        """The current row if it is selected, else the first selected row, else None."""
        index = self.currentIndex()
        if index.isValid() and self.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return index
        rows = self.selectionModel().selectedRows()
        return rows[0] if rows else None

    def current_key(self) -> Any:
        """The key of the current record (the selected one in a single-selection table)."""
        index = self._current()
        return index.data(ID_ROLE) if index is not None else None

    def current_record(self) -> Any:
        index = self._current()
        return index.data(RECORD_ROLE) if index is not None else None

    def selected_keys(self) -> list[Any]:
        """Keys of the selected records, top to bottom."""
        rows = sorted(self.selectionModel().selectedRows(), key=lambda i: i.row())
        return [index.data(ID_ROLE) for index in rows]

    def keys(self) -> list[Any]:
        """Keys of the records shown (filtered, sorted), top to bottom."""
        model = self.model()
        return [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]

    def select_key(self, key: Any) -> bool:
        """Make the record with ``key`` current and selected; False when it is not shown."""
        model = self.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ID_ROLE) == key:
                self.setCurrentIndex(index)
                self.selectRow(row)
                self.scrollTo(index)
                return True
        return False

    def select_keys(self, keys: Iterable[Any]) -> None:
        wanted = list(keys)
        self.clearSelection()
        model = self.model()
        selection = self.selectionModel()
        first = True
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ID_ROLE) in wanted:
                if first:
                    self.setCurrentIndex(index)
                    first = False
                selection.select(index, selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)

    def show_rows(self, rows: Iterable[Any]) -> None:
        """Replace the records and keep a current one (a list beside its detail panel): the
        record chosen before when it is still there, else the first."""
        self.set_rows(rows)
        if self.current_key() is None:
            self.select_first()

    def select_first(self) -> None:
        if self.model().rowCount():
            self.selectRow(0)
            self.setCurrentIndex(self.model().index(0, 0))

    def _remember_selection(self) -> None:
        self._wanted = self.selected_keys()

    def _after_reset(self) -> None:
        if self._wanted:
            self.select_keys(self._wanted)
        self._wanted = []
        self._schedule_fit()
        self._last_key = self.current_key()
        self.current_changed.emit(self._last_key)

    def _current_row_changed(self, *_args: object) -> None:
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        """The cursor or the selection moved: ``current_changed`` with the record that is
        current now (:meth:`current_key`), once. Qt moves the cursor and the selection one
        after the other (in either order), so the record is read, not the signal's index."""
        key = self.current_key()
        if key != self._last_key:
            self._last_key = key
            self.current_changed.emit(key)

    # -- fitting ----------------------------------------------------------------------------
    def _schedule_fit(self, *_args: object) -> None:
        self._fit_timer.start()

    def _header_changed(self, *_args: object) -> None:
        if not self._fitting:
            self._schedule_fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.fit_columns()

    def _forget_widths(self, *_args: object) -> None:
        self._widths.clear()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FontChange:
            self._widths.clear()
        super().changeEvent(event)

    def content_width(self, column: int, rows: int = 400) -> int:
        """The width the column's values need (up to ``rows`` rows; all rows of names)."""
        model = self.model()
        count = model.rowCount()
        fit = model.headerData(column, Qt.Orientation.Horizontal, FIT_ROLE)
        limit = count if fit == Fit.NAME.value else min(count, rows)
        known = self._widths.get((column, limit))
        if known is None:
            known = self._widths[(column, limit)] = self._measure(model, column, limit)
        return known

    def _measure(self, model: Any, column: int, limit: int) -> int:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        delegate = self.itemDelegate()
        widest = 0
        # The delegate's size hint asks the model for every role of every cell (5,000 cells of
        # a unit's year took 0.6 s on the GUI thread). Its width is the text's advance in the
        # cell's font plus fixed margins, so the cell with the widest text of each font is
        # found from the records and the delegate asked for those cells only.
        for row in self._widest_rows(model, column, limit):
            index = model.index(row, column)
            widest = max(widest, delegate.sizeHint(option, index).width())
        if self.showGrid():
            widest += 1
        return widest

    def _widest_rows(self, model: Any, column: int, limit: int) -> list[int]:
        """The view rows (of the first ``limit``) whose text in ``column`` is the widest in
        its font (plain, bold, italic, both): the rows that decide the column's width."""
        source = self.source_model()
        spec = source.columns[column]
        records = source._rows  # noqa: SLF001 - the toolkit's own model
        rows = range(limit)
        source_rows: Any = rows
        if model is not source:  # the filter's rows, mapped once for every column of a fit
            mapped = self._mapped_rows
            if mapped is None or len(mapped) < limit:
                mapped = [model.mapToSource(model.index(r, 0)).row()
                          for r in range(model.rowCount())]
                if self._fitting:
                    self._mapped_rows = mapped
            source_rows = mapped[:limit]
        metrics: dict[tuple[bool, bool], Any] = {}
        best: dict[tuple[bool, bool], tuple[int, int]] = {}
        for row, at in zip(rows, source_rows, strict=True):
            if not 0 <= at < len(records):
                continue
            record = records[at]
            try:
                text = spec.text(record) or ""
                emphasis = source.emphasis(record, spec)
            except NameError as exc:  # the page is being taken apart (see headerData)
                if _page_gone(exc):
                    return []
                raise
            fm = metrics.get(emphasis)
            if fm is None:
                font = QFont(self.font())
                font.setBold(emphasis[0])
                font.setItalic(emphasis[1])
                fm = metrics[emphasis] = QFontMetrics(font)
            text = str(text)
            width = max(fm.horizontalAdvance(line) for line in text.split("\n")) \
                if "\n" in text else fm.horizontalAdvance(text)
            if emphasis not in best or width > best[emphasis][0]:
                best[emphasis] = (width, row)
        return [row for _width, row in best.values()]

    def _header_width(self, text: str) -> int:
        metrics = self.horizontalHeader().fontMetrics()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) * 2
        sort = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) \
            if self.isSortingEnabled() else 0
        return max(metrics.horizontalAdvance(line) for line in text.split("\n")) \
            + margin * 2 + sort

    @staticmethod
    def _two_lines(text: str) -> str | None:
        broken = break_header(text)
        return broken if broken != text else None

    @staticmethod
    def _share(flexible: list[int], wants: dict[int, int], widths: dict[int, int],
               spare: int) -> None:
        """Share ``spare`` pixels between the WRAP and ELIDE columns. When it is less than
        they all want, a column that wants less than an equal share of what is left gets all
        of it (a short state is never broken onto two lines to give a long name one pixel
        more); the others share the rest in proportion to what they want."""
        pending = list(flexible)
        if spare < sum(wants.values()):
            for c in sorted(flexible, key=lambda c: wants[c]):
                # A few pixels over the measured text: a rounding of the font never wraps it.
                give = wants[c] + _SLACK if wants[c] > 0 else 0
                if give > spare // len(pending):
                    break
                widths[c] += give
                spare -= give
                pending.remove(c)
        total_want = sum(wants[c] for c in pending) or len(pending)
        left = spare
        for position, c in enumerate(pending):
            share = left if position == len(pending) - 1 else int(
                spare * (wants[c] or 1) / total_want)
            widths[c] += share
            left -= share

    def fit_columns(self) -> None:
        """Share the viewport's width between the columns (see the module's docstring)."""
        model = self.model()
        source = self.source_model()
        count = model.columnCount()
        if count == 0 or self._fitting:
            return
        self._fitting = True
        try:
            self._fit(model, source, count)
        finally:
            self._fitting = False
            self._mapped_rows = None

    def _fit(self, model: Any, source: RecordTableModel[Any], count: int) -> None:
        available = self.viewport().width()
        if available <= 1:
            available = self.width() - 2 * self.frameWidth()
        if self.verticalScrollBar().isVisible() is False and self._needs_vertical_bar():
            available -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        available -= 2  # rounding: a column one pixel too wide would hide behind the edge
        fits = [Fit(model.headerData(c, Qt.Orientation.Horizontal, FIT_ROLE) or "content")
                for c in range(count)]
        visible = [c for c in range(count) if not self.isColumnHidden(c)]
        widths: dict[int, int] = {}
        wanted: dict[int, int] = {}
        flexible: list[int] = []
        for c in visible:
            data = self.content_width(c)
            header = source.columns[c].header()
            one_line = self._header_width(header)
            broken = self._two_lines(header) if one_line > data + 8 else None
            header_width = self._header_width(broken) if broken else one_line
            source.set_header_break(c, broken if broken and header_width < one_line else None)
            header_width = min(one_line, header_width)
            if fits[c] in (Fit.WRAP, Fit.ELIDE):
                average = self.fontMetrics().averageCharWidth()
                minimum = max(header_width, min(data, source.columns[c].min_chars * average))
                widths[c] = minimum
                flexible.append(c)
                wanted[c] = max(data, minimum)
            else:
                widths[c] = max(data, header_width)
        smallest = self.horizontalHeader().minimumSectionSize()  # Qt never goes below it
        widths = {c: max(w, smallest) for c, w in widths.items()}
        spare = available - sum(widths.values())
        if spare < 0:  # too narrow: CONTENT columns give way first, then WRAP and ELIDE
            # columns below their usual minimum (down to their header); NAME columns never
            for kinds in ((Fit.CONTENT,), (Fit.WRAP, Fit.ELIDE)):
                shrinkable = [c for c in visible if fits[c] in kinds]
                for c in sorted(shrinkable, key=lambda c: -widths[c]):
                    if spare >= 0:
                        break
                    floor = self._header_width(
                        source.headerData(c, Qt.Orientation.Horizontal) or "")
                    if fits[c] is not Fit.CONTENT:
                        floor = min(floor, 4 * self.fontMetrics().averageCharWidth())
                    give = min(widths[c] - max(floor, smallest), -spare)
                    if give > 0:
                        widths[c] -= give
                        spare += give
        elif flexible:
            self._share(flexible, {c: wanted[c] - widths[c] for c in flexible}, widths, spare)
            spare = 0
        if spare > 0 and visible:  # no flexible column: the last visible one takes the rest
            widths[visible[-1]] += spare
        header = self.horizontalHeader()
        for c in visible:
            header.resizeSection(c, max(1, widths[c]))
        wrap = any(fits[c] is Fit.WRAP for c in visible)
        self.setWordWrap(wrap)
        if wrap:
            self.resizeRowsToContents()

    def _needs_vertical_bar(self) -> bool:
        rows = self.model().rowCount()
        height = self.verticalHeader().defaultSectionSize() * rows
        return height > self.viewport().height()

    def elided_names(self) -> list[tuple[int, str]]:
        """(row, text) of every NAME cell shown narrower than its text (tests use this)."""
        model = self.model()
        found = []
        for c in range(model.columnCount()):
            if self.isColumnHidden(c) or model.headerData(
                    c, Qt.Orientation.Horizontal, FIT_ROLE) != Fit.NAME.value:
                continue
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            width = self.horizontalHeader().sectionSize(c)
            for row in range(model.rowCount()):
                index = model.index(row, c)
                if self.itemDelegate().sizeHint(option, index).width() > width:
                    found.append((row, str(index.data())))
        return found


__all__ = ["CENTER", "DATA_PROPERTY", "FIT_ROLE", "ID_ROLE", "LEFT", "RECORD_ROLE", "RIGHT",
           "SORT_ROLE", "Cell", "Column", "Fit", "RecordFilter", "RecordTableModel",
           "RecordTableView", "RowStyle", "mark_data"]
