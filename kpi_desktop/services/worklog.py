"""Recording work: add, edit and submit work-log entries (one unit of work per action)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    EvaluationStatus,
    ExtraKind,
    WorkLogEntry,
)
from kpi_desktop.services.entries import EntryDraft, EntryService, SavedEntry

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)


class WorkLogService:
    """The official's daily work log."""

    def __init__(self, db: Any, attachments_dir: Path, *,
                 today: dt.date | Callable[[], dt.date] | None = None,
                 keys: Any | None = None) -> None:
        self._db = db
        self._attachments = attachments_dir
        self._today = today
        self._keys = keys  # KeyService: signs on submit when the author's key is unlocked
        self._entries = EntryService(db, attachments_dir, today=self.today, keys=keys)

    def today(self) -> dt.date:
        if callable(self._today):
            return self._today()
        return self._today or dt.date.today()

    def add_entry(
        self, *, person_id: str, work_date: dt.date | None, item_code: str, quantity: Decimal,
        assignment_id: str | None = None, output_doc_number: str = "",
        output_description: str = "", deadline: dt.date | None = None,
        completed_on: dt.date | None = None, submit: bool = False,
        extra_kind: ExtraKind | None = None, confirm_quantity: bool = False,
    ) -> WorkLogEntry:
        """Validate and store a new entry (a draft, or submitted when ``submit``): the same
        checks and assignment matching as the official's desk (:class:`EntryService`).

        Dates lie from 2020 to a year ahead, texts hold no control character, and a quantity
        above what the item's time norm fits in a day needs ``confirm_quantity``
        (:mod:`kpi_desktop.domain.inputs`).

        Raises:
            RefusedValue / NotFound: with the codes of :mod:`kpi_desktop.services.messages`;
            nothing is written then.
        """
        return self.record(person_id=person_id, work_date=work_date, item_code=item_code,
                           quantity=quantity, assignment_id=assignment_id,
                           output_doc_number=output_doc_number,
                           output_description=output_description, deadline=deadline,
                           completed_on=completed_on, submit=submit,
                           extra_kind=extra_kind, confirm_quantity=confirm_quantity).entry

    def record(
        self, *, person_id: str, work_date: dt.date | None, item_code: str,
        quantity: Decimal | str, assignment_id: str | None = None, output_doc_number: str = "",
        output_description: str = "", deadline: dt.date | None = None,
        completed_on: dt.date | None = None, submit: bool = False,
        extra_kind: ExtraKind | None = None, confirm_quantity: bool = False,
    ) -> SavedEntry:
        """:meth:`add_entry` with the assignment the entry was linked to (``log add`` says
        "Thuộc nhiệm vụ được giao VP.17 (đã làm 1/2, hạn 17/12)"). A draft and its submission
        are one unit of work: a refused submission leaves nothing behind."""
        if work_date is None:
            raise RefusedValue("date_malformed", value="")
        draft = EntryDraft(work_date=work_date, item_code=item_code, quantity=quantity,
                           assignment_id=assignment_id, output_doc_number=output_doc_number,
                           output_description=output_description, deadline=deadline,
                           completed_on=completed_on, extra_kind=extra_kind,
                           confirm_quantity=confirm_quantity)
        return self._entries.save(person_id, draft, submit=submit)

    @staticmethod
    def entry_as_dict(entry: WorkLogEntry) -> dict[str, Any]:
        data = entry.snapshot()
        data.update(status=entry.status.value, revision=entry.current_revision)
        return data
