"""The record side of ``kpi-desktop check``: signatures, hashes, recomputed results, files.

Each check reads whole tables once through ``uow.integrity`` and yields :class:`Finding`
records; nothing here writes. The kinds and what is verified:

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

Until the sync helper's record-kind registry (``services/sync/kinds``) is on main, the
signature checks call ``sync/signing.py`` directly (:data:`SIGNED_KINDS`); each entry there
is one kind's "enumerate and verify" hook.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.transfers import TransferredMonth
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.records import from_json
from kpi_desktop.sync.signing import (
    annual_bytes,
    appeal_bytes,
    appeal_decision_bytes,
    assignment_bytes,
    discipline_bytes,
    evaluation_confirmation_bytes,
    evaluation_self_bytes,
    proposal_bytes,
    revision_bytes,
    statement_bytes,
)

__all__ = ["Finding", "RecordChecker", "SIGNED_KINDS"]


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
    if value is None:
        return "—"
    return getattr(value, "value", None) or str(value)


# --------------------------------------------------------------------------------------------
# Signatures (one hook per signed kind)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Signed:
    """One signature to verify: who must have signed what."""

    table: str
    record: str
    person_id: str
    period: str
    author: str | None
    signature: bytes | None
    fingerprint: str | None
    data: Callable[[], bytes]


def _revisions(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for rev in ctx.revisions.values():
        entry = ctx.entries.get(rev.entry_id)
        yield _Signed("entry_revisions", f"{rev.entry_id}#{rev.revision}",
                      entry.person_id if entry else rev.author_id,
                      _month(entry.work_date) if entry else "", rev.author_id, rev.signature,
                      rev.key_fingerprint, lambda rev=rev: revision_bytes(rev))


def _statements(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for st in uow.integrity.every(model.ReviewStatement):
        if st.signature is None:
            continue
        entry = ctx.entries.get(st.entry_id)
        revision = ctx.revisions.get((st.entry_id, st.revision))
        sha = revision.snapshot_sha256 if revision else ""
        yield _Signed("review_statements", st.id, entry.person_id if entry else "",
                      _month(entry.work_date) if entry else "", st.reviewer_id, st.signature,
                      st.key_fingerprint, lambda st=st, sha=sha: statement_bytes(st, sha))


def _evaluations(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for ev in ctx.evaluations:
        record, period = f"{ev.person_id}@{ev.period}", str(ev.period)
        if ev.self_signature is not None:
            yield _Signed("monthly_evaluations", record, ev.person_id, period, ev.person_id,
                          ev.self_signature, ev.self_key_fingerprint,
                          lambda ev=ev: evaluation_self_bytes(ev))
        if ev.evaluator_signature is not None:
            yield _Signed("monthly_evaluations", record, ev.person_id, period, ev.evaluator_id,
                          ev.evaluator_signature, ev.evaluator_key_fingerprint,
                          lambda ev=ev: evaluation_confirmation_bytes(ev))


def _assignments(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for a in uow.integrity.every(model.Assignment):
        if a.signature is not None:
            yield _Signed("assignments", a.id, a.person_id, str(a.period), a.assigner_id,
                          a.signature, a.key_fingerprint, lambda a=a: assignment_bytes(a))


def _proposals(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for p in uow.integrity.every(model.CatalogProposal):
        if p.signature is not None:
            yield _Signed("catalog_proposals", p.id, p.person_id, "", p.person_id,
                          p.signature, p.key_fingerprint, lambda p=p: proposal_bytes(p))


def _appeals(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for ap in uow.integrity.every(model.Appeal):
        if ap.signature is not None:
            yield _Signed("appeals", ap.id, ap.person_id, str(ap.period), ap.person_id,
                          ap.signature, ap.key_fingerprint, lambda ap=ap: appeal_bytes(ap))
        if ap.decision_signature is not None:
            yield _Signed("appeals", ap.id, ap.person_id, str(ap.period), ap.decided_by,
                          ap.decision_signature, ap.decision_key_fingerprint,
                          lambda ap=ap: appeal_decision_bytes(ap))


def _discipline(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for ev in uow.integrity.every(model.DisciplineEvent):
        if ev.signature is not None:
            yield _Signed("discipline_events", ev.id, ev.person_id, str(ev.effective_year),
                          ev.recorded_by, ev.signature, ev.key_fingerprint,
                          lambda ev=ev: discipline_bytes(ev))


def _annual(uow: Any, ctx: _Context) -> Iterator[_Signed]:
    for c in ctx.annual:
        if c.signature is not None:
            yield _Signed("annual_classifications", c.id, c.person_id, str(c.year),
                          c.decided_by, c.signature, c.key_fingerprint,
                          lambda c=c: annual_bytes(c))


#: Each signed kind's hook: name → enumerate the stored records with what must verify.
SIGNED_KINDS: dict[str, Callable[[Any, _Context], Iterable[_Signed]]] = {
    "revision": _revisions,
    "statement": _statements,
    "evaluation": _evaluations,
    "assignment": _assignments,
    "proposal": _proposals,
    "appeal": _appeals,
    "discipline_event": _discipline,
    "annual_classification": _annual,
}


def _month(day: Any) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day is not None else ""


# --------------------------------------------------------------------------------------------
# The checker
# --------------------------------------------------------------------------------------------

@dataclass
class _Context:
    """Tables several checks need, read once."""

    entries: dict[str, model.WorkLogEntry]
    revisions: dict[tuple[str, int], model.EntryRevision]
    evaluations: list[model.MonthlyEvaluation]
    annual: list[model.AnnualClassification]
    keys: dict[str, model.PersonKey]
    trusted: dict[str, tuple[str, bytes, Any]]


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
        with self._db.unit_of_work(read_only=True) as uow:
            try:
                ctx = _Context(
                    entries={e.id: e for e in uow.integrity.every(model.WorkLogEntry)},
                    revisions={(r.entry_id, r.revision): r
                               for r in uow.integrity.every(model.EntryRevision)},
                    evaluations=list(uow.integrity.every(model.MonthlyEvaluation)),
                    annual=list(uow.integrity.every(model.AnnualClassification)),
                    keys={k.fingerprint: k for k in uow.integrity.every(model.PersonKey)},
                    trusted=uow.integrity.trusted_keys())
            except Exception as exc:  # noqa: BLE001 - a value that no longer reads is damage
                return [Finding("records_unreadable", damage=True, data={"error": str(exc)})]
            for index, step in enumerate(steps):
                if cancelled is not None and cancelled():
                    break
                try:
                    findings.extend(step(uow, ctx))
                except Exception as exc:  # noqa: BLE001 - see above
                    findings.append(Finding("records_unreadable", damage=True,
                                            data={"error": str(exc)}))
                if progress is not None:
                    progress(index + 1, len(steps))
        return findings

    # -- signatures ------------------------------------------------------------------------
    def _signatures(self, uow: Any, ctx: _Context) -> Iterator[Finding]:
        for hook in SIGNED_KINDS.values():
            for item in hook(uow, ctx):
                problem = self._verify(item, ctx)
                if problem:
                    yield Finding(problem, table=item.table, record=item.record,
                                  person_id=item.person_id, period=item.period,
                                  data={"author": item.author or ""})

    @staticmethod
    def _verify(item: _Signed, ctx: _Context) -> str:
        if item.signature is None:
            return ""
        key = ctx.keys.get(item.fingerprint or "")
        if key is not None:
            if key.person_id != item.author:
                return "signature_wrong_author"
            public = key.public_key
        elif (item.fingerprint or "") in ctx.trusted:
            owner, public, _revoked = ctx.trusted[item.fingerprint or ""]
            if owner != item.author:
                return "signature_wrong_author"
        else:
            return "signature_key_unknown"
        return "" if crypto.verify(public, item.signature, item.data()) else "signature_invalid"

    # -- entries against what their authors submitted --------------------------------------
    @staticmethod
    def _entries(uow: Any, ctx: _Context) -> Iterator[Finding]:
        for (entry_id, number), revision in ctx.revisions.items():
            digest = hashlib.sha256(revision.snapshot_json.encode("utf-8")).hexdigest()
            if digest != revision.snapshot_sha256:
                entry = ctx.entries.get(entry_id)
                yield Finding("revision_hash_mismatch", table="entry_revisions",
                              record=f"{entry_id}#{number}",
                              person_id=entry.person_id if entry else revision.author_id,
                              period=_month(entry.work_date) if entry else "")
        frozen = (model.EntryStatus.SUBMITTED, model.EntryStatus.CONFIRMED)
        for entry in ctx.entries.values():
            if entry.status not in frozen or entry.current_revision < 1:
                continue
            revision = ctx.revisions.get((entry.id, entry.current_revision))
            if revision is None or revision.snapshot_json != canonical_json(entry.snapshot()):
                yield Finding("entry_differs_from_revision", table="work_log_entries",
                              record=entry.id, person_id=entry.person_id,
                              period=_month(entry.work_date),
                              data={"revision": str(entry.current_revision)})

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
        wanted: dict[str, tuple[str, str, str, str]] = {}
        for entry in ctx.entries.values():
            if entry.attachment_sha256:
                wanted.setdefault(entry.attachment_sha256, (
                    entry.id, entry.person_id, _month(entry.work_date),
                    entry.attachment_name or ""))
        for (entry_id, _number), revision in ctx.revisions.items():
            try:
                snap = json.loads(revision.snapshot_json)
            except ValueError:
                continue
            sha = snap.get("attachment_sha256")
            if isinstance(sha, str) and sha:
                entry = ctx.entries.get(entry_id)
                wanted.setdefault(sha, (entry_id, snap.get("person_id") or "",
                                        _month(entry.work_date) if entry else "",
                                        str(snap.get("attachment_name") or "")))
        for sha, (entry_id, person, period, name) in sorted(wanted.items()):
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


def _annual_levels(uow: Any, ctx: _Context) -> Iterator[Finding]:
    """An annual classification's computed level can be lowered by an override (discipline,
    the organisation's level), never raised above the level of its stored mean."""
    from kpi_desktop.scoring import ScoringPolicy
    from kpi_desktop.scoring.levels import level_for

    rank = {model.Level.NOT_COMPLETE: 0, model.Level.COMPLETE: 1, model.Level.GOOD: 2,
            model.Level.EXCELLENT: 3}
    for c in ctx.annual:
        if c.mean is None or c.computed_level is None:
            continue
        stored = uow.policies.in_force_on(dt.date(c.year, 12, 31))
        policy = ScoringPolicy.from_json(stored.policy_json) if stored else \
            ScoringPolicy.default()
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
