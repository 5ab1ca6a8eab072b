"""Transfers between agencies (Điều 19.1): a month's result received from the old agency.

When a civil servant moves to another agency, the old agency sends the monthly (quarterly)
results it evaluated; the new agency classifies the year with them. Such a month is kept as a
:class:`TransferredMonth`: the values as the old agency locked them, the unit and the
evaluator that confirmed them there (names included, since neither exists here), the policy
version, the evaluator's signature and the agency that vouched for it (stdlib only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.scores import Level
from kpi_desktop.domain.values import Period

__all__ = ["TransferredMonth"]


def _empty() -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferredMonth:
    """One month (or quarter) of a person, evaluated and locked by another agency.

    ``record`` is the month exactly as the sending agency exported it (JSON-ready values),
    so the evaluator's signature over it can be checked again later; the receiving agency adds
    ``_evaluator_keys`` (the evaluator's public key as sent) and, for a month passed on by an
    agency that had itself received it, ``_relayed_by`` (the agencies it went through).
    ``source_*`` always names the agency that evaluated the month.
    """

    person_id: str
    period: Period
    source_agency_id: str
    source_agency_name: str
    source_fingerprint: str
    unit_id: str
    unit_name: str
    evaluator_id: str | None
    evaluator_name: str
    total: Fraction | None
    level: Level | None
    insufficient: bool
    policy_version: str | None
    bundle_id: str
    imported_at: dt.datetime
    record: Mapping[str, Any] = field(default_factory=_empty)
    evaluator_signature: bytes | None = None
    evaluator_key_fingerprint: str | None = None
