"""Favourites ("việc hay làm", issue 16 item 16): catalog items a person logs with one click.

Kept by item code (table ``favourite_items``, revision 0015) so they survive a new catalog
version; an item the new catalog no longer has is simply not offered. Local to this PC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.everyday import FavouriteItem
from kpi_desktop.domain.values import normalize_text, utc_now

__all__ = ["MAX_FAVOURITES", "Favourite", "FavouriteService"]

# How many favourites one person keeps (a row of buttons, not a second catalog).
MAX_FAVOURITES = 8


@dataclass(frozen=True)
class Favourite:
    """A favourite with the catalog item it stands for today."""

    code: str
    item: Any  # CatalogItem of the active catalog


class FavouriteService:
    """Add, remove and list a person's favourites."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def list(self, person_id: str) -> list[Favourite]:
        """The person's favourites in their order, with the active catalog's items."""
        with self._db.unit_of_work(read_only=True) as uow:
            found = []
            for favourite in uow.favourites.list(normalize_text(person_id)):
                item = uow.catalog.find_item_by_code(favourite.item_code)
                if item is not None:
                    found.append(Favourite(favourite.item_code, item))
            return found

    def codes(self, person_id: str) -> set[str]:
        with self._db.unit_of_work(read_only=True) as uow:
            return {f.item_code for f in uow.favourites.list(normalize_text(person_id))}

    def add(self, person_id: str, code: str) -> Favourite:
        """Add catalog item ``code`` (already there: nothing changes).

        Raises:
            NotFound: an unknown person or item code.
            RefusedValue: ``favourites_full`` (more than :data:`MAX_FAVOURITES`).
        """
        person_id, code = normalize_text(person_id), normalize_text(code)
        with self._db.unit_of_work() as uow:
            uow.org.get_person(person_id)
            item = uow.catalog.find_item_by_code(code)
            if item is None:
                raise NotFound("not_found", kind="catalog_item", id=code)
            existing = uow.favourites.list(person_id)
            if any(f.item_code == code for f in existing):
                return Favourite(code, item)
            if len(existing) >= MAX_FAVOURITES:
                raise RefusedValue("favourites_full", maximum=MAX_FAVOURITES)
            uow.favourites.add(FavouriteItem(
                person_id=person_id, item_code=code,
                position=uow.favourites.next_position(person_id), added_at=utc_now()))
        return Favourite(code, item)

    def remove(self, person_id: str, code: str) -> bool:
        """Remove ``code`` from the person's favourites; whether it was there."""
        with self._db.unit_of_work() as uow:
            return uow.favourites.remove(normalize_text(person_id), normalize_text(code))
