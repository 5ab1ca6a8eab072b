"""Words for what ``check`` finds, for damage, full and read-only disks, and backups."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from kpi_desktop.runtime.i18n import current_language, translate


class Finding(Protocol):
    """What a message needs of ``services.integrity_records.Finding`` (not imported: the
    messages stay below every service, the sync kinds included)."""

    code: str
    table: str
    record: str
    person_id: str
    period: str
    data: dict[str, str]

__all__ = ["describe_finding", "file_size", "integrity_errors", "reason_label"]


def file_size(size: int | float | str | None) -> str:
    """A size for people: "512 kB", "4.2 MB" (decimal units, one decimal above a megabyte)."""
    try:
        value = float(size or 0)
    except (TypeError, ValueError):
        return str(size)
    point = "," if current_language() == "vi" else "."
    if value >= 1000 * 1000 * 1000:
        return translate("Integrity", "{size} GB").format(
            size=f"{value / 1e9:.1f}".replace(".", point))
    if value >= 1000 * 1000:
        return translate("Integrity", "{size} MB").format(
            size=f"{value / 1e6:.1f}".replace(".", point))
    kilo = 0 if value == 0 else max(round(value / 1000), 1)
    return translate("Integrity", "{size} kB").format(size=str(kilo))


def reason_label(reason: str, revision: str = "") -> str:
    """Why a backup was made."""
    labels = {
        "daily": translate("Integrity", "daily"),
        "manual": translate("Integrity", "on request"),
        "import": translate("Integrity", "before an import"),
        "transfer": translate("Integrity", "before a transfer import"),
        "restore": translate("Integrity", "before a restore"),
        "upgrade": translate("Integrity", "before a program upgrade"),
    }
    text = labels.get(reason, reason)
    if reason == "upgrade" and revision:
        text = translate("Integrity", "before a program upgrade (data version {revision})"
                         ).format(revision=revision)
    return text


def _table(table: str) -> str:
    return {
        "monthly_evaluations": translate("Integrity", "monthly evaluation"),
        "annual_classifications": translate("Integrity", "annual classification"),
        "work_log_entries": translate("Integrity", "work-log entry"),
        "entry_revisions": translate("Integrity", "submitted version of a work-log entry"),
        "review_statements": translate("Integrity", "confirmation or return of work"),
        "assignments": translate("Integrity", "assignment"),
        "appeals": translate("Integrity", "appeal"),
        "discipline_events": translate("Integrity", "discipline decision"),
        "catalog_proposals": translate("Integrity", "proposal of a catalog item"),
        "replaced_evaluations": translate("Integrity", "replaced evaluation"),
        "transferred_months": translate("Integrity", "month received with a transfer"),
        "people": translate("Integrity", "person"),
        "person_keys": translate("Integrity", "person's key"),
        "catalog_items": translate("Integrity", "catalog item"),
        "audit_events": translate("Integrity", "audit log line"),
        "sqlite_master": translate("Integrity", "database structure"),
        "sqlite_sequence": translate("Integrity", "database counter"),
    }.get(table, translate("Integrity", "row of table {table}").format(table=table))


def _field(name: str) -> str:
    return {
        "total": translate("Integrity", "total"),
        "level": translate("Integrity", "level"),
        "computed_level": translate("Integrity", "computed level"),
        "general_points": translate("Integrity", "general criteria points"),
        "task_points": translate("Integrity", "task points"),
        "task_ratio": translate("Integrity", "task ratio"),
        "a": translate("Integrity", "completion rate a"),
        "b": translate("Integrity", "quality rate b"),
        "c": translate("Integrity", "timeliness rate c"),
        "insufficient": translate("Integrity", "“insufficient data” mark"),
        "policy_version": translate("Integrity", "policy version"),
        "evaluator_id": translate("Integrity", "evaluator"),
        "record": translate("Integrity", "record"),
    }.get(name, name)


def _what(finding: Finding) -> str:  # noqa: C901, PLR0911 - one message per code
    d = finding.data
    code = finding.code
    if code == "sqlite":
        return translate("Integrity", "SQLite reports damage in the file: {detail}").format(
            detail=d.get("detail", ""))
    if code == "foreign_key":
        return translate("Integrity", "refers to a missing row of {table}").format(
            table=d.get("detail", ""))
    if code in ("unreadable", "seal_unreadable", "records_unreadable"):
        return translate("Integrity", "cannot be read any more ({detail})").format(
            detail=d.get("detail") or d.get("error", ""))
    if code == "seal_changed":
        return translate("Integrity", "a stored value changed although nothing wrote it "
                                      "(damage of the file)")
    if code == "seal_outside":
        return translate("Integrity", "changed by another program, not by KPI Desktop")
    if code == "seal_unsealed":
        return translate("Integrity", "added by another program or damaged (it has no seal)")
    if code == "seal_missing":
        return translate("Integrity", "a stored row is missing (damage of the file)")
    if code == "seal_deleted_outside":
        return translate("Integrity", "deleted by another program, not by KPI Desktop")
    if code == "signature_invalid":
        return translate("Integrity", "its signature does not match the record as stored")
    if code == "signature_missing":
        return translate("Integrity", "it carries no signature although it should")
    if code == "signature_key_unknown":
        return translate("Integrity", "signed with a key this computer does not know")
    if code == "signature_wrong_author":
        return translate("Integrity", "signed with a key that is not its author's ({author})"
                         ).format(author=d.get("author", ""))
    if code == "revision_hash_mismatch":
        return translate("Integrity", "its stored hash does not match its content")
    if code == "entry_differs_from_revision":
        return translate("Integrity", "the entry as stored differs from version {revision} "
                                      "its author submitted").format(
            revision=d.get("revision", ""))
    if code == "result_differs":
        return translate("Integrity", "stored {field} {stored} differs from {computed} computed "
                                      "again from the signed inputs").format(
            field=_field(d.get("field", "")), stored=d.get("stored", ""),
            computed=d.get("computed", ""))
    if code == "copy_differs":
        return translate("Integrity", "stored {field} {stored} differs from its record "
                                      "({computed})").format(
            field=_field(d.get("field", "")), stored=d.get("stored", ""),
            computed=d.get("computed", ""))
    if code == "attachment_missing":
        return translate("Integrity", "the attached file “{file}” is missing ({path})").format(
            file=d.get("file", ""), path=d.get("path", ""))
    if code == "attachment_altered":
        return translate("Integrity", "the attached file “{file}” was altered: its content no "
                                      "longer matches its hash ({path})").format(
            file=d.get("file", ""), path=d.get("path", ""))
    return code


def describe_finding(finding: Finding, names: Mapping[str, str] | None = None) -> str:
    """One line for a finding: which record (whose, which period) and what is wrong."""
    parts = []
    record = ""
    if finding.table:
        # A key made only of the person and the period says nothing the rest does not.
        tokens = [t for t in re.split(r"[,@]\s*", finding.record) if t]
        rest = [t for t in tokens if t not in (finding.person_id, finding.period)]
        record = finding.record if rest else ""
        parts.append(f"{_table(finding.table)} {record}".strip())
    if finding.person_id:
        name = (names or {}).get(finding.person_id)
        parts.append(f"{name} ({finding.person_id})" if name else finding.person_id)
    if finding.period and finding.period not in record:
        parts.append(finding.period)
    subject = ", ".join(parts)
    return f"{subject}: {_what(finding)}" if subject else _what(finding)


def _damaged(p: Mapping[str, Any]) -> str:
    text = translate("Errors", "The database is damaged: {detail}").format(
        detail=p.get("detail") or translate("Errors", "SQLite cannot read it"))
    backup = p.get("backup")
    if backup:
        text += "\n" + translate("Errors", "The newest backup that passed its check is {path}; "
                                           "restore it with “kpi-desktop backup --restore "
                                           "{path}”.").format(path=backup)
    else:
        text += "\n" + translate("Errors", "No backup passed its check.")
    return text


def _disk_full(p: Mapping[str, Any]) -> str:
    if p.get("needed"):
        return translate("Errors", "The disk is full: {free} free in {path}, at least {needed} "
                                   "needed. Free some space and try again; nothing was saved."
                         ).format(free=file_size(p.get("free")), needed=file_size(p["needed"]),
                                  path=p.get("path", ""))
    return translate("Errors", "The disk is full: free some space and try again; nothing was "
                               "saved.")


def integrity_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Error codes of the data folder, the checks and the backups."""
    return {
        "database_damaged": _damaged,
        "disk_full": _disk_full,
        "database_read_only": lambda p: translate(
            "Errors", "The database file cannot be written (read-only)."),
        "data_folder_read_only": lambda p: translate(
            "Errors", "The data folder {path} cannot be written (it is read-only or you may not "
                      "change it). KPI Desktop needs to write there: choose a folder you can "
                      "write with --data-dir, or ask IT staff for access.").format(
            path=p.get("path", "")),
        "backup_not_found": lambda p: translate(
            "Errors", "There is no backup {path}.").format(path=p.get("path", "")),
        "backup_empty": lambda p: translate(
            "Errors", "The backup {path} holds no organisation (it was made before the first "
                      "setup) and is not offered for restoring.").format(path=p.get("path", "")),
        "backup_failed": lambda p: translate(
            "Errors", "The backup {path} could not be written: {detail}").format(
            path=p.get("path", ""), detail=p.get("detail", "")),
        "restore_not_confirmed": lambda p: translate(
            "Errors", "Restoring replaces the data on this computer; nothing was changed. "
                      "Add --yes to confirm."),
    }
