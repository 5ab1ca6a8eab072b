"""Words for codes: turns the core's error codes and enums into translated text.

Core layers raise :class:`~kpi_desktop.domain.errors.KpiError` with a code and data, and return
enums; the CLI and the GUI call these functions to show them in the current language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.inputs import export_text
from kpi_desktop.runtime.i18n import translate


def _errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    from kpi_desktop.services.hardening_messages import hardening_errors
    from kpi_desktop.services.integrity_messages import integrity_errors
    from kpi_desktop.services.org_eval_messages import org_eval_errors

    return {
        **integrity_errors(),  # data folder, damage, disk full, backups (issues 13, 14)
        **_sync_errors(),
        **org_eval_errors(),
        **_transfer_errors(),
        **_appeal_errors(),
        **hardening_errors(),
        "not_found": lambda p: translate("Errors", "No {kind} with the identifier “{id}”.").format(
            kind=kind_label(str(p.get("kind", ""))), id=p.get("id", "")
        ),
        "favourites_full": lambda p: translate(
            "Errors", "At most {maximum} favourites: remove one first (right-click it)."
        ).format(maximum=p.get("maximum", "")),
        "period_malformed": period_malformed_text,
        "year_malformed": lambda p: translate(
            "Errors", "“{value}” is not a year: write four digits, for example 2026."
        ).format(value=p.get("value", "")),
        "date_malformed": lambda p: translate(
            "Errors", "“{value}” is not a date: write it as YYYY-MM-DD (for example 2026-03-15)."
        ).format(value=p.get("value", "")),
        "date_in_future": lambda p: translate(
            "Errors", "The work date {date} is in the future: work can only be logged once done."
        ).format(date=p.get("date", "")),
        "completed_before_start": lambda p: translate(
            "Errors", "The completion date {completed} is before the work date {date}."
        ).format(completed=p.get("completed", ""), date=p.get("date", "")),
        "quantity_not_positive": lambda p: translate(
            "Errors", "The quantity must be greater than zero (got {value})."
        ).format(value=p.get("value", "")),
        "item_not_allowed": lambda p: translate(
            "Errors", "The catalog item {code} is not in the list of job position “{position}”."
        ).format(code=p.get("code", ""), position=p.get("position", "")),
        "entry_not_editable": lambda p: translate(
            "Errors", "This entry is {status} and can no longer be edited."
        ).format(status=entry_status_label(p.get("status", ""))),
        "period_locked": lambda p: translate(
            "Errors", "The period {period} is locked: ask your evaluator to reopen it."
        ).format(period=p.get("period", "")),
        "general_points_out_of_range": lambda p: translate(
            "Errors", "General criteria points must be between 0 and 30 (got {value})."
        ).format(value=p.get("value", "")),
        "database_exists": lambda p: translate(
            "Errors", "The data folder already holds an organisation ({path}); use another folder."
        ).format(path=p.get("path", "")),
        "catalog_xlsx_invalid": _catalog_file_error,
        "assignment_item_mismatch": lambda p: translate(
            "Errors", "The assignment {assignment} is for another catalog item than {code}."
        ).format(assignment=p.get("assignment", ""), code=p.get("code", "")),
        "revision_reason_missing": lambda p: translate(
            "Errors", "A corrected entry needs a reason for the change."
        ),
        "decimal_malformed": lambda p: translate("Errors", "“{value}” is not a number.").format(
            value=p.get("value", "")
        ),
        "negative_value": lambda p: translate(
            "Errors", "{field} cannot be negative (got {value})."
        ).format(field=p.get("field", ""), value=p.get("value", "")),
        "leader_factor_invalid": lambda p: translate(
            "Errors", "The leader factors d, đ and e can only be 100 % or 50 % (got {value})."
        ).format(value=p.get("value", "")),
        "extra_not_completed": lambda p: translate(
            "Errors", "Ad hoc or taken-over work only counts once it is completed."
        ),
        "duplicate_record": lambda p: translate("Errors", "This record already exists."),
        "reference_unknown": lambda p: translate(
            "Errors", "The record refers to something that does not exist."
        ),
        "database_locked": lambda p: translate(
            "Errors", "The database is busy in another program; try again in a moment."
        ),
        "attachment_unreadable": lambda p: translate(
            "Errors", "The file {path} cannot be read, so it was not attached."
        ).format(path=p.get("path", "")),
        "criterion_out_of_range": lambda p: translate(
            "Errors", "The self-score of criterion {code} must be between 0 and {maximum} "
            "(got {value})."
        ).format(code=p.get("code", ""), maximum=p.get("maximum", ""), value=p.get("value", "")),
        "criterion_missing": lambda p: translate(
            "Errors", "Give a self-score for criterion {code} before submitting the month."
        ).format(code=p.get("code", "")),
        "criterion_unknown": lambda p: translate(
            "Errors", "There is no general criterion {code}."
        ).format(code=p.get("code", "")),
        "evaluation_not_open": lambda p: translate(
            "Errors", "The month {period} has already been submitted and can no longer be changed."
        ).format(period=p.get("period", "")),
        "own_work": lambda p: translate(
            "Errors", "Nobody may confirm, evaluate or classify their own work."
        ),
        "not_evaluator": lambda p: translate(
            "Errors", "Only the evaluator of {person} (or an acting evaluator) may do this."
        ).format(person=p.get("person", "")),
        "reason_missing": lambda p: translate("Errors", "Please give a reason."),
        "undo_already_sent": lambda p: translate(
            "Errors", "This decision has already been exported (it left this PC with the last "
            "bundle) and can no longer be undone; record a new decision instead."),
        "undo_not_yours": lambda p: translate(
            "Errors", "Only the leader who recorded a decision can undo it."),
        "undo_too_late": lambda p: translate(
            "Errors", "The author has already changed this entry since; the decision can no "
            "longer be undone."),
        "entry_not_submitted": lambda p: translate(
            "Errors", "This entry is {status}: only submitted entries can be reviewed."
        ).format(status=entry_status_label(p.get("status", ""))),
        "already_recorded": lambda p: translate(
            "Errors", "An objective cause of its delays is already recorded for this entry."
        ) if p.get("cause") == "timeliness" else translate(
            "Errors", "An objective cause of its quality errors is already recorded for this "
            "entry.") if p.get("cause") == "quality" else translate(
            "Errors", "An objective cause is already recorded for this entry."),
        "cause_missing": lambda p: translate(
            "Errors", "Choose what the objective cause exempts: the quality errors, the delays "
            "or both."),
        "deadline_before_period": lambda p: translate(
            "Errors", "The deadline {deadline} is before the start of the period {period}."
        ).format(deadline=p.get("deadline", ""), period=p.get("period", "")),
        "assignment_has_work": lambda p: translate(
            "Errors", "Work was already logged against this assignment; it cannot be cancelled."
        ),
        "confirmed_criterion_out_of_range": lambda p: translate(
            "Errors", "The points of criterion {code} must be between 0 and {maximum} "
            "(got {value})."
        ).format(code=p.get("code", ""), maximum=p.get("maximum", ""), value=p.get("value", "")),
        "confirmed_criterion_missing": lambda p: translate(
            "Errors", "Give points for criterion {code}."
        ).format(code=p.get("code", "")),
        "self_assessment_missing": lambda p: translate(
            "Errors", "{person} has not submitted a self-assessment for {period}: enter the "
            "points of each criterion yourself."
        ).format(person=p.get("person", ""), period=p.get("period", "")),
        "adjust_comment_missing": lambda p: translate(
            "Errors", "You changed the self-assessed points: add a comment explaining why."
        ),
        "leader_factor_not_leader": lambda p: translate(
            "Errors", "The factors đ and e apply only to heads and deputy heads."
        ),
        "evaluation_not_locked": lambda p: translate(
            "Errors", "The month {period} of {person} is not locked."
        ).format(period=p.get("period", ""), person=p.get("person", "")),
        "period_in_future": lambda p: translate(
            "Errors", "The period {period} has not started yet."
        ).format(period=p.get("period", "")),
        "level_unknown": lambda p: translate("Errors", "Choose a classification level."),
        "discipline_kind_unknown": lambda p: translate(
            "Errors", "“{value}” is not a kind of discipline."
        ).format(value=p.get("value", "")),
        "classification_decided": lambda p: translate(
            "Errors", "This year already has a decision: record a replacement decision instead."
        ),
        "classification_not_decided": lambda p: translate(
            "Errors", "There is no decision to replace yet."
        ),
        "classification_already_superseded": lambda p: translate(
            "Errors", "This decision was already replaced by a later one."
        ),
        "classification_not_classifiable": lambda p: translate(
            "Errors", "This person is not classified this year (fewer than 6 months worked)."
        ),
        "classification_disciplined": lambda p: translate(
            "Errors", "A disciplined person is rated Unsatisfactory whatever the score."
        ),
        "classification_above_computed": lambda p: translate(
            "Errors", "The level cannot be higher than the level the scores give."
        ),
        "date_range_reversed": lambda p: translate(
            "Errors", "The end date {end} is before the start date {start}."
        ).format(start=p.get("start", ""), end=p.get("end", "")),
        "nothing_to_delegate": lambda p: translate(
            "Errors", "There is nobody to delegate: you evaluate nobody on that day."
        ),
        "output_unwritable": lambda p: translate(
            "Errors", "The file {path} cannot be written: check the folder exists and is writable."
        ).format(path=p.get("path", "")),
        "export_format_unknown": lambda p: translate(
            "Errors", "“{value}” is not an export format: use csv, xlsx or json."
        ).format(value=p.get("value", "")),
        "report_cancelled": lambda p: translate(
            "Errors", "The report was cancelled; nothing was written."
        ),
        "schema_too_new": lambda p: translate(
            "Errors", "The data was written by a newer version of KPI Desktop: please update."
        ),
        "backup_damaged": lambda p: translate(
            "Errors", "The backup {path} is damaged and cannot be restored."
        ).format(path=p.get("path", "")),
        "backup_not_found": lambda p: translate(
            "Errors", "There is no backup file {path}: choose one from the list "
            "(kpi-desktop backup --list)."
        ).format(path=p.get("path", "")),
        "database_missing": lambda p: translate(
            "Errors", "There is no database at {path}."
        ).format(path=p.get("path", "")),
    }


def _policy_reason(p: Mapping[str, Any]) -> str:
    """Why a policy file was refused, from the scoring engine's code (never its English)."""
    from kpi_desktop.services.agency_messages import policy_field_label

    if "reason" in p:
        return os_error_text(p["reason"])
    cause = str(p.get("cause", ""))
    params = p.get("cause_params") or {}

    def keys() -> str:
        found = params.get("keys", "")
        names = found if isinstance(found, list | tuple | set) else [found]
        return ", ".join(policy_field_label(str(n)) for n in sorted(map(str, names)))

    if cause == "policy_format_unknown":
        if params.get("value") == "json":
            return translate("Errors", "the file is not JSON text")
        return translate("Errors", "the format “{value}” is not a scoring policy").format(
            value=params.get("value", ""))
    if cause == "policy_key_unknown":
        return translate("Errors", "it has entries this version does not know: {keys}").format(
            keys=keys())
    if cause == "policy_key_missing":
        return translate("Errors", "entries are missing: {keys}").format(keys=keys())
    if cause == "policy_version_invalid":
        return translate("Errors", "the version “{value}” is not well formed").format(
            value=params.get("value", ""))
    if cause == "policy_invalid" and "field" in params:
        return translate("Errors", "the value “{value}” of “{field}” is not allowed").format(
            value=params.get("value", ""), field=policy_field_label(str(params["field"])))
    return translate("Errors", "the value was refused ({code})").format(code=cause or "?")


def period_malformed_text(p: Mapping[str, Any]) -> str:
    """The refused text and the forms that may be written instead: only the kinds the
    command accepts (``accepts``: "month_quarter_year"…; a month when not said)."""
    accepts = str(p.get("accepts", "month")).split("_")
    forms = {
        "month": lambda: translate("Errors", "a month as 9/2026 or 2026-09"),
        "quarter": lambda: translate("Errors", "a quarter as 2026-Q3"),
        "half": lambda: translate("Errors", "a half year as 2026-H1"),
        "year": lambda: translate("Errors", "a year as 2026"),
    }
    written = "; ".join(forms[kind]() for kind in forms if kind in accepts) or forms["month"]()
    return translate("Errors", "“{value}” is not a period. Write {forms}.").format(
        value=p.get("value", ""), forms=written)


def entry_status_label(status: object) -> str:
    """The name of a work-log entry's status (an ``EntryStatus`` or its value), the one every
    page, message, print-out and command shows."""
    value = str(getattr(status, "value", status))
    return {
        "draft": translate("EntryStatus", "draft"),
        "submitted": translate("EntryStatus", "submitted"),
        "confirmed": translate("EntryStatus", "confirmed"),
        "returned": translate("EntryStatus", "returned"),
    }.get(value, value)


def month_status_label(status: object) -> str:
    """The name of a monthly evaluation's status (an ``EvaluationStatus`` or its value): the
    official's own month, the leader's list and the reconciliation report say the same."""
    value = str(getattr(status, "value", status))
    return {
        "open": translate("MonthStatus", "not submitted"),
        "submitted": translate("MonthStatus", "submitted, not confirmed"),
        "confirmed": translate("MonthStatus", "confirmed by the evaluator"),
        "locked": translate("MonthStatus", "confirmed, period locked"),
    }.get(value, value)


def is_known(code: str) -> bool:
    """Whether ``code`` has its own sentence (:func:`describe` does not fall back)."""
    return code in _errors()


def _without_controls(value: Any) -> Any:
    if isinstance(value, str):
        return export_text(value)
    if isinstance(value, dict):
        return {key: _without_controls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_controls(item) for item in value]
    return value


def describe(error: KpiError) -> str:
    """A sentence for ``error`` in the current language."""
    text = _errors().get(error.code)
    if text is not None:
        params = {key: period_text(value) if key == "period" and isinstance(value, str) else
                  os_error_text(value) if key in ("detail", "error", "reason")
                  and isinstance(value, str) else value
                  for key, value in error.params.items()}
        # A value echoed from a file or a command line never brings its control characters
        # (terminal escapes, bidirectional overrides) into the message.
        params = {key: _without_controls(value) for key, value in params.items()}
        try:
            return text(params)
        except (KeyError, IndexError, ValueError):
            pass
    detail = export_text(", ".join(f"{k}={v}" for k, v in error.params.items()))
    return translate("Errors", "The value was refused ({code}).").format(
        code=f"{error.code}: {detail}" if detail else error.code
    )


def role_label(role: object) -> str:
    """The name of a person's role (official, deputy, head, admin)."""
    value = str(getattr(role, "value", role))
    return {
        "official": translate("Agency", "civil servant"),
        "deputy": translate("Agency", "deputy head"),
        "head": translate("Agency", "head"),
        "admin": translate("Agency", "administrator"),
    }.get(value, value)


def audit_action_label(action: str) -> str:
    """What an audited action did, in words ("confirmed a monthly evaluation"): the one list
    of audit actions, for the audit log, a month's history and the changes the next
    organisation file carries."""
    return {
        "entry.create": translate("AuditLog", "created a work-log entry"),
        "entry.submit": translate("AuditLog", "submitted a work-log entry"),
        "entry.confirm": translate("AuditLog", "confirmed an entry"),
        "entry.return": translate("AuditLog", "returned an entry"),
        "entry.quality_failed": translate("AuditLog", "recorded a failed quality review"),
        "entry.delay": translate("AuditLog", "recorded a delay"),
        "entry.objective_cause": translate("AuditLog", "recorded an objective cause"),
        "entry.quality_cause": translate(
            "AuditLog", "recorded an objective cause of the quality errors"),
        "entry.timeliness_cause": translate(
            "AuditLog", "recorded an objective cause of the delays"),
        "entry.undo": translate("AuditLog", "undid a decision before it was sent"),
        "review.late": translate("AuditLog", "reviewed after the time limit"),
        "assignment.create": translate("AuditLog", "assigned a task"),
        "assignment.cancel": translate("AuditLog", "cancelled an assignment"),
        "assignment.copy": translate("AuditLog", "copied last month's assignments"),
        "evaluation.submit": translate("AuditLog", "submitted a self-assessment"),
        "evaluation.confirm": translate("AuditLog", "confirmed a monthly evaluation"),
        "evaluation.lock": translate("AuditLog", "locked a month"),
        "evaluation.unlock": translate("AuditLog", "unlocked a month"),
        "evaluation.appeal_change": translate("AuditLog", "changed an evaluation after an appeal"),
        "evaluator.delegate": translate("AuditLog", "appointed an acting evaluator"),
        "discipline.record": translate("AuditLog", "recorded a discipline decision"),
        "classification.self_rating": translate("AuditLog", "recorded a Form 02 self-rating"),
        "classification.decide": translate("AuditLog", "recorded a classification decision"),
        "classification.supersede": translate("AuditLog", "replaced a classification decision"),
        "transfer.person": translate("AuditLog", "transferred a person to another unit"),
        "transfer.export": translate(
            "AuditLog", "sent a person's monthly results to another agency"),
        "transfer.import": translate(
            "AuditLog", "received a person's monthly results from another agency"),
        "org.create": translate("AuditLog", "created the organisation"),
        "catalog.import": translate("AuditLog", "imported a catalog workbook"),
        "staff.import": translate("AuditLog", "imported a staff list"),
        "policy.import": translate("AuditLog", "imported a scoring policy"),
        "policy.edit": translate("AuditLog", "made a new scoring policy version"),
        "proposal.accept": translate("AuditLog", "accepted a proposal into the catalog"),
        "proposal.reject": translate("AuditLog", "rejected a proposal"),
        "key.enrol": translate("AuditLog", "enrolled a key"),
        "key.revoke": translate("AuditLog", "revoked a key"),
        "key.agency_rotate": translate("AuditLog", "replaced the agency key"),
        "unit.add": translate("AuditLog", "added a unit"),
        "unit.rename": translate("AuditLog", "renamed a unit"),
        "unit.move": translate("AuditLog", "moved a unit"),
        "unit.close": translate("AuditLog", "closed a unit"),
        "unit.merge": translate("AuditLog", "merged units"),
        "person.add": translate("AuditLog", "added a person"),
        "person.edit": translate("AuditLog", "changed a person's details"),
        "person.leave": translate("AuditLog", "recorded that a person left the organisation"),
        "evaluator.add": translate("AuditLog", "added an evaluator relation"),
        "evaluator.edit": translate("AuditLog", "changed an evaluator relation"),
        "evaluator.end": translate("AuditLog", "ended an evaluator relation"),
        "org.indicator.set": translate("AuditLog", "entered an organisation indicator"),
        "org.indicator.import": translate("AuditLog", "imported organisation indicators"),
        "org.evaluation.decide": translate("AuditLog", "decided the organisation's result level"),
        "calendar.declare": translate("AuditLog", "declared a calendar day"),
        "calendar.remove": translate("AuditLog", "removed a calendar day"),
    }.get(action, action)


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_text(period: object) -> str:
    """A period as people write it in a sentence: "tháng 9/2026", "quý III/2026",
    "6 tháng đầu năm 2026", "năm 2026" (in English "9/2026", "quarter III/2026", "first half
    of 2026", "year 2026"). Anything that is not an ISO period is returned as it is."""
    import re

    text = str(period)
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month and 1 <= int(month[2]) <= 12:
        return translate("PeriodText", "{month}/{year}").format(
            month=int(month[2]), year=month[1])
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if quarter:
        return translate("PeriodText", "quarter {quarter}/{year}").format(
            quarter=_ROMAN[int(quarter[2])], year=quarter[1])
    half = re.fullmatch(r"(\d{4})-H([12])", text)
    if half:
        if half[2] == "1":
            return translate("PeriodText", "first half of {year}").format(year=half[1])
        return translate("PeriodText", "second half of {year}").format(year=half[1])
    if re.fullmatch(r"\d{4}", text):
        return translate("PeriodText", "year {year}").format(year=text)
    return text


def pages_text(count: int) -> str:
    """ "1 page", "2 pages" (Vietnamese has one form: "1 trang", "2 trang")."""
    if count == 1:
        return translate("Cli", "1 page")
    return translate("Cli", "{n} pages").format(n=count)


def number_text(value: object, places: int = 2) -> str:
    """A score or mean for people: rounded half-up, a comma for decimals in Vietnamese
    ("99,05"); ``None`` is "–"."""
    from kpi_desktop.reports._text import number

    return number(value, places)  # type: ignore[arg-type]


def quantity_text(value: object) -> str:
    """A quantity without needless zeros: "2", "2,5" in Vietnamese, "2.5" in English."""
    from kpi_desktop.reports._text import points

    return points(value) or "0"  # type: ignore[arg-type]


def clause(text: str) -> str:
    """``text`` continued after a colon: its first letter in lower case ("Không mở được tệp…"
    → "không mở được tệp…"), so that two messages read as one sentence. A first word in
    capitals (an abbreviation: CSV, UBND) is left as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def os_error_text(detail: object) -> str:
    """A system error ("[Errno 2] No such file or directory: 'x'") said in words; any other
    text is returned as it is."""
    import errno
    import re

    text = str(detail)
    found = re.search(r"\[Errno (\d+)\]", text)
    if not found:
        return text
    code = int(found[1])
    return {
        errno.ENOENT: translate("Errors", "the file or folder does not exist"),
        errno.EACCES: translate("Errors", "permission denied"),
        errno.EPERM: translate("Errors", "permission denied"),
        errno.ENOSPC: translate("Errors", "the disk is full"),
        errno.EISDIR: translate("Errors", "this is a folder, not a file"),
        errno.ENOTDIR: translate("Errors", "a part of the path is not a folder"),
        errno.EROFS: translate("Errors", "the disk is read-only"),
        errno.EIO: translate("Errors", "the disk could not be read or written"),
    }.get(code, translate("Errors", "system error {code}").format(code=code))


def kind_label(kind: str) -> str:
    """The name of a kind of record, for messages."""
    return {
        "person": translate("Kinds", "person"),
        "unit": translate("Kinds", "unit"),
        "catalog_item": translate("Kinds", "catalog item"),
        "assignment": translate("Kinds", "assignment"),
        "entry": translate("Kinds", "work-log entry"),
        "proposal": translate("Kinds", "proposal"),
        "appeal": translate("Kinds", "appeal"),
        "job_position": translate("Kinds", "job position"),
        "evaluator_relation": translate("Kinds", "evaluator relation"),
        "catalog_version": translate("Kinds", "catalog version"),
        "key": translate("Kinds", "key"),
        # What a bundle's signer may make (bundle_signer_not_allowed).
        "revision": translate("Kinds", "work-log entry"),
        "statement": translate("Kinds", "confirmation or return of work"),
        "evaluation": translate("Kinds", "evaluation"),
        "organisation": translate("Kinds", "organisation file"),
        "appeal_decision": translate("Kinds", "decision on an appeal"),
        "discipline_event": translate("Kinds", "discipline decision"),
        "annual_classification": translate("Kinds", "annual classification"),
        "work": translate("Kinds", "work bundle"),
        "review": translate("Kinds", "review bundle"),
        "plan": translate("Kinds", "assignment bundle"),
        "receipt": translate("Kinds", "receipt"),
        "bundle": translate("Kinds", "bundle"),
    }.get(kind, kind)


def level_label(level: object | None) -> str:
    """The official name of a classification level (``None`` means not classified)."""
    value = getattr(level, "value", level)
    return {
        "excellent": translate("Level", "Excellent"),
        "good": translate("Level", "Good"),
        "complete": translate("Level", "Satisfactory"),
        "not_complete": translate("Level", "Unsatisfactory"),
        None: translate("Level", "Not classified"),
    }.get(value, str(value))  # type: ignore[arg-type]


def level_abbreviation(level: object | None) -> str:
    """A level in a narrow table cell: in Vietnamese the administration's usual abbreviations
    (HTXSNV, HTTNV, HTNV, KHTNV); put :func:`level_label` in the cell's tooltip."""
    value = getattr(level, "value", level)
    return {
        "excellent": translate("LevelShort", "Excellent"),
        "good": translate("LevelShort", "Good"),
        "complete": translate("LevelShort", "Satisfactory"),
        "not_complete": translate("LevelShort", "Unsatisfactory"),
        None: translate("LevelShort", "Not classified"),
    }.get(value, str(value))  # type: ignore[arg-type]


def _counted(one: str, many: str, count: object) -> str:
    """``one`` when ``count`` is 1, else ``many`` (both already translated)."""
    return one if str(count) == "1" else many


def _sync_trust_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Trust rules of the records (issue 13): revocation by time, held bundles, refusals,
    missing bundles."""
    return {
        "bundle_record_key_revoked": lambda p: translate(
            "Errors", "A record in the bundle ({record}) is signed with the key {key}, which "
            "was revoked on {revoked}, and is dated on or after that day. Nothing was "
            "imported; the sender is told that this record was refused."
        ).format(record=p.get("record", ""), key=p.get("key", ""),
                 revoked=p.get("revoked", "")),
        "bundle_sequence_reused": lambda p: translate(
            "Errors", "{sender} already sent a different bundle with number {seq}: a copied "
            "PC, or one restored from an old backup, may be signing in their name. This "
            "bundle is held, not imported, until someone checks it and releases or discards "
            "it (kpi-desktop sync status)."
        ).format(sender=p.get("sender", ""), seq=p.get("seq", "")),
        "sync_bundles_missing": lambda p: _counted(
            translate("Sync", "1 bundle from {sender} has not arrived."),
            translate("Sync", "{count} bundles from {sender} have not arrived."),
            p.get("count")).format(count=p.get("count", ""), sender=p.get("sender", "")),
        "sync_records_refused": lambda p: _counted(
            translate("Sync", "1 item refused by {name}: {reason}"),
            translate("Sync", "{count} items refused by {name}, the first: {reason}"),
            p.get("count")).format(count=p.get("count", ""), name=p.get("name", ""),
                                   reason=_reason(p.get("reason"))),
        "sync_older_ignored": lambda p: _counted(
            translate("Sync", "1 older copy ignored: a newer version of the same record is "
                              "already here."),
            translate("Sync", "{count} older copies ignored: a newer version of the same "
                              "record is already here."),
            p.get("count")).format(count=p.get("count", "")),
        "sync_signed_before_revocation": lambda p: _counted(
            translate("Sync", "1 record signed before the key was revoked; arrived after: "
                              "accepted and flagged for the agency."),
            translate("Sync", "{count} records signed before the key was revoked; arrived "
                              "after: accepted and flagged for the agency."),
            p.get("count")).format(count=p.get("count", "")),
    }


def _reason(value: object) -> str:
    return refusal_received(value) if isinstance(value, KpiError) else str(value or "")


def refusal_received(error: KpiError) -> str:
    """Why a recipient refused one of this PC's records, as its sender reads it (the
    recipient's own message speaks of its import: "Nothing was imported"). The words of
    ``sync status``, the Sync page and the import summary."""
    p = error.params
    if error.code == "bundle_signer_not_allowed":
        return translate(
            "Sync", "The signer is not allowed to make this ({kind}); for example, only a "
            "person's evaluator may confirm their work."
        ).format(kind=kind_label(str(p.get("kind", ""))))
    if error.code == "bundle_record_key_revoked":
        return translate(
            "Sync", "It is signed with the key {key}, revoked on {revoked}, and dated on or "
            "after that day: ask the agency for a new key, then make it again."
        ).format(key=p.get("key", ""), revoked=p.get("revoked", ""))
    if error.code == "bundle_record_conflict":
        return translate(
            "Sync", "It differs from the same record already there: report this to the agency.")
    return describe(error)


def _sync_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Keys and bundles (issue 5): cause, consequence and what to do."""
    return {
        **_sync_trust_errors(),
        "bundle_damaged": lambda p: translate(
            "Errors", "The bundle file is damaged or incomplete (perhaps the USB stick was "
            "removed while copying): nothing was imported. Ask the sender to export it again."
        ),
        "bundle_file_altered": lambda p: translate(
            "Errors", "The bundle was changed after it was signed ({file}): nothing was "
            "imported. Ask the sender to export it again."
        ).format(file=p.get("file", "")),
        "bundle_signature_invalid": lambda p: translate(
            "Errors", "The bundle's signature does not match: it was altered or forged. "
            "Nothing was imported; ask the sender to export it again."
        ),
        "bundle_signer_unknown": lambda p: translate(
            "Errors", "The bundle is signed by a key this PC does not know ({key}). Nothing was "
            "imported; import the agency's latest organisation file first."
        ).format(key=p.get("key", "")),
        "bundle_signer_revoked": lambda p: translate(
            "Errors", "The bundle is signed by a revoked key ({key}). Nothing was imported; the "
            "sender needs a new key from the agency."
        ).format(key=p.get("key", "")),
        "bundle_signer_not_allowed": lambda p: translate(
            "Errors", "The signer is not allowed to make this ({kind}); for example, only a "
            "person's evaluator may confirm their work. Nothing was imported."
        ).format(kind=kind_label(str(p.get("kind", "")))),
        "bundle_wrong_recipient": lambda p: translate(
            "Errors", "This bundle is addressed to {recipient}, whose key is not on this PC or "
            "is not the one it was made for. Nothing was imported."
        ).format(recipient=p.get("recipient", "")),
        "bundle_other_unit": lambda p: translate(
            "Errors", "This bundle belongs to another organisation ({organisation}). Nothing "
            "was imported."
        ).format(organisation=p.get("organisation", "")),
        "bundle_org_older": lambda p: translate(
            "Errors", "This organisation file is version {version}, older than version "
            "{current} already in use. Nothing was changed."
        ).format(version=p.get("version", ""), current=p.get("current", "")),
        "bundle_org_conflict": lambda p: translate(
            "Errors", "This organisation file claims version {version}, which is already in use "
            "with different content. Nothing was changed; ask the agency."
        ).format(version=p.get("version", "")),
        "bundle_format_newer": lambda p: translate(
            "Errors", "The bundle was made by a newer version of KPI Desktop (format {version}). "
            "Nothing was imported; please update the software."
        ).format(version=p.get("version", "")),
        "bundle_unsafe_path": lambda p: translate(
            "Errors", "The bundle contains an unsafe or unexpected file name ({path}). Nothing "
            "was imported."
        ).format(path=p.get("path", "")),
        "bundle_too_large": lambda p: translate(
            "Errors", "The bundle is too large or unusually compressed ({detail}). Nothing was "
            "imported."
        ).format(detail=p.get("detail", "")),
        "bundle_malformed": lambda p: translate(
            "Errors", "The bundle's content is not valid ({file}: {detail}). Nothing was "
            "imported; ask the sender to export it again."
        ).format(file=p.get("file", ""), detail=p.get("detail", "")),
        "bundle_id_conflict": lambda p: translate(
            "Errors", "A different bundle with the same identifier {bundle} was imported "
            "before. Nothing was imported; report this to the agency."
        ).format(bundle=p.get("bundle", "")),
        "bundle_record_unsigned": lambda p: translate(
            "Errors", "A record in the bundle is not signed ({record}). Nothing was imported."
        ).format(record=p.get("record", "")),
        "bundle_record_signature_invalid": lambda p: translate(
            "Errors", "A record in the bundle has an invalid signature ({record}): it was "
            "altered. Nothing was imported."
        ).format(record=p.get("record", "")),
        "bundle_record_conflict": lambda p: translate(
            "Errors", "A record in the bundle differs from the same record already here "
            "({record}). Nothing was imported; report this to the agency."
        ).format(record=p.get("record", "")),
        "bundle_agency_key_replaced": lambda p: translate(
            "Errors", "This file is signed by the agency's previous key ({key}), which the "
            "agency replaced by the key {current}. Nothing was imported; ask the agency for its "
            "latest organisation file."
        ).format(key=p.get("key", ""), current=p.get("current", "")),
        "agency_key_mismatch": lambda p: translate(
            "Errors", "The organisation file is signed by the key {key}, not by the key "
            "{expected} you were given. Nothing was changed; check the fingerprint with the "
            "agency by phone."
        ).format(key=p.get("key", ""), expected=p.get("expected", "")),
        "bundle_unreadable": lambda p: translate(
            "Errors", "The file {path} cannot be read: {detail}."
        ).format(path=p.get("path", ""), detail=p.get("detail", "")),
        "key_exists": lambda p: translate(
            "Errors", "{owner} already has a key on this PC."
        ).format(owner=p.get("owner", "")),
        "key_missing": lambda p: translate(
            "Errors", "There is no key for {owner} on this PC: create one first."
        ).format(owner=p.get("owner", "")),
        "key_locked": lambda p: translate(
            "Errors", "The key of {owner} is locked: sign in with the passphrase first."
        ).format(owner=p.get("owner", "")),
        "key_not_enrolled": lambda p: translate(
            "Errors", "The key of {owner} is not published by the agency yet: send the "
            "enrolment request and import the next organisation file."
        ).format(owner=p.get("owner", "")),
        "passphrase_too_short": lambda p: translate(
            "Errors", "The passphrase must have at least {minimum} characters."
        ).format(minimum=p.get("minimum", "")),
        "key_blob_damaged": lambda p: translate(
            "Errors", "The stored key of {owner} is damaged; ask the agency to enrol a new key."
        ).format(owner=p.get("owner", "")),
        "enrolment_invalid": lambda p: translate(
            "Errors", "The enrolment request is damaged or not signed by its key."
        ),
        "organisation_missing": lambda p: translate(
            "Errors", "No organisation is set up on this PC: import the agency's organisation "
            "file first."
        ),
        "export_write_failed": lambda p: translate(
            "Errors", "The bundle could not be written to {path}: {detail}."
        ).format(path=p.get("path", ""), detail=p.get("detail", "")),
        "hub_unreachable": lambda p: translate(
            "Errors", "The hub at {url} cannot be reached ({detail}); the bundles stay in the "
            "outbox. Try again later or use a USB stick."
        ).format(url=p.get("url", ""), detail=p.get("detail", "")),
        "hub_refused": lambda p: translate(
            "Errors", "The hub refused the request: {detail}."
        ).format(detail=str(p.get("detail", "")).rstrip(".")),
        "hub_database_unsupported": lambda p: translate(
            "Errors", "The hub cannot use the database {url}: give a SQLite file "
            "(sqlite:///FILE) or a PostgreSQL database (postgresql+psycopg://USER:PASSWORD@HOST/"
            "DATABASE, with the hub's extra installed)."
        ).format(url=p.get("url", "")),
        "database_server_unreachable": lambda p: translate(
            "Errors", "The database server cannot be reached or refused the login ({detail}); "
            "check its address, the user name and the password."
        ).format(detail=p.get("detail", "")),
        "policy_invalid": lambda p: translate(
            "Errors", "The scoring policy file is not valid: {reason}."
        ).format(reason=_policy_reason(p)),
        "staff_list_invalid": _staff_list_error,
        **_proposal_errors(),
        **_agency_errors(),
    }


def _catalog_file_error(p: Mapping[str, Any]) -> str:
    from kpi_desktop.services.agency_messages import catalog_file_error

    return catalog_file_error(p)


def _staff_list_error(p: Mapping[str, Any]) -> str:
    from kpi_desktop.services.agency_messages import staff_list_error

    return staff_list_error(p)


def _agency_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Refusals of the agency's editing of the organisation (units, people, evaluators)."""
    from kpi_desktop.services.agency_messages import agency_errors

    return agency_errors()


def _proposal_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Refusals of proposals of new catalog items (Điều 13.3)."""
    return {
        "proposal_name_missing": lambda p: translate(
            "Errors", "The proposal needs the name of the product or task."),
        "proposal_reason_missing": lambda p: translate(
            "Errors", "The proposal needs a reason: say why the catalog should include it."),
        "proposal_group_unknown": lambda p: translate(
            "Errors", "“{value}” is not a complexity group: write N1, N2, N3, N4 or N5."
        ).format(value=p.get("value", "")),
        "proposal_points_malformed": lambda p: translate(
            "Errors", "“{value}” is not a number of points greater than zero."
        ).format(value=p.get("value", "")),
        "proposal_points_out_of_range": lambda p: translate(
            "Errors", "{points} points do not fit group {group} of the catalog: they must lie "
            "strictly within {range}."
        ).format(points=p.get("points", ""), group=p.get("group", ""),
                 range=p.get("range", "")),
        "catalog_missing": lambda p: translate(
            "Errors", "There is no active catalog yet: import the agency's catalog first."),
        "proposal_not_pending": lambda p: translate(
            "Errors", "The proposal {id} was already decided ({status})."
        ).format(id=p.get("id", ""), status=proposal_status_label(p.get("status", ""))),
        "proposal_code_missing": lambda p: translate(
            "Errors", "Give the code of the new catalog item (for example HCC.99)."),
        "proposal_code_taken": lambda p: translate(
            "Errors", "The catalog already has an item with the code {code}; choose another code."
        ).format(code=p.get("code", "")),
        "proposal_note_missing": lambda p: translate(
            "Errors", "Write a note for the official: why the proposal is rejected."),
    }


def proposal_status_label(status: object) -> str:
    """The name of a proposal's state."""
    value = getattr(status, "value", status)
    return {
        "proposed": translate("Proposal", "waiting for a decision"),
        "accepted": translate("Proposal", "accepted"),
        "rejected": translate("Proposal", "rejected"),
    }.get(str(value), str(value))


def _transfer_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Refusals of transfers, mergers and transfer bundles (issue 9 §4)."""
    return {
        "transfer_date_missing": lambda p: translate(
            "Errors", "Give the date of the transfer decision: it is never taken from today."),
        "transfer_date_needs_confirmation": lambda p: translate(
            "Errors", "The transfer date {date} is {days} days from today: check that it is the "
            "date of the decision, then confirm it."
        ).format(date=p.get("date", ""), days=p.get("days", "")),
        "transfer_same_unit": lambda p: translate(
            "Errors", "{person} already belongs to the unit {unit}: choose another unit."
        ).format(person=p.get("person", ""), unit=p.get("unit", "")),
        "transfer_unit_inactive": lambda p: translate(
            "Errors", "The unit {unit} is closed (merged into {into}): choose an active unit."
        ).format(unit=p.get("unit", ""), into=p.get("merged_into", "") or "–"),
        "transfer_before_membership": lambda p: translate(
            "Errors", "The date {date} is not after the start of the current membership of "
            "{person} ({start}): the transfer must start later."
        ).format(date=p.get("date", ""), person=p.get("person", ""), start=p.get("start", "")),
        "transfer_month_locked": lambda p: translate(
            "Errors", "The month {period} is already evaluated ({unit}): a transfer or merger "
            "can only start in a month that is not evaluated yet."
        ).format(period=p.get("period", ""), unit=p.get("unit", "")),
        "transfer_not_allowed": lambda p: translate(
            "Errors", "{actor} may not record transfers or mergers: only the head of the "
            "agency or the personnel administrator may."
        ).format(actor=p.get("actor", "")),
        "transfer_successor_invalid": lambda p: translate(
            "Errors", "{successor} cannot take over the evaluations of {person}: name another "
            "active person."
        ).format(successor=p.get("successor", ""), person=p.get("person", "")),
        "discipline_act_after_decision": lambda p: translate(
            "Errors", "The act ({date}) cannot be after the discipline decision ({decided})."
        ).format(date=p.get("date", ""), decided=p.get("decided", "")),
        "transfer_successor_missing": lambda p: translate(
            "Errors", "{person} evaluates other people and there is no head above to take "
            "them over: name the successor evaluator."
        ).format(person=p.get("person", "")),
        "merge_units_missing": lambda p: translate(
            "Errors", "Name the units to merge and the unit they are merged into."),
        "merge_into_part": lambda p: translate(
            "Errors", "The unit {unit} cannot receive a merger of itself or of a unit above it."
        ).format(unit=p.get("unit", "")),
        "merge_name_missing": lambda p: translate(
            "Errors", "There is no unit {unit} yet: give the name of the new unit."
        ).format(unit=p.get("unit", "")),
        "transfer_nothing_to_export": lambda p: translate(
            "Errors", "{person} has no locked month to send."
        ).format(person=p.get("person", "")),
        "transfer_bundle_not_transfer": lambda p: translate(
            "Errors", "This file is not a transfer of monthly results (it is a “{kind}” bundle)."
        ).format(kind=p.get("kind", "")),
        "transfer_bundle_untrusted": lambda p: translate(
            "Errors", "The transfer is signed by the key {actual}, not by the agency key you "
            "trust ({expected}): nothing was imported."
        ).format(actual=p.get("actual", ""), expected=p.get("expected", "")),
        "transfer_bundle_person_unknown": lambda p: translate(
            "Errors", "The person {person} of this transfer is not in this organisation: the "
            "agency must add them first."
        ).format(person=p.get("person", "")),
        "transfer_bundle_overlap": lambda p: translate(
            "Errors", "The month {period} of {person} is already here with other values: "
            "nothing was imported."
        ).format(period=p.get("period", ""), person=p.get("person", "")),
        "transfer_bundle_bad_record": lambda p: translate(
            "Errors", "The month {period} of {person} in the transfer is not valid ({detail}): "
            "nothing was imported."
        ).format(period=p.get("period", ""), person=p.get("person", ""),
                 detail=p.get("detail", "")),
        "transfer_bundle_own": lambda p: translate(
            "Errors", "This transfer was written by this agency itself: import it at the "
            "receiving agency."),
    }


def _appeal_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Refusals of appeals (Điều 22) and of the working-day calendar."""
    return {
        "appeal_reason_missing": lambda p: translate(
            "Errors", "An appeal needs a reason: say what you disagree with and why."),
        "appeal_period_kind": lambda p: translate(
            "Errors", "An appeal is against a month, a quarter or a year (not {period})."
        ).format(period=p.get("period", "")),
        "appeal_not_evaluated": lambda p: translate(
            "Errors", "The evaluation of {period} is not confirmed yet: an appeal is only "
            "possible against a notified result."
        ).format(period=p.get("period", "")),
        "appeal_not_decided": lambda p: translate(
            "Errors", "The classification of {year} has not been decided yet: an appeal is only "
            "possible against a notified result."
        ).format(year=p.get("year", "")),
        "appeal_already_open": lambda p: translate(
            "Errors", "There is already an open appeal against {period}."
        ).format(period=p.get("period", "")),
        "appeal_not_own": lambda p: translate(
            "Errors", "Only the person who filed an appeal can withdraw it."),
        "appeal_not_open": lambda p: translate(
            "Errors", "This appeal has already been decided or withdrawn."),
        "appeal_decision_missing": lambda p: translate(
            "Errors", "Write the decision on the appeal (its content and grounds)."),
        "appeal_outcome_unknown": lambda p: translate(
            "Errors", "“{value}” is not a decision: write upheld or changed."
        ).format(value=p.get("value", "")),
        "appeal_change_missing": lambda p: translate(
            "Errors", "A changed result needs the new values: the general criteria points "
            "(or the leader factors) of the month, or the new level of the year."),
        "appeal_change_same": lambda p: translate(
            "Errors", "The new values are the same as the current result: choose “upheld” "
            "instead."),
        "calendar_kind_unknown": lambda p: translate(
            "Errors", "“{value}” is not a kind of day: write day_off or workday."
        ).format(value=p.get("value", "")),
        "calendar_name_missing": lambda p: translate(
            "Errors", "A day off needs a name (for example the occasion)."),
        "calendar_already_off": lambda p: translate(
            "Errors", "{date} is already a day off (weekend or public holiday)."
        ).format(date=p.get("date", "")),
        "calendar_already_working": lambda p: translate(
            "Errors", "{date} is already a working day; a make-up working day must fall on a "
            "weekend or holiday."
        ).format(date=p.get("date", "")),
        "calendar_not_declared": lambda p: translate(
            "Errors", "The agency has declared nothing for {date}."
        ).format(date=p.get("date", "")),
        "calendar_not_allowed": lambda p: translate(
            "Errors", "Only a head, a deputy head or the agency administrator can change the "
            "working-day calendar."),
    }
