"""The bundle format: what is written, and the strict reader's refusals (no database)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import EntryRevision, ReviewStatement
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Limits, enc_key_id, read_bundle, write_bundle
from kpi_desktop.sync.records import from_json

from .helpers import craft

SENDER = crypto.generate_key()
RECIPIENT = crypto.generate_key()
RECORDS = {"revisions": [{"entry_id": "e1", "text": "Hồ sơ đất đai"}], "acks": []}


def _trust(fp: str, _header: dict) -> bytes:
    if fp != SENDER.fingerprint:
        raise RefusedValue("bundle_signer_unknown", key=fp)
    return SENDER.public_key


def _open(kid: str):
    return RECIPIENT if kid == enc_key_id(RECIPIENT.x25519_public) else None


def _read(data: bytes, **kwargs):
    return read_bundle(data, signer_key=_trust, decrypt_key=_open, **kwargs)


def _code(data: bytes, **kwargs) -> str:
    with pytest.raises(RefusedValue) as refused:
        _read(data, **kwargs)
    return refused.value.code


def _bundle(*, encrypt: bool = True, files: dict | None = None) -> bytes:
    return write_bundle(kind="work", sender_id="hcc-cv1", recipient_id="hcc-gd", seq=7,
                        key=SENDER, records=RECORDS, files=files,
                        encrypt_to=RECIPIENT.x25519_public if encrypt else None,
                        extra={"organisation": {"id": "nghia-lam", "version": 2}})


def test_layout_and_round_trip_plain_and_encrypted() -> None:
    plain = _bundle(encrypt=False, files={"a": b"scan of the decision"})
    names = zipfile.ZipFile(io.BytesIO(plain)).namelist()
    assert names[:3] == ["header.json", "header.sig", "manifest.sha256"]
    assert "data/revisions.jsonl" in names and any(n.startswith("files/") for n in names)
    header = json.loads(zipfile.ZipFile(io.BytesIO(plain)).read("header.json"))
    assert header["format"] == "kpi-desktop-bundle" and header["seq"] == 7
    assert header["sender"] == {"id": "hcc-cv1", "key": SENDER.fingerprint}
    bundle = _read(plain)
    assert bundle.records["revisions"] == RECORDS["revisions"]
    assert list(bundle.files.values()) == [b"scan of the decision"]
    secret = _bundle()
    raw = zipfile.ZipFile(io.BytesIO(secret)).read("data/revisions.jsonl")
    assert "Hồ sơ".encode() not in raw  # personal data does not travel in the clear
    assert _read(secret).records["revisions"] == RECORDS["revisions"]


def test_ciphertext_is_stored_and_plain_payloads_are_deflated() -> None:
    """Encrypted payloads do not compress, so they are stored as they are; a plain bundle's
    payloads and every bundle's header files are deflated. Both read back the same."""
    files = {"a": b"scan of the decision " * 200}
    for encrypt, payload_method in ((True, zipfile.ZIP_STORED), (False, zipfile.ZIP_DEFLATED)):
        data = _bundle(encrypt=encrypt, files=files)
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
        methods = {info.filename: info.compress_type for info in members}
        assert {methods[n] for n in ("header.json", "header.sig", "manifest.sha256")} == {
            zipfile.ZIP_DEFLATED}
        payloads = {m for n, m in methods.items() if n.startswith(("data/", "files/"))}
        assert payloads == {payload_method}
        bundle = _read(data)
        assert bundle.records["revisions"] == RECORDS["revisions"]
        assert list(bundle.files.values()) == list(files.values())


def test_an_encrypted_bundle_opens_only_for_its_recipient() -> None:
    other = crypto.generate_key()
    data = _bundle()
    with pytest.raises(RefusedValue) as refused:
        read_bundle(data, signer_key=_trust, decrypt_key=lambda _kid: None)
    assert refused.value.code == "bundle_wrong_recipient"
    # A key that claims the id but is not the recipient's cannot open it either.
    with pytest.raises(RefusedValue) as refused:
        read_bundle(data, signer_key=_trust, decrypt_key=lambda _kid: other)
    assert refused.value.code == "bundle_wrong_recipient"


@pytest.mark.parametrize("encrypt", [False, True])
def test_a_flipped_byte_anywhere_is_refused(encrypt: bool) -> None:
    data = _bundle(encrypt=encrypt, files={"a": b"x" * 300})
    refused = set()
    for position in range(0, len(data), 7):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        try:
            _read(bytes(damaged))
        except RefusedValue as error:
            refused.add(error.code)
            continue
        # Flipping a byte of zip metadata that nothing reads (e.g. a timestamp) is harmless:
        # the content must then be exactly the original.
        assert _read(bytes(damaged)).records == _read(data).records
    assert refused <= {"bundle_damaged", "bundle_inconsistent", "bundle_file_altered",
                       "bundle_signature_invalid", "bundle_malformed", "bundle_unsafe_path",
                       "bundle_too_large", "bundle_signer_unknown", "bundle_wrong_recipient",
                       "bundle_format_newer", "bundle_duplicate_member"}
    assert "bundle_inconsistent" in refused  # zip CRCs catch most flips before anything else


def _rezip(data: bytes, name: str, change) -> bytes:
    """The bundle with one member edited and the zip rebuilt (valid CRCs): an attacker's
    edit rather than a damaged copy."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info, change(content) if info.filename == name else content)
    return out.getvalue()


def _flip(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1:]


@pytest.mark.parametrize(("name", "code"), [
    ("header.json", "bundle_signature_invalid"),
    ("header.sig", "bundle_signature_invalid"),
    ("manifest.sha256", "bundle_file_altered"),
    ("data/revisions.jsonl", "bundle_file_altered"),
])
def test_an_edited_file_with_valid_zip_checksums_is_refused(name: str, code: str) -> None:
    data = _bundle(encrypt=False, files={"a": b"attachment"})
    edited = _rezip(data, name, _flip)
    with pytest.raises(RefusedValue) as refused:
        _read(edited)
    assert refused.value.code in (code, "bundle_malformed")
    if name != "header.sig":
        assert refused.value.code == code
    attachment = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                      if n.startswith("files/"))
    assert _code(_rezip(data, attachment, _flip)) == "bundle_file_altered"


def test_the_hubs_check_of_stored_ciphertext_refuses_as_the_full_read_does() -> None:
    """The hub checks an encrypted bundle without decrypting it, and hashes its stored
    (ciphertext) members where they lie in the bundle, without the zip module's CRC. A byte
    flipped anywhere is refused with the same code as the full read gives it (a damaged
    member is ``bundle_inconsistent``, as the zip module says), and a member edited with a
    valid CRC is ``bundle_file_altered``."""
    data = _bundle(files={"a": b"scan of the decision " * 40})
    archive = zipfile.ZipFile(io.BytesIO(data))
    stored = [info for info in archive.infolist()
              if info.compress_type == zipfile.ZIP_STORED]
    assert {info.filename.split("/")[0] for info in stored} == {"data", "files"}
    assert _read(data, decrypt=False).bundle_id == _read(data).bundle_id
    for position in range(len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        try:
            full = _read(bytes(damaged)).records
        except RefusedValue as error:
            full = error.code
        try:
            _read(bytes(damaged), decrypt=False)
            checked = _read(bytes(damaged)).records if not isinstance(full, str) else None
        except RefusedValue as error:
            checked = error.code
        assert checked == full, position
    for info in stored:
        assert _code(_rezip(data, info.filename, _flip), decrypt=False) == \
            "bundle_file_altered"


def test_every_payload_file_is_checked_against_the_manifest() -> None:
    payload = {"data/revisions.jsonl": b'{"a":1}\n'}
    bad_manifest = b"0" * 64 + b"  data/revisions.jsonl\n"
    assert _code(craft(SENDER, payload, manifest=bad_manifest)) == "bundle_file_altered"
    unlisted = craft(SENDER, payload, extra_members={"data/extra.jsonl": b"{}\n"})
    assert _code(unlisted) == "bundle_file_altered"


@pytest.mark.parametrize("cut", [0, 10, 100, 0.5, 0.9, -1])
def test_a_truncated_bundle_is_refused(cut) -> None:
    data = _bundle()
    size = int(len(data) * cut) if isinstance(cut, float) else (cut % len(data))
    assert _code(data[:size]) == "bundle_damaged"


def test_unknown_signer_and_forged_signature() -> None:
    stranger = crypto.generate_key()
    assert _code(write_bundle(kind="work", sender_id="x", recipient_id="y", seq=1,
                              key=stranger, records=RECORDS)) == "bundle_signer_unknown"
    forged = craft(SENDER, {"data/revisions.jsonl": b"{}\n"}, sign_with=stranger)
    assert _code(forged) == "bundle_signature_invalid"


def test_a_newer_format_asks_for_an_update() -> None:
    data = craft(SENDER, {}, header={"format_version": "3.0"})
    assert _code(data) == "bundle_format_newer"
    newer_minor = craft(SENDER, {"data/revisions.jsonl": b'{"a":1}\n'},
                        header={"format_version": "1.7", "future_field": {"x": 1}})
    assert _read(newer_minor).records == {"revisions": [{"a": 1}]}


@pytest.mark.parametrize("name", ["../evil.jsonl", "/etc/passwd", "data/../../x.jsonl",
                                  "C:/Windows/x", "data\\x.jsonl", "data/.hidden",
                                  "files/notahash", "other.txt"])
def test_paths_outside_the_bundle_layout_are_refused(name: str) -> None:
    data = craft(SENDER, {}, extra_members={name: b"{}"})
    assert _code(data) == "bundle_unsafe_path"


def test_symlinks_and_duplicate_names_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        link = zipfile.ZipInfo("data/link.jsonl")
        link.external_attr = (0o120777) << 16
        archive.writestr(link, "/etc/passwd")
    assert _code(out.getvalue()) == "bundle_unsafe_path"
    base = craft(SENDER, {"data/a.jsonl": b"{}\n"})
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a") as archive:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            archive.writestr("data/a.jsonl", b'{"b":2}\n')
    assert _code(out.getvalue()) == "bundle_duplicate_member"


def test_zip_bombs_and_oversized_bundles_are_refused() -> None:
    bomb = craft(SENDER, {"data/revisions.jsonl": b" " * 5_000_000})
    assert len(bomb) < 50_000
    assert _code(bomb) == "bundle_too_large"
    small_limits = Limits(max_bundle_bytes=1000)
    assert _code(_bundle(), limits=small_limits) == "bundle_too_large"
    many = craft(SENDER, {f"data/f{i}.jsonl": b"{}\n" for i in range(30)})
    assert _code(many, limits=Limits(max_members=10)) == "bundle_too_large"


@pytest.mark.parametrize("content", [b"{not json}\n", b"[1,2]\n", b'{"a":NaN}\n',
                                     b'{"a":1,"a":2}\n', b"\xff\xfe\n"])
def test_malformed_json_is_refused(content: bytes) -> None:
    data = craft(SENDER, {"data/revisions.jsonl": content})
    assert _code(data) == "bundle_malformed"


def test_header_with_wrong_types_is_refused() -> None:
    for bad in ({"seq": "7"}, {"seq": -1}, {"kind": "virus"}, {"sender": "x"},
                {"bundle_id": 5}):
        assert _code(craft(SENDER, {}, header=bad)) == "bundle_malformed", bad


@pytest.mark.parametrize("change", [
    {"revision": "1"}, {"revision": True}, {"created_at": "yesterday"},
    {"created_at": "2026-11-20T08:00:00"}, {"signature": "***"}, {"entry_id": None},
    {"snapshot_json": 5},
])
def test_records_with_wrong_types_are_refused(change: dict) -> None:
    row = {"entry_id": "e", "revision": 1, "snapshot_json": "{}", "snapshot_sha256": "0",
           "created_at": "2026-11-20T08:00:00Z", "author_id": "p", "reason": "",
           "signature": "AAAA", "key_fingerprint": "f"}
    assert from_json(EntryRevision, row).revision == 1
    with pytest.raises(RefusedValue) as refused:
        from_json(EntryRevision, {**row, **change})
    assert refused.value.code == "bundle_malformed"
    with pytest.raises(RefusedValue):
        from_json(ReviewStatement, {"id": "s", "kind": "approve_everything"})


# -- data files deflated before encryption (format 2.0) --------------------------------------

MONTH = {"revisions": [{"entry_id": f"e{n}", "revision": 1, "text": "Hồ sơ minh chứng",
                        "snapshot_json": f'{{"work_date":"2026-06-{n % 28 + 1:02d}",'
                                         f'"output_description":"Báo cáo tuần {n}"}}'}
                       for n in range(130)], "acks": [{"item_key": f"k{n}"} for n in range(40)]}


def _month(**kwargs) -> bytes:
    return write_bundle(kind="work", sender_id="hcc-cv1", recipient_id="hcc-gd", seq=8,
                        key=SENDER, records=MONTH, encrypt_to=RECIPIENT.x25519_public,
                        **kwargs)


def test_deflated_data_files_make_a_smaller_bundle_that_reads_the_same() -> None:
    scan = bytes(range(256)) * 40  # an attachment: left as it is
    plain = _month(files={"a": scan})
    small = _month(files={"a": scan}, deflate=True)
    header = json.loads(zipfile.ZipFile(io.BytesIO(small)).read("header.json"))
    assert header["format_version"] == "2.0" and header["reads"] == 2
    assert header["encryption"]["deflated"] == ["data/acks.jsonl", "data/revisions.jsonl"]
    assert json.loads(zipfile.ZipFile(io.BytesIO(plain)).read("header.json"))[
        "format_version"] == "1.0"
    data_size = {name: sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(b)).infolist()
                           if i.filename.startswith("data/")) for name, b in
                 (("plain", plain), ("small", small))}
    assert data_size["small"] * 4 < data_size["plain"], data_size
    for data in (plain, small):
        bundle = _read(data)
        assert bundle.records == {name: list(rows) for name, rows in MONTH.items()}
        assert list(bundle.files.values()) == [scan]
        assert _read(data, decrypt=False).bundle_id == bundle.bundle_id  # the hub's check
    # Without encryption the zip deflates the data files itself: nothing changes.
    unencrypted = write_bundle(kind="work", sender_id="a", recipient_id="b", seq=1, key=SENDER,
                               records=MONTH, deflate=True)
    assert json.loads(zipfile.ZipFile(io.BytesIO(unencrypted)).read("header.json"))[
        "format_version"] == "1.0"


def test_a_reader_of_the_first_format_refuses_a_deflated_bundle_as_newer(monkeypatch) -> None:
    """A PC still on a 1.x version asks to update instead of misreading the bundle."""
    from kpi_desktop.sync import bundle as module

    monkeypatch.setattr(module, "_MAJOR", 1)
    assert _code(_month(deflate=True)) == "bundle_format_newer"
    assert _read(_month()).records["revisions"][0]["entry_id"] == "e0"


def test_a_deflate_bomb_is_refused_within_the_limits() -> None:
    huge = {"revisions": [{"text": "a" * 1_000_000}] * 4}
    data = write_bundle(kind="work", sender_id="hcc-cv1", recipient_id="hcc-gd", seq=9,
                        key=SENDER, records=huge, encrypt_to=RECIPIENT.x25519_public,
                        deflate=True)
    assert len(data) < 60_000
    assert _code(data, limits=Limits(max_member_bytes=1_000_000)) == "bundle_too_large"
    assert _code(data, limits=Limits(max_total_bytes=2_000_000)) == "bundle_too_large"
    assert len(_read(data).records["revisions"]) == 4


def test_what_the_header_names_as_deflated_must_be_deflated_data_files() -> None:
    from kpi_desktop.sync.bundle import _inflated

    plain = {"data/revisions.jsonl": b'{"a":1}\n', "files/" + "0" * 64: b"x"}
    for deflated in (["files/" + "0" * 64], ["data/other.jsonl"], "data/revisions.jsonl",
                     ["data/revisions.jsonl", "data/revisions.jsonl"], [3],
                     ["data/revisions.jsonl"]):  # the last: named, but not deflated
        with pytest.raises(RefusedValue) as refused:
            _inflated(dict(plain), deflated, Limits())
        assert refused.value.code == "bundle_malformed", deflated
    import zlib

    cut = dict(plain, **{"data/revisions.jsonl": zlib.compress(b'{"a":1}\n' * 50)[:-6]})
    with pytest.raises(RefusedValue) as refused:
        _inflated(cut, ["data/revisions.jsonl"], Limits())
    assert refused.value.code == "bundle_malformed"
