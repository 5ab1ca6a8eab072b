"""The table toolkit (ui/tables.py) and the operation runner (ui/operations.py)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.ui import operations
from kpi_desktop.ui.operations import Loader, Op, Runner, SynchronousRunner
from kpi_desktop.ui.tables import (
    FIT_ROLE,
    ID_ROLE,
    RIGHT,
    SORT_ROLE,
    Column,
    Fit,
    RecordFilter,
    RecordTableModel,
    RecordTableView,
)

pytestmark = pytest.mark.gui


@dataclass
class Person:
    id: str
    name: str
    total: float
    remark: str = ""


PEOPLE = [
    Person("a", "Nguyễn Thị Phương Thảo", 91.25, "Hoàn thành xuất sắc nhiệm vụ được giao"),
    Person("b", "Lê Văn Bình", 48.5, ""),
    Person("c", "Phạm Thị Hoa", 72.0, "Chậm hai báo cáo tháng do nghỉ ốm có giấy xác nhận"),
]


def _columns() -> list[Column[Person]]:
    return [
        Column(lambda: "Person", lambda p: p.name, fit=Fit.NAME),
        Column(lambda: "Total points of the month", lambda p: f"{p.total:.2f}",
               sort=lambda p: p.total, align=RIGHT,
               foreground=lambda p: QColor("#b91c1c") if p.total < 50 else None),
        Column(lambda: "Remarks", lambda p: p.remark, fit=Fit.WRAP),
    ]


def test_the_model_passes_qtmodeltester(qtmodeltester):
    model = RecordTableModel(_columns(), key=lambda p: p.id)
    model.set_rows(PEOPLE)
    qtmodeltester.check(model, force_py=True)
    model.set_rows(PEOPLE[:1])
    model.set_rows([])
    model.set_rows(PEOPLE)


def test_the_filter_passes_qtmodeltester(qtmodeltester):
    model = RecordTableModel(_columns(), key=lambda p: p.id)
    model.set_rows(PEOPLE)
    proxy = RecordFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_filter(lambda p: p.total > 50)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_rows(PEOPLE[1:])


def test_roles_come_from_the_columns():
    model = RecordTableModel(_columns(), key=lambda p: p.id)
    model.set_rows(PEOPLE)
    index = model.index(1, 1)
    assert index.data() == "48.50" and index.data(SORT_ROLE) == 48.5
    assert index.data(ID_ROLE) == "b"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#b91c1c")
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) == int(RIGHT)
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == PEOPLE[0].name
    assert model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole) is None  # nothing to show
    assert model.headerData(0, Qt.Orientation.Horizontal, FIT_ROLE) == "name"
    assert model.row_of("c") == 2 and model.record_of("x") is None


def _closure_over_a_page_taken_apart():
    """A column function whose page the garbage collector has emptied out of its closure
    (what a view being destroyed meets when the collector takes its page apart first)."""
    page = None

    def header(*_record):
        return page.tr("Version")  # type: ignore[attr-defined]  # noqa: F821 - emptied below

    del page  # the closure's cell is now empty, as a collected cycle leaves it
    return header


def test_a_page_taken_apart_by_the_collector_answers_empty_not_nameerror():
    gone = _closure_over_a_page_taken_apart()
    with pytest.raises(NameError, match="free variable"):
        gone()
    model = RecordTableModel([Column(gone, gone), *_columns()], key=lambda p: p.id)
    model.set_rows(PEOPLE)
    assert model.headerData(0, Qt.Orientation.Horizontal) is None
    assert model.index(0, 0).data() is None
    assert model.index(0, 1).data() == PEOPLE[0].name  # the other columns still answer

    def typo(_record):
        return undefined_name  # type: ignore[name-defined]  # noqa: F821 - a real bug

    broken = RecordTableModel([Column(lambda: "x", typo)])
    broken.set_rows(PEOPLE)
    with pytest.raises(NameError):  # a real bug is not hidden
        broken.data(broken.index(0, 0))


def test_a_columns_width_is_the_widest_cell_asked_of_the_delegate(qtbot):
    """content_width asks the delegate only for the widest text of each font; the answer is
    the one asking it for every cell gives (bold rows, italic rows, two-line texts, a filter
    and a sort in between)."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    people = [Person(str(i), name, total, remark) for i, (name, total, remark) in enumerate([
        ("Lê Văn Bình", 48.5, ""), ("Nguyễn Thị Phương Thảo", 91.25, "Hai dòng\nthứ hai dài hơn"),
        ("MMMMMMMMMMMM", 100.0, "i"), ("iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii", 7.0, "W" * 12),
        ("Phạm Thị Hoa", 72.0, "Chậm hai báo cáo"), ("Đặng Thị Lan", 65.5, "")])]
    columns = [
        Column(lambda: "Person", lambda p: p.name, fit=Fit.NAME,
               bold=lambda p: p.total > 90),
        Column(lambda: "Total", lambda p: f"{p.total:.2f}", align=RIGHT,
               italic=lambda p: p.total < 50),
        Column(lambda: "Remarks", lambda p: p.remark),
    ]
    view = RecordTableView.of(columns, key=lambda p: p.id, sortable=True, filtered=True)
    qtbot.addWidget(view)
    view.set_rows(people)
    view.set_filter(lambda p: p.id != "5")
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    view.show()
    model = view.model()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
    for column in range(model.columnCount()):
        every = max(view.itemDelegate().sizeHint(option, model.index(r, column)).width()
                    for r in range(model.rowCount())) + (1 if view.showGrid() else 0)
        assert view.content_width(column) == every, column


def fitted(qtbot, view: RecordTableView) -> None:
    """Wait for the fit a change of the records scheduled (it runs once the events settle,
    one fit for a burst of resets)."""
    qtbot.waitUntil(lambda: not view._fit_timer.isActive())  # noqa: SLF001


def test_a_columns_width_is_measured_once_and_again_when_its_records_change(qtbot):
    """The widths are kept between fits (the scroll bar's arrival fits again) and measured
    again when the records, their texts (a language switch), the filter or the font
    change: a longer name is never cut."""
    people = [Person("a", "Lê Văn Bình", 48.5), Person("b", "Phạm Thị Hoa", 72.0)]
    view = RecordTableView.of(_columns(), key=lambda p: p.id, sortable=True, filtered=True)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.set_rows(people)
    view.show()
    qtbot.waitExposed(view)
    measured: list[int] = []
    measure = view._measure  # noqa: SLF001

    def counting(*args):
        measured.append(args[1])
        return measure(*args)

    view._measure = counting  # noqa: SLF001
    view.set_rows(people)  # a reset: measured again when the fit comes
    fitted(qtbot, view)
    assert measured.count(0) == 1
    narrow = view.content_width(0)
    view.fit_columns()
    view.fit_columns()
    assert measured.count(0) == 1  # kept between fits

    longer = "Nguyễn Thị Phương Thảo Nguyễn Thị Phương Thảo"
    view.set_rows([*people, Person("c", longer, 91.0)])
    assert view.content_width(0) > narrow
    fitted(qtbot, view)
    assert view.elided_names() == []

    view.set_filter(lambda p: p.id != "c")  # the long name filtered out: narrow again
    assert view.content_width(0) == narrow
    view.set_filter(None)

    before = view.content_width(0)
    people[0].name = longer + " Hai"  # the texts change in place (as a retranslation does)
    assert view.content_width(0) == before  # nobody said so yet
    view.retranslate()
    assert view.content_width(0) > before

    font = view.font()
    font.setPointSize(font.pointSize() + 6)
    bigger = view.content_width(0)
    view.setFont(font)
    assert view.content_width(0) > bigger
    view.fit_columns()
    assert view.elided_names() == []


def test_filter_sorts_by_value_and_keeps_what_it_accepts():
    model = RecordTableModel(_columns(), key=lambda p: p.id)
    model.set_rows(PEOPLE)
    proxy = RecordFilter()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data(ID_ROLE) for r in range(3)] == ["b", "c", "a"]
    proxy.set_filter(lambda p: p.total >= 50)
    assert [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())] == ["c", "a"]


def test_the_view_never_cuts_a_name_nor_scrolls_sideways(qtbot):
    model = RecordTableModel(_columns(), key=lambda p: p.id)
    view = RecordTableView(model)
    qtbot.addWidget(view)
    model.set_rows(PEOPLE)
    for width in (900, 520, 380):
        view.resize(width, 300)
        view.show()
        qtbot.waitExposed(view)
        view.fit_columns()
        assert view.elided_names() == []
        header = view.horizontalHeader()
        assert header.length() <= view.viewport().width() + 1
        assert not view.horizontalScrollBar().isVisible()
    # The remarks wrap onto more lines instead of widening the table.
    assert view.wordWrap() and view.rowHeight(0) > view.fontMetrics().height() + 10


def test_the_view_keeps_the_selection_by_key(qtbot):
    model = RecordTableModel(_columns(), key=lambda p: p.id)
    view = RecordTableView(model)
    qtbot.addWidget(view)
    model.set_rows(PEOPLE)
    assert view.select_key("c") and view.current_key() == "c"
    seen = []
    view.current_changed.connect(seen.append)
    model.set_rows(list(reversed(PEOPLE)))
    assert view.current_key() == "c" and seen[-1] == "c"
    assert view.keys() == ["c", "b", "a"]


# -- operations -----------------------------------------------------------------------------
@pytest.fixture
def runner(qapp):
    lane = Runner()
    old = operations.use_runner(lane)
    yield lane
    lane.wait(10000)
    operations.use_runner(old)


def test_success_arrives_on_the_gui_thread(qtbot, runner):
    parent = QWidget()
    qtbot.addWidget(parent)
    worker, delivered = [], []
    task = Op(parent, lambda: worker.append(QThread.currentThread()) or 42) \
        .success(lambda result: delivered.append((result, QThread.currentThread()))).run()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert delivered == [(42, parent.thread())]
    assert worker[0] is not parent.thread()


def test_one_serial_lane(qtbot, runner):
    running, overlaps, order = [0], [], []
    lock = threading.Lock()

    def work(n):
        def run():
            with lock:
                running[0] += 1
                overlaps.append(running[0])
            time.sleep(0.02)
            order.append(n)
            with lock:
                running[0] -= 1
        return run

    tasks = [Op(None, work(n)).run() for n in range(6)]
    qtbot.waitUntil(lambda: all(t.done for t in tasks), timeout=5000)
    assert order == list(range(6)) and max(overlaps) == 1


def test_wait_runs_on_the_lane_while_the_window_keeps_painting(qtbot, runner):
    """``Op.wait`` (dialogs and wizard pages that must answer at once): the work runs in the
    worker, the GUI thread's timers keep firing meanwhile, and a refusal is raised."""
    from PySide6.QtCore import QTimer

    from kpi_desktop.domain.errors import InvalidState

    parent = QWidget()
    qtbot.addWidget(parent)
    ticks, worker = [], []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    def slow():
        worker.append(QThread.currentThread())
        time.sleep(0.3)
        return "done"

    assert Op(parent, slow).wait() == "done"
    timer.stop()
    assert worker[0] is not parent.thread() and len(ticks) >= 5

    def refuse():
        raise InvalidState("undo_already_sent", statement_id="x")

    with pytest.raises(InvalidState):
        Op(parent, refuse).wait()


def test_a_refusal_is_shown_translated_and_a_bug_goes_to_the_crash_handler(qtbot, runner,
                                                                          monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    parent = QWidget()
    qtbot.addWidget(parent)

    def refuse():
        raise KpiError("unknown_person", person="x-99")

    task = Op(parent, refuse).run()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert shown and "x-99" in shown[0]
    handled = []
    task = Op(parent, refuse).failure(handled.append).run()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert len(shown) == 1 and handled[0].code == "unknown_person"
    bugs = []
    monkeypatch.setattr(operations, "report_bug", bugs.append)
    ended = []
    task = Op(parent, lambda: 1 / 0).always(lambda: ended.append(True)).run()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert isinstance(bugs[0], ZeroDivisionError) and ended == [True]


def test_progress_only_when_the_work_is_slow(qtbot, runner):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    quick = Op(parent, lambda: None).progress("Working").run()
    qtbot.waitUntil(lambda: quick.done, timeout=5000)
    qtbot.wait(700)
    assert not parent.findChildren(QProgressDialog)
    gate = threading.Event()
    slow = Op(parent, lambda: gate.wait(5)).progress("Writing the file").run()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(QProgressDialog)),
                    timeout=3000)
    assert parent.cursor().shape() == Qt.CursorShape.BusyCursor
    gate.set()
    qtbot.waitUntil(lambda: slow.done, timeout=5000)
    qtbot.waitUntil(lambda: not any(d.isVisible()
                                    for d in parent.findChildren(QProgressDialog)), timeout=2000)
    assert parent.cursor().shape() != Qt.CursorShape.BusyCursor


def test_the_synchronous_runner_for_tests(qtbot):
    lane = SynchronousRunner()
    got = []
    Op(None, lambda: 7).success(got.append).run(on=lane)
    assert got == [7]
    with pytest.raises(ZeroDivisionError):
        Op(None, lambda: 1 / 0).run(on=lane)
    steps = []
    Op.reporting(None, lambda progress, _c: [progress(i, 2) for i in (1, 2)]) \
        .on_progress(lambda d, t: steps.append(d)).run(on=lane)
    assert steps == [1, 2]


def test_the_newest_load_wins(qtbot, runner):
    page = QWidget()
    qtbot.addWidget(page)
    loader = Loader(page)
    applied = []
    gate = threading.Event()
    loader.load(lambda: gate.wait(5) and "old", applied.append)
    loader.load(lambda: "new", applied.append)
    assert loader.is_loading()
    gate.set()
    qtbot.waitUntil(lambda: not loader.is_loading(), timeout=5000)
    runner.wait(5000)
    assert applied == ["new"]


def test_a_closed_page_gets_no_callback(qtbot, runner):
    page = QWidget()
    gate = threading.Event()
    called = []
    task = Op(page, lambda: gate.wait(5)).success(called.append).run()
    page.deleteLater()
    qtbot.wait(50)
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert called == []


def test_a_short_wrapped_state_gets_its_whole_width_before_a_long_text_gets_more(qtbot):
    """Two WRAP columns and too little room for both: the short state ("đã xác nhận") is not
    broken onto two lines to give the long product name a few pixels more; the long text
    wraps instead, and when there is room for both neither is cut."""
    product = "Theo dõi nhiệm vụ do Chủ tịch, Phó Chủ tịch UBND xã giao, tổng hợp báo cáo tuần"
    rows = [Person("a", product, 1.0, "đã xác nhận"), Person("b", "Quản lý hồ sơ", 2.0,
                                                               "đã gửi")]
    view = RecordTableView.of([
        Column(lambda: "Product", lambda p: p.name, fit=Fit.WRAP, min_chars=12),
        Column(lambda: "Points", lambda p: f"{p.total:.2f}", align=RIGHT),
        Column(lambda: "State", lambda p: p.remark, fit=Fit.WRAP, min_chars=6),
    ], key=lambda p: p.id)
    qtbot.addWidget(view)
    view.set_rows(rows)
    for width, room_for_all in ((380, False), (900, True)):
        view.resize(width, 300)
        view.show()
        qtbot.waitExposed(view)
        view.fit_columns()
        assert view.columnWidth(2) >= view.content_width(2), width
        assert (view.columnWidth(0) >= view.content_width(0)) is room_for_all, width
        assert sum(view.columnWidth(c) for c in range(3)) <= view.viewport().width()
