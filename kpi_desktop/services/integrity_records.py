"""The record side of ``kpi-desktop check``: signatures, hashes, recomputed results, files.

Each check streams whole tables once through ``uow.integrity`` (entries and their revisions
side by side, in key order: memory stays flat however long the year) and yields
:class:`Finding` records; nothing here writes. The kinds and what is verified:

* every signed record (entry revision, review statement, self-assessment and confirmation of a
  month, assignment, proposal, appeal and its decision, discipline event, annual
  classification, month received with a transfer) against its author's key: the key must be
  known and belong to the author, and the signature must verify over the record as stored;
* an entry revision's stored SHA-256 against its snapshot, and a submitted or confirmed
  entry's stored fields against the revision its author submitted;
* every confirmed or locked month's stored a, b, c, task ratio, task and general points,
  total, level and "insufficient data" against the same numbers computed again from the
  work log, the reviews and the confirmed criteria (``services.scores.Calculator``);
* the repeated result columns of replaced and transferred months against their records;
* every attachment an entry or a revision refers to: present, with the SHA-256 in its name.

The signatures are verified through the sync package's record-kind registry
(``services/sync/kinds``): each kind enumerates its stored signed records and verifies them; a
new kind is checked as soon as it is registered.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.transfers import TransferredMonth
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.records import from_json
from kpi_desktop.sync.signing import (
    evaluation_confirmation_bytes,
)

__all__ = ["KIND_TABLES", "Finding", "RecordChecker"]


@dataclass(frozen=True)
class Finding:
    """One thing ``check`` found wrong.

    ``code`` says what (see ``services.integrity_messages``); ``damage`` is True for damage
    of the database file itself (it must not be written then); ``table`` and ``record`` name
    the stored record, ``person_id`` and ``period`` whose it is when known; ``data`` holds the
    values a message shows (stored and recomputed numbers, a file name).
    """

    code: str
    damage: bool = False
    table: str = ""
    record: str = ""
    person_id: str = ""
    period: str = ""
    data: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "damage": self.damage, "table": self.table,
                "record": self.record, "person_id": self.person_id, "period": self.period,
                "data": dict(self.data)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(code=str(data.get("code", "")), damage=bool(data.get("damage")),
                   table=str(data.get("table", "")), record=str(data.get("record", "")),
                   person_id=str(data.get("person_id", "")),
                   period=str(data.get("period", "")),
                   data={str(k): str(v) for k, v in dict(data.get("data") or {}).items()})


def _text(value: object) -> str:
    """A stored or computed value for people: numbers as decimals (88.5, not 177/2)."""
    if value is None:
        return "—"
    if isinstance(value, Fraction) and value.denominator != 1:
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal("0.0001"))
        text = f"{rounded.normalize():f}"
        return text if rounded == exact else f"≈{text}"
    return getattr(value, "value", None) or str(value)


# --------------------------------------------------------------------------------------------
# Signatures: through the sync package's record-kind registry
# --------------------------------------------------------------------------------------------

# Each registered kind's table (for the messages) — the kinds themselves live in
# ``services/sync/kinds`` and declare how their stored records are enumerated and verified.
KIND_TABLES = {
    "revision": "entry_revisions", "statement": "review_statements",
    "evaluation": "monthly_evaluations", "assignment": "assignments",
    "proposal": "catalog_proposals", "appeal": "appeals", "appeal_decision": "appeals",
    "discipline_event": "discipline_events", "annual_classification": "annual_classifications",
}
# Kinds whose records never change once signed (a revision, a statement): a signature that no
# longer matches is reported even for a record of someone who works on this PC.
FROZEN_KINDS = frozenset({"revision", "statement"})
_CODES = {"unsigned": "signature_missing", "signer_unknown": "signature_key_unknown",
          "signature_invalid": "signature_invalid", "hash_mismatch": "revision_hash_mismatch"}


def _subject(record: Any, entry_of: Callable[[str], model.WorkLogEntry | None]
             ) -> tuple[str, str, str]:
    """(person id, period, record id) of a registered kind's record, whatever wraps it."""
    base = record
    for name in ("evaluation", "statement", "appeal"):
        inner = getattr(record, name, None)
        if inner is not None and not isinstance(inner, str):
            base = inner
            break
    person = getattr(base, "person_id", None) or ""
    period = getattr(base, "period", None) or getattr(base, "year", None) or ""
    entry_id = getattr(base, "entry_id", None)
    record_id = getattr(base, "id", None) or ""
    if entry_id:
        entry = entry_of(entry_id)
        if entry is not None:
            person, period = person or entry.person_id, period or _month(entry.work_date)
        number = getattr(base, "revision", None)
        record_id = record_id or (f"{entry_id}#{number}" if number is not None else entry_id)
    if not record_id and person:
        record_id = f"{person}@{period}"
    return str(person), str(period), str(record_id)


def _month(day: Any) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day is not None else ""


# --------------------------------------------------------------------------------------------
# The checker
# --------------------------------------------------------------------------------------------

@dataclass
class _Context:
    """What several checks need: the small tables, read once, and one entry by id."""

    uow: Any
    evaluations: list[model.MonthlyEvaluation]
    annual: list[model.AnnualClassification]
    keys: dict[str, model.PersonKey]
    # Attachments the entries and revisions refer to: SHA-256 → (entry, person, period, name),
    # gathered by the entries' pass for the files' step.
    wanted: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)

    def entry(self, entry_id: str) -> model.WorkLogEntry | None:
        """One entry (to name whose a finding is; findings are rare, so no table in memory)."""
        return self.uow.integrity.entry(entry_id)


def _finding_key(finding: Finding) -> tuple[Any, ...]:
    return (finding.code, finding.damage, finding.table, finding.record, finding.person_id,
            finding.period, tuple(sorted(finding.data.items())))


class RecordChecker:
    """Runs the record checks on one database (through read-only units of work)."""

    def __init__(self, db: Any, attachments_dir: Path | None) -> None:
        self._db = db
        self._attachments = attachments_dir

    def run(self, progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> list[Finding]:
        """Every finding of the record checks, in a stable order."""
        steps: list[Callable[[Any, _Context], Iterable[Finding]]] = [
            self._signatures, self._entries, self._recomputed, self._copies,
            self._attachment_files]
        findings: list[Finding] = []
        seen: set[tuple[Any, ...]] = set()
        from kpi_desktop.services.sync.kinds import agency_signing_keys

        with self._db.unit_of_work(read_only=True) as uow:
            try:
                ctx = _Context(
                    uow=uow,
                    evaluations=list(uow.integrity.every(model.MonthlyEvaluation)),
                    annual=list(uow.integrity.every(model.AnnualClassification)),
                    keys={**agency_signing_keys(uow),
                          **{k.fingerprint: k for k in uow.integrity.every(model.PersonKey)}})
            except Exception as exc:  # noqa: BLE001 - a value that no longer reads is damage
                return [Finding("records_unreadable", damage=True, data={"error": str(exc)})]
            for index, step in enumerate(steps):
                if cancelled is not None and cancelled():
                    break
                try:
                    for finding in step(uow, ctx):
                        key = _finding_key(finding)
                        if key not in seen:  # a hash both steps found, once
                            seen.add(key)
                            findings.append(finding)
                except Exception as exc:  # noqa: BLE001 - see above
                    findings.append(Finding("records_unreadable", damage=True,
                                            data={"error": str(exc)}))
                if progress is not None:
                    progress(index + 1, len(steps))
        return findings

    # -- signatures ------------------------------------------------------------------------
    @staticmethod
    def _signatures(uow: Any, ctx: _Context) -> Iterator[Finding]:
        """Every stored signed record of every registered kind, by the kind's own
        ``stored`` and ``verify_stored``. A changeable record (an assignment, a month, an
        appeal…) of someone whose key is on this PC is signed again at their next export after
        a change they made here, so only an unknown key is reported for it (its stored values
        are covered by the seals meanwhile); frozen kinds are reported whoever made them."""
        from kpi_desktop.services.sync.kinds import REGISTRY, verified_in_batches

        keys: dict[str, Any] = {}

        def lookup(fingerprint: str) -> Any:
            if fingerprint not in keys:
                keys[fingerprint] = ctx.keys.get(fingerprint)
            return keys[fingerprint]

        own = {record.owner_id for record in uow.sync.sealed_keys()}
        for kind in REGISTRY:
            # Batches of records verified together on every core (sync.verifier).
            for record, problem in verified_in_batches(kind, kind.stored(uow), lookup):
                if problem is None:
                    continue
                author = kind.author(record) or ""
                if author in own and problem.code in ("unsigned", "signature_invalid") \
                        and kind.name not in FROZEN_KINDS:
                    continue
                person, period, record_id = _subject(record, ctx.entry)
                yield Finding(_CODES.get(problem.code, problem.code),
                              table=KIND_TABLES.get(kind.name, kind.name), record=record_id,
                              person_id=person, period=period, data={"author": author})

    # -- entries against what their authors submitted --------------------------------------
    @staticmethod
    def _entries(uow: Any, ctx: _Context) -> Iterator[Finding]:
        """One pass over the entries and their revisions side by side (both in key order):
        each revision's SHA-256, each submitted or confirmed entry against the revision its
        author submitted, and the attachments both refer to (for the files' step)."""
        revisions = iter(uow.integrity.every(model.EntryRevision))
        pending = next(revisions, None)
        for entry in uow.integrity.every(model.WorkLogEntry):
            while pending is not None and pending.entry_id < entry.id:  # its entry is gone
                yield from _revision_findings(pending, None, ctx)
                pending = next(revisions, None)
            own: dict[int, model.EntryRevision] = {}
            while pending is not None and pending.entry_id == entry.id:
                own[pending.revision] = pending
                yield from _revision_findings(pending, entry, ctx)
                pending = next(revisions, None)
            if entry.attachment_sha256:
                ctx.wanted.setdefault(entry.attachment_sha256, (
                    entry.id, entry.person_id, _month(entry.work_date),
                    entry.attachment_name or ""))
            if entry.status not in _FROZEN_ENTRIES or entry.current_revision < 1:
                continue
            revision = own.get(entry.current_revision)
            if revision is None or revision.snapshot_json != canonical_json(entry.snapshot()):
                yield Finding("entry_differs_from_revision", table="work_log_entries",
                              record=entry.id, person_id=entry.person_id,
                              period=_month(entry.work_date),
                              data={"revision": str(entry.current_revision)})
        while pending is not None:  # revisions after the last entry
            yield from _revision_findings(pending, None, ctx)
            pending = next(revisions, None)

    # -- stored results against results computed again -------------------------------------
    @staticmethod
    def _recomputed(uow: Any, ctx: _Context) -> Iterator[Finding]:
        from kpi_desktop.services.scores import EVALUATED, Calculator

        calc = Calculator(uow)
        fields = ("total", "level", "general_points", "task_points", "task_ratio", "a", "b",
                  "c", "insufficient")
        for ev in ctx.evaluations:
            if ev.status not in EVALUATED:
                continue
            score = calc.person_period(ev.person_id, ev.period).score
            calc.forget_results()  # each month once: nothing to remember
            for name in fields:
                stored, computed = getattr(ev, name), getattr(score, name)
                if stored != computed:
                    yield Finding("result_differs", table="monthly_evaluations",
                                  record=f"{ev.person_id}@{ev.period}",
                                  person_id=ev.person_id, period=str(ev.period),
                                  data={"field": name, "stored": _text(stored),
                                        "computed": _text(computed)})
        yield from _annual_levels(uow, ctx)

    # -- copies of results kept with a record ----------------------------------------------
    @staticmethod
    def _copies(uow: Any, ctx: _Context) -> Iterator[Finding]:
        for old in uow.integrity.every(model.ReplacedEvaluation):
            try:
                snap = json.loads(old.snapshot_json)
            except ValueError:
                snap = {}
            for name in ("total", "general_points", "level"):
                if _text(snap.get(name)) != _text(getattr(old, name)):
                    yield Finding("copy_differs", table="replaced_evaluations", record=old.id,
                                  person_id=old.person_id, period=str(old.period),
                                  data={"field": name, "stored": _text(getattr(old, name)),
                                        "computed": _text(snap.get(name))})
        for month in uow.integrity.every(TransferredMonth):
            yield from _transferred(month)

    # -- attachments -----------------------------------------------------------------------
    def _attachment_files(self, uow: Any, ctx: _Context) -> Iterator[Finding]:
        if self._attachments is None:
            return
        for sha, (entry_id, person, period, name) in sorted(ctx.wanted.items()):
            path = self._attachments / sha[:2] / sha
            data = {"file": name or sha, "path": str(path)}
            if not path.is_file():
                yield Finding("attachment_missing", table="work_log_entries", record=entry_id,
                              person_id=person, period=period, data=data)
                continue
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha:
                yield Finding("attachment_altered", table="work_log_entries", record=entry_id,
                              person_id=person, period=period, data=data)


_FROZEN_ENTRIES = (model.EntryStatus.SUBMITTED, model.EntryStatus.CONFIRMED)


def _revision_findings(revision: model.EntryRevision, entry: model.WorkLogEntry | None,
                       ctx: _Context) -> Iterator[Finding]:
    """One revision: its stored SHA-256 against its snapshot, and the file it refers to."""
    digest = hashlib.sha256(revision.snapshot_json.encode("utf-8")).hexdigest()
    if digest != revision.snapshot_sha256:
        yield Finding("revision_hash_mismatch", table="entry_revisions",
                      record=f"{revision.entry_id}#{revision.revision}",
                      person_id=entry.person_id if entry else revision.author_id,
                      period=_month(entry.work_date) if entry else "")
    if '"attachment_sha256":null' in revision.snapshot_json:  # canonical text: no file
        return
    try:
        snap = json.loads(revision.snapshot_json)
    except ValueError:
        return
    sha = snap.get("attachment_sha256")
    if isinstance(sha, str) and sha:
        ctx.wanted.setdefault(sha, (revision.entry_id, snap.get("person_id") or "",
                                    _month(entry.work_date) if entry else "",
                                    str(snap.get("attachment_name") or "")))


def _annual_levels(uow: Any, ctx: _Context) -> Iterator[Finding]:
    """An annual classification's computed level can be lowered by an override (discipline,
    the organisation's level), never raised above the level of its stored mean."""
    from kpi_desktop.scoring.levels import level_for
    from kpi_desktop.services.policies import policy_for_period

    rank = {model.Level.NOT_COMPLETE: 0, model.Level.COMPLETE: 1, model.Level.GOOD: 2,
            model.Level.EXCELLENT: 3}
    for c in ctx.annual:
        if c.mean is None or c.computed_level is None:
            continue
        policy = policy_for_period(uow, model.Period.whole_year(c.year))  # the one resolver
        ceiling = level_for(policy, c.mean)
        if rank[c.computed_level] > rank[ceiling] or not 0 <= c.months_counted <= 12:
            yield Finding("result_differs", table="annual_classifications", record=c.id,
                          person_id=c.person_id, period=str(c.year),
                          data={"field": "computed_level", "stored": _text(c.computed_level),
                                "computed": _text(ceiling)})


def _transferred(month: TransferredMonth) -> Iterator[Finding]:
    """A month received with a transfer: its columns repeat the signed record, whose
    evaluator signature must verify with the key that travelled with it."""
    where = {"table": "transferred_months", "record": f"{month.person_id}@{month.period}",
             "person_id": month.person_id, "period": str(month.period)}
    record = dict(month.record)
    try:
        evaluation = from_json(model.MonthlyEvaluation, {
            k: v for k, v in record.items() if not k.startswith("_")})
    except Exception:  # noqa: BLE001 - a record that no longer parses is damage
        yield Finding("copy_differs", **where, data={"field": "record", "stored": "",
                                                      "computed": ""})
        return
    for name in ("total", "level", "insufficient", "policy_version", "evaluator_id"):
        if _text(getattr(month, name)) != _text(getattr(evaluation, name)):
            yield Finding("copy_differs", **where,
                          data={"field": name, "stored": _text(getattr(month, name)),
                                "computed": _text(getattr(evaluation, name))})
    signature = month.evaluator_signature
    if signature is None:
        return
    for key in record.get("_evaluator_keys") or []:
        if not isinstance(key, dict) or key.get("fingerprint") != \
                month.evaluator_key_fingerprint:
            continue
        try:
            public = base64.b64decode(str(key.get("public_key")), validate=True)
        except ValueError:
            break
        if crypto.fingerprint(public) == month.evaluator_key_fingerprint and crypto.verify(
                public, signature, evaluation_confirmation_bytes(evaluation)):
            return
        break
    yield Finding("signature_invalid", **where, data={"author": month.evaluator_id or ""})
