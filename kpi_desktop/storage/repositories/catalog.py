"""Catalog repository: versions, items, which job positions may use which items, search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from kpi_desktop.domain.errors import NotFound
from kpi_desktop.domain.model import (
    CatalogItem,
    CatalogVersion,
    ItemScope,
    JobPosition,
    JobPositionItem,
    Person,
)
from kpi_desktop.domain.values import fold_text
from kpi_desktop.storage.orm import (
    CatalogItemRow,
    CatalogVersionRow,
    JobPositionItemRow,
    JobPositionRow,
    PersonRow,
    WorkLogEntryRow,
)
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_VERSION = table_of(CatalogVersionRow)
_ITEM = table_of(CatalogItemRow)
_LINK = table_of(JobPositionItemRow)
_POS = table_of(JobPositionRow)
_PERSON = table_of(PersonRow)
_ENTRY = table_of(WorkLogEntryRow)


def search_key(item: CatalogItem) -> str:
    """The folded text an item is found by: code, names, output products and details (in
    Vietnamese and English; migration 0015 recomputed the stored keys)."""
    return fold_text(" ".join((item.code, item.name_vi, item.name_en, item.output_vi,
                               item.output_en, item.detail_vi, item.detail_en)))


def _starts_words(words: list[str], text: str) -> bool:
    """Whether every one of ``words`` begins a word of ``text`` (both folded)."""
    present = text.split()
    return all(any(w.startswith(word) for w in present) for word in words)


def match_rank(item: CatalogItem, query: str) -> int:
    """How well ``item`` matches ``query`` (lower is better): 0 every word begins a word of
    its code or names ("ket hon" → "Đăng ký kết hôn"), 1 of its output or details too, 2 the
    words are only inside other words ("hon" in "thông")."""
    words = fold_text(query).split()
    if _starts_words(words, fold_text(" ".join((item.code, item.name_vi, item.name_en)))):
        return 0
    return 1 if _starts_words(words, search_key(item)) else 2


def item_row(item: CatalogItem) -> dict[str, object]:
    """The table row of ``item``, with its search key."""
    row = to_row(item)
    row["search_text"] = search_key(item)
    return row


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class CatalogRepository(Repository):
    """The versioned task catalog (``uow.catalog``)."""

    # ---------------------------------------------------------------- versions --------------

    def add_version(self, version: CatalogVersion) -> None:
        """Store a catalog version (if it is marked active, the others are deactivated)."""
        if version.active:
            self._update(_VERSION, _VERSION.c.active.is_(True), {"active": False})
        self._insert(_VERSION, to_row(version))

    def get_version(self, version_id: str) -> CatalogVersion:
        """The version, or ``NotFound``."""
        return self._get(CatalogVersion, _VERSION, _VERSION.c.id == version_id,
                         "catalog_version", version_id)

    def list_versions(self) -> list[CatalogVersion]:
        """Every catalog version, oldest publication first."""
        return self._all(CatalogVersion,
                         select(_VERSION).order_by(_VERSION.c.published_at, _VERSION.c.id))

    def active_version(self) -> CatalogVersion | None:
        """The version in use, or ``None`` before any catalog was published."""
        return self._one(CatalogVersion, _VERSION, _VERSION.c.active.is_(True))

    def activate_version(self, version_id: str) -> None:
        """Make ``version_id`` the only active version."""
        self.get_version(version_id)
        self._update(_VERSION, _VERSION.c.active.is_(True), {"active": False})
        self._update(_VERSION, _VERSION.c.id == version_id, {"active": True})

    def _version_id(self, version_id: str | None) -> str:
        if version_id is not None:
            return version_id
        active = self.active_version()
        if active is None:
            raise NotFound("not_found", kind="catalog_version", id="active")
        return active.id

    # ---------------------------------------------------------------- items -----------------

    def add_item(self, item: CatalogItem) -> None:
        """Store one catalog item."""
        self._insert(_ITEM, item_row(item))

    def add_items(self, items: Sequence[CatalogItem]) -> int:
        """Bulk-insert catalog items."""
        return self._insert_many(_ITEM, [item_row(i) for i in items])

    def get_item(self, item_id: str) -> CatalogItem:
        """The item, or ``NotFound``."""
        return self._get(CatalogItem, _ITEM, _ITEM.c.id == item_id, "catalog_item", item_id)

    def find_item(self, item_id: str) -> CatalogItem | None:
        """The item, or ``None``."""
        return self._one(CatalogItem, _ITEM, _ITEM.c.id == item_id)

    def get_items(self, item_ids: Iterable[str]) -> dict[str, CatalogItem]:
        """The items with these ids that exist, by id."""
        ids = list(dict.fromkeys(item_ids))
        if not ids:
            return {}
        return {i.id: i for i in self._all(CatalogItem, select(_ITEM).where(_ITEM.c.id.in_(ids)))}

    def find_item_by_code(self, code: str, *, version_id: str | None = None) -> CatalogItem | None:
        """The item with ``code`` in a version (default: the active one), or ``None``."""
        version = self._version_id(version_id)
        return self._one(CatalogItem, _ITEM,
                         (_ITEM.c.catalog_version_id == version) & (_ITEM.c.code == code))

    def list_items(self, *, version_id: str | None = None) -> list[CatalogItem]:
        """Every item of a version (default: the active one), by code."""
        version = self._version_id(version_id)
        return self._all(CatalogItem, select(_ITEM)
                         .where(_ITEM.c.catalog_version_id == version).order_by(_ITEM.c.code))

    # ---------------------------------------------------------------- permissions -----------

    def add_position_items(self, links: Sequence[JobPositionItem]) -> int:
        """Bulk-insert explicit job position → item permissions."""
        return self._insert_many(_LINK, [to_row(link) for link in links])

    def set_position_items(self, job_position_id: str, item_ids: Iterable[str]) -> None:
        """Replace the explicit items of a position (an empty list returns it to the rules)."""
        self._session.execute(_LINK.delete().where(_LINK.c.job_position_id == job_position_id))
        self.add_position_items([JobPositionItem(job_position_id=job_position_id,
                                                 catalog_item_id=i)
                                 for i in dict.fromkeys(item_ids)])

    def position_item_ids(self, job_position_id: str) -> set[str]:
        """The explicitly permitted item ids of a position (any version)."""
        stmt = select(_LINK.c.catalog_item_id).where(_LINK.c.job_position_id == job_position_id)
        return set(self._session.execute(stmt).scalars())

    def allowed_items(self, person_id: str, *, version_id: str | None = None) -> list[CatalogItem]:
        """The items of a version (default: active) that ``person_id`` may log, by code.

        A job position with explicit permissions may use exactly those items. Otherwise the
        rules apply: every shared item; leadership items for leadership positions and for heads
        and deputies; division items whose field code is one of the position's field codes.
        """
        person = self._person(person_id)
        position = self._position(person.job_position_id)
        items = self.list_items(version_id=version_id)
        explicit = self.position_item_ids(position.id) if position is not None else set()
        if explicit:
            return [i for i in items if i.id in explicit]
        return [i for i in items if _allowed_by_rule(i, person, position)]

    def is_allowed(self, person_id: str, item_id: str) -> bool:
        """Whether ``person_id`` may log ``item_id`` (in the item's own catalog version)."""
        item = self.get_item(item_id)
        person = self._person(person_id)
        position = self._position(person.job_position_id)
        explicit = self.position_item_ids(position.id) if position is not None else set()
        if explicit:
            return item.id in explicit
        return _allowed_by_rule(item, person, position)

    # ---------------------------------------------------------------- search & usage --------

    def search(
        self, query: str, *, person_id: str | None = None, version_id: str | None = None,
        limit: int = 50,
    ) -> list[CatalogItem]:
        """Items whose code, name, output product or details contain every word of ``query``,
        ignoring case, diacritics and đ/d ("xu ly don" finds "Xử lý đơn thư", "giay chung
        nhan" an item whose output is "Giấy chứng nhận"); code and name matches first.

        With ``person_id``: only the items that person may use, the ones they used most
        first (then by code). An empty query lists everything allowed.
        """
        version = self._version_id(version_id)
        stmt = select(_ITEM).where(_ITEM.c.catalog_version_id == version)
        for word in fold_text(query).split():
            stmt = stmt.where(_ITEM.c.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
        items = self._all(CatalogItem, stmt.order_by(_ITEM.c.code))
        # Items found by their code or name first, then those found by output or details.
        items.sort(key=lambda i: match_rank(i, query))
        if person_id is None:
            return items[:limit]
        allowed = {i.id for i in self.allowed_items(person_id, version_id=version)}
        usage = self.usage_counts(person_id)
        ranked = sorted((i for i in items if i.id in allowed),
                        key=lambda i: (match_rank(i, query), -usage.get(i.code, 0), i.code))
        return ranked[:limit]

    def usage_counts(self, person_id: str) -> dict[str, int]:
        """How many work-log entries ``person_id`` made per catalog item code (all versions)."""
        stmt = (select(_ITEM.c.code, func.count())
                .select_from(_ENTRY.join(_ITEM, _ENTRY.c.catalog_item_id == _ITEM.c.id))
                .where(_ENTRY.c.person_id == person_id)
                .group_by(_ITEM.c.code))
        return {code: int(count) for code, count in self._session.execute(stmt)}

    # ---------------------------------------------------------------- helpers ---------------

    def _person(self, person_id: str) -> Person:
        return self._get(Person, _PERSON, _PERSON.c.id == person_id, "person", person_id)

    def _position(self, position_id: str | None) -> JobPosition | None:
        if position_id is None:
            return None
        return self._one(JobPosition, _POS, _POS.c.id == position_id)


def _allowed_by_rule(item: CatalogItem, person: Person, position: JobPosition | None) -> bool:
    """The rule-based permission (no explicit list for the position)."""
    if item.scope is ItemScope.SHARED:
        return True
    if item.scope is ItemScope.LEADERSHIP:
        return person.role.is_leader or (position is not None and position.leadership)
    return position is not None and item.field_code in position.field_codes
