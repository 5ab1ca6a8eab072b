"""The organisation file: published by the agency (signed by the agency key as a whole) and
applied on every PC.

Its parts (units, people and their keys, memberships, evaluator relations, job positions,
catalog, policy, calendar, encryption keys; the agency's results and decisions on proposals)
have one author, the agency, whose signature over the header covers the manifest and so every
part. A version number orders the files: an older one is refused (rollback), a different file
with the same version too, the same file again is "already imported". The file is the whole
signed state, so what it no longer lists is removed where that is a removal (evaluator
relations, job-position permissions, calendar days the agency removed).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import AuditEvent, ProposalStatus
from kpi_desktop.domain.sync import AGENCY, BundleLogEntry, EncryptionKey, TrustedKey
from kpi_desktop.services.hub_limits import hub_limits_header
from kpi_desktop.services.sync.files import BUNDLE_SUFFIX, ExportResult, write_atomically
from kpi_desktop.services.sync.trust import agency_chain, follow_chain, pin_agency
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Bundle, Limits, read_bundle, write_bundle
from kpi_desktop.sync.records import from_json, to_json

__all__ = ["ORG_MANIFEST", "apply_organisation", "organisation_records", "publish_organisation",
           "same_organisation"]

ORG_MANIFEST = "sync.org_manifest_sha256"

# Organisation payload: name → domain type, in the order records are applied.
_ORG_PARTS: tuple[tuple[str, type], ...] = (
    ("organisations", model.Organisation),
    ("units", model.Unit),
    ("job_positions", model.JobPosition),
    ("people", model.Person),
    ("person_keys", model.PersonKey),
    ("memberships", model.UnitMembership),
    ("evaluator_relations", model.EvaluatorRelation),
    ("catalog_versions", model.CatalogVersion),
    ("catalog_items", model.CatalogItem),
    ("job_position_items", model.JobPositionItem),
    ("policies", model.PolicyVersion),
    ("calendar", model.CalendarDay),
    ("encryption_keys", EncryptionKey),
)
# Applied by natural key after ``_ORG_PARTS`` (the agency's own records; only present when
# there are some, so older readers see the same files as before).
_ORG_RESULTS = "org_indicators", "org_evaluations", "proposal_decisions"
# Parts the file lists completely: a record no longer listed was removed by the agency.
_WHOLE = (("evaluator_relations", model.EvaluatorRelation),
          ("job_position_items", model.JobPositionItem), ("calendar", model.CalendarDay))


@dataclass(frozen=True, kw_only=True)
class _ProposalDecision:
    """The agency's decision on an official's proposal, as the organisation file carries it
    back to the official's PC (signed by the agency with the whole file)."""

    id: str
    person_id: str
    status: ProposalStatus
    accepted_item_code: str | None
    decision_note: str
    decided_by: str | None
    decided_at: dt.datetime | None


def _topological_units(units: list[model.Unit]) -> list[model.Unit]:
    by_id = {u.id: u for u in units}
    ordered: list[model.Unit] = []
    seen: set[str] = set()

    def visit(unit: model.Unit, depth: int = 0) -> None:
        if unit.id in seen or depth > len(units):
            return
        for parent in (unit.parent_id, unit.merged_into_id):
            if parent in by_id and parent != unit.id:
                visit(by_id[parent], depth + 1)
        seen.add(unit.id)
        ordered.append(unit)

    for unit in units:
        visit(unit)
    return ordered


def organisation_records(uow: Any, org: model.Organisation) -> dict[str, list[dict[str, Any]]]:
    people = uow.org.list_people(active_only=False)
    positions = uow.org.list_job_positions()
    parts: dict[str, list[Any]] = {
        "organisations": [org],
        "units": _topological_units(uow.org.list_units()),
        "job_positions": positions,
        "people": people,
        "person_keys": [k for p in people for k in uow.org.list_person_keys(p.id)],
        "memberships": [m for p in people for m in uow.org.memberships_of(p.id)],
        "evaluator_relations": uow.org.list_evaluator_relations(),
        "catalog_versions": uow.catalog.list_versions(),
        "catalog_items": [i for v in uow.catalog.list_versions()
                          for i in uow.catalog.list_items(version_id=v.id)],
        "job_position_items": [
            model.JobPositionItem(job_position_id=p.id, catalog_item_id=i)
            for p in positions for i in sorted(uow.catalog.position_item_ids(p.id))],
        "policies": uow.policies.list_versions(),
        "calendar": uow.calendar.between(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
        "encryption_keys": uow.sync.encryption_keys(),
        # Organisation results (Điều 8) and decisions on proposals (Điều 13.3).
        "org_indicators": uow.org_results.list_indicators(),
        "org_evaluations": uow.sync.org_evaluations(),
        "proposal_decisions": [
            _ProposalDecision(id=p.id, person_id=p.person_id, status=p.status,
                              accepted_item_code=p.accepted_item_code,
                              decision_note=p.decision_note, decided_by=p.decided_by,
                              decided_at=p.decided_at)
            for p in uow.proposals.list() if p.status is not ProposalStatus.PROPOSED],
    }
    return {name: [to_json(o) for o in objects] for name, objects in parts.items()
            if objects or name not in _ORG_RESULTS}


def publish_organisation(uow: Any, key: crypto.KeyPair, out_dir: Path,
                         limits: Limits) -> ExportResult:
    """Sign the organisation as it is now with the agency key, as the next version."""
    now = model.utc_now()
    organisations = uow.org.list_organisations()
    if len(organisations) != 1:
        raise RefusedValue("organisation_missing")
    org = organisations[0]
    version = org.org_version + 1
    chain = agency_chain(uow)
    org = dataclasses.replace(org, org_version=version, updated_at=now)
    uow.org.update_organisation(org)
    records = organisation_records(uow, org)
    data = write_bundle(
        kind="organisation", sender_id=AGENCY, recipient_id="*", seq=version, key=key,
        records=records,
        extra={"organisation": {"id": org.id, "version": version},
               **hub_limits_header(uow),
               "agency": {"public_key": base64.b64encode(key.public_key).decode(),
                          "x25519_public": base64.b64encode(key.x25519_public).decode(),
                          **({"chain": chain} if chain else {})}})
    bundle = read_bundle(data, signer_key=lambda _fp, _h: key.public_key, limits=limits,
                         decrypt=False)  # a bad write never leaves as a good file
    uow.settings.set(ORG_MANIFEST, str(bundle.header["manifest_sha256"]))
    name = f"KPI_organisation_{org.code or org.id}_v{version:04d}{BUNDLE_SUFFIX}"
    counts = {k: len(v) for k, v in records.items()}
    uow.sync.log_bundle(BundleLogEntry(
        bundle_id=bundle.bundle_id, direction="out", kind="organisation", sender_id=AGENCY,
        recipient_id="*", seq=version, header_sha256=bundle.header_sha256, at=now,
        file_name=name, summary=counts))
    uow.audit.append(AuditEvent(at=now, action="org.publish", object_type="organisation",
                                object_id=org.id, actor_id=None, detail={"version": version}))
    path = write_atomically(out_dir, name, data)
    return ExportResult(path=path, kind="organisation", recipient_id="*", seq=version,
                        counts=counts)


def same_organisation(uow: Any, bundle: Bundle) -> bool:
    """Version checks; ``True`` when this exact organisation version is already here.

    Raises:
        RefusedValue: ``bundle_org_older`` (rollback), ``bundle_org_conflict``.
    """
    version = int(bundle.header["organisation"]["version"])
    organisations = uow.org.list_organisations()
    current = organisations[0].org_version if organisations else 0
    manifest = uow.settings.get(ORG_MANIFEST)
    if version < current:
        raise RefusedValue("bundle_org_older", version=version, current=current)
    if version == current:
        if manifest == bundle.header["manifest_sha256"]:
            return True
        raise RefusedValue("bundle_org_conflict", version=version)
    return False


def apply_organisation(uow: Any, bundle: Bundle, now: dt.datetime) -> dict[str, int]:
    """Apply an organisation file newer than the one in use."""
    parsed: dict[str, list[Any]] = {}
    for name, cls in _ORG_PARTS:
        parsed[name] = [from_json(cls, row) for row in bundle.records.get(name, [])]
    version = int(bundle.header["organisation"]["version"])
    orgs = parsed["organisations"]
    if len(orgs) != 1 or orgs[0].id != bundle.header["organisation"]["id"]:
        raise RefusedValue("bundle_malformed", file="organisations", detail="organisation")
    parsed["organisations"] = [dataclasses.replace(orgs[0], org_version=version)]
    counts: dict[str, int] = {}
    before = {p.id: p.key_fingerprint for p in uow.org.list_people(active_only=False)}
    for name, _cls in _ORG_PARTS:
        inserted, updated = uow.sync.upsert(parsed[name])
        counts[name] = inserted + updated
    for person in parsed["people"]:
        if person.id in before and before[person.id] != person.key_fingerprint:
            # A new key means a new PC (or a reset one): send it everything again.
            uow.sync.forget_acks(person.id)
    counts.update(_apply_results(uow, bundle))
    for name, cls in _WHOLE:
        if name in bundle.records:
            removed = uow.sync.delete_missing(cls, parsed[name])
            if removed:
                counts[f"{name}_removed"] = removed
    uow.settings.set(ORG_MANIFEST, str(bundle.header["manifest_sha256"]))
    if uow.sync.trusted_key(bundle.signer) is None:
        # First set-up, or a rotated agency key reached through the chain: pin it (the key
        # pinned before is retired: files it signs from now on are refused, and so are files
        # signed by the keys in between, which this PC never used).
        pinned = {k.fingerprint: k for k in uow.sync.trusted_keys("agency")}
        for fp, public_key in follow_chain(uow, pinned, bundle.header)[:-1]:
            uow.sync.add_trusted_key(TrustedKey(
                fingerprint=fp, owner_id=AGENCY, role="agency", public_key=public_key,
                pinned_at=now, revoked_at=now))
        agency = bundle.header["agency"]
        pin_agency(uow, bundle.signer, base64.b64decode(agency["public_key"]),
                   base64.b64decode(agency.get("x25519_public") or ""), now)
        counts["agency_key"] = 1
    return counts


def _apply_results(uow: Any, bundle: Bundle) -> dict[str, int]:
    """Organisation indicators and levels (by unit, period/year and code: the agency's
    newest organisation file wins) and the agency's decisions on proposals (applied to the
    proposals this PC holds, i.e. on their author's PC)."""
    counts = {"org_indicators": 0, "org_evaluations": 0, "proposal_decisions": 0}
    for indicator in (from_json(model.OrgIndicator, r)
                      for r in bundle.records.get("org_indicators", [])):
        old = {(i.code, str(i.period)): i
               for i in uow.org_results.list_indicators(unit_id=indicator.unit_id,
                                                        period=indicator.period)}
        known = old.get((indicator.code, str(indicator.period)))
        if known is None or dataclasses.replace(known, id=indicator.id) != indicator:
            uow.org_results.upsert_indicator(indicator)
            counts["org_indicators"] += 1
    for level in (from_json(model.OrgEvaluation, r)
                  for r in bundle.records.get("org_evaluations", [])):
        known_level = uow.org_results.get_evaluation(level.unit_id, level.year)
        if known_level is None or dataclasses.replace(known_level, id=level.id) != level:
            uow.org_results.upsert_evaluation(level)
            counts["org_evaluations"] += 1
    for decision in (from_json(_ProposalDecision, r)
                     for r in bundle.records.get("proposal_decisions", [])):
        counts["proposal_decisions"] += _apply_decision(uow, decision)
    return counts


def _apply_decision(uow: Any, decision: _ProposalDecision) -> int:
    if decision.status is ProposalStatus.PROPOSED or decision.decided_by is None \
            or decision.decided_at is None:
        raise RefusedValue("bundle_malformed", file="proposal_decisions", detail=decision.id)
    local = uow.proposals.find(decision.id)
    if local is None:
        return 0  # someone else's proposal: it lives on its author's PC
    if local.person_id != decision.person_id:
        raise RefusedValue("bundle_record_conflict", record=f"prop:{decision.id}")
    mine = (local.status, local.accepted_item_code, local.decision_note, local.decided_by,
            local.decided_at)
    theirs = (decision.status, decision.accepted_item_code, decision.decision_note,
              decision.decided_by, decision.decided_at)
    if mine == theirs:
        return 0
    uow.proposals.decide(decision.id, status=decision.status, decided_by=decision.decided_by,
                         decided_at=decision.decided_at,
                         accepted_item_code=decision.accepted_item_code,
                         note=decision.decision_note)
    return 1
