"""Signatures verified on every core (issue 18): ``sync.verifier.verify_many`` answers exactly
what one-by-one verification answers, and imports and ``check`` that go through the worker
processes accept, refuse and report exactly as before.

The registry's trust tests (``test_registry.py``: a round trip and its check, every field of a
record altered) run here again with the pool forced on for every bundle, in chunks of two
records, so the chunks are shared between the workers and this process: for revisions (the
duplicate path), evaluation decisions (two signed forms) and discipline events (their own
stored check)."""

from __future__ import annotations

import pytest

from kpi_desktop.services.sync.kinds import verified_in_batches
from kpi_desktop.services.sync.kinds.base import Signatures
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync import verifier

from .helpers import World
from .scenarios import SCENARIOS, Case
from .test_registry import (  # noqa: F401 - the tests run here again
    test_a_round_trip_stores_the_records_and_check_finds_them_sound,
    test_each_field_altered_is_refused_or_not_taken_from_the_row,
)


@pytest.fixture(scope="module",
                params=["revisions", "evaluations:confirmation", "discipline_events"])
def case(request: pytest.FixtureRequest, world_master: World,
         tmp_path_factory: pytest.TempPathFactory) -> Case:
    world = world_master.copy_to(tmp_path_factory.mktemp("kind") / "world")
    return SCENARIOS[request.param](world)


@pytest.fixture(autouse=True)
def every_bundle_through_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verifier, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(verifier, "CHUNK", 2)


def _work(count: int) -> tuple[list[verifier.Work], list[int]]:
    """Signatures of every sort, with the answer one-by-one verification gives."""
    alice, bob = crypto.generate_key(), crypto.generate_key()
    items: list[verifier.Work] = []
    for n in range(count):
        current, older = f"record {n} v2".encode(), f"record {n}".encode()
        match n % 5:
            case 0:  # the current form
                items.append((alice.public_key, alice.sign(current), (current, older)))
            case 1:  # an older form only
                items.append((alice.public_key, alice.sign(older), (current, older)))
            case 2:  # another person's key
                items.append((bob.public_key, alice.sign(current), (current, older)))
            case 3:  # the bytes changed after signing
                items.append((alice.public_key, alice.sign(current), (current + b"!",)))
            case _:  # a damaged signature
                signature = bytearray(alice.sign(current))
                signature[0] ^= 1
                items.append((alice.public_key, bytes(signature), (current,)))
    expected = [next((i for i, data in enumerate(forms) if crypto.verify(key, sig, data)), -1)
                for key, sig, forms in items]
    return items, expected


def test_many_signatures_on_every_core_give_the_one_by_one_answers() -> None:
    items, expected = _work(300)
    assert expected[:5] == [0, 1, -1, -1, -1]
    assert verifier.verify_many(items) == expected
    if verifier.cores() > 1:  # the workers took part (on one core everything runs here)
        assert verifier._pool is not None


def test_answers_serve_only_the_exact_bytes_they_were_given_for() -> None:
    items, _expected = _work(10)
    signatures = Signatures()
    signatures.prepare(items)
    key, signature, forms = items[0]
    assert signatures.verify(key, signature, forms[0])
    # Not asked beforehand: verified now, not taken from the answer about other bytes.
    assert not signatures.verify(key, signature, forms[0] + b" changed")
    assert not signatures.verify(items[2][0], signature, forms[0])


def test_check_in_batches_reports_what_one_by_one_reports() -> None:
    class Stored:
        def __init__(self, item: verifier.Work) -> None:
            self.public_key, self.signature, self.forms = item
            self.key_fingerprint = crypto.fingerprint(self.public_key)

    class Key:
        def __init__(self, public_key: bytes) -> None:
            self.public_key, self.person_id = public_key, "p"

    from kpi_desktop.services.sync.kinds.base import RecordKind

    class Kind(RecordKind[Stored]):
        name = file = "test"

        def signed_forms(self, record: Stored) -> tuple[bytes, ...]:
            return tuple(record.forms)

        def author(self, record: Stored) -> str:
            return "p"

        def item_key(self, record: Stored) -> str:
            return repr(record.forms[0])

    items, _expected = _work(50)
    records = [Stored(item) for item in items]
    keys = {r.key_fingerprint: Key(r.public_key) for r in records}
    kind = Kind()
    one_by_one = [kind.verify_stored(r, keys.get) for r in records]
    assert [p is None for p in one_by_one] == [n % 5 < 2 for n in range(50)]
    assert [(r, p) for r, p in verified_in_batches(kind, records, keys.get, batch=7)] == list(
        zip(records, one_by_one, strict=True))
    # Each record's signed forms are built once (the next batch is read while the workers
    # verify this one, and its answers use the forms built for the workers).
    built: list[int] = []
    forms_of = Kind.signed_forms

    def counted(self: Kind, record: Stored) -> tuple[bytes, ...]:
        built.append(id(record))
        return forms_of(self, record)

    Kind.signed_forms = counted  # type: ignore[method-assign]
    try:
        assert [p for _r, p in verified_in_batches(kind, records, keys.get, batch=7)] == \
            one_by_one
        assert sorted(built) == sorted(id(r) for r in records)
        # A caller that stops early: nothing left running for the batches not asked for.
        built.clear()
        batches = verified_in_batches(kind, records, keys.get, batch=7)
        assert [next(batches)[1] for _ in range(3)] == one_by_one[:3]
        batches.close()
        assert len(built) == 14  # the first batch and the one read ahead, no more
    finally:
        Kind.signed_forms = forms_of  # type: ignore[method-assign]


def test_answers_asked_one_by_one_while_the_workers_verify_equal_the_batch() -> None:
    """The import asks for its answers record by record while the workers are still busy
    (``verifier.submit``): in any order, each answer is the one-by-one answer, and the
    answers of a batch dropped half-way (a refusal) are not needed to finish."""
    items, expected = _work(60)
    pending = verifier.submit(items)
    order = [*range(59, 29, -1), *range(30)]  # from the end first, then from the start
    assert [pending.answer(i) for i in order] == [expected[i] for i in order]
    assert pending.all() == expected
    dropped = verifier.submit(items)
    assert dropped.answer(0) == expected[0]
    dropped.cancel()
    assert dropped.all() == expected  # chunks dropped before a worker took them: done here


def test_answers_asked_lazily_serve_each_form_exactly() -> None:
    """``Signatures`` asked before the answers are known: the current form, an older form, a
    form after the one that verified (never tried: verified when asked) and bytes never asked
    about each get the one-by-one answer."""
    items, expected = _work(40)
    signatures = Signatures()
    signatures.prepare(items)
    for (key, signature, forms), found in zip(items, expected, strict=True):
        for index, data in enumerate(forms):
            assert signatures.verify(key, signature, data) == crypto.verify(
                key, signature, data), (found, index)
    key, signature, forms = items[0]  # verified by its current form; the older one also asked
    assert signatures.verify(key, signature, forms[1]) == crypto.verify(key, signature, forms[1])
    signatures.cancel()
