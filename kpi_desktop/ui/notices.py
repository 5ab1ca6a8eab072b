"""The banner above the pages: what happened to the person's work since they last looked
(issue 16 item 3). Each line links to where it is dealt with; the banner folds away with ✕
and comes back when something new happens."""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from kpi_desktop.runtime import i18n
from kpi_desktop.ui import formatting
from kpi_desktop.ui.pages.base import mark_data

if TYPE_CHECKING:  # the window paints before the data layer is loaded (cold start)
    from kpi_desktop.services.notifications import Notices

__all__ = ["NoticeBanner"]

# How many returned entries the banner names one by one (the rest are counted).
SHOWN_RETURNED = 3


def _link(href: str, text: str) -> str:
    return f"<a href='{html.escape(href, quote=True)}'>{html.escape(text)}</a>"


class NoticeBanner(QFrame):
    """A yellow bar of links: returned entries, confirmations, the leader's waiting items."""

    # An entry to open in the work log: (entry id, ISO work date).
    open_entry = Signal(str, str)
    # A page to open ("today", "inbox", "evaluation").
    open_page = Signal(str)
    # "Save the request to USB…" for a key the agency has not published.
    save_request = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBanner")
        self.setStyleSheet("#noticeBanner { background: #fff7d6; border: 1px solid #e8c95a; "
                           "border-radius: 4px; }")
        self.notices: Notices | None = None
        self._dismissed: tuple | None = None
        self.text = QLabel()
        mark_data(self.text)  # names, items and reasons; the sentences are translated
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.text.linkActivated.connect(self._link)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        column = QVBoxLayout()
        column.addWidget(self.text)
        row.addLayout(column, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)
        self.retranslate_ui()

    def show_notices(self, notices: Notices) -> None:
        """Show ``notices`` (hidden when there is nothing to say, or when the person closed
        the banner and nothing changed since)."""
        self.notices = notices
        self._render()

    def _key(self) -> tuple | None:
        n = self.notices
        if n is None:
            return None
        return (tuple(r.entry_id for r in n.returned), n.confirmed_since_sign_in, n.waiting,
                n.overdue, n.months_waiting, n.key_unpublished)

    def dismiss(self) -> None:
        self._dismissed = self._key()
        self.setVisible(False)

    def lines(self) -> list[str]:
        """The banner's lines as rich text (the tests read them)."""
        n = self.notices
        if n is None:
            return []
        lines = []
        if n.returned:
            count = len(n.returned)
            head = (self.tr("{n} entry was returned to be fixed:") if count == 1
                    else self.tr("{n} entries were returned to be fixed:")).format(n=count)
            parts = []
            for entry in n.returned[:SHOWN_RETURNED]:
                name = entry.item_name_vi if i18n.current_language() == "vi" \
                    else entry.item_name_en
                what = self.tr("{code} of {date}").format(
                    code=entry.item_code, date=formatting.date(entry.work_date))
                detail = self.tr("{leader}: “{reason}”").format(
                    leader=entry.reviewer_name or self.tr("the leader"),
                    reason=entry.reason or "–")
                href = f"entry:{entry.entry_id}:{entry.work_date.isoformat()}"
                parts.append(f"{_link(href, what)} ({html.escape(name)}) — "
                             f"{html.escape(detail)}")
            more = count - SHOWN_RETURNED
            tail = ("; " + html.escape(self.tr("and {n} more").format(n=more))) if more > 0 \
                else ""
            lines.append(html.escape(head) + " " + "; ".join(parts) + tail)
        if n.confirmed_since_sign_in:
            count = n.confirmed_since_sign_in
            text = (self.tr("{n} entry was confirmed since your last sign-in.") if count == 1
                    else self.tr("{n} entries were confirmed since your last sign-in.")
                    ).format(n=count)
            lines.append(html.escape(text) + " " + _link("page:score", self.tr("See the score")))
        if n.waiting:
            text = (self.tr("{n} entry waits for your review") if n.waiting == 1
                    else self.tr("{n} entries wait for your review")).format(n=n.waiting)
            if n.overdue:
                text += self.tr(", {n} of them overdue").format(n=n.overdue)
            lines.append(html.escape(text + ".") + " "
                         + _link("page:leader.inbox", self.tr("Open the review inbox")))
        if n.months_waiting:
            text = (self.tr("{n} month was submitted for your evaluation.")
                    if n.months_waiting == 1 else
                    self.tr("{n} months were submitted for your evaluation.")).format(
                n=n.months_waiting)
            lines.append(html.escape(text) + " "
                         + _link("page:leader.evaluation",
                                 self.tr("Open the monthly evaluation")))
        if n.key_unpublished:
            lines.append(html.escape(self.tr(
                "The agency has not published your key yet: leaders cannot check what you "
                "sign until it does.")) + " "
                + _link("request:", self.tr("Save the request to USB…")))
        return lines

    def _render(self) -> None:
        lines = self.lines()
        self.text.setText("<br>".join(lines))
        self.setVisible(bool(lines) and self._key() != self._dismissed)

    def _link(self, href: str) -> None:
        kind, _, rest = href.partition(":")
        if kind == "entry":
            entry_id, _, day = rest.rpartition(":")
            dt.date.fromisoformat(day)
            self.open_entry.emit(entry_id, day)
        elif kind == "page":
            self.open_page.emit(rest)
        elif kind == "request":
            self.save_request.emit()

    def retranslate_ui(self) -> None:
        self.close_button.setToolTip(self.tr("Hide this bar until something new happens"))
        if self.notices is not None:
            self._render()
