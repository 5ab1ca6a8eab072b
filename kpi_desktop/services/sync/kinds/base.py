"""The record-kind protocol: what every signed record kind declares once, and the shared steps.

A record kind is one sort of signed record that travels in bundles (an entry revision, a
review statement, an evaluation part, …). It declares, in one module:

* ``file`` — its payload file in a bundle (``data/<file>.jsonl``);
* :meth:`RecordKind.signed_forms` — the canonical bytes its author signs (the current form
  first, then older forms that signatures made before still verify against);
* :meth:`RecordKind.author` and :meth:`RecordKind.check_author` — who may author it;
* :meth:`RecordKind.item_key` — its receipt key (what a recipient acknowledges);
* :meth:`RecordKind.subject` and :meth:`RecordKind.rank` — supersession: records of one
  subject are ordered by signed data only (a per-subject version, a signed time, the hash of
  the signed bytes), never by arrival, so an older copy replayed by anyone changes nothing;
* :meth:`RecordKind.outgoing` — the records the owner of a PC sends, and to whom (signing
  what is not signed yet);
* :meth:`RecordKind.apply` — its apply step on the receiving PC;
* :meth:`RecordKind.stored` and :meth:`RecordKind.verify_stored` — enumerate the records a PC
  holds and verify each (signature and hash), for ``kpi-desktop check``.

The service only orchestrates over :data:`kpi_desktop.services.sync.kinds.REGISTRY`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.known import Known, json_object
from kpi_desktop.services.sync.signatures import Signatures
from kpi_desktop.services.sync.trust import AuthorKey, author_key
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync import verifier
from kpi_desktop.sync.bundle import Bundle

__all__ = [
    "APPLIED",
    "DUPLICATE",
    "HELD",
    "SUPERSEDED",
    "ExportContext",
    "ImportContext",
    "RecordKind",
    "Signatures",
    "StoredProblem",
    "digest",
    "json_object",
    "signed_by",
]

R = TypeVar("R")

# What an apply step did with one record.
APPLIED = "applied"  # stored or changed something
DUPLICATE = "duplicates"  # the same record is here already
SUPERSEDED = "superseded"  # an older record of the subject: a newer one is here (no change)
HELD = "held"  # waits for another record; not acknowledged, so it comes again


def digest(data: bytes, length: int = 16) -> str:
    """The first ``length`` hex digits of the SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()[:length]


def signed_by(key: crypto.KeyPair, signature: bytes | None, fingerprint: str | None,
              data: bytes) -> bool:
    """Whether ``signature`` is ``key``'s valid signature of ``data``."""
    return (signature is not None and fingerprint == key.fingerprint
            and crypto.verify(key.public_key, signature, data))


@dataclass
class ExportContext:
    """What the kinds need to know when the owner of a PC exports."""

    uow: Any
    owner_id: str
    key: crypto.KeyPair
    today: dt.date
    now: dt.datetime
    evaluators: list[str]  # who evaluates the owner today
    evaluatees: list[str]  # whom the owner evaluates today
    to_agency: bool  # the agency receives a copy of everything (its key is published)

    @property
    def is_agency(self) -> bool:
        return self.owner_id == AGENCY


class ImportContext:
    """What the kinds need while one bundle is applied (one unit of work)."""

    def __init__(self, uow: Any, bundle: Bundle, now: dt.datetime, today: dt.date,
                 attachments: Callable[[str], bool]) -> None:
        self.uow = uow
        self.bundle = bundle
        self.now = now
        self.today = today
        self.known = Known(uow)
        self.has_attachment = attachments
        self.touched: set[str] = set()  # entries whose status follows from their statements
        self.counts: dict[str, int] = {}
        self.settle: set[str] = set()  # people whose discipline years are settled at the end
        self.late: AuthorKey | None = None  # the record just verified predates its key's end
        self.signatures = Signatures()  # the bundle's signatures, verified before the apply
        self._competent: dict[tuple[str, tuple[dt.date, ...]], set[str]] = {}

    def signed_forms(self, kind: RecordKind[Any], record: Any) -> Sequence[bytes]:
        """``kind.signed_forms(record)``, built once for this very record object."""
        return self.signatures.forms(kind, record)

    def adopt(self, ahead: ImportContext) -> None:
        """Take over what a context of the same bundle read ahead worked out: its records'
        signed forms and its signature answers (pure functions of the bundle's bytes)."""
        self.signatures = ahead.signatures  # with its records' signed forms

    def key(self, fp: str) -> model.PersonKey | None:
        return self.known.key(fp)

    def evaluators(self, person_id: str, days: Iterable[dt.date]) -> set[str]:
        """Who evaluates ``person_id`` on any of ``days``."""
        return self.known.evaluators(person_id, days)

    def competent(self, person_id: str, days: Iterable[dt.date]) -> set[str]:
        """Who may decide about ``person_id`` (appeals, discipline, classification): their
        evaluators on any of ``days`` or today, and those evaluators' own evaluators (the
        level above, for an appeal against the evaluator's own decision); never the person."""
        wanted = (*days, self.today)
        cache_key = (person_id, tuple(wanted))
        if cache_key not in self._competent:
            first = self.evaluators(person_id, wanted)
            above = {e for evaluator in first for e in self.evaluators(evaluator, [self.today])}
            self._competent[cache_key] = (first | above) - {person_id}
        return self._competent[cache_key]


@dataclass(frozen=True)
class StoredProblem:
    """A stored record whose signature or hash does not hold (``kpi-desktop check``)."""

    kind: str
    item_key: str
    code: str  # "unsigned" | "signer_unknown" | "signature_invalid" | "hash_mismatch"
    # Its author's key is on this PC: an unsigned or changed record of theirs may be one made
    # while the key was locked (signed at the next export) — or one altered in the file.
    own: bool = False


class RecordKind(Generic[R]):
    """Base of every record kind; see the module docstring for what each one declares."""

    # What messages call the kind (``bundle_signer_not_allowed``'s ``kind``).
    name: ClassVar[str]
    # The payload file in a bundle: ``data/<file>.jsonl``.
    file: ClassVar[str]
    # Who may author a record of this kind, in words (documentation, ``check``).
    authors: ClassVar[str]
    # The domain type a row of the payload file parses into.
    record_type: ClassVar[type]

    # ---------------------------------------------------------------- declared per kind ----

    def parse(self, row: Mapping[str, Any]) -> R:
        """The record a payload row holds (``bundle_malformed`` when it does not parse)."""
        from kpi_desktop.sync.records import from_json

        return from_json(self.record_type, row)  # type: ignore[no-any-return]

    def to_row(self, record: R, uow: Any) -> dict[str, Any]:
        """The payload row of a record."""
        from kpi_desktop.sync.records import to_json

        return to_json(record)

    def signed_forms(self, record: R) -> Sequence[bytes]:
        """The canonical signed bytes: the current form first, then older forms."""
        raise NotImplementedError

    def author(self, record: R) -> str | None:
        """Whose key signed the record."""
        raise NotImplementedError

    def signature(self, record: R) -> tuple[bytes | None, str | None]:
        """The record's signature and key fingerprint."""
        return record.signature, record.key_fingerprint  # type: ignore[attr-defined]

    def signed_at(self, record: R) -> dt.datetime | None:
        """The record's own (signed) date, compared with a key's revocation."""
        raise NotImplementedError

    def item_key(self, record: R) -> str:
        """The receipt key: what a recipient acknowledges having."""
        raise NotImplementedError

    def subject(self, record: R) -> str:
        """What the record is about; records of one subject supersede each other."""
        return self.item_key(record)

    def rank(self, record: R) -> tuple[Any, ...]:
        """The order of records of one subject, from signed data only (higher is newer)."""
        return (digest(self.signed_forms(record)[0], 64),)

    def bundle_kind(self, record: R) -> str:
        """The bundle kind a record of this kind makes ("plan", "work" or "review")."""
        raise NotImplementedError

    def check_author(self, record: R, ctx: ImportContext) -> None:
        """Raise ``bundle_signer_not_allowed`` unless the author may make this record."""
        raise NotImplementedError

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, R]]:
        """(recipient, record) pairs the owner sends; unsigned own records are signed now."""
        raise NotImplementedError

    def apply(self, record: R, ctx: ImportContext) -> str:
        """Apply one verified record; returns APPLIED, DUPLICATE, SUPERSEDED or HELD."""
        raise NotImplementedError

    def finish(self, ctx: ImportContext) -> None:
        """After every record of the kind in a bundle was applied (bulk writes)."""

    def stored(self, uow: Any) -> Iterable[R]:
        """Every record of this kind the PC holds that should carry a signature."""
        raise NotImplementedError

    def attachments(self, record: R) -> Sequence[str]:
        """SHA-256 of the files a record refers to (sent with it, kept by content)."""
        return ()

    # ---------------------------------------------------------------- shared steps --------

    def what(self, record: R) -> str:
        """The record's name in refusals."""
        return self.item_key(record)

    def verify(self, record: R, ctx: ImportContext) -> int:
        """Check the record's signature against its author's key and the record's date;
        returns which signed form it verified against (0: the current one). A record signed
        before its key was revoked is noted on ``ctx`` (flagged once it is applied).

        Raises:
            RefusedValue: unsigned, unknown key, another person's key, a key revoked at or
                before the record's date, or a signature that matches no signed form.
        """
        author = self.author(record)
        what = self.what(record)
        if author is None:
            raise RefusedValue("bundle_malformed", file=self.file, detail="author")
        signature, fp = self.signature(record)
        found = author_key(ctx.key, fp, author, what, self.signed_at(record))
        if signature is not None:
            for form, data in enumerate(ctx.signed_forms(self, record)):
                if ctx.signatures.verify(found.public_key, signature, data):
                    ctx.late = found if found.signed_before_revocation else None
                    return form
        raise RefusedValue("bundle_record_signature_invalid", record=what)

    def signature_work(self, record: R, key: Callable[[str], Any],
                       forms: Callable[[], Sequence[bytes]] | None = None
                       ) -> verifier.Work | None:
        """What :meth:`verify` (or :meth:`verify_stored`) will verify for this record —
        (public key, signature, signed forms) — so that many can be verified at once
        beforehand on every core; ``None`` when it will verify nothing (unsigned, unknown or
        another person's key: refused without verifying). ``key(fp)`` → the stored key;
        ``forms()`` → the signed forms (``signed_forms`` by default)."""
        signature, fp = self.signature(record)
        if signature is None or fp is None:
            return None
        found = key(fp)
        if found is None or found.person_id != self.author(record):
            return None
        return (found.public_key, signature,
                self.signed_forms(record) if forms is None else forms())

    def import_work(self, record: R, ctx: ImportContext) -> verifier.Work | None:
        """:meth:`signature_work` for a record about to be applied; ``None`` also when
        :meth:`apply` will not verify it (e.g. the very record stored here before)."""
        return self.signature_work(record, ctx.key, lambda: ctx.signed_forms(self, record))

    def verify_stored(self, record: R, lookup: Callable[[str], Any],
                      signatures: Signatures | None = None) -> StoredProblem | None:
        """Verify a stored record (``lookup(fp)`` → the stored key or ``None``;
        ``signatures``: answers verified beforehand, see :meth:`verify_stored_many`)."""
        signature, fp = self.signature(record)
        key_name = self.item_key(record)
        if signature is None or fp is None:
            return StoredProblem(self.name, key_name, "unsigned")
        key = lookup(fp)
        if key is None or key.person_id != self.author(record):
            return StoredProblem(self.name, key_name, "signer_unknown")
        if signatures is None:
            valid = any(crypto.verify(key.public_key, signature, data)
                        for data in self.signed_forms(record))
        else:
            valid = any(signatures.verify(key.public_key, signature, data)
                        for data in signatures.forms(self, record))
        if not valid:
            return StoredProblem(self.name, key_name, "signature_invalid")
        return None

    def verify_stored_many(self, records: Sequence[R], lookup: Callable[[str], Any]
                           ) -> list[StoredProblem | None]:
        """:meth:`verify_stored` of each record, the signatures verified together on every
        core (``kpi-desktop check``: pass a few thousand records at a time)."""
        return self.verify_stored_later(records, lookup, later=False)()

    def verify_stored_later(self, records: Sequence[R], lookup: Callable[[str], Any], *,
                            later: bool = True) -> Callable[[], list[StoredProblem | None]]:
        """:meth:`verify_stored_many` in two steps: the signatures are handed to the workers
        now (each record's signed forms built once), the answers collected when the returned
        function is called — meanwhile the caller reads the next records."""
        signatures = Signatures()
        work = [w for w in (self.signature_work(r, lookup, lambda r=r: signatures.forms(self, r))
                            for r in records) if w is not None]
        signatures.prepare(work, later=later)

        def answers() -> list[StoredProblem | None]:
            return [self.verify_stored(record, lookup, signatures) for record in records]

        answers.cancel = signatures.cancel  # type: ignore[attr-defined]
        return answers

    def sign_if_needed(self, record: R, key: crypto.KeyPair,
                       store: Callable[[R], None], *, immutable: bool = False,
                       **changes: Any) -> R:
        """The record signed by ``key`` in its current form; when its stored signature is
        missing or no longer matches (``changes`` first, e.g. a version bump), it is signed
        now and kept with ``store``. An ``immutable`` record (it never changes once made)
        signed by this key is not verified again at every export."""
        signature, fp = self.signature(record)
        if signature is not None and immutable and fp == key.fingerprint:
            return record
        if signature is not None and signed_by(key, signature, fp,
                                               self.signed_forms(record)[0]):
            return record
        record = dataclasses.replace(record, **changes)  # type: ignore[type-var]
        data = self.signed_forms(record)[0]
        record = self.with_signature(record, key.sign(data), key.fingerprint)
        store(record)
        return record

    def with_signature(self, record: R, signature: bytes, fingerprint: str) -> R:
        """The record carrying this signature."""
        return dataclasses.replace(record, signature=signature,  # type: ignore[type-var]
                                   key_fingerprint=fingerprint)

    def newer(self, first: R, second: R) -> bool:
        """Whether ``first`` supersedes ``second`` (same subject; signed data only)."""
        return self.rank(first) > self.rank(second)
