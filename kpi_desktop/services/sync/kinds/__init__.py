"""Every signed record kind that travels in work, plan and review bundles, in apply order.

``REGISTRY`` is the one list the sync service orchestrates over (export: who receives what;
import: verify, check the author, supersede, apply; receipts by item key). A new kind is one
module beside these, one line here, one signing function in ``sync/signing.py`` and its
message codes.

For ``kpi-desktop check``: :func:`verify_stored` enumerates every stored record of every kind
and verifies its signature (and hash), returning what does not hold.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from kpi_desktop.services.sync.kinds.annual import AnnualKind
from kpi_desktop.services.sync.kinds.appeals import AppealDecisionKind, AppealFilingKind
from kpi_desktop.services.sync.kinds.assignments import AssignmentKind
from kpi_desktop.services.sync.kinds.base import RecordKind, StoredProblem
from kpi_desktop.services.sync.kinds.discipline import DisciplineKind
from kpi_desktop.services.sync.kinds.evaluations import EvaluationKind
from kpi_desktop.services.sync.kinds.leave import LeaveRecordKind
from kpi_desktop.services.sync.kinds.proposals import ProposalKind
from kpi_desktop.services.sync.kinds.revisions import RevisionKind
from kpi_desktop.services.sync.kinds.statements import ReviewStatementKind

__all__ = ["BY_FILE", "CHECK_BATCH", "REGISTRY", "RecordKind", "StoredProblem",
           "agency_signing_keys", "verified_in_batches", "verify_stored"]

# In apply order: plans before the revisions that use them, revisions before the statements
# about them, filings before decisions.
REGISTRY: Sequence[RecordKind[Any]] = (
    AssignmentKind(),
    RevisionKind(),
    ReviewStatementKind(),
    EvaluationKind(),
    ProposalKind(),
    AppealFilingKind(),
    AppealDecisionKind(),
    DisciplineKind(),
    LeaveRecordKind(),  # Điều 11.2 (issue 15)
    AnnualKind(),
)
BY_FILE = {kind.file: kind for kind in REGISTRY}


R = TypeVar("R")


@dataclasses.dataclass(frozen=True)
class _AgencyKey:
    """A pinned agency key as the stored-record check looks keys up (``person_id`` is the
    author a record names: "agency")."""

    fingerprint: str
    public_key: bytes
    person_id: str = "agency"


def agency_signing_keys(uow: Any) -> dict[str, Any]:
    """The agency keys this PC pinned, current and earlier, by fingerprint: records the
    agency signs (leave it recorded) are verified by ``kpi-desktop check`` like everyone's."""
    return {k.fingerprint: _AgencyKey(k.fingerprint, k.public_key)
            for k in uow.sync.trusted_keys("agency")}

# Stored records verified together (on every core) by :func:`verified_in_batches`.
CHECK_BATCH = 4000


def verified_in_batches(kind: RecordKind[R], records: Iterable[R], lookup: Callable[[str], Any],
                        batch: int = CHECK_BATCH) -> Iterator[tuple[R, StoredProblem | None]]:
    """Each stored record with ``kind.verify_stored``'s answer for it, in order; the
    signatures of ``batch`` records at a time are verified together on every core
    (``RecordKind.verify_stored_many``) — what ``kpi-desktop check`` should loop over."""
    iterator = iter(records)
    chunk = list(itertools.islice(iterator, batch))
    answers = kind.verify_stored_later(chunk, lookup) if chunk else None
    upcoming = None
    try:
        while answers is not None:
            # The next batch is read, its forms built and its signatures handed to the
            # workers while they still verify this one: reading overlaps verifying.
            following = list(itertools.islice(iterator, batch))
            upcoming = kind.verify_stored_later(following, lookup) if following else None
            yield from zip(chunk, answers(), strict=True)
            chunk, answers, upcoming = following, upcoming, None
    finally:  # the caller stopped early: what nobody will ask for is not verified
        for left in (answers, upcoming):
            if left is not None:
                left.cancel()  # type: ignore[attr-defined]


def verify_stored(uow: Any, kinds: Sequence[RecordKind[Any]] = REGISTRY
                  ) -> Iterator[StoredProblem]:
    """Every stored signed record whose signature (or hash) does not hold, kind by kind.

    Keys are looked up among every key a person ever held (a record signed before its key
    was replaced stays valid). ``StoredProblem.own`` marks records whose author's key is on
    this PC (see there)."""
    keys: dict[str, Any] = agency_signing_keys(uow)

    def lookup(fp: str) -> Any:
        if fp not in keys:
            keys[fp] = uow.org.find_key(fp)
        return keys[fp]

    own = {record.owner_id for record in uow.sync.sealed_keys()}
    for kind in kinds:
        for record, problem in verified_in_batches(kind, kind.stored(uow), lookup):
            if problem is not None:
                yield dataclasses.replace(problem, own=kind.author(record) in own)
