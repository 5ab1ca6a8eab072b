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


def hardening_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Code → sentence."""
    return {
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
