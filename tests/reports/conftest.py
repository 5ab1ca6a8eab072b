"""Shared set-up of the report tests: one private copy of the demo, PDF text extraction."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def report_dir(demo_master, tmp_path_factory):
    """A module-wide copy of the demo data folder (the tests here only read it)."""
    target = tmp_path_factory.mktemp("reports") / "demo"
    shutil.copytree(demo_master, target)
    return target


@pytest.fixture(scope="module")
def services(report_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    opened = AppServices.open(app_paths(report_dir))
    yield opened
    opened.close()


def pdf_text(path: Path) -> str:
    """The text of a PDF (pdftotext), NFC, with white space collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return " ".join(unicodedata.normalize("NFC", out).split())


def fmt(value, lang: str = "vi", places: int = 2) -> str:
    """A number as the forms print it (half-up, comma in Vietnamese)."""
    from decimal import Decimal
    from fractions import Fraction

    from kpi_desktop.domain.scores import round_half_up

    exact = round_half_up(Fraction(value), places)
    text = f"{Decimal(exact.numerator) / Decimal(exact.denominator):.{places}f}"
    return text.replace(".", ",") if lang == "vi" else text
