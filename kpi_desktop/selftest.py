"""``kpi-desktop --selftest``: prove an installation works, headless, and exit 0.

Opens (and migrates) the database, renders a PDF with the bundled font, signs and verifies
with the cryptography backend, and builds the main window (the caller shows it). Each check
raises on failure, so a broken build exits non-zero with the reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from kpi_desktop.sync.keys import generate_key, verify


def run_checks(services: Any) -> list[str]:
    """Run the non-GUI checks against open ``services``; returns one line per check."""
    lines = []
    people = services.organisation.people_overview()
    if not people:
        raise RuntimeError("selftest: the database holds no organisation")
    lines.append(f"database: {len(people)} people")
    person = people[0]["id"]
    periods = services.scores.periods()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "form01.pdf"
        result = services.reports.form01(person, periods[0], out, language="vi")
        data = out.read_bytes()
        if not data.startswith(b"%PDF") or b"BeVietnamPro" not in data:
            raise RuntimeError("selftest: the PDF was not rendered with the bundled font")
        lines.append(f"pdf: {len(data)} bytes, code {result.code}")
    key = generate_key()
    message = "Hoàn thành xuất sắc nhiệm vụ".encode()
    signature = key.sign(message)
    if not verify(key.public_key, signature, message) or verify(key.public_key, signature,
                                                                 message + b"!"):
        raise RuntimeError("selftest: Ed25519 sign/verify failed")
    lines.append("signature: Ed25519 sign and verify ok")
    return lines
