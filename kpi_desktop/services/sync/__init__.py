"""Synchronisation by record kind (DESIGN.md §6, docs/sync.md).

The public face: :class:`SyncService` (``service``), the results of an import or export and
the bundle file helpers (``files``). Inside: ``kinds/`` (one module per signed record kind,
one ``REGISTRY``), ``trust`` (keys and revocation), ``organisation``, ``plan`` (who receives
what), ``importer`` (verify, apply, hold, refuse), ``agency`` (the agency key), ``known``
(the import's preload cache).
"""

from __future__ import annotations

from kpi_desktop.services.sync.channels import Gap
from kpi_desktop.services.sync.files import (
    BUNDLE_SUFFIX,
    ExportResult,
    ImportResult,
    RefusedRecord,
    bundle_order,
    write_atomically,
)
from kpi_desktop.services.sync.service import SyncService

__all__ = [
    "BUNDLE_SUFFIX",
    "ExportResult",
    "Gap",
    "ImportResult",
    "RefusedRecord",
    "SyncService",
    "bundle_order",
    "write_atomically",
]
