"""Printed forms, verification codes and exports (DESIGN.md §7–§8, issue 6).

This service gathers the figures of a report from the database through the scoring engine
(:class:`~kpi_desktop.services.scores.Calculator`), turns them into the plain data of
:mod:`kpi_desktop.reports.data`, asks :mod:`kpi_desktop.reports` for the PDF and writes every
file atomically (a temporary name in the same folder, then a rename).

Verification codes
------------------
Every PDF carries a short code ``KIND.SUBJECT.PERIOD.HASH``, for example
``F01.kt-cv1.2026-03.K4W2Q7MZ``: ``KIND`` is ``F01`` (Mẫu số 01), ``F02`` (Mẫu số 02) or ``UNI``
(unit summary); ``SUBJECT`` the person's or unit's identifier; ``PERIOD`` "YYYY-MM", "YYYY-Qn" or
"YYYY"; ``HASH`` the first 8 base-32 characters of the SHA-256 of the canonical JSON of the
report's facts (``facts()`` of the data: names and figures, not the language or the date of
printing). :meth:`ReportService.verify` rebuilds the facts from the current database and says
whether the printed form still matches.

Exports
-------
:meth:`ReportService.export` writes, for a month, quarter, half year ("2026-H1") or year,
into a folder:

* ``scores-PERIOD.csv`` — one row per person and month (UTF-8 with a BOM, so spreadsheet programs
  read Vietnamese letters): person_id, full_name, unit_id, unit, position, period,
  general_points, a, b, c, task_points, total, level, insufficient, evaluation_status,
  policy_version. Numbers are rounded half-up to 2 decimals, with a dot.
* ``worklog-PERIOD.csv`` — one row per work-log entry whose work date lies in the period:
  entry_id, person_id, full_name, work_date, item_code, item_name, quantity, coefficient,
  assignment_id, extra_kind, status, deadline, completed_on, output_doc_number,
  output_description.
* ``kpi-PERIOD.xlsx`` — the same two tables as the sheets "Scores" and "Work log".
* ``results-PERIOD.json`` — the results to send upward (Điều 24: to the national database
  within 5 days), UTF-8, schema::

    {
      "format": "kpi-desktop-results",
      "format_version": 1,
      "organisation": {"id": str, "name": str},
      "period": "2026-03" | "2026-Q1" | "2026-H1" | "2026",
      "period_kind": "month" | "quarter" | "half" | "year",
      "generated_at": "2026-11-23T10:00:00Z",
      "people": [
        {
          "id": str, "full_name": str, "unit_id": str, "unit": str, "position": str,
          "role": "official" | "deputy" | "head" | "admin",
          "months": [                       # every month of the period, oldest first
            {"period": "2026-03", "general_points": "24.00" | null,
             "task_points": "28.96" | null, "total": "52.96" | null,
             "level": "excellent" | "good" | "complete" | "not_complete" | null,
             "insufficient": bool, "status": "open" | "submitted" | "confirmed" | "locked" | null,
             "on_leave": bool}              # the whole month on leave (Điều 11.2): not counted
          ],
          "result": {                       # the period's result
            "total": "52.96" | null,        # month: its total; quarter, half year: mean of its
                                            # months worked (Điều 17.3, 11.2); year: mean of
                                            # the evaluated months worked
            "level": same values as above | null,   # null: not classified
            "months_counted": int,
            "reason": str                   # year only: classified, too_few_months, disciplined…
          },
          "policy_version": str
        }
      ]
    }

  Numbers are decimal strings rounded half-up to 2 places.

Long runs (a unit summary of many people, exports) accept ``progress(done, total)`` and a
cancel flag (a ``threading.Event`` or a function returning ``True`` to stop); a cancelled run
raises :class:`ReportCancelled` and writes nothing.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi_desktop import __version__
from kpi_desktop import reports as _writers  # the PDF writers, imported on first use
from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.inputs import export_cell, export_text
from kpi_desktop.domain.model import (
    GENERAL_CRITERIA,
    MonthlyEvaluation,
    Period,
    PeriodKind,
    Person,
)
from kpi_desktop.domain.numbers import decimal_text
from kpi_desktop.domain.scores import Level, round_half_up
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.reports._text import translate  # falls back to translations/pending
from kpi_desktop.reports.data import (
    CriterionRow,
    Form01Data,
    Form02Data,
    Letterhead,
    MonthScore,
    PersonHeading,
    ProductRow,
    QuotaCheck,
    ReportMeta,
    ReviewerRow,
    UnitRow,
    UnitSummaryData,
)
from kpi_desktop.runtime.paths import resource_root
from kpi_desktop.services.calendar import WorkingCalendar
from kpi_desktop.services.scores import (
    Calculator,
    MonthFigures,
    PersonPeriodResult,
    month_note,
    parse_year,
    unit_tree,
)

Progress = Callable[[int, int], None]
CancelFlag = Any  # threading.Event, a callable returning bool, or None

KINDS = {"form01": "F01", "form02": "F02", "unit": "UNI"}
# The periods each report covers (the print dialog offers exactly these).
REPORT_PERIODS: dict[str, tuple[PeriodKind, ...]] = {
    "form01": (PeriodKind.MONTH, PeriodKind.QUARTER),
    "form02": (PeriodKind.YEAR,),
    "unit": (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR),
    "export": (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR),
    "dossier": (PeriodKind.YEAR,),  # the electronic dossier of a person's year (Điều 24)
    "dossiers": (PeriodKind.YEAR,),  # … of everyone in a unit
}
_ROLE_ORDER = {"head": 0, "deputy": 1, "official": 2, "admin": 3}


class ReportCancelled(KpiError):
    """A long report or export was cancelled; nothing was written."""

    code = "report_cancelled"


@dataclass(frozen=True)
class ReportResult:
    """A file that was written."""

    path: Path
    code: str
    seconds: float
    pages: int = 0


@dataclass(frozen=True)
class VerifyResult:
    """What :meth:`ReportService.verify` found."""

    code: str
    status: str  # "match" | "mismatch" | "unknown" | "malformed"
    kind: str = ""
    subject: str = ""
    period: str = ""
    current_code: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "match"

    def describe(self) -> str:
        """A translated sentence for people."""
        if self.status == "match":
            return translate(
                "Reports", "The code {code} matches the current data: the printed form is valid."
            ).format(code=self.code)
        if self.status == "mismatch":
            return translate(
                "Reports",
                "The code {code} does not match the current data: the figures changed after the "
                "form was printed (the current code is {current}).",
            ).format(code=self.code, current=self.current_code)
        if self.status == "unknown":
            return translate(
                "Reports", "The code {code} refers to a person, unit or period that does not exist."
            ).format(code=self.code)
        return translate(
            "Reports",
            "“{code}” is not a verification code: it looks like F01.person.2026-03.ABCDEFGH.",
        ).format(code=self.code)


# -- helpers -------------------------------------------------------------------------------------


def _is_cancelled(cancel: CancelFlag) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _hash(facts: dict[str, Any]) -> str:
    digest = hashlib.sha256(canonical_json(facts).encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:8]


def make_code(kind: str, subject: str, period: str, facts: dict[str, Any]) -> str:
    """The verification code of a report (see the module docstring)."""
    return f"{KINDS[kind]}.{subject}.{period}.{_hash(facts)}"


def parse_code(code: str) -> tuple[str, str, str, str] | None:
    """``(kind, subject, period, hash)`` of a code, or ``None`` when it is not one."""
    parts = code.strip().split(".")
    if len(parts) < 4:
        return None
    prefix, subject, period, digest = parts[0], ".".join(parts[1:-2]), parts[-2], parts[-1]
    kinds = {v: k for k, v in KINDS.items()}
    if prefix.upper() not in kinds or not subject or len(digest) != 8:
        return None
    return kinds[prefix.upper()], subject, period, digest.upper()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Raises:
        RefusedValue: ``output_unwritable`` when the folder does not exist or cannot be written.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or path.is_dir():
        raise RefusedValue("output_unwritable", path=str(path))
    fd, temp = -1, ""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        temp = ""
    except OSError:
        raise RefusedValue("output_unwritable", path=str(path)) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if temp and os.path.exists(temp):
            os.unlink(temp)


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


_dec2 = decimal_text  # exports: the displayed value, with a dot ("29.17")


def load_general_criteria() -> list[dict[str, Any]]:
    """The texts of the 30-point general criteria (Phụ lục I / Mẫu số 01), vi and en."""
    path = resource_root() / "demo" / "catalog_nghia_lam.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return list(data["general_criteria"]["groups"])
    except (OSError, ValueError, KeyError):
        return []


# -- the service ---------------------------------------------------------------------------------


class ReportService:
    """Forms, unit summaries, exports and verification codes of one database."""

    def __init__(self, db: Any, today: Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today or dt.date.today
        self._criteria_texts: list[dict[str, Any]] | None = None

    # -- data: Mẫu số 01 ---------------------------------------------------------------------

    def form01_data(self, person_id: str, period: str | Period) -> Form01Data:
        """The figures of Form 01 for a month or a quarter."""
        p = self._period(period, REPORT_PERIODS["form01"])
        with self._db.unit_of_work(read_only=True) as uow:
            return self._form01(Calculator(uow), uow, person_id, p)

    def _form01(self, calc: Calculator, uow: Any, person_id: str, period: Period) -> Form01Data:
        months = period.months() if period.kind is PeriodKind.QUARTER else (period,)
        results = [calc.person_period(person_id, m) for m in months]
        evaluations = [uow.evaluations.get_monthly(person_id, m) for m in months]
        person = results[0].person
        first = results[0]
        criteria = self._criteria_rows(evaluations)
        products = _products(results)
        evaluator = self._evaluator_name(uow, person_id, period, evaluations)
        if period.kind is PeriodKind.MONTH:
            s = first.score
            leader = first.leader
            general = s.general_points
            task_points, total, level = s.task_points, s.total, s.level
            a, b, c, ratio = s.a, s.b, s.c, s.task_ratio
            month_rows: tuple[MonthScore, ...] = ()
            insufficient = s.insufficient
        else:  # the quarter: the mean of its months (Điều 17.3), as on every surface
            leader = None
            rollup = calc.rollup(person_id, period, today=self._today())
            general, task_points = rollup.general_points, rollup.task_points
            total, level = rollup.total, rollup.level
            a = b = c = ratio = None
            month_rows = tuple(_month_score(r, e, f) for r, e, f in zip(
                results, evaluations, rollup.months, strict=True))
            insufficient = not rollup.counted
        self_total = _criteria_total(criteria, "self")
        confirmed_total = _criteria_total(criteria, "confirmed")
        comments = list(dict.fromkeys(e.comment.strip() for e in evaluations
                                      if e is not None and e.comment.strip()))
        return Form01Data(
            letterhead=self._letterhead(uow, person.unit_id),
            person=self._heading(uow, first),
            period=str(period),
            criteria=criteria,
            products=products,
            general_self=self_total,
            general_confirmed=confirmed_total,
            general_points=general,
            a=a,
            b=b,
            c=c,
            task_ratio=ratio,
            task_points=task_points,
            total=total,
            level=level,
            insufficient=insufficient,
            policy_version=first.score.policy_version,
            leader_factors=None if leader is None else (leader.d, leader.dd, leader.e),
            months=month_rows,
            evaluation_status=None if first.evaluation_status is None
            else first.evaluation_status.value,
            comment=" ".join(comments),
            evaluator_name=evaluator,
        )

    def _criteria_rows(self, evaluations: Sequence[MonthlyEvaluation | None]
                       ) -> tuple[CriterionRow, ...]:
        if self._criteria_texts is None:
            self._criteria_texts = load_general_criteria()
        texts: dict[str, tuple[str, str]] = {}
        for group in self._criteria_texts:
            texts[group["group"]] = (group.get("text_vi", ""), group.get("text_en", ""))
            for item in group.get("items", []):
                texts[f"{group['group']}.{item['number']}"] = (
                    item.get("text_vi", ""), item.get("text_en", ""))
        present = [e for e in evaluations if e is not None]

        def mean_of(code: str, attr: str) -> Fraction | None:
            values = [Fraction(getattr(e, attr)[code]) for e in present
                      if code in getattr(e, attr)]
            if not values:
                return None
            # Exact: the table's sums and the summary round the same exact figure once
            # (rounding each mean first printed 29,16 above 29,17 for one quantity).
            return sum(values, Fraction(0)) / len(values)

        rows: list[CriterionRow] = []
        groups: dict[str, list[Any]] = {}
        for criterion in GENERAL_CRITERIA:
            groups.setdefault(criterion.group, []).append(criterion)
        for group, items in groups.items():
            item_rows = [
                CriterionRow(
                    code=c.code,
                    number=c.code.split(".")[1],
                    text_vi=texts.get(c.code, ("", ""))[0] or c.code,
                    text_en=texts.get(c.code, ("", ""))[1],
                    max_points=c.max_points,
                    self_points=mean_of(c.code, "self_criteria"),
                    confirmed_points=mean_of(c.code, "confirmed_criteria"),
                )
                for c in items
            ]
            rows.append(CriterionRow(
                code=group,
                number=group,
                text_vi=texts.get(group, ("", ""))[0] or group,
                text_en=texts.get(group, ("", ""))[1],
                max_points=sum((c.max_points for c in items), Decimal(0)),
                self_points=_sum_or_none(r.self_points for r in item_rows),
                confirmed_points=_sum_or_none(r.confirmed_points for r in item_rows),
            ))
            rows.extend(item_rows)
        return tuple(rows)

    def _evaluator_name(self, uow: Any, person_id: str, period: Period,
                        evaluations: Sequence[MonthlyEvaluation | None]) -> str:
        ids = [e.evaluator_id for e in evaluations if e is not None and e.evaluator_id]
        evaluator_id = ids[-1] if ids else None
        if evaluator_id is None:
            relations = uow.org.evaluators_of(person_id, period.end)
            evaluator_id = relations[0].evaluator_id if relations else None
        person = uow.org.find_person(evaluator_id) if evaluator_id else None
        return person.full_name if person else ""

    def _letterhead(self, uow: Any, unit_id: str | None) -> Letterhead:
        unit = uow.org.find_unit(unit_id) if unit_id else None
        organisations = uow.org.list_organisations()
        agency = organisations[0].name_vi if organisations else ""
        if unit is not None and unit.organisation_id:
            agency = next((o.name_vi for o in organisations if o.id == unit.organisation_id),
                          agency)
        agency = agency.replace(" (dữ liệu mẫu)", "")
        if unit is None or unit.parent_id is None:
            return Letterhead(agency=agency or (unit.name_vi if unit else ""))
        return Letterhead(agency=agency, unit=unit.name_vi)

    def _heading(self, uow: Any, result: PersonPeriodResult) -> PersonHeading:
        person = result.person
        unit = uow.org.find_unit(person.unit_id)
        return PersonHeading(
            person_id=person.id,
            full_name=person.full_name,
            position=result.position_name,
            unit=unit.name_vi if unit else "",
            is_leader=person.role.is_leader,
        )

    # -- data: Mẫu số 02 ---------------------------------------------------------------------

    def form02_data(self, person_id: str, year: str | int) -> Form02Data:
        """The figures of Form 02 for a person's year."""
        year_value = parse_year(year)
        with self._db.unit_of_work(read_only=True) as uow:
            calc = Calculator(uow)
            person = uow.org.find_person(person_id)
            if person is None:
                raise NotFound("not_found", kind="person", id=person_id)
            classification = calc.classify_unit(person.unit_id, year_value)
            row = next(r for r in classification.rows if r.person.id == person_id)
            totals = dict(zip([str(m) for m in row.months], row.monthly_totals, strict=True))
            stored = {str(e.period): e for e in uow.evaluations.list_monthly(
                person_id=person_id, year=year_value)}
            months = []
            on_leave = {str(m) for m in calc.leave_months(person_id, year_value)}
            for number in range(1, 13):
                key = str(Period.month(year_value, number))
                evaluation = stored.get(key)
                total = totals.get(key)
                month = Period.month(year_value, number)
                note = month_note(person, month, total=total, on_leave=key in on_leave,
                                  insufficient=evaluation is not None
                                  and evaluation.insufficient)
                months.append(MonthScore(period=key, total=total,
                                         level=calc.level(total, Period.parse(key)),
                                         note=note))
            annual = uow.evaluations.current_annual(person_id, year_value)
            first_month = Period.month(year_value, 1)
            heading_result = calc.person_period(person_id, row.months[-1] if row.months
                                                else first_month)
            return Form02Data(
                letterhead=self._letterhead(uow, person.unit_id),
                person=self._heading(uow, heading_result),
                year=year_value,
                months=tuple(months),
                mean=row.result.mean,
                months_counted=len(row.months),
                computed_level=row.result.level,
                self_level=annual.self_level if annual else None,
                decided_level=annual.decided_level if annual else None,
                reason=row.result.reason.value,
                disciplined=row.disciplined,
                policy_version=classification.policy_version,
                decision_no=annual.decision_no if annual else "",
                decision_date=annual.decision_date.isoformat()
                if annual and annual.decision_date else "",
                leave=tuple((r.kind.value, r.start_on.isoformat(), r.end_on.isoformat(),
                             r.decision_no)
                            for r in uow.leave.list_for_person(person_id, year=year_value)),
            )

    # -- data: unit summary ------------------------------------------------------------------

    def unit_data(self, unit_id: str, period: str | Period, *, progress: Progress | None = None,
                  cancel: CancelFlag = None) -> UnitSummaryData:
        """Everyone of ``unit_id`` (and its sub-units) for a month, quarter or year."""
        p = self._period(period, REPORT_PERIODS["unit"])
        with self._db.unit_of_work(read_only=True) as uow:
            calc = Calculator(uow)
            unit = uow.org.find_unit(unit_id)
            if unit is None:
                raise NotFound("not_found", kind="unit", id=unit_id)
            tree = unit_tree(uow, unit_id)
            order = {u: i for i, u in enumerate(tree)}
            units = {u.id: u for u in uow.org.list_units()}
            people = sorted(uow.org.list_people(unit_ids=tree), key=lambda x: (
                order.get(x.unit_id, 99), _ROLE_ORDER.get(x.role.value, 9), x.full_name, x.id))
            total_steps = len(people) + 1
            rows: list[UnitRow] = []
            quota: QuotaCheck | None = None
            if p.kind is PeriodKind.YEAR:
                classification = calc.classify_unit(unit_id, p.year)
                by_id = {r.person.id: r for r in classification.rows}
                policy_version = classification.policy_version
                q = classification.quota
                quota = QuotaCheck(excellent=q.excellent, good=q.good, limit=q.limit,
                                   excess=q.excess,
                                   share_percent=int(round_half_up(Fraction(q.share) * 100, 0)))
            else:
                by_id = {}
                policy_version = calc.policy(p).version
            # A locked month keeps the figures computed when it was confirmed: read them
            # instead of recomputing everyone (and, for a leader's d, their subordinates).
            if p.kind is not PeriodKind.YEAR:
                calc.preload_locked([x.id for x in people], p.months())
            positions = _position_names(uow)
            for done, person in enumerate(people):
                if _is_cancelled(cancel):
                    raise ReportCancelled()
                if progress is not None:
                    progress(done, total_steps)
                position = _position_name(uow, person, positions)
                unit_name = units[person.unit_id].name_vi if person.unit_id in units else ""
                if p.kind is PeriodKind.YEAR:
                    row = by_id[person.id]
                    note = ("disciplined" if row.disciplined else
                            "too_few_months" if row.result.reason.value == "too_few_months"
                            else "capped_by_org" if row.result.reason.value == "capped_by_org"
                            else "")
                    rows.append(UnitRow(person.id, person.full_name, position, unit_name,
                                        None, None, row.result.mean, row.result.level,
                                        months_counted=len(row.months), note=note))
                elif p.kind is PeriodKind.MONTH:
                    s = calc.month_figures(person.id, p)
                    note = month_note(person, p, total=s.total, on_leave=s.on_leave,
                                      insufficient=s.insufficient) \
                        or ("" if s.evaluated else "not_evaluated")
                    rows.append(UnitRow(person.id, person.full_name, position, unit_name,
                                        s.general_points, s.task_points, s.total, s.level,
                                        note=note))
                else:  # a quarter or a half year: the mean of its months (Điều 17.3)
                    rollup = calc.rollup(person.id, p, today=self._today())
                    rows.append(UnitRow(
                        person.id, person.full_name, position, unit_name,
                        rollup.general_points, rollup.task_points, rollup.total, rollup.level,
                        months_counted=rollup.months_counted,
                        note=rollup.note))
            limit = calc.policy(p).review_limit_working_days
            reviewers = _review_delays(uow, people, p, limit)
            if progress is not None:
                progress(total_steps, total_steps)
            levels = [r.level for r in rows]
            distribution = {lv.value: levels.count(lv) for lv in Level}
            distribution["not_classified"] = levels.count(None)
            return UnitSummaryData(
                letterhead=self._letterhead(uow, unit_id),
                unit_id=unit_id,
                unit_name=unit.name_vi,
                period=str(p),
                rows=tuple(rows),
                distribution=distribution,
                policy_version=policy_version,
                quota=quota,
                reviewers=reviewers,
                review_deadline_days=limit,
            )

    # -- PDFs --------------------------------------------------------------------------------

    def _meta(self, code: str, policy_version: str) -> ReportMeta:
        return ReportMeta(code=code, policy_version=policy_version,
                          generated_on=self._today().isoformat(), app_version=__version__)

    def form01(self, person_id: str, period: str, out: str | Path,
               language: str | None = None) -> ReportResult:
        """Write Mẫu số 01 of a person's month or quarter to ``out``."""
        _check_output(out)
        started = time.perf_counter()
        data = self.form01_data(person_id, period)
        code = make_code("form01", person_id, data.period, data.facts())
        meta = self._meta(code, data.policy_version)
        if _is_docx(out):
            content = _writers.render_form01_docx(data, meta, language)
        else:
            content = _writers.render_form01(data, meta, language)
        write_atomic(Path(out), content)
        return ReportResult(Path(out), code, time.perf_counter() - started, _pages(content))

    def form02(self, person_id: str, year: str | int, out: str | Path,
               language: str | None = None) -> ReportResult:
        """Write Mẫu số 02 of a person's year to ``out``."""
        _check_output(out)
        started = time.perf_counter()
        data = self.form02_data(person_id, year)
        code = make_code("form02", person_id, str(data.year), data.facts())
        meta = self._meta(code, data.policy_version)
        if _is_docx(out):
            content = _writers.render_form02_docx(data, meta, language)
        else:
            content = _writers.render_form02(data, meta, language)
        write_atomic(Path(out), content)
        return ReportResult(Path(out), code, time.perf_counter() - started, _pages(content))

    def unit_summary(self, unit_id: str, period: str, out: str | Path,
                     language: str | None = None, *, progress: Progress | None = None,
                     cancel: CancelFlag = None) -> ReportResult:
        """Write the unit summary of a month, quarter or year to ``out``."""
        _check_output(out)
        started = time.perf_counter()
        data = self.unit_data(unit_id, period, progress=progress, cancel=cancel)
        code = make_code("unit", unit_id, data.period, data.facts())
        meta = self._meta(code, data.policy_version)
        if _is_docx(out):
            content = _writers.render_unit_summary_docx(data, meta, language)
        else:
            content = _writers.render_unit_summary(data, meta, language)
        if _is_cancelled(cancel):
            raise ReportCancelled()
        write_atomic(Path(out), content)
        return ReportResult(Path(out), code, time.perf_counter() - started, _pages(content))

    # -- verification ------------------------------------------------------------------------

    def current_code(self, kind: str, subject: str, period: str) -> str:
        """The code a report of ``kind`` would carry if it were printed now."""
        if kind == "form01":
            data: Any = self.form01_data(subject, period)
            return make_code(kind, subject, data.period, data.facts())
        if kind == "form02":
            data = self.form02_data(subject, period)
            return make_code(kind, subject, str(data.year), data.facts())
        data = self.unit_data(subject, period)
        return make_code(kind, subject, data.period, data.facts())

    def verify(self, code: str) -> VerifyResult:
        """Recompute a printed code from the current database."""
        parsed = parse_code(code)
        if parsed is None:
            return VerifyResult(code=code, status="malformed")
        kind, subject, period, digest = parsed
        try:
            current = self.current_code(kind, subject, period)
        except KpiError:
            return VerifyResult(code=code, status="unknown", kind=kind, subject=subject,
                                period=period)
        status = "match" if current.split(".")[-1] == digest else "mismatch"
        return VerifyResult(code=code, status=status, kind=kind, subject=subject, period=period,
                            current_code=current)

    # -- exports -----------------------------------------------------------------------------

    def export(self, directory: str | Path, period: str, formats: Iterable[str] = ("csv", "xlsx",
               "json"), *, progress: Progress | None = None, cancel: CancelFlag = None
               ) -> list[Path]:
        """Write scores, work logs and results of ``period`` into ``directory``."""
        p = self._period(period, REPORT_PERIODS["export"])
        wanted = [f.lower() for f in formats]
        for f in wanted:
            if f not in ("csv", "xlsx", "json"):
                raise RefusedValue("export_format_unknown", value=f)
        folder = Path(directory)
        existing = folder
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK):
            raise RefusedValue("output_unwritable", path=str(folder))
        scores, worklog, results = self._export_tables(
            p, progress, cancel, with_worklog=bool({"csv", "xlsx"} & set(wanted))
        )
        files: dict[Path, bytes] = {}
        name = str(p)
        if "csv" in wanted:
            files[folder / f"scores-{name}.csv"] = _csv(SCORE_COLUMNS, scores)
            files[folder / f"worklog-{name}.csv"] = _csv(WORKLOG_COLUMNS, worklog)
        if "xlsx" in wanted:
            files[folder / f"kpi-{name}.xlsx"] = _xlsx(
                [("Scores", SCORE_COLUMNS, scores), ("Work log", WORKLOG_COLUMNS, worklog)])
        if "json" in wanted:
            files[folder / f"results-{name}.json"] = json.dumps(
                _clean_json(results), ensure_ascii=False, indent=2).encode("utf-8")
        if _is_cancelled(cancel):
            raise ReportCancelled()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise RefusedValue("output_unwritable", path=str(folder)) from None
        for path, data in files.items():
            write_atomic(path, data)
        return list(files)

    def _export_tables(self, p: Period, progress: Progress | None, cancel: CancelFlag, *,
                       with_worklog: bool = True
                       ) -> tuple[list[list[Any]], list[list[Any]], dict[str, Any]]:
        with self._db.unit_of_work(read_only=True) as uow:
            calc = Calculator(uow)
            units = {u.id: u for u in uow.org.list_units()}
            people = sorted(uow.org.list_people(), key=lambda x: (x.unit_id, x.id))
            organisations = uow.org.list_organisations()
            classification: dict[str, Any] = {}
            if p.kind is PeriodKind.YEAR:
                for unit in units.values():
                    if unit.parent_id is None:
                        for row in calc.classify_unit(unit.id, p.year).rows:
                            classification[row.person.id] = row
            calc.preload_locked([x.id for x in people], p.months())
            scores: list[list[Any]] = []
            worklog: list[list[Any]] = []
            people_json: list[dict[str, Any]] = []
            items: dict[str, Any] = {}
            for done, person in enumerate(people):
                if _is_cancelled(cancel):
                    raise ReportCancelled()
                if progress is not None:
                    progress(done, len(people))
                unit_name = units[person.unit_id].name_vi if person.unit_id in units else ""
                position = _position_name(uow, person)
                months_json = []
                policy = ""
                for month in p.months():
                    r = calc.person_period(person.id, month)
                    s = r.score
                    f = calc.month_figures(person.id, month)  # what every surface shows
                    policy = s.policy_version
                    status = None if r.evaluation_status is None else r.evaluation_status.value
                    scores.append([
                        person.id, person.full_name, person.unit_id, unit_name, position,
                        str(month), _dec2(f.general_points), _dec2(s.a), _dec2(s.b), _dec2(s.c),
                        _dec2(f.task_points), _dec2(f.total),
                        None if f.level is None else f.level.value, f.insufficient, status,
                        s.policy_version,
                    ])
                    months_json.append({
                        "period": str(month), "general_points": _dec2(f.general_points),
                        "task_points": _dec2(f.task_points), "total": _dec2(f.total),
                        "level": None if f.level is None else f.level.value,
                        "insufficient": f.insufficient, "status": status,
                        "on_leave": f.on_leave,
                    })
                result: dict[str, Any]
                if p.kind is PeriodKind.YEAR and person.id in classification:
                    row = classification[person.id]
                    result = {"total": _dec2(row.result.mean),
                              "level": None if row.result.level is None
                              else row.result.level.value,
                              "months_counted": len(row.months),
                              "reason": row.result.reason.value}
                else:  # a month, quarter or half year: the mean of its months (Điều 17.3)
                    rollup = calc.rollup(person.id, p, today=self._today())
                    result = {"total": _dec2(rollup.total),
                              "level": None if rollup.level is None else rollup.level.value,
                              "months_counted": rollup.months_counted}
                people_json.append({
                    "id": person.id, "full_name": person.full_name, "unit_id": person.unit_id,
                    "unit": unit_name, "position": position, "role": person.role.value,
                    "months": months_json, "result": result, "policy_version": policy,
                })
                for entry in (uow.worklog.list_for_period(person.id, p) if with_worklog
                              else ()):
                    if entry.catalog_item_id not in items:
                        items[entry.catalog_item_id] = uow.catalog.find_item(
                            entry.catalog_item_id)
                    item = items[entry.catalog_item_id]
                    worklog.append([
                        entry.id, person.id, person.full_name, entry.work_date.isoformat(),
                        item.code if item else "", item.name_vi if item else "",
                        str(entry.quantity), str(entry.coefficient), entry.assignment_id or "",
                        entry.extra_kind.value, entry.status.value,
                        entry.deadline.isoformat() if entry.deadline else "",
                        entry.completed_on.isoformat() if entry.completed_on else "",
                        entry.output_doc_number, entry.output_description,
                    ])
            if progress is not None:
                progress(len(people), len(people))
            org = organisations[0] if organisations else None
            results = {
                "format": "kpi-desktop-results",
                "format_version": 1,
                "organisation": {"id": org.id if org else "", "name": org.name_vi if org else ""},
                "period": str(p),
                "period_kind": p.kind.value,
                "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "people": people_json,
            }
            return scores, worklog, results

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _period(value: str | Period, kinds: Sequence[PeriodKind]) -> Period:
        """``value`` as a period of one of ``kinds``; refused with the kinds that are
        accepted, so the message can say what to write."""
        accepts = "_".join(k.value for k in kinds)
        try:
            p = value if isinstance(value, Period) else Period.parse(str(value))
        except RefusedValue:
            raise RefusedValue("period_malformed", value=str(value), accepts=accepts) from None
        if p.kind not in kinds:
            raise RefusedValue("period_malformed", value=str(value), accepts=accepts)
        return p


SCORE_COLUMNS = [
    "person_id", "full_name", "unit_id", "unit", "position", "period", "general_points", "a",
    "b", "c", "task_points", "total", "level", "insufficient", "evaluation_status",
    "policy_version",
]
WORKLOG_COLUMNS = [
    "entry_id", "person_id", "full_name", "work_date", "item_code", "item_name", "quantity",
    "coefficient", "assignment_id", "extra_kind", "status", "deadline", "completed_on",
    "output_doc_number", "output_description",
]


def _csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """CSV text: every text cell neutralised (``domain.inputs.export_cell``): no formula, no
    control character."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else export_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _clean_json(value: Any) -> Any:
    """``value`` with every string cleaned of control characters (``export_text``)."""
    if isinstance(value, str):
        return export_text(value)
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


def _xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    numeric = {"general_points", "a", "b", "c", "task_points", "total", "quantity",
               "coefficient"}
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            values = []
            for name, value in zip(columns, row, strict=True):
                if name in numeric and value not in (None, ""):
                    value = float(value)
                values.append(export_cell(value))
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text, never a formula
        sheet.freeze_panes = "A2"
        for i, name in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=i).column_letter
            sheet.column_dimensions[letter].width = max(10, min(40, len(name) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _check_output(out: str | Path) -> None:
    path = Path(out)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise RefusedValue("output_unwritable", path=str(path))


def _is_docx(out: str | Path) -> bool:
    """A Word file is asked for by its name (``….docx``); anything else is a PDF."""
    return Path(out).suffix.lower() == ".docx"


def _pages(content: bytes) -> int:
    """Pages of a PDF; 0 for a Word file (Word lays its pages out when it opens it)."""
    if not content.startswith(b"%PDF"):
        return 0
    return (content.count(b"/Type /Page\n")
            or content.count(b"/Type /Page") - content.count(b"/Type /Pages"))


def _sum_or_none(values: Iterable[Decimal | Fraction | None]) -> Fraction | None:
    found = [Fraction(v) for v in values if v is not None]
    return sum(found, Fraction(0)) if found else None


def _criteria_total(rows: Sequence[CriterionRow], which: str) -> Fraction | None:
    attr = "self_points" if which == "self" else "confirmed_points"
    return _sum_or_none(getattr(r, attr) for r in rows if not r.is_group)


def _month_score(result: PersonPeriodResult, evaluation: MonthlyEvaluation | None,
                 figures: MonthFigures) -> MonthScore:
    note = month_note(result.person, figures.period, total=figures.total,
                      on_leave=figures.on_leave, insufficient=figures.insufficient) or (
        "not_evaluated" if evaluation is None else "")
    return MonthScore(period=str(result.period), total=figures.total,
                      general_points=figures.general_points, task_points=figures.task_points,
                      level=figures.level, note=note)


def _products(results: Sequence[PersonPeriodResult]) -> tuple[ProductRow, ...]:
    """The why-lines of the period merged per catalog item, in first-seen order."""
    merged: dict[str, dict[str, Any]] = {}
    seen_entries: set[str] = set()
    for result in results:
        for line in result.lines:
            row = merged.setdefault(line.code, {
                "name_vi": line.name_vi, "name_en": line.name_en,
                "coefficient": line.coefficient, "assigned": Decimal(0),
                "completed": Decimal(0), "extra": Decimal(0), "failed": 0, "delays": 0,
                "quality": [], "timeliness": [],
            })
            if line.extra:
                row["extra"] += line.quantity
            else:
                row["assigned"] += line.quantity
                if line.completed:
                    row["completed"] += line.quantity
            new = [e for e in line.entry_ids if e not in seen_entries]
            if new:
                seen_entries.update(new)
                row["failed"] += line.failed_reviews
                row["delays"] += line.delays
                if line.quality_cause:
                    row["quality"].append(line.quality_cause_reason)
                if line.timeliness_cause:
                    row["timeliness"].append(line.timeliness_cause_reason)
    return tuple(
        ProductRow(code=code, name_vi=r["name_vi"], name_en=r["name_en"],
                   coefficient=r["coefficient"], assigned=r["assigned"],
                   completed=r["completed"], extra=r["extra"], failed_reviews=r["failed"],
                   delays=r["delays"], quality_causes=tuple(dict.fromkeys(r["quality"])),
                   timeliness_causes=tuple(dict.fromkeys(r["timeliness"])))
        for code, r in merged.items()
    )


def _position_name(uow: Any, person: Person,
                   positions: dict[str, str] | None = None) -> str:
    """The name of the person's job position (``positions``: every position's name by id,
    read once for a whole unit instead of one query a person)."""
    if not person.job_position_id:
        return ""
    if positions is not None and person.job_position_id in positions:
        return positions[person.job_position_id]
    return uow.org.get_job_position(person.job_position_id).name_vi


def _position_names(uow: Any) -> dict[str, str]:
    return {position.id: position.name_vi for position in uow.org.list_job_positions()}


def _review_delays(uow: Any, people: Sequence[Person], period: Period, limit: int
                   ) -> tuple[ReviewerRow, ...]:
    """Per reviewer: verdicts given, late ones (over the policy's ``limit`` of working days,
    holidays excluded), entries still waiting, mean working days. The database counts the
    verdicts by (submitted day, decided day); the working days are worked out once a pair."""
    ids = [p.id for p in people]
    if not ids:
        return ()
    counted = uow.reviews.verdict_days(ids, period.start, period.end)
    calendar = WorkingCalendar(uow.calendar.between(period.start - dt.timedelta(days=31),
                                                    period.end + dt.timedelta(days=62)))
    stats: dict[str, dict[str, Any]] = {}
    evaluator_of: dict[str, str] = {}
    between: dict[tuple[dt.date, dt.date], int] = {}
    for row in counted:
        if row.waiting_person is None:
            assert row.reviewer_id is not None
            assert row.submitted_on is not None and row.decided_on is not None
            pair = (row.submitted_on, row.decided_on)
            if pair not in between:
                between[pair] = max(0, calendar.working_days_between(*pair))
            days = between[pair]
            s = stats.setdefault(row.reviewer_id, {"days": 0, "count": 0, "late": 0,
                                                   "pending": 0})
            s["days"] += days * row.count
            s["count"] += row.count
            if days > limit:
                s["late"] += row.count
        else:
            if row.waiting_person not in evaluator_of:
                relations = uow.org.evaluators_of(row.waiting_person, period.end)
                evaluator_of[row.waiting_person] = relations[0].evaluator_id if relations else ""
            reviewer = evaluator_of[row.waiting_person]
            s = stats.setdefault(reviewer, {"days": 0, "count": 0, "late": 0, "pending": 0})
            s["pending"] += row.count
    names = {p.id: p.full_name for p in uow.org.list_people(active_only=False)}
    return tuple(
        ReviewerRow(
            reviewer_id=rid,
            full_name=names.get(rid, rid),
            reviewed=s["count"],
            late=s["late"],
            pending=s["pending"],
            mean_days=Fraction(s["days"], s["count"]) if s["count"] else None,
        )
        for rid, s in sorted(stats.items(), key=lambda kv: names.get(kv[0], kv[0]))
    )
