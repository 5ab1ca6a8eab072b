"""Messages that said something else than what happened (issue 14): an empty folder, a zip
with a member twice or sizes that lie, and a reader that stops reading (``| head``)."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kpi_desktop.storage.backup import dump_database

from .cli_run import kpi


def test_a_folder_without_bundles_says_so(demo_dir: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "notes.txt").write_text("không phải gói dữ liệu", encoding="utf-8")
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "import", str(stick))
    assert result.returncode == 3
    assert f"No bundle file (*.kpib) was found in {stick}: nothing was imported" in \
        result.stderr
    assert dump_database(demo_dir / "kpi.db") == before
    vietnamese = kpi(demo_dir, "import", str(stick), lang="vi")
    assert vietnamese.returncode == 3 and "Không tìm thấy tệp gói dữ liệu" in vietnamese.stderr


def _good_bundle(demo_dir: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "usb"
    result = kpi(demo_dir, "org", "publish", "--out", str(out),
                 env={"KPI_DESKTOP_PASSPHRASE": "demo"})
    assert result.returncode == 0, result.stderr
    return next(out.glob("*.kpib")).read_bytes()


def _with_duplicate(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            archive.writestr("header.sig", b'{"key":"x","sig":"AAAA"}')
    return out.getvalue()


def _lying_sizes(data: bytes) -> bytes:
    """The central directory says the largest member is half its size (the zip's own CRC
    check then fails: the file is internally inconsistent, not cut short)."""
    info = max(zipfile.ZipFile(io.BytesIO(data)).infolist(), key=lambda i: i.file_size)
    damaged = bytearray(data)
    offset = 0
    while True:  # this member's central directory entry
        offset = data.index(b"PK\x01\x02", offset)
        name_length = struct.unpack("<H", data[offset + 28:offset + 30])[0]
        if data[offset + 46:offset + 46 + name_length].decode() == info.filename:
            break
        offset += 4
    struct.pack_into("<I", damaged, offset + 24, info.file_size // 2)  # uncompressed size
    return bytes(damaged)


@pytest.mark.parametrize(("damage", "needle", "not_said"), [
    (_with_duplicate, "holds “header.sig” twice", "unsafe"),
    (_lying_sizes, "does not match the size or checksum the file records for it",
     "USB stick was removed"),
])
def test_zips_that_lie_are_named_for_what_they_are(demo_dir: Path, tmp_path: Path, damage,
                                                   needle: str, not_said: str) -> None:
    bad = tmp_path / "bad.kpib"
    bad.write_bytes(damage(_good_bundle(demo_dir, tmp_path)))
    world = tmp_path / "pc"
    result = kpi(world, "org", "import", str(bad))
    assert result.returncode == 3, result.stderr
    assert needle in result.stderr
    assert not_said not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_truncated_bundle_still_suggests_the_stick(demo_dir: Path, tmp_path: Path) -> None:
    data = _good_bundle(demo_dir, tmp_path)
    bad = tmp_path / "cut.kpib"
    bad.write_bytes(data[: len(data) // 2])
    result = kpi(tmp_path / "pc", "org", "import", str(bad))
    assert result.returncode == 3 and "USB stick was removed" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="a closed pipe")
@pytest.mark.parametrize("args", [("keys", "list"),
                                  ("classify", "--unit", "xa", "--year", "2026", "--json"),
                                  ("people",), ("score", "--person", "vp-cv1", "--period",
                                                "2026-09", "--json")])
def test_a_reader_that_stops_ends_the_output_quietly(demo_master: Path, args) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(demo_master), "--lang", "en",
         *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has what it wanted
    error = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=300) == 0
    assert error == ""
