"""The everyday loop's own records (issue 16): sign-ins on this PC and favourite items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["FavouriteItem", "SignIn"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SignIn:
    """A person's latest sign-in on this PC; ``confirmed_entries`` is how many of their entries
    were confirmed at that moment (the next sign-in counts what was confirmed since)."""

    person_id: str
    signed_in_at: dt.datetime
    confirmed_entries: int = 0
    previous_signed_in_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FavouriteItem:
    """A catalog item (by code, across catalog versions) that a person logs often."""

    person_id: str
    item_code: str
    position: int = 0
    added_at: dt.datetime
