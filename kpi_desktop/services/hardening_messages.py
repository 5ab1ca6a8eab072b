"""Words for the refusals of issue 14 (hub limits, hostile text, bounds, passphrases).

``services.messages.describe`` looks the codes up here; every sentence says what was refused,
why, and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kpi_desktop.runtime.i18n import translate

__all__ = ["hardening_errors"]


def _field(p: Mapping[str, Any]) -> str:
    return str(p.get("field", ""))


def field_label(name: str) -> str:
    """The words for a field or column named in a refusal (command-line options as typed)."""
    if name.startswith("-"):
        return name
    return {
        "output_description": translate("Fields", "output product description"),
        "output_doc_number": translate("Fields", "output document number"),
        "description": translate("Fields", "description"),
        "reason": translate("Fields", "reason"),
        "note": translate("Fields", "note"),
        "name": translate("Fields", "name"),
        "full_name": translate("Fields", "full name"),
        "work_date": translate("Fields", "work date"),
        "deadline": translate("Fields", "deadline"),
        "completed_on": translate("Fields", "completion date"),
        "date": translate("Fields", "date"),
        "passphrase": translate("Fields", "passphrase"),
        "daily_norm_minutes": translate("Fields", "daily time norm"),
        "time_norm_minutes": translate("Fields", "time norm"),
    }.get(name, name)


def _where(p: Mapping[str, Any], sentence: str) -> str:
    row = p.get("row")
    if row:
        return translate("Errors", "Row {row}: {sentence}").format(row=row, sentence=sentence)
    return sentence


def hardening_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Code → sentence."""
    return {
        # -- text, dates and numbers people type ------------------------------------------------
        "text_control_character": lambda p: _where(p, translate(
            "Errors", "The {field} contains a control character ({char}) that cannot be "
            "stored or exported: remove it (it often comes from copying out of another "
            "program) and try again."
        ).format(field=field_label(_field(p)), char=p.get("char", ""))),
        "text_too_long": lambda p: _where(p, translate(
            "Errors", "The {field} is {length} characters long; at most {maximum} are allowed."
        ).format(field=field_label(_field(p)), length=p.get("length", ""),
                 maximum=p.get("maximum", ""))),
        "cell_too_long": lambda p: _where(p, translate(
            "Errors", "A cell holds more than {maximum} characters."
        ).format(maximum=p.get("maximum", ""))),
        "date_out_of_range": lambda p: translate(
            "Errors", "The {field} {value} is not plausible: dates from {first} to {last} are "
            "accepted."
        ).format(field=field_label(_field(p)), value=p.get("value", ""),
                 first=p.get("first", ""), last=p.get("last", "")),
        "quantity_too_precise": lambda p: translate(
            "Errors", "The quantity {value} has more than two decimals: write it like 1, 2.5 "
            "or 0.25."
        ).format(value=p.get("value", "")),
        "quantity_too_large": lambda p: translate(
            "Errors", "The quantity {value} is larger than any entry may hold ({maximum}): "
            "split the work into entries of the days it was done."
        ).format(value=p.get("value", ""), maximum=p.get("maximum", "")),
        "quantity_needs_confirmation": lambda p: translate(
            "Errors", "The quantity {value} of item {item} is more than one day can hold (at "
            "most {maximum} by its time norm). Check it; if it is right, confirm it "
            "(--confirm-quantity on the command line)."
        ).format(value=p.get("value", ""), item=p.get("item", ""),
                 maximum=p.get("maximum", "")),
        "duration_out_of_range": lambda p: translate(
            "Errors", "The {field} “{value}” is not a duration: give minutes from 0 to 1440 "
            "(one day)."
        ).format(field=field_label(_field(p)), value=p.get("value", "")),
        # -- passphrases ------------------------------------------------------------------------
        "passphrase_wrong": lambda p: translate("Errors", "The passphrase is wrong.") if not
        p.get("seconds") else translate(
            "Errors", "The passphrase is wrong ({failures} times in a row): wait {seconds} "
            "seconds before the next try."
        ).format(failures=p.get("failures", ""), seconds=p.get("seconds", "")),
        "unlock_delayed": lambda p: translate(
            "Errors", "Too many wrong passphrases for {owner} ({failures} in a row): wait "
            "{seconds} seconds before trying again."
        ).format(owner=p.get("owner", ""), failures=p.get("failures", ""),
                 seconds=p.get("seconds", "")),
        "passphrase_too_common": lambda p: translate(
            "Errors", "This passphrase is among the first that anyone would try (a common "
            "word, a run of digits, a date or your own identifier). Choose a few unrelated "
            "words, for example a short sentence only you would think of."
        ),
        "passphrase_missing": lambda p: translate(
            "Errors", "No passphrase was given for {owner}: type it when asked, or set the "
            "environment variable {variable} when no terminal is attached."
        ).format(owner=p.get("owner", ""), variable=p.get("variable", "")),
        # -- bundles that are not what they claim ----------------------------------------------
        "bundle_inconsistent": lambda p: translate(
            "Errors", "The bundle file is damaged: “{file}” inside it does not match the size or "
            "checksum the file records for it. Nothing was imported; ask the sender to export "
            "it again."
        ).format(file=p.get("file", "")),
        "bundle_duplicate_member": lambda p: translate(
            "Errors", "The bundle file holds “{path}” twice, which a KPI Desktop bundle never "
            "does: it was tampered with. Nothing was imported; ask the sender to export it "
            "again."
        ).format(path=p.get("path", "")),
        # -- the hub --------------------------------------------------------------------------
        "hub_recipient_everyone": lambda p: translate(
            "Errors", "Only the agency's organisation file may be addressed to everyone; this "
            "{kind} from {sender} was not stored. Export it again for its recipient."
        ).format(kind=p.get("kind", ""), sender=p.get("sender", "")),
        "hub_quota_exceeded": lambda p: translate(
            "Errors", "{sender} has sent the hub as much as the agency allows in 24 hours "
            "({bundles} bundles, {megabytes} MB); the bundle was not stored and stays in the "
            "outbox. Try again tomorrow, or ask the agency to raise the limit."
        ).format(sender=p.get("sender", ""), bundles=p.get("bundles", ""),
                 megabytes=p.get("megabytes", "")),
        "hub_busy": lambda p: translate(
            "Errors", "The hub is busy; try again in {seconds} seconds."
        ).format(seconds=p.get("seconds", "")),
        "hub_field_invalid": lambda p: translate(
            "Errors", "The hub refused the request: the field “{field}” is missing, too long "
            "or not of the expected form."
        ).format(field=_field(p)),
        "hub_request_too_large": lambda p: translate(
            "Errors", "The hub refused the request: it is larger than {limit} bytes."
        ).format(limit=p.get("limit", "")),
        "hub_request_stalled": lambda p: translate(
            "Errors", "The hub stopped waiting: the request sent nothing for too long."
        ),
        "hub_tls_invalid": lambda p: translate(
            "Errors", "The hub cannot use the certificate {path} ({detail}): give a PEM "
            "certificate with --certfile and its private key with --keyfile."
        ).format(path=p.get("path", ""), detail=p.get("detail", "")),
        "hub_limit_invalid": lambda p: translate(
            "Errors", "The hub limit “{field}” must be a whole number from 1 to {maximum} (got "
            "{value})."
        ).format(field=_field(p), maximum=p.get("maximum", ""), value=p.get("value", "")),
    }
