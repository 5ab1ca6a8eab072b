"""The electronic dossier of Điều 24 (Hồ sơ đánh giá điện tử): one archive per person and year.

Điều 24 keeps the documents of a year's evaluation as electronic documents: the monthly or
quarterly Form 01, the annual Form 02, the appeal files, other related papers. For a person
and a year, :meth:`DossierService.person` writes one zip archive:

* ``Mau01/Mau01_2026-03.pdf`` … every month with a score or an evaluation, and every quarter
  with such a month (Form 01, as printed, with its verification code);
* ``Mau02/Mau02_2026.pdf`` — Form 02 of the year;
* ``kien-nghi/<id>.json`` — each appeal about a period of the year, with its decision;
* ``ky-luat.json`` — the discipline decisions counted in the year (kind, number, date,
  authority) and the reference of the year-end meeting's minutes;
* ``ban-ghi-ky/<kind>.json`` — the signed records the figures derive from: the work-log entry
  revisions of the year, the leaders' statements on them, the self-assessments and their
  confirmations, the annual classification, the discipline events, the appeals and their
  decisions — each with its exact signed text, its signature, its key's fingerprint and the
  public key, so it can be checked without this database;
* ``muc-luc.txt`` — a table of contents for people;
* ``manifest.json`` — what the archive holds: every file with its SHA-256 and size, the forms'
  verification codes, the records per kind (schema below).

:meth:`DossierService.verify` reads an archive back and says whether it is **intact** (every
file listed, none added, every hash right, every signature good) and whether it still
**agrees** with the database (every form's code matches the current figures, every signed
record is still stored unchanged and no record of the year is missing from it).

``manifest.json``::

    {"format": "kpi-desktop-dossier", "format_version": 1,
     "basis": "Điều 24 Nghị định số 335/2025/NĐ-CP",
     "organisation": {"id": str, "name": str},
     "person": {"id": str, "full_name": str, "unit_id": str, "unit": str, "position": str},
     "year": int, "language": "vi" | "en", "created_at": "2026-12-06T10:00:00Z",
     "app_version": str,
     "files": [{"path": str, "sha256": str, "size": int, "kind": str,
                "code": str | null, "period": str | null}],
     "records": {"<kind>": int}}
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop import __version__
from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import Period, PeriodKind
from kpi_desktop.runtime.i18n import language_override, translate
from kpi_desktop.services.reports import (
    CancelFlag,
    Progress,
    ReportCancelled,
    ReportService,
    _is_cancelled,
    write_atomic,
)
from kpi_desktop.services.scores import parse_year, unit_tree

FORMAT = "kpi-desktop-dossier"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
RECORD_KINDS = ("revisions", "statements", "self_assessments", "confirmations", "annual",
                "discipline", "appeals", "appeal_decisions")


@dataclass(frozen=True)
class SignedRecord:
    """One signed record as the archive keeps it: the exact signed text and its signature."""

    kind: str
    ident: str
    author: str | None
    text: str  # the signed bytes, UTF-8 (canonical JSON, or an entry's snapshot)
    signature: bytes | None
    fingerprint: str | None

    def key(self) -> tuple[str, str]:
        return self.kind, self.ident


@dataclass(frozen=True)
class DossierResult:
    """An archive that was written."""

    path: Path
    person_id: str
    year: int
    files: int
    records: int
    sha256: str


@dataclass
class DossierCheck:
    """What :meth:`DossierService.verify` found: ``problems`` are (code, detail) pairs."""

    path: Path
    person_id: str = ""
    year: int = 0
    forms: int = 0
    records: int = 0
    unsigned: int = 0  # records stored without a signature (demo data, older versions)
    intact: bool = False
    agrees: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.agrees

    def describe(self) -> list[str]:
        """Translated lines for people: the verdict first, then each problem."""
        lines = []
        if self.ok:
            lines.append(translate(
                "Dossier", "The dossier {file} of {person} for {year} is intact and agrees with "
                "the data: {forms} forms and {records} records checked.").format(
                file=self.path.name, person=self.person_id, year=self.year, forms=self.forms,
                records=self.records))
        elif not self.intact:
            lines.append(translate(
                "Dossier", "The dossier {file} is damaged or was changed after it was made: "
                "its contents can no longer be trusted.").format(file=self.path.name))
        else:
            lines.append(translate(
                "Dossier", "The dossier {file} is intact, but the data changed after it was "
                "made: it no longer agrees with this database.").format(file=self.path.name))
        lines += [problem_text(code, detail) for code, detail in self.problems]
        if self.unsigned:
            lines.append(translate(
                "Dossier", "{count} of the records carry no signature (they were stored "
                "without one); they were compared with the database only.").format(
                count=self.unsigned))
        return lines


def problem_text(code: str, detail: str) -> str:
    """One problem of a dossier, in words."""
    return {
        "unreadable": translate("Dossier", "The file is not a dossier archive ({detail})."),
        "manifest": translate("Dossier", "The list of contents (manifest.json) is missing or "
                                         "unreadable ({detail})."),
        "missing": translate("Dossier", "A listed file is missing: {detail}."),
        "unlisted": translate("Dossier", "A file that is not in the list was added: {detail}."),
        "hash": translate("Dossier", "A file was changed after the dossier was made: {detail}."),
        "signature": translate("Dossier", "A signature does not match its record: {detail}."),
        "form_changed": translate("Dossier", "The figures of a form changed since it was "
                                             "printed: {detail}."),
        "form_unknown": translate("Dossier", "A form refers to something this database does "
                                             "not hold: {detail}."),
        "record_changed": translate("Dossier", "A record is no longer stored as in the "
                                               "dossier: {detail}."),
        "record_new": translate("Dossier", "A record of the year is not in the dossier: "
                                           "{detail}."),
        "key_unknown": translate("Dossier", "A record is signed with a key this database does "
                                            "not know for its author: {detail}."),
        "person_unknown": translate("Dossier", "The person of the dossier is not in this "
                                               "database: {detail}."),
    }.get(code, "{detail}").format(detail=detail)


# -- the signed records of a person's year ------------------------------------------------------


def signed_records(uow: Any, person_id: str, year: int) -> list[SignedRecord]:
    """Every signed record the figures of ``person_id``'s ``year`` derive from, in a stable
    order (the same call on the same data gives the same list). A record keeps the signed form
    its signature verifies against (records signed before a canonical form changed keep the
    older form, ``sync.signing``); an unsigned record carries its current form."""
    from kpi_desktop.sync import signing

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found: list[tuple[str, str, str | None, tuple[bytes, ...], bytes | None, str | None]] = []
    entries = uow.worklog.list_for_person(person_id, start, end)
    revisions: dict[tuple[str, int], Any] = {}
    for entry in entries:
        for revision in uow.worklog.revisions(entry.id):
            revisions[(revision.entry_id, revision.revision)] = revision
            found.append(("revisions", f"{revision.entry_id}#{revision.revision}",
                          revision.author_id, signing.revision_forms(revision),
                          revision.signature, revision.key_fingerprint))
    statements = uow.reviews.list_for_entries([e.id for e in entries])
    for entry in entries:
        for statement in statements.get(entry.id, []):
            revision = revisions.get((statement.entry_id, statement.revision))
            sha = revision.snapshot_sha256 if revision is not None else ""
            found.append(("statements", statement.id, statement.reviewer_id,
                          (signing.statement_bytes(statement, sha),),
                          statement.signature, statement.key_fingerprint))
    for evaluation in sorted(uow.evaluations.list_monthly(person_id=person_id, year=year),
                             key=lambda e: (e.period.start, e.period.kind.months)):
        period = str(evaluation.period)
        if evaluation.submitted_at is not None or evaluation.self_signature is not None:
            found.append(("self_assessments", period, evaluation.person_id,
                          signing.evaluation_self_forms(evaluation),
                          evaluation.self_signature, evaluation.self_key_fingerprint))
        if evaluation.confirmed_at is not None or evaluation.evaluator_signature is not None:
            found.append(("confirmations", period, evaluation.evaluator_id,
                          signing.evaluation_confirmation_forms(evaluation),
                          evaluation.evaluator_signature, evaluation.evaluator_key_fingerprint))
    for annual in uow.evaluations.list_annual(year, person_ids=[person_id], current_only=False):
        found.append(("annual", annual.id, annual.decided_by, (signing.annual_bytes(annual),),
                      annual.signature, annual.key_fingerprint))
    for event in uow.discipline.list_for_person(person_id, year=year):
        found.append(("discipline", event.id, event.recorded_by,
                      (signing.discipline_bytes(event),), event.signature, event.key_fingerprint))
    for appeal in _appeals(uow, person_id, year):
        found.append(("appeals", appeal.id, appeal.person_id, (signing.appeal_bytes(appeal),),
                      appeal.signature, appeal.key_fingerprint))
        if appeal.decided_at is not None:
            found.append(("appeal_decisions", appeal.id, appeal.decided_by,
                          (signing.appeal_decision_bytes(appeal),),
                          appeal.decision_signature, appeal.decision_key_fingerprint))
    keys = uow.org.find_keys({fp for *_rest, fp in found if fp})
    out = []
    for kind, ident, author, forms, signature, fingerprint in found:
        key = keys.get(fingerprint or "")
        chosen = forms[0]
        if signature is not None and key is not None:
            chosen = next((form for form in forms
                           if signing.verify(key.public_key, signature, form)), forms[0])
        out.append(SignedRecord(kind, ident, author, chosen.decode("utf-8"), signature,
                                fingerprint))
    return out


def _appeals(uow: Any, person_id: str, year: int) -> list[Any]:
    return sorted((a for a in uow.appeals.list_for_person(person_id) if a.period.year == year),
                  key=lambda a: (a.filed_at, a.id))


def _verify_signature(public_key: bytes, signature: bytes, text: str) -> bool:
    from kpi_desktop.sync.signing import verify

    return bool(verify(public_key, signature, text.encode("utf-8")))


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _unb64(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text.encode("ascii"), validate=True)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the service --------------------------------------------------------------------------------


class DossierService:
    """Writes and checks the electronic dossiers of one database."""

    def __init__(self, db: Any, reports: ReportService,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        self._db = db
        self._reports = reports
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    # -- contents --------------------------------------------------------------------------

    def _periods(self, person_id: str, year: int) -> list[Period]:
        """The months with a score or an evaluation, then the quarters that hold one."""
        with self._db.unit_of_work(read_only=True) as uow:
            evaluated = {str(e.period) for e in uow.evaluations.list_monthly(
                person_id=person_id, year=year)}
        months = []
        for number in range(1, 13):
            month = Period.month(year, number)
            if str(month) in evaluated:
                months.append(month)
                continue
            try:
                data = self._reports.form01_data(person_id, month)
            except KpiError:
                continue
            if data.total is not None or data.products:
                months.append(month)
        quarters = sorted({Period.containing(m.start, PeriodKind.QUARTER) for m in months},
                          key=lambda p: p.start)
        return months + quarters

    def person(self, person_id: str, year: str | int, out: str | Path,
               language: str | None = None, *, cancel: CancelFlag = None) -> DossierResult:
        """Write the dossier of ``person_id``'s ``year`` to ``out`` (a .zip)."""
        year_value = parse_year(year)
        with self._db.unit_of_work(read_only=True) as uow:
            person = uow.org.find_person(person_id)
            if person is None:
                raise NotFound("not_found", kind="person", id=person_id)
            unit = uow.org.find_unit(person.unit_id)
            organisations = uow.org.list_organisations()
            records = signed_records(uow, person_id, year_value)
            keys = uow.org.find_keys({r.fingerprint for r in records if r.fingerprint})
            appeals = _appeals(uow, person_id, year_value)
            discipline = uow.discipline.list_for_person(person_id, year=year_value)
            annual = uow.evaluations.current_annual(person_id, year_value)
            names = {p.id: p.full_name for p in uow.org.list_people(active_only=False)}
        position = self._reports.form02_data(person_id, year_value).person.position
        files: dict[str, tuple[bytes, dict[str, Any]]] = {}
        with tempfile.TemporaryDirectory() as folder:
            for period in self._periods(person_id, year_value):
                if _is_cancelled(cancel):
                    raise ReportCancelled()
                target = Path(folder) / f"Mau01_{period}.pdf"
                result = self._reports.form01(person_id, str(period), target, language)
                files[f"Mau01/{target.name}"] = (target.read_bytes(), {
                    "kind": "form01", "code": result.code, "period": str(period)})
            target = Path(folder) / f"Mau02_{year_value}.pdf"
            result = self._reports.form02(person_id, year_value, target, language)
            files[f"Mau02/{target.name}"] = (target.read_bytes(), {
                "kind": "form02", "code": result.code, "period": str(year_value)})
        for appeal in appeals:
            files[f"kien-nghi/{_safe(appeal.id)}.json"] = (_json({
                "id": appeal.id, "period": str(appeal.period), "reason": appeal.reason,
                "filed_at": appeal.filed_at, "received_on": appeal.received_on,
                "status": appeal.status.value, "decision": appeal.decision,
                "outcome": None if appeal.outcome is None else appeal.outcome.value,
                "decided_by": appeal.decided_by, "decided_by_name":
                    names.get(appeal.decided_by or "", ""),
                "decided_at": appeal.decided_at, "decided_on": appeal.decided_on,
                "signed_records": ["appeals"] + (["appeal_decisions"] if appeal.decided_at
                                                 else []),
            }), {"kind": "appeal", "code": None, "period": str(appeal.period)})
        files["ky-luat.json"] = (_json({
            "year": year_value,
            "decisions": [{"id": e.id, "kind": e.kind.value, "decision_no": e.decision_no,
                           "decided_on": e.decided_on, "authority": e.authority.value,
                           "effective_year": e.effective_year, "note": e.note,
                           "related_event_id": e.related_event_id} for e in discipline],
            "annual_decision": None if annual is None else {
                "decision_no": annual.decision_no, "decision_date": annual.decision_date,
                "decided_level": None if annual.decided_level is None
                else annual.decided_level.value,
                "minutes_ref": annual.minutes_ref},
        }), {"kind": "discipline", "code": None, "period": str(year_value)})
        by_kind: dict[str, list[dict[str, Any]]] = {k: [] for k in RECORD_KINDS}
        for record in records:
            key = keys.get(record.fingerprint or "")
            by_kind[record.kind].append({
                "id": record.ident, "author": record.author, "signed_text": record.text,
                "signature": _b64(record.signature), "key_fingerprint": record.fingerprint,
                "public_key": _b64(key.public_key) if key is not None else None,
            })
        for kind, rows in by_kind.items():
            files[f"ban-ghi-ky/{kind}.json"] = (_json(rows), {"kind": "records", "code": None,
                                                              "period": str(year_value)})
        org = organisations[0] if organisations else None
        with language_override(language) as used:
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "basis": "Điều 24 Nghị định số 335/2025/NĐ-CP",
                "title": translate("Dossier", "Electronic evaluation dossier"),
                "organisation": {"id": org.id if org else "", "name": org.name_vi if org else ""},
                "person": {"id": person.id, "full_name": person.full_name,
                           "unit_id": person.unit_id, "unit": unit.name_vi if unit else "",
                           "position": position},
                "year": year_value, "language": used,
                "created_at": self._now().strftime("%Y-%m-%dT%H:%M:%SZ"),
                "app_version": __version__,
                "records": {kind: len(rows) for kind, rows in by_kind.items()},
            }
            index = _contents(manifest, files)
        files["muc-luc.txt"] = (index.encode("utf-8"), {"kind": "index", "code": None,
                                                        "period": None})
        manifest["files"] = [{"path": path, "sha256": _sha(data), "size": len(data), **info}
                             for path, (data, info) in files.items()]
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, _json(manifest))
            for path, (data, _info) in files.items():
                zf.writestr(path, data)
        if _is_cancelled(cancel):
            raise ReportCancelled()
        content = archive.getvalue()
        write_atomic(Path(out), content)
        return DossierResult(Path(out), person_id, year_value, len(files), len(records),
                             _sha(content))

    def unit(self, unit_id: str, year: str | int, folder: str | Path,
             language: str | None = None, *, progress: Progress | None = None,
             cancel: CancelFlag = None) -> list[DossierResult]:
        """The dossiers of everyone in ``unit_id`` and its sub-units, one archive each in
        ``folder`` (``HoSo_<person>_<year>.zip``); ``progress(done, total)`` after each."""
        year_value = parse_year(year)
        with self._db.unit_of_work(read_only=True) as uow:
            if uow.org.find_unit(unit_id) is None:
                raise NotFound("not_found", kind="unit", id=unit_id)
            people = sorted(uow.org.list_people(unit_ids=unit_tree(uow, unit_id)),
                            key=lambda p: (p.unit_id, p.id))
        target = Path(folder)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise RefusedValue("output_unwritable", path=str(target)) from None
        done: list[DossierResult] = []
        for index, person in enumerate(people):
            if _is_cancelled(cancel):
                raise ReportCancelled()
            if progress is not None:
                progress(index, len(people))
            done.append(self.person(person.id, year_value,
                                    target / f"HoSo_{_safe(person.id)}_{year_value}.zip",
                                    language, cancel=cancel))
        if progress is not None:
            progress(len(people), len(people))
        return done

    # -- checking an archive --------------------------------------------------------------

    def verify(self, path: str | Path) -> DossierCheck:
        """Whether the archive at ``path`` is intact and still agrees with the database."""
        check = DossierCheck(Path(path))
        try:
            zf = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            from kpi_desktop.services.messages import os_error_text

            detail = os_error_text(exc) if isinstance(exc, OSError) else \
                translate("Dossier", "not a zip archive")
            check.problems.append(("unreadable", detail))
            return check
        with zf:
            try:
                manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
                if manifest.get("format") != FORMAT:
                    raise ValueError(manifest.get("format"))
                listed = {f["path"]: f for f in manifest["files"]}
                check.person_id, check.year = manifest["person"]["id"], int(manifest["year"])
            except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
                check.problems.append(("manifest", str(exc)[:80] or MANIFEST))
                return check
            names = set(zf.namelist()) - {MANIFEST}
            contents: dict[str, bytes] = {}
            for name in sorted(names - set(listed)):
                check.problems.append(("unlisted", name))
            for name, info in listed.items():
                if name not in names:
                    check.problems.append(("missing", name))
                    continue
                try:
                    data = zf.read(name)
                except (zipfile.BadZipFile, OSError):
                    check.problems.append(("hash", name))
                    continue
                if _sha(data) != info.get("sha256") or len(data) != info.get("size"):
                    check.problems.append(("hash", name))
                contents[name] = data
        stored = self._stored_records(contents, check)
        check.intact = not check.problems
        before = len(check.problems)
        self._agreement(check, listed, stored)
        check.agrees = len(check.problems) == before and check.intact
        return check

    def _stored_records(self, contents: dict[str, bytes], check: DossierCheck
                        ) -> dict[tuple[str, str], dict[str, Any]]:
        """The archive's signed records, each signature checked with its own public key."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for kind in RECORD_KINDS:
            data = contents.get(f"ban-ghi-ky/{kind}.json")
            if data is None:
                continue
            try:
                rows = json.loads(data.decode("utf-8"))
            except ValueError:
                check.problems.append(("hash", f"ban-ghi-ky/{kind}.json"))
                continue
            for row in rows:
                what = f"{kind} {row.get('id')}"
                found[(kind, str(row.get("id")))] = row
                try:
                    signature, key = _unb64(row.get("signature")), _unb64(row.get("public_key"))
                except (ValueError, TypeError):
                    check.problems.append(("signature", what))
                    continue
                if signature is None:
                    check.unsigned += 1
                elif key is None or not _verify_signature(key, signature,
                                                          str(row.get("signed_text", ""))):
                    check.problems.append(("signature", what))
        check.records = len(found)
        return found

    def _agreement(self, check: DossierCheck, listed: dict[str, Any],
                   stored: dict[tuple[str, str], dict[str, Any]]) -> None:
        """Compare the forms' codes and the signed records with the database now."""
        codes = [info["code"] for info in listed.values() if info.get("code")]
        check.forms = len(codes)
        for code in codes:
            result = self._reports.verify(code)
            if result.status == "mismatch":
                check.problems.append(("form_changed", code))
            elif result.status != "match":
                check.problems.append(("form_unknown", code))
        with self._db.unit_of_work(read_only=True) as uow:
            if uow.org.find_person(check.person_id) is None:
                check.problems.append(("person_unknown", check.person_id))
                return
            now = {r.key(): r for r in signed_records(uow, check.person_id, check.year)}
            keys = uow.org.find_keys({str(row.get("key_fingerprint")) for row in stored.values()
                                      if row.get("key_fingerprint")})
        for key, row in stored.items():
            what = f"{key[0]} {key[1]}"
            current = now.get(key)
            if current is None or current.text != row.get("signed_text") \
                    or _b64(current.signature) != row.get("signature"):
                check.problems.append(("record_changed", what))
            fingerprint = row.get("key_fingerprint")
            if fingerprint:
                known = keys.get(fingerprint)
                if known is None or known.person_id != row.get("author") \
                        or _b64(known.public_key) != row.get("public_key"):
                    check.problems.append(("key_unknown", what))
        for key in sorted(set(now) - set(stored)):
            check.problems.append(("record_new", f"{key[0]} {key[1]}"))


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, default=_default).encode("utf-8")


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value.tzinfo \
            else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _contents(manifest: dict[str, Any], files: dict[str, tuple[bytes, dict[str, Any]]]) -> str:
    """The table of contents people read (in the dossier's language)."""
    person = manifest["person"]
    lines = [
        translate("Dossier", "ELECTRONIC EVALUATION DOSSIER"),
        translate("Dossier", "(Article 24 of Decree 335/2025/NĐ-CP)"),
        "",
        translate("Dossier", "Organisation: {name}").format(name=manifest["organisation"]["name"]),
        translate("Dossier", "Civil servant: {name} ({id})").format(name=person["full_name"],
                                                                    id=person["id"]),
        translate("Dossier", "Work unit: {unit}").format(unit=person["unit"]),
        translate("Dossier", "Year: {year}").format(year=manifest["year"]),
        translate("Dossier", "Made on: {time} (KPI Desktop {version})").format(
            time=manifest["created_at"], version=manifest["app_version"]),
        "",
    ]
    labels = {
        "form01": translate("Dossier", "Form No. 01, monitoring and evaluation form"),
        "form02": translate("Dossier", "Form No. 02, quality classification form"),
        "appeal": translate("Dossier", "Appeal and its decision"),
        "discipline": translate("Dossier", "Discipline decisions and the year-end decision"),
        "records": translate("Dossier", "Signed records the figures derive from"),
    }
    for path, (_data, info) in files.items():
        line = f"{path}  {labels.get(info['kind'], '')}"
        if info.get("code"):
            line += "  " + translate("Dossier", "verification code {code}").format(
                code=info["code"])
        lines.append(line)
    lines += ["", translate("Dossier", "Check this dossier: kpi-desktop verify FILE.zip")]
    return "\n".join(lines) + "\n"
