"""Property-based fuzzing of the readers of files people bring (issue 14): the bundle reader,
the staff-list reader and the catalog-workbook reader. Whatever the bytes, the only exception
is the project's own refusal (``RefusedValue``)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.inputs import find_forbidden
from kpi_desktop.services.agency_setup import read_staff_list
from kpi_desktop.services.catalog_xlsx import read_catalog_xlsx
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Limits, read_bundle, write_bundle

KEY = crypto.generate_key()
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SMALL = Limits(max_bundle_bytes=256 * 1024, max_member_bytes=64 * 1024,
               max_total_bytes=256 * 1024, max_header_bytes=8 * 1024, max_members=64)


def _trusting(_fingerprint: str, _header: dict) -> bytes:
    return KEY.public_key  # any signer is "known": the fuzz reaches past the signature


def _read(data: bytes, *, decrypt: bool = True) -> None:
    with contextlib.suppress(RefusedValue):
        read_bundle(data, signer_key=_trusting, decrypt_key=lambda _k: KEY, limits=SMALL,
                    decrypt=decrypt)


GOOD = write_bundle(kind="work", sender_id="a", recipient_id="b", seq=1, key=KEY,
                    records={"revisions": [{"x": 1}, {"y": "hai"}]}, files={"f": b"tep"},
                    extra={"organisation": {"id": "o", "version": 1}})
ENCRYPTED = write_bundle(kind="work", sender_id="a", recipient_id="b", seq=2, key=KEY,
                         records={"revisions": [{"x": 1}]}, encrypt_to=KEY.x25519_public)


# ---------------------------------------------------------------- bundles --------------------


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes(data: bytes) -> None:
    _read(data)


@FUZZ
@given(st.sampled_from([GOOD, ENCRYPTED]), st.data())
def test_a_real_bundle_mutated(bundle: bytes, data: st.DataObject) -> None:
    damaged = bytearray(bundle)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        action = data.draw(st.sampled_from(["flip", "set", "cut", "insert"]))
        if action == "flip":
            damaged[position] ^= data.draw(st.integers(1, 255))
        elif action == "set":
            damaged[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del damaged[position:position + data.draw(st.integers(1, 64))]
        else:
            damaged[position:position] = data.draw(st.binary(min_size=1, max_size=64))
        if not damaged:
            break
    _read(bytes(damaged))
    _read(bytes(damaged), decrypt=False)


_names = st.one_of(
    st.sampled_from(["header.json", "header.sig", "manifest.sha256", "data/x.jsonl",
                     "data/revisions.jsonl", "files/" + "0" * 64, "../x", "/abs", "a\\b",
                     "data/", "data/.h.jsonl", "C:x"]),
    st.text(min_size=1, max_size=40))
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20)


@FUZZ
@given(st.dictionaries(_names, st.binary(max_size=300), min_size=0, max_size=6),
       _json, st.booleans())
def test_hand_made_zips(members: dict[str, bytes], header: object, signed: bool) -> None:
    """Arbitrary members, a header of any JSON, signed with the trusted key or not, and a
    manifest that may or may not list the members."""
    header_bytes = json.dumps(header).encode()
    if isinstance(header, dict) and signed:
        manifest = "".join(f"{hashlib.sha256(v).hexdigest()}  {k}\n"
                           for k, v in sorted(members.items()) if k.startswith(("data/",
                                                                                  "files/")))
        header = {**header, "format": "kpi-desktop-bundle", "format_version": "1.0",
                  "manifest_sha256": hashlib.sha256(manifest.encode()).hexdigest()}
        header_bytes = json.dumps(header).encode()
        members.setdefault("manifest.sha256", manifest.encode())
    signature = json.dumps({"key": KEY.fingerprint, "sig": base64.b64encode(
        KEY.sign(header_bytes)).decode()}).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("header.json", header_bytes)
        archive.writestr("header.sig", signature)
        for name, content in members.items():
            if name in ("header.json", "header.sig"):
                continue
            try:
                archive.writestr(name, content)
            except (ValueError, IndexError):  # names the zip module cannot even write
                continue
    _read(out.getvalue())


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=80), st.text(max_size=80).map(str.encode)),
                max_size=6))
def test_signed_bundles_with_any_payload_lines(lines: list[bytes]) -> None:
    """Authentic header and manifest, any payload: the strict JSON parsing refuses."""
    payload = b"\n".join(lines)
    manifest = f"{hashlib.sha256(payload).hexdigest()}  data/revisions.jsonl\n".encode()
    header = {"format": "kpi-desktop-bundle", "format_version": "1.0", "bundle_id": "b1",
              "kind": "work", "seq": 1, "sender": {"id": "a", "key": KEY.fingerprint},
              "recipient": {"id": "b"}, "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
              "encryption": None}
    header_bytes = json.dumps(header).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("header.json", header_bytes)
        archive.writestr("header.sig", json.dumps({"key": KEY.fingerprint, "sig": base64.b64encode(
            KEY.sign(header_bytes)).decode()}))
        archive.writestr("manifest.sha256", manifest)
        archive.writestr("data/revisions.jsonl", payload)
    _read(out.getvalue())


# ---------------------------------------------------------------- staff lists ----------------

_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", "x" * 2000, "=1+1", "\x00", "a\nb", '"', "vp-cv1", "official", "2026-13-01"])


def _staff(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"staff{suffix}"
        path.write_bytes(content)
        try:
            rows = read_staff_list(path)
        except RefusedValue:
            return
        for row in rows:  # whatever is returned is clean
            for value in row.values():
                assert find_forbidden(value, multiline=False) is None
                assert len(value) <= 1000


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_staff_list_any_bytes(content: bytes, suffix: str) -> None:
    _staff(content, suffix)


@FUZZ
@given(st.lists(st.lists(_cell, max_size=6), max_size=8), st.booleans())
def test_staff_list_any_table(rows: list[list[str]], with_header: bool) -> None:
    header = ["id", "full_name", "unit_id", "role"] if with_header else []
    text = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in r)
                     for r in [header, *rows])
    _staff(text.encode("utf-8", "surrogatepass"), ".csv")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=20) | st.integers() | st.none(), max_size=5),
                max_size=6))
def test_staff_list_any_workbook(rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "full_name", "unit_id"])
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, IllegalCharacterError):  # openpyxl refuses some characters
            continue
    buffer = io.BytesIO()
    book.save(buffer)
    _staff(buffer.getvalue(), ".xlsx")


# ---------------------------------------------------------------- catalog workbooks ----------


def _catalog(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.xlsx"
        path.write_bytes(content)
        with contextlib.suppress(RefusedValue):
            read_catalog_xlsx(path)


REFERENCE = (Path(__file__).resolve().parents[1] / "fixtures" /
             "nghia-lam-qd283-catalog.xlsx").read_bytes()


@FUZZ
@given(st.binary(max_size=2048))
def test_catalog_any_bytes(content: bytes) -> None:
    _catalog(content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_catalog_the_real_workbook_with_one_part_damaged(data: st.DataObject) -> None:
    """The QĐ 283 workbook with one of its XML parts cut, flipped or replaced."""
    source = zipfile.ZipFile(io.BytesIO(REFERENCE))
    names = [i.filename for i in source.infolist()]
    victim = data.draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            content = source.read(name)
            if name == victim:
                how = data.draw(st.sampled_from(["cut", "flip", "replace", "drop"]))
                if how == "drop":
                    continue
                if how == "cut":
                    content = content[:data.draw(st.integers(0, len(content)))]
                elif how == "flip" and content:
                    position = data.draw(st.integers(0, len(content) - 1))
                    content = content[:position] + bytes([content[position] ^ 0x20]) + \
                        content[position + 1:]
                else:
                    content = data.draw(st.binary(max_size=200))
            archive.writestr(name, content)
    _catalog(out.getvalue())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=15) | st.integers(-5, 200) | st.none()
                         | st.sampled_from(["STT", "Mã CV", "Nhiệm vụ", "N2", "5-10",
                                            "=ROUND(H5/5,2)", "1.1", "TP.3.1", "\x7f"]),
                         max_size=11), max_size=10),
       st.sampled_from(["PL II - lãnh đạo", "Phụ lục I", "Sheet", "PL III dùng chung"]))
def test_catalog_any_sheet(rows: list[list[object]], title: str) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, IllegalCharacterError):
            continue
    buffer = io.BytesIO()
    book.save(buffer)
    _catalog(buffer.getvalue())
