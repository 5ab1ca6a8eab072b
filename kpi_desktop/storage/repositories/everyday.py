"""Sign-ins and favourite items (revision 0015): ``uow.sign_ins`` and ``uow.favourites``."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from kpi_desktop.domain.everyday import FavouriteItem, SignIn
from kpi_desktop.storage.orm import FavouriteItemRow, SignInRow
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_SIGN_IN = table_of(SignInRow)
_FAVOURITE = table_of(FavouriteItemRow)


class SignInRepository(Repository):
    """The latest sign-in of each person on this PC."""

    def get(self, person_id: str) -> SignIn | None:
        return self._one(SignIn, _SIGN_IN, _SIGN_IN.c.person_id == person_id)

    def put(self, record: SignIn) -> None:
        if self._update(_SIGN_IN, _SIGN_IN.c.person_id == record.person_id,
                        {k: v for k, v in to_row(record).items() if k != "person_id"}) == 0:
            self._insert(_SIGN_IN, to_row(record))


class FavouriteRepository(Repository):
    """Each person's favourite catalog items, in their order."""

    def list(self, person_id: str) -> list[FavouriteItem]:
        return self._all(FavouriteItem, select(_FAVOURITE)
                         .where(_FAVOURITE.c.person_id == person_id)
                         .order_by(_FAVOURITE.c.position, _FAVOURITE.c.item_code))

    def add(self, favourite: FavouriteItem) -> None:
        self._insert(_FAVOURITE, to_row(favourite))

    def next_position(self, person_id: str) -> int:
        found = self._session.execute(select(func.max(_FAVOURITE.c.position))
                                      .where(_FAVOURITE.c.person_id == person_id)).scalar()
        return 0 if found is None else int(found) + 1

    def remove(self, person_id: str, item_code: str) -> bool:
        result = self._session.execute(delete(_FAVOURITE).where(
            (_FAVOURITE.c.person_id == person_id) & (_FAVOURITE.c.item_code == item_code)))
        return bool(getattr(result, "rowcount", 0))
