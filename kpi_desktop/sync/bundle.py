"""The bundle file: write it, and read it strictly (DESIGN.md §6).

A bundle is one zip file::

    header.json        what, from whom, to whom: format, version, id, kind, sender, recipient,
                       per-sender sequence number, counts, sha256 of the manifest, encryption
    header.sig         {"key": <fingerprint>, "sig": <base64 Ed25519 over the bytes of header.json>}
    manifest.sha256    "<sha256>  <path>" for every payload file, sorted by path
    data/<name>.jsonl  one JSON object per line
    files/<sha256>     attachments, named by the SHA-256 of their plain content

Work payloads may be encrypted to the recipient: a random content key encrypts every payload
file with AES-256-GCM (the path and bundle id as associated data), and is itself wrapped to the
recipient's X25519 key (ephemeral X25519, HKDF-SHA256, AES-256-GCM). The manifest lists the
ciphertext, so the signature covers what travels and the receiver verifies before decrypting.
In format 2.0 the data files are deflated before they are encrypted (the header's
``encryption.deflated`` names them), for a recipient that said it reads 2 (header ``reads``).

:func:`read_bundle` checks, in this order, before anything is parsed into records: size and
member limits (zip bombs), member names (traversal, absolute paths, links, unknown files), the
format and its major version, the header signature against a key the caller trusts, the
manifest hash, every file's hash, then decryption and strict JSON parsing. Every failure is a
:class:`RefusedValue` with a ``bundle_*`` code.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.values import canonical_json, new_id, utc_now
from kpi_desktop.sync.keys import KeyPair, verify

__all__ = [
    "FORMAT",
    "DEFLATED_VERSION",
    "FORMAT_VERSION",
    "READS",
    "KINDS",
    "Bundle",
    "Limits",
    "data_file",
    "enc_key_id",
    "read_bundle",
    "write_bundle",
]

FORMAT = "kpi-desktop-bundle"
# "major.minor": a newer major is refused ("please update"); a newer minor is read.
FORMAT_VERSION = "1.0"
# An encrypted bundle whose data files were deflated before encryption (``deflate=True``):
# a 1.x reader could not parse them, so it refuses such a bundle as newer ("please update").
DEFLATED_VERSION = "2.0"
_MAJOR = 2
# Every bundle tells its recipient the newest format major its writer reads (header field
# "reads"; readers before 2.0 ignore it): a sender deflates only for a peer that said 2.
READS = _MAJOR
# Level of the data files' deflate: JSON lines shrink ~6× (a month of 130 revisions, 119 KB
# → 19 KB, ~1 ms); attachments (PDF, images, office files: compressed already) are not.
_DEFLATE_LEVEL = 6
KINDS = ("organisation", "plan", "work", "review", "transfer", "receipt")
_ENC_ALG = "X25519-HKDF-SHA256/AES-256-GCM"
_DATA_NAME = re.compile(r"^data/[a-z][a-z0-9_]{0,40}\.jsonl$")
_FILE_NAME = re.compile(r"^files/[0-9a-f]{64}$")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
# What the zip reader raises on damaged input (declared sizes, CRC, inflate, flags).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, RuntimeError, KeyError, IndexError)
# A zip member's local header: signature, version, flags, method, time, date, CRC,
# compressed size, size, name length, extra length.
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
# The members every bundle has beside its payload files.
_HEAD_NAMES = ("header.json", "header.sig", "manifest.sha256")
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


@dataclass(frozen=True)
class Limits:
    """What a bundle may not exceed (protects against zip bombs and runaway files)."""

    max_bundle_bytes: int = 64 * 1024 * 1024
    max_members: int = 5000
    max_member_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, per member
    max_header_bytes: int = 64 * 1024


@dataclass(frozen=True)
class Bundle:
    """A verified, decrypted and parsed bundle."""

    header: dict[str, Any]
    header_sha256: str
    signer: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def bundle_id(self) -> str:
        return str(self.header["bundle_id"])

    @property
    def kind(self) -> str:
        return str(self.header["kind"])

    @property
    def sender_id(self) -> str:
        return str(self.header["sender"]["id"])

    @property
    def recipient_id(self) -> str:
        return str(self.header["recipient"]["id"])

    @property
    def seq(self) -> int:
        return int(self.header["seq"])


def enc_key_id(x25519_public: bytes) -> str:
    """The identifier of an X25519 public key (like a fingerprint)."""
    return hashlib.sha256(b"x25519:" + x25519_public).hexdigest()[:32]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=b"kpi-desktop bundle key v1").derive(shared)


def _aad(bundle_id: str, path: str) -> bytes:
    return f"{bundle_id}|{path}".encode()


# ================================================================================ writing ====


def data_file(rows: Sequence[Mapping[str, Any] | str]) -> bytes:
    """The plain bytes of one data/<name>.jsonl: a line a record (a record may be given as
    its line already)."""
    return "".join((r if isinstance(r, str) else canonical_json(dict(r))) + "\n"
                   for r in rows).encode("utf-8")


def write_bundle(
    *, kind: str, sender_id: str, recipient_id: str, seq: int, key: KeyPair,
    records: Mapping[str, Sequence[Mapping[str, Any] | str]],
    files: Mapping[str, bytes] | None = None, encrypt_to: bytes | None = None,
    extra: Mapping[str, Any] | None = None, bundle_id: str | None = None,
    deflate: bool = False,
) -> bytes:
    """The bytes of a signed bundle.

    Args:
        kind: one of :data:`KINDS`.
        records: payload name ("entries") → JSON-ready records, written as data/<name>.jsonl
            (a record may also be given as its ``canonical_json`` text already).
        files: attachments (plain content); stored as files/<sha256 of the content>.
        encrypt_to: the recipient's raw X25519 public key; ``None`` writes plain payloads.
        extra: more header fields (e.g. "organisation").
        deflate: deflate the data files before encrypting them (ciphertext does not
            compress afterwards); only with ``encrypt_to``, for a recipient that reads
            :data:`DEFLATED_VERSION` (the bundle says so: readers of 1.x refuse it as newer).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind}")
    bundle_id = bundle_id or new_id()
    plain: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for name, rows in sorted(records.items()):
        if not _DATA_NAME.match(f"data/{name}.jsonl"):
            raise ValueError(f"bad payload name {name}")
        plain[f"data/{name}.jsonl"] = data_file(rows)
        counts[name] = len(rows)
    for content in (files or {}).values():
        plain[f"files/{_sha(content)}"] = content
    counts["files"] = len(files or {})
    encryption: dict[str, Any] | None = None
    stored = plain
    if encrypt_to is not None:
        content_key = AESGCM.generate_key(bit_length=256)
        ephemeral = X25519PrivateKey.generate()
        eph_pub = ephemeral.public_key().public_bytes(_RAW, _RAW_PUB)
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(encrypt_to))
        nonce = os.urandom(12)
        wrapped = AESGCM(_kek(shared, eph_pub, encrypt_to)).encrypt(
            nonce, content_key, _aad(bundle_id, "key"))
        encryption = {"alg": _ENC_ALG, "recipient_key": enc_key_id(encrypt_to),
                      "ephemeral": base64.b64encode(eph_pub).decode(),
                      "wrapped_key": base64.b64encode(nonce + wrapped).decode()}
        cipher = AESGCM(content_key)
        stored = {}
        deflated = sorted(p for p in plain if p.startswith("data/")) if deflate else []
        if deflated:
            encryption["deflated"] = deflated
        for path, content in plain.items():
            if path in deflated:
                content = zlib.compress(content, _DEFLATE_LEVEL)
            file_nonce = os.urandom(12)
            stored[path] = file_nonce + cipher.encrypt(file_nonce, content, _aad(bundle_id, path))
    manifest = "".join(f"{_sha(stored[p])}  {p}\n" for p in sorted(stored)).encode()
    header = {
        "format": FORMAT,
        "format_version": DEFLATED_VERSION if encryption and "deflated" in encryption
        else FORMAT_VERSION,
        "reads": READS, "bundle_id": bundle_id, "kind": kind, "created_at": utc_now(), "seq": seq,
        "sender": {"id": sender_id, "key": key.fingerprint},
        "recipient": {"id": recipient_id}, "counts": counts,
        "manifest_sha256": _sha(manifest), "encryption": encryption, **(extra or {}),
    }
    header_bytes = canonical_json(header).encode("utf-8")
    signature = json.dumps({"key": key.fingerprint,
                            "sig": base64.b64encode(key.sign(header_bytes)).decode()}).encode()
    out = io.BytesIO()
    # Ciphertext does not compress: encrypted payloads are stored as they are (deflating
    # them cost an export of 68 bundles ~0.1 s for nothing); every reader reads both.
    payload_method = zipfile.ZIP_DEFLATED if encryption is None else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [("header.json", header_bytes), ("header.sig", signature),
                              ("manifest.sha256", manifest), *sorted(stored.items())]:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = (zipfile.ZIP_DEFLATED if name in _HEAD_NAMES
                                  else payload_method)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content)
    return out.getvalue()


# ================================================================================ reading ====


def _refuse(code: str, **params: Any) -> RefusedValue:
    return RefusedValue(code, **params)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # built in C; a key given twice leaves fewer entries than pairs
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key}")
            seen.add(key)
    return result


def _bad_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates,
                          parse_constant=_bad_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _refuse("bundle_malformed", file=what, detail=str(exc)[:200]) from None


def _check_name(name: str) -> None:
    unsafe = (name.startswith(("/", "\\")) or "\\" in name or ":" in name or "\x00" in name
              or any(part in ("..", ".", "") for part in name.split("/")))
    if unsafe:
        raise _refuse("bundle_unsafe_path", path=name[:200])


def _check_local_header(data: bytes, info: zipfile.ZipInfo) -> None:
    """The member's own (local) header says what the zip's directory says about it.

    The zip module trusts the directory and ignores the local header; our writer fills both
    the same way, so a difference means the sizes or checksum were altered
    (``bundle_inconsistent``, not "the USB stick was removed")."""
    start = info.header_offset
    if start < 0 or start + _LOCAL_HEADER.size > len(data):
        raise _refuse("bundle_inconsistent", file=info.filename[:200], detail="local header")
    (signature, _version, flags, method, _time, _date, crc, compressed, size, _name,
     _extra) = _LOCAL_HEADER.unpack_from(data, start)
    if signature != b"PK\x03\x04":
        raise _refuse("bundle_inconsistent", file=info.filename[:200], detail="local header")
    if flags & 0x08:  # sizes and checksum follow the data (a streaming writer)
        return
    zip64 = 0xFFFFFFFF in (compressed, size)
    if method != info.compress_type or crc != info.CRC or (
            not zip64 and (compressed, size) != (info.compress_size, info.file_size)):
        raise _refuse("bundle_inconsistent", file=info.filename[:200],
                      detail="local header differs from the directory")


def _members(archive: zipfile.ZipFile, limits: Limits,
             data: bytes) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _refuse("bundle_too_large", detail=f"{len(infos)} files")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        _check_name(name)
        if info.flag_bits & 0x1:  # zip "encryption": never written by us
            raise _refuse("bundle_inconsistent", file=name[:200], detail="encrypted member")
        if stat.S_ISLNK(info.external_attr >> 16) or info.is_dir():
            raise _refuse("bundle_unsafe_path", path=name[:200])
        if name in members:
            raise _refuse("bundle_duplicate_member", path=name[:200])
        if name not in _HEAD_NAMES and not (
                _DATA_NAME.match(name) or _FILE_NAME.match(name)):
            raise _refuse("bundle_unsafe_path", path=name[:200])
        _check_local_header(data, info)
        if info.file_size > limits.max_member_bytes:
            raise _refuse("bundle_too_large", detail=name)
        if info.file_size > 1024 and info.file_size > limits.max_ratio * max(
                info.compress_size, 1):
            raise _refuse("bundle_too_large", detail=f"{name}: compression ratio")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse("bundle_too_large", detail="total size")
        members[name] = info
    for required in _HEAD_NAMES:
        if required not in members:
            raise _refuse("bundle_damaged", detail=f"{required} missing")
    return members


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than ``limit`` (declared sizes may lie: a member whose
    content does not match its declared size or checksum is ``bundle_inconsistent``)."""
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise _refuse("bundle_inconsistent", file=info.filename[:200],
                      detail=str(exc)[:200]) from None
    if len(data) > limit:
        raise _refuse("bundle_too_large", detail=info.filename)
    if len(data) != info.file_size:
        raise _refuse("bundle_inconsistent", file=info.filename[:200], detail="size")
    return data


def _stored_bytes(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """A stored (not deflated) member's bytes, taken from the bundle itself without the zip
    module's reading, or ``None`` when the member is deflated or sizes follow its data.
    Its local header was checked against the directory (:func:`_check_local_header`)."""
    # Sizes after the data (0x08), patched (0x20) or strongly encrypted (0x40) members are
    # left to the zip module.
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x68 or \
            info.compress_size != info.file_size:
        return None
    (_signature, _version, flags, *_, name_length,
     extra_length) = _LOCAL_HEADER.unpack_from(data, info.header_offset)
    name_start = info.header_offset + _LOCAL_HEADER.size
    start = name_start + name_length + extra_length
    end = start + info.compress_size
    # The checks the zip module makes when it opens a member: the local name is the
    # directory's, and the data is all there.
    try:
        name = data[name_start:name_start + name_length].decode(
            "utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        name = None
    if name != info.orig_filename:
        raise _refuse("bundle_inconsistent", file=info.filename[:200],
                      detail="name in the directory and the local header differ")
    if end > len(data):
        raise _refuse("bundle_inconsistent", file=info.filename[:200], detail="size")
    return memoryview(data)[start:end]


def _check_digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, data: bytes,
                  expected: str) -> None:
    """A member's SHA-256 is ``expected`` (``bundle_file_altered`` otherwise); read in pieces,
    nothing kept, never more than ``limit`` bytes.

    A stored member (ciphertext) is hashed where it lies in ``data``, without the zip
    module: the SHA-256 checked against the signed manifest makes the zip's CRC-32
    redundant, so the CRC is computed only when the digest differs, to tell a damaged
    member (``bundle_inconsistent``, as the zip module says) from an altered one."""
    stored = _stored_bytes(data, info)
    if stored is not None:
        if len(stored) > limit:
            raise _refuse("bundle_too_large", detail=info.filename)
        if hashlib.sha256(stored).hexdigest() == expected:
            return
        if zlib.crc32(stored) != info.CRC:
            raise _refuse("bundle_inconsistent", file=info.filename[:200],
                          detail=f"Bad CRC-32 for file {info.filename!r}"[:200])
        raise _refuse("bundle_file_altered", file=info.filename)
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(info) as handle:
            while size <= limit:
                chunk = handle.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                digest.update(chunk)
    except _ZIP_ERRORS as exc:
        raise _refuse("bundle_inconsistent", file=info.filename[:200],
                      detail=str(exc)[:200]) from None
    if size > limit:
        raise _refuse("bundle_too_large", detail=info.filename)
    if size != info.file_size:
        raise _refuse("bundle_inconsistent", file=info.filename[:200], detail="size")
    if digest.hexdigest() != expected:
        raise _refuse("bundle_file_altered", file=info.filename)


def _check_format(header: Any) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _refuse("bundle_malformed", file="header.json", detail="not a KPI Desktop bundle")
    version = header.get("format_version")
    match = re.fullmatch(r"(\d{1,4})\.(\d{1,4})", version) if isinstance(version, str) else None
    if match is None:
        raise _refuse("bundle_malformed", file="header.json", detail="format_version")
    if int(match.group(1)) > _MAJOR:
        raise _refuse("bundle_format_newer", version=version)


def _check_header_types(header: dict[str, Any]) -> None:
    def need(ok: bool, name: str) -> None:
        if not ok:
            raise _refuse("bundle_malformed", file="header.json", detail=name)

    need(isinstance(header.get("bundle_id"), str) and 0 < len(header["bundle_id"]) <= 80,
         "bundle_id")
    need(header.get("kind") in KINDS, "kind")
    need(isinstance(header.get("seq"), int) and not isinstance(header["seq"], bool)
         and header["seq"] >= 0, "seq")
    for part in ("sender", "recipient"):
        value = header.get(part)
        need(isinstance(value, dict) and isinstance(value.get("id"), str), part)
    need(isinstance(header["sender"].get("key"), str), "sender.key")
    need(isinstance(header.get("manifest_sha256"), str), "manifest_sha256")
    need(header.get("encryption") is None or isinstance(header.get("encryption"), dict),
         "encryption")


def read_bundle(
    data: bytes, *,
    signer_key: Callable[[str, dict[str, Any]], bytes],
    decrypt_key: Callable[[str], KeyPair | None] = lambda _key_id: None,
    limits: Limits | None = None, decrypt: bool = True,
) -> Bundle:
    """Verify and parse a bundle; nothing is trusted before its check.

    Args:
        signer_key: given the signing key's fingerprint and the (format-checked, not yet
            verified) header, returns the trusted raw public key, or raises
            :class:`RefusedValue` (unknown, revoked, not allowed to send this kind).
        decrypt_key: given the recipient key id of an encrypted bundle, the unlocked key pair
            that opens it, or ``None`` (then ``bundle_wrong_recipient``).
        decrypt: ``False`` stops after the checks of signature, manifest and files (a sender
            reading back what it wrote): the bundle comes back without records.

    Raises:
        RefusedValue: a ``bundle_*`` code saying what is wrong.
    """
    limits = limits or Limits()
    if len(data) > limits.max_bundle_bytes:
        raise _refuse("bundle_too_large", detail=f"{len(data)} bytes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise _refuse("bundle_damaged", detail=str(exc)[:200]) from None
    with archive:
        members = _members(archive, limits, data)
        header_bytes = _read(archive, members["header.json"], limits.max_header_bytes)
        sig_bytes = _read(archive, members["header.sig"], 4096)
        header = _json(header_bytes, "header.json")
        _check_format(header)
        sig = _json(sig_bytes, "header.sig")
        if not (isinstance(sig, dict) and isinstance(sig.get("key"), str)
                and isinstance(sig.get("sig"), str)):
            raise _refuse("bundle_malformed", file="header.sig", detail="signature")
        try:
            signature = base64.b64decode(sig["sig"], validate=True)
        except ValueError:
            raise _refuse("bundle_signature_invalid") from None
        public_key = signer_key(sig["key"], header)
        if not verify(public_key, signature, header_bytes):
            raise _refuse("bundle_signature_invalid")
        # From here on the header is authentic.
        _check_header_types(header)
        if header["sender"]["key"] != sig["key"]:
            raise _refuse("bundle_signature_invalid")
        manifest_bytes = _read(archive, members["manifest.sha256"], limits.max_header_bytes * 16)
        if _sha(manifest_bytes) != header["manifest_sha256"]:
            raise _refuse("bundle_file_altered", file="manifest.sha256")
        expected = _parse_manifest(manifest_bytes)
        payload_names = set(members) - set(_HEAD_NAMES)
        if set(expected) != payload_names:
            missing = sorted(set(expected) ^ payload_names)
            raise _refuse("bundle_file_altered", file=", ".join(missing)[:200])
        stored: dict[str, bytes] = {}
        for name in sorted(expected):
            if not decrypt:  # only checked (the hub): hashed in pieces, nothing kept
                _check_digest(archive, members[name], limits.max_member_bytes, data,
                              expected[name])
                continue
            content = _read(archive, members[name], limits.max_member_bytes)
            if _sha(content) != expected[name]:
                raise _refuse("bundle_file_altered", file=name)
            stored[name] = content
    if not decrypt:
        return Bundle(header=header, header_sha256=_sha(header_bytes), signer=sig["key"])
    plain = _decrypt(header, stored, decrypt_key, limits)
    records: dict[str, list[dict[str, Any]]] = {}
    files: dict[str, bytes] = {}
    for name, content in plain.items():
        if name.startswith("files/"):
            digest = name.removeprefix("files/")
            if _sha(content) != digest:
                raise _refuse("bundle_file_altered", file=name)
            files[digest] = content
            continue
        rows = []
        for number, line in enumerate(content.split(b"\n"), start=1):
            if not line.strip():
                continue
            row = _json(line, f"{name}:{number}")
            if not isinstance(row, dict):
                raise _refuse("bundle_malformed", file=f"{name}:{number}", detail="not an object")
            rows.append(row)
        records[name.removeprefix("data/").removesuffix(".jsonl")] = rows
    return Bundle(header=header, header_sha256=_sha(header_bytes), signer=sig["key"],
                  records=records, files=files)


def _parse_manifest(data: bytes) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("bundle_malformed", file="manifest.sha256", detail="encoding") from None
    for line in text.splitlines():
        match = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        if match is None:
            raise _refuse("bundle_malformed", file="manifest.sha256", detail=line[:80])
        path = match.group(2)
        _check_name(path)
        if path in entries:
            raise _refuse("bundle_malformed", file="manifest.sha256", detail=path[:80])
        entries[path] = match.group(1)
    return entries


def _decrypt(header: dict[str, Any], stored: dict[str, bytes],
             decrypt_key: Callable[[str], KeyPair | None], limits: Limits) -> dict[str, bytes]:
    encryption = header.get("encryption")
    if encryption is None:
        return stored
    if encryption.get("alg") != _ENC_ALG or not isinstance(encryption.get("recipient_key"), str):
        raise _refuse("bundle_malformed", file="header.json", detail="encryption")
    key = decrypt_key(encryption["recipient_key"])
    if key is None:
        raise _refuse("bundle_wrong_recipient", recipient=header["recipient"]["id"])
    bundle_id = header["bundle_id"]
    try:
        eph_pub = base64.b64decode(encryption["ephemeral"], validate=True)
        wrapped = base64.b64decode(encryption["wrapped_key"], validate=True)
        own_pub = key.x25519_public
        shared = key.x25519_private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        content_key = AESGCM(_kek(shared, eph_pub, own_pub)).decrypt(
            wrapped[:12], wrapped[12:], _aad(bundle_id, "key"))
        cipher = AESGCM(content_key)
        plain = {path: cipher.decrypt(content[:12], content[12:], _aad(bundle_id, path))
                 for path, content in stored.items()}
    except InvalidTag:
        raise _refuse("bundle_wrong_recipient", recipient=header["recipient"]["id"]) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise _refuse("bundle_malformed", file="header.json", detail=str(exc)[:200]) from None
    return _inflated(plain, encryption.get("deflated", []), limits)


def _inflated(plain: dict[str, bytes], deflated: Any, limits: Limits) -> dict[str, bytes]:
    """The decrypted files with the data files the signed header names as deflated
    inflated, never beyond the limits (a deflate bomb is ``bundle_too_large``)."""
    if not (isinstance(deflated, list) and all(
            isinstance(p, str) and p.startswith("data/") and p in plain for p in deflated)
            and len(set(deflated)) == len(deflated)):
        raise _refuse("bundle_malformed", file="header.json", detail="encryption.deflated")
    total = sum(len(content) for path, content in plain.items() if path not in deflated)
    for path in deflated:
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(plain[path], limits.max_member_bytes + 1)
        except zlib.error as exc:
            raise _refuse("bundle_malformed", file=path, detail=str(exc)[:200]) from None
        if len(content) > limits.max_member_bytes:
            raise _refuse("bundle_too_large", detail=path)
        if not inflater.eof or inflater.unused_data:
            raise _refuse("bundle_malformed", file=path, detail="deflate stream")
        total += len(content)
        if total > limits.max_total_bytes:
            raise _refuse("bundle_too_large", detail="total size")
        plain[path] = content
    return plain
