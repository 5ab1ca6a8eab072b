"""Which bundle format each peer reads.

Every bundle says the newest format major its writer reads (header field ``reads``, signed
with the header; writers before it say nothing). A PC remembers, for each sender, what the
newest bundle imported from them said, and deflates the data files of the encrypted bundles
it sends to a peer that reads :data:`~kpi_desktop.sync.bundle.DEFLATED_VERSION` (~6× smaller
over a slow line or on a stick). A peer never heard from, or one that went back to an older
version, gets the format every version reads; a 1.x reader handed a deflated bundle anyway
(the same person on an old PC) refuses it as newer and asks to update, never misreads it.
"""

from __future__ import annotations

from typing import Any

from kpi_desktop.sync.bundle import DEFLATED_VERSION, Bundle

__all__ = ["deflates_for", "note_reads", "remember_reads"]

_DEFLATED_MAJOR = int(DEFLATED_VERSION.split(".")[0])


def _setting(peer: str) -> str:
    return f"sync.reads.{peer}"


def note_reads(uow: Any, bundle: Bundle) -> None:
    """Remember what the sender of ``bundle`` (being imported) reads: what it says, or the
    first format when it says nothing."""
    value = bundle.header.get("reads")
    remember_reads(uow, bundle.sender_id, value if type(value) is int and 0 < value < 1000
                   else 1)


def remember_reads(uow: Any, peer: str, reads: int) -> None:
    """Remember that ``peer`` reads format majors up to ``reads``."""
    key = _setting(peer)
    if uow.settings.get(key) != str(reads):
        uow.settings.set(key, str(reads))


def deflates_for(uow: Any, peer: str) -> bool:
    """Whether bundles to ``peer`` may have their data files deflated."""
    value = uow.settings.get(_setting(peer))
    return value is not None and value.isdigit() and int(value) >= _DEFLATED_MAJOR
