"""Helpers of the sync tests: three PCs (agency, official, leader) and hand-made bundles."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import itertools
import json
import shutil
import stat
import struct
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain.model import EntryStatus, ReviewStatement, StatementKind, new_id, utc_now
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.backups import BackupService
from kpi_desktop.services.context import AppServices
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.sync.keys import KeyPair

TODAY = dt.date(2026, 11, 23)
OFFICIAL, LEADER = "hcc-cv1", "hcc-gd"
PASSPHRASES = {"agency": "demo", OFFICIAL: "pass-official", LEADER: "pass-leader"}
FAST_COST = 10


@contextmanager
def opened(folder: Path, *unlock: str) -> Iterator[AppServices]:
    """The services of a PC's data folder, with the given owners' keys unlocked."""
    services = AppServices.open(app_paths(folder), today=TODAY)
    services.keys.cost = FAST_COST
    services.worklog._today = TODAY
    services.sync._today = lambda: TODAY
    try:
        for owner in unlock:
            services.keys.unlock(owner, PASSPHRASES[owner])
        yield services
    finally:
        services.close()


@dataclass
class World:
    """Data folders of the agency's, an official's and a leader's PC, and a USB stick."""

    root: Path

    @property
    def agency(self) -> Path:
        return self.root / "agency"

    @property
    def official(self) -> Path:
        return self.root / "official"

    @property
    def leader(self) -> Path:
        return self.root / "leader"

    @property
    def usb(self) -> Path:
        return self.root / "usb"

    def copy_to(self, target: Path) -> World:
        shutil.copytree(self.root, target)
        return World(target)


def build_world(demo_master: Path, root: Path) -> World:
    """Agency = the demo; the two other PCs are set up from the agency's organisation file,
    create their own keys, which the agency enrols and publishes in version 2."""
    world = World(root)
    shutil.copytree(demo_master, world.agency)
    with opened(world.agency, "agency") as agency:
        first = agency.sync.publish_organisation(world.usb).path
    requests = {}
    for folder, person in ((world.official, OFFICIAL), (world.leader, LEADER)):
        with opened(folder) as pc:
            [result] = pc.sync.import_paths([first])
            assert result.status == "imported", result.error
            pc.keys.create(person, PASSPHRASES[person])
            requests[person] = pc.keys.enrolment_request(person)
    with opened(world.agency, "agency") as agency:
        for request in requests.values():
            agency.keys.enrol(request)
        second = agency.sync.publish_organisation(world.usb).path
    for folder in (world.official, world.leader):
        with opened(folder) as pc:
            assert pc.sync.import_paths([second])[0].status == "imported"
    return world


def log_week(services: AppServices, person: str = OFFICIAL, days: int = 5) -> list[str]:
    """Submit one entry a day for the week before TODAY; returns the entry ids."""
    with services.db.unit_of_work(read_only=True) as uow:
        items = uow.catalog.allowed_items(person)
    ids = []
    for offset in range(days):
        day = dt.date(2026, 11, 16) + dt.timedelta(days=offset)
        entry = services.worklog.add_entry(
            person_id=person, work_date=day, item_code=items[offset + 3].code,
            quantity=Decimal(1), completed_on=day, submit=True,
            output_description=f"Hồ sơ ngày {day:%d/%m}")
        ids.append(entry.id)
    return ids


def assigned_week(world: World, days: int = 5) -> list[str]:
    """The leader assigns the official one item a day for the week before TODAY (a plan
    bundle carries it), and the official logs and submits each: entries that count."""
    with opened(world.leader, LEADER) as pc:
        with pc.db.unit_of_work(read_only=True) as uow:
            items = uow.catalog.allowed_items(OFFICIAL)
        plan = [(items[offset + 3].code, dt.date(2026, 11, 16) + dt.timedelta(days=offset))
                for offset in range(days)]
        assignments = [pc.assignments.assign(LEADER, OFFICIAL, code, "2026-11", Decimal(1),
                                             day + dt.timedelta(days=3)).id
                       for code, day in plan]
        bundles = [r.path for r in pc.sync.export(LEADER, world.usb / "plan")
                   if r.recipient_id == OFFICIAL]
    ids = []
    with opened(world.official, OFFICIAL) as pc:
        assert all(r.ok for r in pc.sync.import_paths(bundles))
        for (code, day), assignment in zip(plan, assignments, strict=True):
            entry = pc.worklog.add_entry(
                person_id=OFFICIAL, work_date=day, item_code=code, quantity=Decimal(1),
                assignment_id=assignment, completed_on=day, submit=True,
                output_description=f"Hồ sơ ngày {day:%d/%m}")
            ids.append(entry.id)
    return ids


def review(services: AppServices, reviewer: str, entry_id: str, kind: StatementKind,
           reason: str = "") -> None:
    """A leader's verdict, stored as the review service does (unsigned; signed at export)."""
    now = utc_now()
    with services.db.unit_of_work() as uow:
        entry = uow.worklog.get(entry_id)
        uow.reviews.add(ReviewStatement(id=new_id(), entry_id=entry_id,
                                        revision=entry.current_revision, reviewer_id=reviewer,
                                        kind=kind, created_at=now, reason=reason))
        if kind is StatementKind.CONFIRM:
            uow.worklog.set_status(entry_id, EntryStatus.CONFIRMED, at=now,
                                   confirmed_revision=entry.current_revision)
        else:
            uow.worklog.set_status(entry_id, EntryStatus.RETURNED, at=now)


def snapshot(folder: Path) -> tuple[list[str], list[str]]:
    """The database dump and the data folder's listing (for "changes nothing").

    The listing leaves out the daily backups: the application makes one at the first start of
    each UTC day (``BackupService.daily``, by the wall clock), so a test that crosses midnight
    between two snapshots would otherwise see a change nothing it tests made. Every other
    backup (before an import, a restore, a migration) stays in the listing: a refused import
    makes none."""
    paths = app_paths(folder)
    backups = BackupService(paths.database, paths.backup_dir)
    daily = {b.path for b in backups.list_backups(include_empty=True, remember=False)
             if b.reason == "daily"}
    listing = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                     if p.suffix not in (".log",) and "-wal" not in p.name
                     and "-shm" not in p.name and "logs" not in p.parts and p not in daily)
    return dump_database(folder / "kpi.db"), listing


def data_of(shot: tuple[list[str], list[str]]) -> tuple[list[str], list[str]]:
    """A :func:`snapshot` without the refusals owed: a record refused by rule leaves the
    database exactly as it was and only remembers, beside it, that a signed refusal is owed
    to its sender."""
    dump, listing = shot
    return dump, [name for name in listing if name != "sync-refusals-owed.json"]


TABLES = ("work_log_entries", "entry_revisions", "review_statements")


def state(folder: Path) -> list[str]:
    """The synchronised records of a PC (entries, revisions, statements), as SQL lines."""
    return [line for line in dump_database(folder / "kpi.db")
            if any(f'INSERT INTO "{t}"' in line for t in TABLES)]


#: Hand-made bundles take numbers no real export reaches in a test (a real bundle with the
#: number of an earlier, different bundle is held as a clone's).
_CRAFTED_SEQ = itertools.count(100_000)


def craft(key: KeyPair, payload: Mapping[str, bytes], *, header: Mapping[str, Any] | None = None,
          manifest: bytes | None = None, extra_members: Mapping[str, bytes] | None = None,
          sign_with: KeyPair | None = None) -> bytes:
    """A bundle built by hand: ``payload`` files listed in a manifest, a header signed with
    ``key`` (or ``sign_with``), for cases the real writer never produces."""
    if manifest is None:
        manifest = "".join(f"{hashlib.sha256(c).hexdigest()}  {p}\n"
                           for p, c in sorted(payload.items())).encode()
    head = {"format": "kpi-desktop-bundle", "format_version": "1.0", "bundle_id": new_id(),
            "kind": "work", "created_at": utc_now(), "seq": next(_CRAFTED_SEQ),
            "sender": {"id": OFFICIAL, "key": key.fingerprint}, "recipient": {"id": LEADER},
            "counts": {}, "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
            "encryption": None, "organisation": {"id": "nghia-lam", "version": 2}}
    head.update(header or {})
    header_bytes = canonical_json(head).encode()
    signer = sign_with or key
    sig = json.dumps({"key": key.fingerprint,
                      "sig": base64.b64encode(signer.sign(header_bytes)).decode()}).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in [("header.json", header_bytes), ("header.sig", sig),
                              ("manifest.sha256", manifest), *sorted(payload.items()),
                              *sorted((extra_members or {}).items())]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content)
    return out.getvalue()


def flip_content_byte(data: bytes, mask: int = 0x01) -> bytes:
    """``data`` with one byte flipped inside the stored content of its largest member (a
    flip in zip metadata that nothing reads, e.g. a timestamp, is harmless and may be
    accepted, so "a flipped byte is refused" tests flip content)."""
    info = max(zipfile.ZipFile(io.BytesIO(data)).infolist(), key=lambda i: i.compress_size)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:
                                                          info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    damaged = bytearray(data)
    damaged[start + info.compress_size // 2] ^= mask
    return bytes(damaged)
