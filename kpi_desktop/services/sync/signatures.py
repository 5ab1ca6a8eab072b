"""Answers of Ed25519 verifications asked beforehand, many at once on every core (issue 18):
what an import and ``kpi-desktop check`` ask the verifying workers, and how each answer is
taken back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync import verifier

__all__ = ["Signatures"]


class Signatures:
    """Answers of Ed25519 verifications asked beforehand, many at once on every core
    (:func:`kpi_desktop.sync.verifier.submit`); a question not asked beforehand is answered
    by verifying it now. Keyed by the exact (key, signature, signed bytes), so an answer never
    serves other bytes. The answers are worked out in the background: asking for one waits
    only for its own chunk (an import applies its first records while the workers verify the
    rest)."""

    def __init__(self) -> None:
        # (key, signature, bytes) → (which prepare, the item in it, the form's index).
        self._asked: dict[tuple[bytes, bytes, bytes], tuple[int, int, int]] = {}
        self._pending: list[verifier.Pending] = []
        # id(record) → (kind, record, its signed forms): built once per record (what the
        # workers verify and what the apply step or the check's answer compares are the
        # same bytes).
        self._forms: dict[int, tuple[Any, Any, Sequence[bytes]]] = {}

    def forms(self, kind: Any, record: Any) -> Sequence[bytes]:
        """``kind.signed_forms(record)``, built once for this very record object."""
        kept = self._forms.get(id(record))
        if kept is not None and kept[1] is record and type(kept[0]) is type(kind):
            return kept[2]
        forms = kind.signed_forms(record)
        self._forms[id(record)] = (kind, record, forms)  # the record is kept: id stays its own
        return forms

    def prepare(self, work: Sequence[verifier.Work], *, later: bool = False) -> None:
        """Start verifying every (public key, signature, forms) of ``work``, on every core
        (what was asked before is not asked again). ``later``: no answer is wanted before
        the workers had time for it (a bundle read ahead)."""
        work = [w for w in work if not w[2] or (w[0], w[1], w[2][0]) not in self._asked]
        if not work:
            return
        pending = verifier.submit(work, first_here=not later)
        self._pending.append(pending)
        batch = len(self._pending) - 1
        for item, (public_key, signature, forms) in enumerate(work):
            for index, data in enumerate(forms):
                self._asked.setdefault((public_key, signature, data), (batch, item, index))

    def verify(self, public_key: bytes, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` is ``public_key``'s valid signature of ``data``."""
        asked = self._asked.get((public_key, signature, data))
        if asked is not None:
            batch, item, index = asked
            found = self._pending[batch].answer(item)
            if found == -1 or found > index:
                return False  # no form verifies, or only a later one: not these bytes
            if found == index:
                return True
            # An earlier form verified, so these bytes were never tried: verify them now.
        return crypto.verify(public_key, signature, data)

    def cancel(self) -> None:
        """Drop the verifications not started yet (nothing will ask for them)."""
        for pending in self._pending:
            pending.cancel()
