"""The hub's per-sender daily quota, set by the agency and carried in its organisation file.

The agency sets the quota on its PC (``kpi-desktop org hub-limits``); the next organisation
file carries it in its signed header (``"hub_limits"``), and the hub adopts it when it applies
that file. Without one the defaults hold: a member may store at most
:data:`DEFAULT_BUNDLES_PER_DAY` bundles and :data:`DEFAULT_MEGABYTES_PER_DAY` MB on the hub in
any 24 hours (what an office sends in a busy day many times over; the agency's own files are
not counted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import RefusedValue

__all__ = ["DEFAULT_BUNDLES_PER_DAY", "DEFAULT_MEGABYTES_PER_DAY", "HEADER_FIELD", "SETTING",
           "HubLimits", "agency_hub_limits", "hub_limits_header", "set_agency_hub_limits"]

DEFAULT_BUNDLES_PER_DAY = 500
DEFAULT_MEGABYTES_PER_DAY = 512
# The settings key (the agency's choice on its PC; the adopted quota on the hub).
SETTING = "hub.limits"
# The organisation file's header field that carries the quota.
HEADER_FIELD = "hub_limits"
_MAX_BUNDLES, _MAX_MEGABYTES = 1_000_000, 1_000_000


@dataclass(frozen=True)
class HubLimits:
    """What one sender may store on the hub in any 24 hours."""

    bundles_per_day: int = DEFAULT_BUNDLES_PER_DAY
    megabytes_per_day: int = DEFAULT_MEGABYTES_PER_DAY

    def __post_init__(self) -> None:
        for name, value, top in (("bundles_per_day", self.bundles_per_day, _MAX_BUNDLES),
                                 ("megabytes_per_day", self.megabytes_per_day, _MAX_MEGABYTES)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise RefusedValue("hub_limit_invalid", field=name, value=str(value),
                                   maximum=top)

    @property
    def bytes_per_day(self) -> int:
        return self.megabytes_per_day * 1024 * 1024

    def to_json(self) -> dict[str, int]:
        return {"bundles_per_day": self.bundles_per_day,
                "megabytes_per_day": self.megabytes_per_day}

    @classmethod
    def from_json(cls, value: Any) -> HubLimits:
        """Limits from their JSON form; the defaults for anything missing.

        Raises:
            RefusedValue: ``hub_limit_invalid``.
        """
        if not isinstance(value, dict):
            raise RefusedValue("hub_limit_invalid", field="hub_limits", value=str(value)[:80],
                               maximum=_MAX_BUNDLES)
        return cls(bundles_per_day=value.get("bundles_per_day", DEFAULT_BUNDLES_PER_DAY),
                   megabytes_per_day=value.get("megabytes_per_day",
                                               DEFAULT_MEGABYTES_PER_DAY))

    @classmethod
    def from_setting(cls, text: str | None) -> HubLimits:
        """The limits stored in the settings (the defaults when none or unreadable)."""
        if not text:
            return cls()
        try:
            return cls.from_json(json.loads(text))
        except (ValueError, RefusedValue):
            return cls()

    def to_setting(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)


def agency_hub_limits(db: Any) -> HubLimits:
    """The quota the agency chose on this PC (the defaults until it chooses)."""
    with db.unit_of_work(read_only=True) as uow:
        return HubLimits.from_setting(uow.settings.get(SETTING))


def set_agency_hub_limits(db: Any, limits: HubLimits) -> None:
    """Remember the agency's quota; the next organisation file carries it."""
    from kpi_desktop.domain.model import AuditEvent, utc_now

    with db.unit_of_work() as uow:
        uow.settings.set(SETTING, limits.to_setting())
        uow.audit.append(AuditEvent(at=utc_now(), action="hub.limits", object_type="setting",
                                    object_id=SETTING, detail=limits.to_json()))


def hub_limits_header(uow: Any) -> dict[str, Any]:
    """The organisation file's header field with the agency's quota, once it chose one
    (``{}`` before: the hub keeps its defaults)."""
    text = uow.settings.get(SETTING)
    return {HEADER_FIELD: HubLimits.from_setting(text).to_json()} if text else {}
