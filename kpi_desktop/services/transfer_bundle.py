"""Transfer bundles: a person's monthly results from one agency to another (Điều 19.1,
DESIGN.md §6 kind ``transfer``).

The old agency sends the months it evaluated and locked; the new agency classifies the year
with them. The bundle uses the ordinary format (:mod:`kpi_desktop.sync.bundle`), signed by
the sending agency's key, with plain payloads::

    header.json   kind "transfer", sender "agency", recipient "*", organisation {id, version},
                  agency {id, name, public_key}, person
    data/transfer.jsonl     one line: the person and the sending agency
    data/units.jsonl        the units the months were evaluated in (id, names)
    data/evaluators.jsonl   the evaluators (id, name, public key of the signature)
    data/evaluations.jsonl  every locked month (Form 01 as stored: totals, level, evaluator,
                            unit, policy version, the official's and the evaluator's signatures)
    data/received.jsonl     the months this agency itself received from another agency (and
                            did not evaluate here), passed on so that a second transfer
                            (A → B → C) keeps them: the month as the original agency sent it,
                            with its origin (agency, key fingerprint), unit, evaluator, the
                            evaluator's signature and public keys, and the agencies it went
                            through (``relayed_by``)

A received month is passed on as the first agency sent it: its origin stays that agency, and
its evaluator's signature is checked again at every import when the evaluator's key travels
with it (the keys are kept with the stored month, ``record["_evaluator_keys"]``).

The receiving agency does not know the sender's key: the person importing compares the
fingerprint (:meth:`TransferBundleService.inspect` shows it) and passes it explicitly
(``trust``). The import is all-or-nothing and idempotent; a month already here with other
values, a person unknown here, a signer other than the trusted key, a bad evaluator signature
or any damage refuses the whole bundle and changes nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    AuditEvent,
    EvaluationStatus,
    MonthlyEvaluation,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.sync import AGENCY, BundleLogEntry
from kpi_desktop.domain.transfers import TransferredMonth
from kpi_desktop.services.keys import KeyService
from kpi_desktop.services.sync import BUNDLE_SUFFIX, write_atomically
from kpi_desktop.storage.backup import backup_database
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Bundle, Limits, read_bundle, write_bundle
from kpi_desktop.sync.records import from_json, to_json
from kpi_desktop.sync.signing import evaluation_confirmation_forms, verify_any

__all__ = ["TransferBundleService", "TransferExport", "TransferImport", "TransferPreview"]

KIND = "transfer"
# Keys the receiving agency adds to a stored month's ``record`` (the month as exported):
# the evaluator's public keys and the agencies a passed-on month went through.
_KEYS_FIELD, _RELAY_FIELD = "_evaluator_keys", "_relayed_by"
_EVALUATED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
_BACKUP_PREFIX = "kpi-before-transfer-"


@dataclass(frozen=True)
class TransferExport:
    """A transfer bundle written by the sending agency."""

    path: Path
    person_id: str
    months: tuple[str, ...]
    fingerprint: str  # readable fingerprint of the agency key that signed it


@dataclass(frozen=True)
class TransferPreview:
    """What a transfer bundle says, after its signature and files were checked against the
    key it names (shown before the person decides to trust that key)."""

    bundle_id: str
    fingerprint: str  # readable
    agency_id: str
    agency_name: str
    person_id: str
    person_name: str
    months: tuple[str, ...]
    person_known: bool


@dataclass(frozen=True)
class TransferImport:
    """What importing a transfer bundle did."""

    status: str  # "imported" | "already"
    bundle_id: str
    person_id: str
    agency_name: str
    fingerprint: str
    months: tuple[str, ...]
    unchanged: tuple[str, ...] = ()


def _bare(fingerprint: str) -> str:
    return "".join(fingerprint.split()).lower()


class TransferBundleService:
    """Export and import of a person's monthly results between agencies."""

    def __init__(self, db: Any, keys: KeyService, *, backup_dir: Path | None = None,
                 limits: Limits | None = None,
                 now: Callable[[], dt.datetime] = utc_now) -> None:
        self._db = db
        self.keys = keys
        self._backup_dir = backup_dir
        self._limits = limits or Limits()
        self._now = now

    # ================================================================ export ===============
    def export(self, person_id: str, to_dir: Path, *, year: int | None = None
               ) -> TransferExport:
        """Write the person's locked months (of ``year``, or all) signed by the agency key.

        Raises:
            RefusedValue: ``key_missing``/``key_locked`` without the unlocked agency key,
                ``not_found`` for an unknown person, ``transfer_nothing_to_export``.
        """
        key = self.keys.require(AGENCY)
        now = self._now()
        with self._db.unit_of_work() as uow:
            person = uow.org.find_person(person_id)
            if person is None:
                raise NotFound("not_found", kind="person", id=person_id)
            organisations = uow.org.list_organisations()
            if len(organisations) != 1:
                raise RefusedValue("organisation_missing")
            org = organisations[0]
            months = [e for e in uow.evaluations.list_monthly(
                person_id=person_id, year=year, statuses=[EvaluationStatus.LOCKED])]
            local_periods = {str(e.period) for e in uow.evaluations.list_monthly(
                person_id=person_id, year=year, statuses=_EVALUATED)}
            received = [m for m in uow.transfers.months_of([person_id], year=year)
                        if str(m.period) not in local_periods]
            if not months and not received:
                raise RefusedValue("transfer_nothing_to_export", person=person_id)
            units = {u.id: u for u in uow.org.list_units()}
            evaluators = uow.org.get_people(e.evaluator_id for e in months if e.evaluator_id)
            evaluator_rows: dict[str, dict[str, Any]] = {}
            for e in months:
                if not e.evaluator_id:
                    continue
                row = evaluator_rows.setdefault(e.evaluator_id, {
                    "id": e.evaluator_id,
                    "full_name": evaluators[e.evaluator_id].full_name
                    if e.evaluator_id in evaluators else e.evaluator_id,
                    "keys": []})
                fp = e.evaluator_key_fingerprint
                if fp and fp not in [k["fingerprint"] for k in row["keys"]]:
                    found = uow.org.find_key(fp)
                    if found is not None:
                        row["keys"].append({"fingerprint": fp, "public_key":
                                            base64.b64encode(found.public_key).decode()})
            records = {
                "transfer": [{"person_id": person.id, "full_name": person.full_name,
                              "agency_id": org.id, "agency_name": org.name_vi,
                              "agency_name_en": org.name_en, "year": year}],
                "units": [{"id": uid, "name_vi": units[uid].name_vi if uid in units else uid,
                           "name_en": units[uid].name_en if uid in units else ""}
                          for uid in sorted({e.unit_id for e in months if e.unit_id})],
                "evaluators": [evaluator_rows[k] for k in sorted(evaluator_rows)],
                "evaluations": [to_json(e) for e in months],
                "received": [_received_row(m) for m in received],
            }
            data = write_bundle(
                kind=KIND, sender_id=AGENCY, recipient_id="*", seq=1, key=key,
                records=records,
                extra={"organisation": {"id": org.id, "version": org.org_version},
                       "agency": {"id": org.id, "name": org.name_vi,
                                  "public_key": base64.b64encode(key.public_key).decode()},
                       "person": person.id})
            bundle = read_bundle(data, signer_key=lambda _fp, _h: key.public_key,
                                 decrypt=False, limits=self._limits)
            name = (f"KPI_transfer_{person.id}_{org.code or org.id}_"
                    f"{bundle.bundle_id[:8]}{BUNDLE_SUFFIX}")
            uow.sync.log_bundle(BundleLogEntry(
                bundle_id=bundle.bundle_id, direction="out", kind=KIND, sender_id=AGENCY,
                recipient_id="*", seq=1, header_sha256=bundle.header_sha256, at=now,
                file_name=name, summary={"evaluations": len(months),
                                         "received": len(received)}))
            uow.audit.append(AuditEvent(
                at=now, action="transfer.export", object_type="person", object_id=person.id,
                actor_id=None, detail={"bundle": bundle.bundle_id,
                                       "months": [str(e.period) for e in months],
                                       "received": [str(m.period) for m in received]}))
            path = write_atomically(to_dir, name, data)
        periods = sorted([*months, *received], key=lambda m: (m.period.start,
                                                              m.period.kind.months))
        return TransferExport(path=path, person_id=person.id,
                              months=tuple(str(m.period) for m in periods),
                              fingerprint=crypto.readable_fingerprint(key.fingerprint))

    # ================================================================ import ===============
    def inspect(self, data: bytes) -> TransferPreview:
        """Check the bundle against the key it names and say what it holds (nothing is
        trusted or stored); the fingerprint is what the person compares by phone."""
        bundle = self._read(data, trust=None)
        info = _transfer_row(bundle)
        with self._db.unit_of_work(read_only=True) as uow:
            known = uow.org.find_person(info["person_id"]) is not None
        return TransferPreview(
            bundle_id=bundle.bundle_id, fingerprint=crypto.readable_fingerprint(bundle.signer),
            agency_id=info["agency_id"], agency_name=info["agency_name"],
            person_id=info["person_id"], person_name=info["full_name"],
            months=tuple(sorted(
                [str(r.get("period", "")) for r in bundle.records.get("evaluations", [])]
                + [str((r.get("record") or {}).get("period", "")) if isinstance(r, dict)
                   else "" for r in bundle.records.get("received", [])])),
            person_known=known)

    def import_path(self, path: Path, *, trust: str) -> TransferImport:
        """Import a transfer bundle file (see :meth:`import_bytes`)."""
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise RefusedValue("bundle_unreadable", path=str(path), detail=str(exc)) from None
        return self.import_bytes(data, trust=trust, source=str(path))

    def import_bytes(self, data: bytes, *, trust: str, source: str = "") -> TransferImport:
        """Verify the bundle against the trusted agency fingerprint and store its months.

        Raises:
            RefusedValue: ``bundle_*`` (damage, bad signature…), ``transfer_bundle_untrusted``,
                ``transfer_bundle_not_transfer``, ``transfer_bundle_own``,
                ``transfer_bundle_person_unknown``, ``transfer_bundle_overlap``,
                ``transfer_bundle_bad_record``.
        """
        if not _bare(trust or ""):
            raise RefusedValue("transfer_bundle_untrusted", expected="–", actual="?")
        bundle = self._read(data, trust=trust)
        info = _transfer_row(bundle)
        now = self._now()
        with self._db.unit_of_work(read_only=True) as uow:
            known = uow.sync.find_bundle(bundle.bundle_id)
            if known is not None:
                if known.header_sha256 != bundle.header_sha256:
                    raise RefusedValue("bundle_id_conflict", bundle=bundle.bundle_id)
                return TransferImport(status="already", bundle_id=bundle.bundle_id,
                                      person_id=info["person_id"],
                                      agency_name=info["agency_name"],
                                      fingerprint=crypto.readable_fingerprint(bundle.signer),
                                      months=())
            # Every check first (read-only): a refusal leaves the data folder as it was.
            months, unchanged = self._months(uow, bundle, info, now)
        self._backup()
        with self._db.unit_of_work() as uow:
            months, unchanged = self._months(uow, bundle, info, now)
            uow.transfers.add_months(months)
            uow.sync.log_bundle(BundleLogEntry(
                bundle_id=bundle.bundle_id, direction="in", kind=KIND,
                sender_id=info["agency_id"], recipient_id="*", seq=bundle.seq,
                header_sha256=bundle.header_sha256, at=now,
                file_name=Path(source).name if source else "",
                summary={"months": len(months), "unchanged": len(unchanged)}))
            uow.audit.append(AuditEvent(
                at=now, action="transfer.import", object_type="person",
                object_id=info["person_id"], actor_id=None,
                detail={"bundle": bundle.bundle_id, "agency": info["agency_id"],
                        "agency_name": info["agency_name"],
                        "fingerprint": crypto.readable_fingerprint(bundle.signer),
                        "months": [str(m.period) for m in months],
                        "unchanged": list(unchanged)}))
        return TransferImport(status="imported", bundle_id=bundle.bundle_id,
                              person_id=info["person_id"], agency_name=info["agency_name"],
                              fingerprint=crypto.readable_fingerprint(bundle.signer),
                              months=tuple(str(m.period) for m in months),
                              unchanged=unchanged)

    # ---------------------------------------------------------------- internals ------------
    def _read(self, data: bytes, *, trust: str | None) -> Bundle:
        with self._db.unit_of_work(read_only=True) as uow:
            own = {k.fingerprint for k in uow.sync.trusted_keys("agency")}

        def signer_key(fp: str, header: dict[str, Any]) -> bytes:
            if header.get("kind") != KIND:
                raise RefusedValue("transfer_bundle_not_transfer", kind=str(header.get("kind")))
            try:
                public = base64.b64decode(header["agency"]["public_key"], validate=True)
            except (KeyError, TypeError, ValueError):
                raise RefusedValue("bundle_malformed", file="header.json",
                                   detail="agency") from None
            if crypto.fingerprint(public) != fp:
                raise RefusedValue("bundle_signature_invalid")
            if trust is not None and _bare(trust) != fp:
                raise RefusedValue("transfer_bundle_untrusted",
                                   expected=crypto.readable_fingerprint(_bare(trust)),
                                   actual=crypto.readable_fingerprint(fp))
            if fp in own:
                raise RefusedValue("transfer_bundle_own")
            return public

        return read_bundle(data, signer_key=signer_key, limits=self._limits)

    def _months(self, uow: Any, bundle: Bundle, info: dict[str, Any], now: dt.datetime
                ) -> tuple[list[TransferredMonth], tuple[str, ...]]:
        person_id = info["person_id"]
        if uow.org.find_person(person_id) is None:
            raise RefusedValue("transfer_bundle_person_unknown", person=person_id)
        units = {str(u.get("id")): u for u in bundle.records.get("units", [])}
        evaluators = {str(e.get("id")): e for e in bundle.records.get("evaluators", [])}
        months: list[TransferredMonth] = []
        unchanged: list[str] = []
        seen: set[str] = set()
        for raw in bundle.records.get("evaluations", []):
            evaluation = from_json(MonthlyEvaluation, raw)
            period = str(evaluation.period)

            def bad(detail: str, period: str = period) -> RefusedValue:
                return RefusedValue("transfer_bundle_bad_record", person=person_id,
                                    period=period, detail=detail)

            if evaluation.person_id != person_id:
                raise bad("person")
            if period in seen:
                raise bad("duplicate")
            seen.add(period)
            if evaluation.status is not EvaluationStatus.LOCKED:
                raise bad("not locked")
            if not evaluation.unit_id or evaluation.unit_id not in units:
                raise bad("unit")
            evaluator = evaluators.get(evaluation.evaluator_id or "")
            if evaluation.evaluator_signature is not None:
                _check_signature(evaluation, evaluator, bad)
            month = TransferredMonth(
                person_id=person_id, period=evaluation.period,
                source_agency_id=info["agency_id"], source_agency_name=info["agency_name"],
                source_fingerprint=bundle.signer, unit_id=evaluation.unit_id,
                unit_name=normalize_text(str(units[evaluation.unit_id].get("name_vi") or "")),
                evaluator_id=evaluation.evaluator_id,
                evaluator_name=normalize_text(str((evaluator or {}).get("full_name") or "")),
                total=evaluation.total, level=evaluation.level,
                insufficient=evaluation.insufficient,
                policy_version=evaluation.policy_version, bundle_id=bundle.bundle_id,
                imported_at=now,
                record={**raw, _KEYS_FIELD: _keys_of(evaluator, evaluation)},
                evaluator_signature=evaluation.evaluator_signature,
                evaluator_key_fingerprint=evaluation.evaluator_key_fingerprint)
            if _keep(uow, month, unchanged):
                months.append(month)
        for row in bundle.records.get("received", []):
            month = _passed_on(row, person_id, info, bundle, now)
            period = str(month.period)
            if period in seen:
                raise RefusedValue("transfer_bundle_bad_record", person=person_id,
                                   period=period, detail="duplicate")
            seen.add(period)
            if _keep(uow, month, unchanged):
                months.append(month)
        return months, tuple(unchanged)

    def _backup(self) -> None:
        if self._backup_dir is None:
            return
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")
        backup_database(self._db.path, self._backup_dir / f"{_BACKUP_PREFIX}{stamp}.db")


def _keep(uow: Any, month: TransferredMonth, unchanged: list[str]) -> bool:
    """Whether a month of a bundle is new here; the same month already here (evaluated here
    or received before) with the same values is ``unchanged``, with other values a refusal."""
    person_id, period = month.person_id, str(month.period)
    local = uow.evaluations.get_monthly(person_id, month.period)
    if local is not None and local.status in _EVALUATED:
        if (local.total, local.level) != (month.total, month.level):
            raise RefusedValue("transfer_bundle_overlap", person=person_id, period=period)
        unchanged.append(period)
        return False
    received = uow.transfers.get_month(person_id, month.period)
    if received is not None:
        if (received.total, received.level, received.source_agency_id) != (
                month.total, month.level, month.source_agency_id):
            raise RefusedValue("transfer_bundle_overlap", person=person_id, period=period)
        unchanged.append(period)
        return False
    return True


def _keys_of(evaluator: dict[str, Any] | None, evaluation: MonthlyEvaluation
             ) -> list[dict[str, str]]:
    """The evaluator's public key that signed the month, as sent (kept to pass it on)."""
    fp = evaluation.evaluator_key_fingerprint
    return [{"fingerprint": str(k.get("fingerprint")), "public_key": str(k.get("public_key"))}
            for k in (evaluator or {}).get("keys") or []
            if isinstance(k, dict) and fp and k.get("fingerprint") == fp]


def _received_row(month: TransferredMonth) -> dict[str, Any]:
    """A month received from another agency, as this agency passes it on."""
    record = {k: v for k, v in dict(month.record).items() if not k.startswith("_")}
    relayed = list(dict(month.record).get(_RELAY_FIELD) or [])
    return {"record": record, "source_agency_id": month.source_agency_id,
            "source_agency_name": month.source_agency_name,
            "source_fingerprint": month.source_fingerprint,
            "unit_id": month.unit_id, "unit_name": month.unit_name,
            "evaluator_id": month.evaluator_id, "evaluator_name": month.evaluator_name,
            "evaluator_keys": list(dict(month.record).get(_KEYS_FIELD) or []),
            "bundle_id": month.bundle_id, "relayed_by": relayed}


def _passed_on(row: Any, person_id: str, info: dict[str, Any], bundle: Bundle,
               now: dt.datetime) -> TransferredMonth:
    """A month the sending agency passes on from the agency that evaluated it, checked like
    its own months (person, locked, signature) and kept with its original origin."""
    raw = row.get("record") if isinstance(row, dict) else None
    period = str((raw or {}).get("period", "")) if isinstance(raw, dict) else ""

    def bad(detail: str) -> RefusedValue:
        return RefusedValue("transfer_bundle_bad_record", person=person_id, period=period,
                            detail=detail)

    if not isinstance(raw, dict):
        raise bad("received")
    evaluation = from_json(MonthlyEvaluation, raw)
    texts = {}
    for name in ("source_agency_id", "source_agency_name", "source_fingerprint", "unit_id"):
        value = row.get(name)
        if not isinstance(value, str) or not value.strip():
            raise bad(name)
        texts[name] = normalize_text(value)
    if evaluation.person_id != person_id:
        raise bad("person")
    if evaluation.status is not EvaluationStatus.LOCKED:
        raise bad("not locked")
    keys = [k for k in row.get("evaluator_keys") or [] if isinstance(k, dict)]
    if evaluation.evaluator_signature is not None and keys:
        _check_signature(evaluation, {"keys": keys}, bad)
    relayed = [r for r in row.get("relayed_by") or [] if isinstance(r, dict)]
    relayed.append({"agency_id": info["agency_id"], "agency_name": info["agency_name"],
                    "fingerprint": bundle.signer, "bundle_id": bundle.bundle_id})
    return TransferredMonth(
        person_id=person_id, period=evaluation.period,
        source_agency_id=texts["source_agency_id"],
        source_agency_name=texts["source_agency_name"],
        source_fingerprint=texts["source_fingerprint"], unit_id=texts["unit_id"],
        unit_name=normalize_text(str(row.get("unit_name") or "")),
        evaluator_id=evaluation.evaluator_id,
        evaluator_name=normalize_text(str(row.get("evaluator_name") or "")),
        total=evaluation.total, level=evaluation.level, insufficient=evaluation.insufficient,
        policy_version=evaluation.policy_version, bundle_id=bundle.bundle_id,
        imported_at=now, record={**raw, _KEYS_FIELD: keys, _RELAY_FIELD: relayed},
        evaluator_signature=evaluation.evaluator_signature,
        evaluator_key_fingerprint=evaluation.evaluator_key_fingerprint)


def _transfer_row(bundle: Bundle) -> dict[str, Any]:
    rows = bundle.records.get("transfer", [])
    if len(rows) != 1:
        raise RefusedValue("bundle_malformed", file="data/transfer.jsonl", detail="one line")
    row = rows[0]
    info = {}
    for name in ("person_id", "full_name", "agency_id", "agency_name"):
        value = row.get(name)
        if not isinstance(value, str) or not value.strip():
            raise RefusedValue("bundle_malformed", file="data/transfer.jsonl", detail=name)
        info[name] = normalize_text(value)
    if bundle.header.get("person") != info["person_id"]:
        raise RefusedValue("bundle_malformed", file="header.json", detail="person")
    return info


def _check_signature(evaluation: MonthlyEvaluation, evaluator: dict[str, Any] | None,
                     bad: Callable[[str], KpiError]) -> None:
    """The evaluator's signature over the confirmation must verify with the key sent."""
    signature = evaluation.evaluator_signature
    fp = evaluation.evaluator_key_fingerprint
    if evaluator is None or signature is None or not fp:
        raise bad("signature")
    for key in evaluator.get("keys") or []:
        if not isinstance(key, dict) or key.get("fingerprint") != fp:
            continue
        try:
            public = base64.b64decode(str(key.get("public_key")), validate=True)
        except ValueError:
            raise bad("signature") from None
        if crypto.fingerprint(public) == fp and verify_any(
                public, signature, evaluation_confirmation_forms(evaluation)):
            return
        raise bad("signature")
    raise bad("signature")

