"""What exactly an author signs, for each kind of record (DESIGN.md §6).

Each function returns the canonical bytes (``canonical_json`` as UTF-8) of a record; the
author's Ed25519 signature over them travels with the record, so a record forwarded by a
leader to the agency stays provable. Status fields, local timestamps of arrival and the
signatures themselves are never part of the signed bytes.

* an entry revision: the UTF-8 bytes of its ``snapshot_json`` (storage's ``snapshot_of``),
  preceded by nothing else, so ``signature`` on the revision = sign(snapshot bytes);
* a review statement: its fields plus the SHA-256 of the revision it speaks about, so it
  cannot be moved to another version of the entry (form 2 for an objective cause of one
  deduction: what it exempts is signed, see :func:`statement_bytes`);
* a monthly evaluation: the self-assessment part (person) and the confirmation part
  (evaluator) are signed separately;
* an assignment: all its fields (status included), by its assigner;
* a catalog proposal: what the official proposes (not the agency's decision), by its author;
* an appeal (Điều 22): what the official files (and whether they withdrew it), by the official;
  the decision on it separately, by the person who decides, bound to the filed text;
* a discipline event and an annual classification (Form 02): every field but the signature,
  by the person who recorded or decided it.
"""

from __future__ import annotations

import dataclasses
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
    MonthlyEvaluation,
    ReviewStatement,
    StatementKind,
)
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.sync.keys import KeyPair, verify

__all__ = [
    "annual_bytes",
    "appeal_bytes",
    "appeal_decision_bytes",
    "assignment_bytes",
    "discipline_bytes",
    "evaluation_confirmation_bytes",
    "evaluation_self_bytes",
    "proposal_bytes",
    "revision_bytes",
    "sign",
    "statement_bytes",
    "verify",
]


def _bytes(kind: str, body: dict[str, Any], version: int = 1) -> bytes:
    return canonical_json({"kind": kind, "v": version, **body}).encode("utf-8")


def revision_bytes(revision: EntryRevision) -> bytes:
    """The signed bytes of an entry revision: its snapshot text."""
    return revision.snapshot_json.encode("utf-8")


#: Objective causes by what they exempt (canonical form 2 of a review statement).
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


def evaluation_self_bytes(evaluation: MonthlyEvaluation) -> bytes:
    """The signed bytes of a person's self-assessment (Form 01, their part)."""
    return _bytes("self_assessment", {
        "person_id": evaluation.person_id, "period": str(evaluation.period),
        "self_criteria": {k: str(v) for k, v in evaluation.self_criteria.items()},
        "submitted_at": evaluation.submitted_at,
    })


def evaluation_confirmation_bytes(evaluation: MonthlyEvaluation) -> bytes:
    """The signed bytes of an evaluator's confirmation of a monthly evaluation."""
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return _bytes("evaluation_confirmation", {
        "person_id": evaluation.person_id, "period": str(evaluation.period),
        "evaluator_id": evaluation.evaluator_id,
        "confirmed_criteria": {k: str(v) for k, v in evaluation.confirmed_criteria.items()},
        "d": text(evaluation.d), "dd": text(evaluation.dd), "e": text(evaluation.e),
        "comment": evaluation.comment, "total": text(evaluation.total),
        "level": None if evaluation.level is None else evaluation.level.value,
        "policy_version": evaluation.policy_version, "confirmed_at": evaluation.confirmed_at,
    })


def assignment_bytes(assignment: Assignment) -> bytes:
    """The signed bytes of an assignment (every field but the signature), as its assigner
    made or last changed it."""
    body = {f.name: getattr(assignment, f.name) for f in dataclasses.fields(assignment)
            if f.name not in ("signature", "key_fingerprint")}
    body["period"] = str(assignment.period)
    return _bytes("assignment", body)


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


def _all_fields(kind: str, record: Any) -> bytes:
    body = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)
            if f.name not in ("signature", "key_fingerprint")}
    return _bytes(kind, {k: (str(v) if isinstance(v, Fraction) else v)
                         for k, v in body.items()})


def discipline_bytes(event: DisciplineEvent) -> bytes:
    """The signed bytes of a discipline event (every field but the signature), by the
    person who recorded it.

    Form 1: an event without the date of its act (every event recorded before issue 15) —
    the fields it had then, so its signature still verifies. Form 2: with ``committed_on``,
    the date of the act (Điều 11.3c–d), which is then signed too.
    """
    body = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)
            if f.name not in ("signature", "key_fingerprint", "committed_on")}
    if event.committed_on is None:
        return _bytes("discipline_event", body)
    return _bytes("discipline_event", {**body, "committed_on": event.committed_on}, version=2)


def annual_bytes(classification: AnnualClassification) -> bytes:
    """The signed bytes of an annual classification (every field but the signature), by
    the person who decided it."""
    return _all_fields("annual_classification", classification)


def sign(key: KeyPair, data: bytes) -> tuple[bytes, str]:
    """``(signature, fingerprint)`` of ``data`` by ``key``: what a record stores."""
    return key.sign(data), key.fingerprint
