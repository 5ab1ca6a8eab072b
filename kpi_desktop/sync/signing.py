"""What exactly an author signs, for each kind of record (DESIGN.md §6).

Each function returns the canonical bytes (``canonical_json`` as UTF-8) of a record; the
author's Ed25519 signature over them travels with the record, so a record forwarded by a
leader to the agency stays provable. Local timestamps of arrival and the signatures
themselves are never part of the signed bytes.

Every field a receiving PC stores is signed (or recomputed there from signed inputs). Where
December 2026 added signed fields, the canonical form has a new version ``"v": 2`` and the
``*_forms`` functions list the current form first and the earlier form after it, so a
signature made before still verifies (the receiver recomputes what the earlier form did not
sign, see ``services/sync/kinds``):

* an entry revision — v2: entry, revision number, author, time, reason and the SHA-256 of
  the snapshot (``snapshot_json``, the entry's canonical bytes, ``WorkLogEntry.snapshot_text``);
  v1: the snapshot text itself;
* a review statement: its fields plus the SHA-256 of the revision it speaks about, so it
  cannot be moved to another version of the entry (v2 for an objective cause of one
  deduction, Điều 14.2b or 14.2c: what it exempts is signed, see :func:`statement_bytes`);
* a self-assessment — v2: person, period, criteria, submission time and version (the
  provisional score is the receiving PC's own computation, never taken from a bundle);
  v1: the same without the version;
* an evaluator's decision on a month — v2 of a confirmation: everything it stores (unit,
  version, the confirmed criteria, d/đ/e, comment, a, b, c, task ratio and points, general
  points, total, level, insufficient, policy, confirmation and lock times); v2 of a reopening:
  who, when, why and whether it goes back to the official; v1: person, period, evaluator,
  criteria, d/đ/e, comment, total, level, policy, time. The month's status is not signed: it
  follows from these (``domain.workflow.evaluation_status``);
* an assignment — v2: its v1 fields and its version; v1: every field it had in November 2026;
* a catalog proposal: what the official proposes (not the agency's decision), by its author;
* an appeal (Điều 22): what the official files (and whether they withdrew it), by the official;
  the decision on it separately, by the person who decides, bound to the filed text;
* a discipline event and an annual classification (Form 02): their fields as of November 2026
  (a field added to the model later needs a new form here), by who recorded or decided it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.model import (
    AnnualClassification,
    Appeal,
    AppealStatus,
    Assignment,
    CatalogProposal,
    DisciplineEvent,
    EntryRevision,
    LeaveRecord,
    MonthlyEvaluation,
    ReviewStatement,
    StatementKind,
    WorkLogEntry,
)
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.sync.keys import KeyPair, verify

__all__ = [
    "annual_bytes",
    "appeal_bytes",
    "appeal_decision_bytes",
    "assignment_bytes",
    "assignment_forms",
    "discipline_bytes",
    "leave_bytes",
    "evaluation_confirmation_bytes",
    "evaluation_confirmation_forms",
    "evaluation_self_bytes",
    "evaluation_self_forms",
    "proposal_bytes",
    "revision_bytes",
    "revision_forms",
    "sign",
    "statement_bytes",
    "submitted_revision_bytes",
    "verify",
    "verify_any",
]


def _bytes(kind: str, body: dict[str, Any], version: int = 1) -> bytes:
    return canonical_json({"kind": kind, "v": version, **body}).encode("utf-8")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def verify_any(public_key: bytes, signature: bytes | None, forms: tuple[bytes, ...]) -> bool:
    """Whether ``signature`` is ``public_key``'s signature of any of the signed ``forms``."""
    return signature is not None and any(verify(public_key, signature, f) for f in forms)


# ------------------------------------------------------------------ entry revisions --------

def revision_forms(revision: EntryRevision) -> tuple[bytes, bytes]:
    """The signed bytes of an entry revision: v2 (everything stored), then v1 (snapshot)."""
    return (_bytes("entry_revision", {
        "entry_id": revision.entry_id, "revision": revision.revision,
        "author_id": revision.author_id, "created_at": revision.created_at,
        "reason": revision.reason, "snapshot_sha256": revision.snapshot_sha256,
    }, 2), revision.snapshot_json.encode("utf-8"))


def revision_bytes(revision: EntryRevision) -> bytes:
    """The signed bytes of an entry revision (current form)."""
    return revision_forms(revision)[0]


def submitted_revision_bytes(entry: WorkLogEntry, *, at: dt.datetime, reason: str = "") -> bytes:
    """The signed bytes of the revision that submitting ``entry`` (as stored) at ``at`` makes:
    its next revision number, by its author (signed at the moment of submission)."""
    text, sha = entry.snapshot_text()
    return revision_bytes(EntryRevision(
        entry_id=entry.id, revision=entry.current_revision + 1, snapshot_json=text,
        snapshot_sha256=sha, created_at=at, author_id=entry.person_id, reason=reason))


# ------------------------------------------------------------------ review statements ------

# Objective causes by what they exempt (canonical form 2 of a review statement).
_CAUSES = {StatementKind.QUALITY_CAUSE: "quality", StatementKind.TIMELINESS_CAUSE: "timeliness"}


def statement_bytes(statement: ReviewStatement, revision_sha256: str) -> bytes:
    """The signed bytes of a review statement about the revision with ``revision_sha256``.

    Two canonical forms, told apart by ``"v"``:

    * form 1 (every statement before issue 15, and every statement but an objective cause
      since): its fields, ``"statement"`` being the kind ("confirm", "objective_cause", …);
    * form 2 (an objective cause confirmed for one deduction, Điều 14.2b or 14.2c):
      ``"statement": "objective_cause"`` with ``"cause": "quality"`` or ``"timeliness"`` —
      the exemption it grants is part of what the leader signs.

    A form-1 ``objective_cause`` statement (signed before the split) keeps its bytes, so its
    signature still verifies; it reads as both causes (see ``StatementKind.OBJECTIVE_CAUSE``).
    """
    body: dict[str, Any] = {
        "id": statement.id, "entry_id": statement.entry_id, "revision": statement.revision,
        "revision_sha256": revision_sha256, "reviewer_id": statement.reviewer_id,
        "statement": statement.kind.value, "created_at": statement.created_at,
        "reason": statement.reason,
    }
    cause = _CAUSES.get(statement.kind)
    if cause is None:
        return _bytes("review_statement", body)
    body.update(statement=StatementKind.OBJECTIVE_CAUSE.value, cause=cause)
    return _bytes("review_statement", body, version=2)


# ------------------------------------------------------------------ monthly evaluations ----

def evaluation_self_forms(evaluation: MonthlyEvaluation) -> tuple[bytes, bytes]:
    """The signed bytes of a person's self-assessment (Form 01, their part): v2, then v1."""
    base = {
        "person_id": evaluation.person_id, "period": str(evaluation.period),
        "self_criteria": {k: str(v) for k, v in evaluation.self_criteria.items()},
        "submitted_at": evaluation.submitted_at,
    }
    return (_bytes("self_assessment", {**base, "version": evaluation.self_version}, 2),
            _bytes("self_assessment", base))


def evaluation_self_bytes(evaluation: MonthlyEvaluation) -> bytes:
    """The signed bytes of a person's self-assessment (current form)."""
    return evaluation_self_forms(evaluation)[0]


def evaluation_confirmation_forms(evaluation: MonthlyEvaluation) -> tuple[bytes, bytes]:
    """The signed bytes of an evaluator's decision on a month: v2, then v1.

    v2 of a confirmation (``locked_at`` set) signs everything the decision stores; v2 of a
    reopening signs who reopened it, when, why and for whom (the month's earlier numbers no
    longer count and are not part of it)."""
    base = {
        "person_id": evaluation.person_id, "period": str(evaluation.period),
        "evaluator_id": evaluation.evaluator_id,
        "confirmed_criteria": {k: str(v) for k, v in evaluation.confirmed_criteria.items()},
        "d": _text(evaluation.d), "dd": _text(evaluation.dd), "e": _text(evaluation.e),
        "comment": evaluation.comment, "total": _text(evaluation.total),
        "level": None if evaluation.level is None else evaluation.level.value,
        "policy_version": evaluation.policy_version, "confirmed_at": evaluation.confirmed_at,
    }
    decision: dict[str, Any] = {
        "person_id": evaluation.person_id, "period": str(evaluation.period),
        "evaluator_id": evaluation.evaluator_id, "version": evaluation.confirm_version,
        "unit_id": evaluation.unit_id, "locked_at": evaluation.locked_at,
        "reopened_at": evaluation.reopened_at, "reopen_reason": evaluation.reopen_reason,
        "reopened_to_official": evaluation.reopened_to_official}
    if evaluation.locked_at is not None:
        decision.update(base, a=_text(evaluation.a), b=_text(evaluation.b),
                        c=_text(evaluation.c), task_ratio=_text(evaluation.task_ratio),
                        task_points=_text(evaluation.task_points),
                        general_points=_text(evaluation.general_points),
                        insufficient=evaluation.insufficient)
    return (_bytes("evaluation_confirmation", decision, 2),
            _bytes("evaluation_confirmation", base))


def evaluation_confirmation_bytes(evaluation: MonthlyEvaluation) -> bytes:
    """The signed bytes of an evaluator's decision on a month (current form)."""
    return evaluation_confirmation_forms(evaluation)[0]


# ------------------------------------------------------------------ assignments ------------

_ASSIGNMENT_V1 = ("id", "person_id", "assigner_id", "catalog_item_id", "period", "quantity",
                  "coefficient", "deadline", "created_at", "kpi_kind", "note", "status",
                  "updated_at")


def assignment_forms(assignment: Assignment) -> tuple[bytes, bytes]:
    """The signed bytes of an assignment as its assigner made or last changed it: v2 (with
    its version), then v1."""
    body = {name: getattr(assignment, name) for name in _ASSIGNMENT_V1}
    body["period"] = str(assignment.period)
    return (_bytes("assignment", {**body, "version": assignment.version}, 2),
            _bytes("assignment", body))


def assignment_bytes(assignment: Assignment) -> bytes:
    """The signed bytes of an assignment (current form)."""
    return assignment_forms(assignment)[0]


# ------------------------------------------------------------------ proposals, appeals -----

def proposal_bytes(proposal: CatalogProposal) -> bytes:
    """The signed bytes of an official's proposal of a new catalog item (Điều 13.3)."""
    return _bytes("catalog_proposal", {
        "id": proposal.id, "person_id": proposal.person_id,
        "proposed_at": proposal.proposed_at, "name_vi": proposal.name_vi,
        "output_vi": proposal.output_vi, "group": proposal.group.value,
        "points": str(proposal.points), "reason": proposal.reason,
    })


def _appeal_filing(appeal: Appeal) -> dict[str, Any]:
    return {"id": appeal.id, "person_id": appeal.person_id, "period": str(appeal.period),
            "reason": appeal.reason, "filed_at": appeal.filed_at}


def appeal_bytes(appeal: Appeal) -> bytes:
    """The signed bytes of an appeal as its author filed it (and whether they withdrew it);
    the decision fields are not part of them."""
    return _bytes("appeal", {**_appeal_filing(appeal),
                             "withdrawn": appeal.status is AppealStatus.WITHDRAWN})


def appeal_decision_bytes(appeal: Appeal) -> bytes:
    """The signed bytes of the decision on an appeal, bound to the text that was filed."""
    filed = hashlib.sha256(_bytes("appeal_filing", _appeal_filing(appeal))).hexdigest()
    return _bytes("appeal_decision", {
        "id": appeal.id, "person_id": appeal.person_id, "period": str(appeal.period),
        "filing_sha256": filed, "decision": appeal.decision,
        "outcome": None if appeal.outcome is None else appeal.outcome.value,
        "decided_by": appeal.decided_by, "decided_at": appeal.decided_at,
    })


# ------------------------------------------------------------------ decisions about people -

_DISCIPLINE_V1 = ("id", "person_id", "kind", "decided_on", "effective_year", "created_at",
                  "authority", "decision_no", "note", "related_event_id", "recorded_by")
_ANNUAL_V1 = ("id", "person_id", "year", "created_at", "unit_id", "months_counted", "mean",
              "computed_level", "self_level", "decided_level", "reason", "quota_note",
              "minutes_ref", "decision_no", "decision_date", "decided_by", "decided_at",
              "supersedes_id", "policy_version")


def _fields(kind: str, record: Any, names: tuple[str, ...]) -> bytes:
    body = {name: getattr(record, name) for name in names}
    return _bytes(kind, {k: (str(v) if isinstance(v, Fraction) else v)
                         for k, v in body.items()})


def discipline_bytes(event: DisciplineEvent) -> bytes:
    """The signed bytes of a discipline event, by the person who recorded it.

    Form 1: an event without the date of its act (every event recorded before issue 15) —
    the fields it had then, so its signature still verifies. Form 2: with ``committed_on``,
    the date of the act (Điều 11.3c–d), which is then signed too.
    """
    if event.committed_on is None:
        return _fields("discipline_event", event, _DISCIPLINE_V1)
    body = {name: getattr(event, name) for name in _DISCIPLINE_V1}
    return _bytes("discipline_event", {**body, "committed_on": event.committed_on}, 2)


def leave_bytes(record: LeaveRecord) -> bytes:
    """The signed bytes of a leave record (Điều 11.2), by who recorded it: every field but
    the signature, its version and whether it is withdrawn included (a removal is a newer
    signed version)."""
    return _bytes("leave_record", {
        "id": record.id, "person_id": record.person_id, "kind": record.kind.value,
        "start_on": record.start_on, "end_on": record.end_on,
        "recorded_by": record.recorded_by, "created_at": record.created_at,
        "decision_no": record.decision_no, "note": record.note, "version": record.version,
        "removed": record.removed, "updated_at": record.updated_at,
    })


def annual_bytes(classification: AnnualClassification) -> bytes:
    """The signed bytes of an annual classification, by the person who decided it."""
    return _fields("annual_classification", classification, _ANNUAL_V1)


def sign(key: KeyPair, data: bytes) -> tuple[bytes, str]:
    """``(signature, fingerprint)`` of ``data`` by ``key``: what a record stores."""
    return key.sign(data), key.fingerprint
