"""The electronic dossier of Điều 24: written, read back, tampered with, outdated (issue 17 §5)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from kpi_desktop.app import main


@pytest.fixture(scope="module")
def dossier_dir(demo_master, tmp_path_factory):
    target = tmp_path_factory.mktemp("dossier") / "demo"
    shutil.copytree(demo_master, target)
    return target


@pytest.fixture(scope="module")
def services(dossier_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    opened = AppServices.open(app_paths(dossier_dir))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def archive(services, tmp_path_factory):
    out = tmp_path_factory.mktemp("made") / "HoSo_vp-cv1_2026.zip"
    result = services.dossier.person("vp-cv1", 2026, out, "vi")
    assert result.path == out and out.is_file()
    return out


def _rewrite(source: Path, target: Path, change) -> Path:  # noqa: ANN001
    """A copy of ``source`` with ``change(name, data) -> data | None`` applied to each member
    (``None`` drops it); the manifest is kept unless ``change`` rewrites it too."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            data = change(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)
    return target


def test_the_dossier_holds_every_document_of_the_year(services, archive):
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        index = zf.read("muc-luc.txt").decode("utf-8")
    months = {f"Mau01/Mau01_2026-{m:02d}.pdf" for m in range(1, 12)}
    quarters = {f"Mau01/Mau01_2026-Q{q}.pdf" for q in range(1, 5)}
    assert months | quarters | {"Mau02/Mau02_2026.pdf", "ky-luat.json", "muc-luc.txt",
                                "manifest.json"} <= names
    assert {f"ban-ghi-ky/{k}.json" for k in ("revisions", "statements", "self_assessments",
                                             "confirmations", "annual", "discipline",
                                             "appeals", "appeal_decisions")} <= names
    assert manifest["format"] == "kpi-desktop-dossier" and manifest["year"] == 2026
    assert manifest["person"]["full_name"] == "Phạm Thị Hoa"
    assert manifest["basis"] == "Điều 24 Nghị định số 335/2025/NĐ-CP"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    with zipfile.ZipFile(archive) as zf:
        for path, info in listed.items():
            assert hashlib.sha256(zf.read(path)).hexdigest() == info["sha256"]
    codes = [f["code"] for f in manifest["files"] if f["code"]]
    assert len(codes) == len(months | quarters) + 1
    assert all(services.reports.verify(code).ok for code in codes)
    assert "HỒ SƠ ĐÁNH GIÁ ĐIỆN TỬ" in index and "Điều 24" in index
    assert manifest["records"]["revisions"] > 0 and manifest["records"]["confirmations"] >= 10


def test_a_fresh_dossier_is_intact_and_agrees(services, archive):
    check = services.dossier.verify(archive)
    assert check.intact and check.agrees and check.ok, check.problems
    assert check.forms == 16 and check.records > 100
    assert "còn nguyên vẹn và khớp" not in check.describe()[0]  # English by default in tests


@pytest.mark.parametrize("tamper", ["changed", "added", "removed", "manifest"])
def test_a_tampered_dossier_is_not_intact(services, archive, tmp_path, tamper):
    def change(name: str, data: bytes) -> bytes | None:
        if tamper == "changed" and name == "Mau02/Mau02_2026.pdf":
            return data.replace(b"/Author", b"/Autho_", 1)
        if tamper == "removed" and name == "ky-luat.json":
            return None
        if tamper == "manifest" and name == "manifest.json":
            return b"{not json"
        return data

    copy = _rewrite(archive, tmp_path / "t.zip", change)
    if tamper == "added":
        with zipfile.ZipFile(copy, "a") as zf:
            zf.writestr("Mau01/extra.pdf", b"%PDF-1.4 forged")
    check = services.dossier.verify(copy)
    assert not check.intact and not check.ok
    expected = {"changed": "hash", "added": "unlisted", "removed": "missing",
                "manifest": "manifest"}[tamper]
    assert expected in {code for code, _ in check.problems}, check.problems


def test_a_forged_signature_is_caught(services, archive, tmp_path):
    """A record whose text was changed, with a signature made by another key, fails even
    when the forger fixed the manifest's hashes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forger = Ed25519PrivateKey.generate()
    other = Ed25519PrivateKey.generate()
    public = other.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        rows = json.loads(zf.read("ban-ghi-ky/confirmations.json"))
    rows[0]["signed_text"] = rows[0]["signed_text"].replace('"total"', '"total" ', 1)
    rows[0]["signature"] = base64.b64encode(forger.sign(rows[0]["signed_text"].encode()))\
        .decode()
    rows[0]["public_key"] = base64.b64encode(public).decode()
    forged = json.dumps(rows).encode()
    for entry in manifest["files"]:
        if entry["path"] == "ban-ghi-ky/confirmations.json":
            entry["sha256"], entry["size"] = hashlib.sha256(forged).hexdigest(), len(forged)

    def change(name: str, data: bytes) -> bytes:
        if name == "ban-ghi-ky/confirmations.json":
            return forged
        if name == "manifest.json":
            return json.dumps(manifest).encode()
        return data

    check = services.dossier.verify(_rewrite(archive, tmp_path / "f.zip", change))
    codes = {code for code, _ in check.problems}
    assert not check.intact and "signature" in codes
    assert "record_changed" in codes  # and it no longer matches the database either


def test_an_outdated_dossier_is_intact_but_disagrees(dossier_dir, archive, tmp_path):
    """After the year changes in the database (a new entry of vp-cv1 submitted in 2026), the
    archive is still intact but no longer agrees: a record is missing, a form's code moved."""
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    copy = tmp_path / "db"
    shutil.copytree(dossier_dir, copy)
    services = AppServices.open(app_paths(copy))
    try:
        entry = services.worklog.add_entry(person_id="vp-cv1", work_date=dt.date(2026, 11, 20),
                                           item_code="DC.01", quantity=Decimal(3),
                                           submit=True)
        assert entry.id
        check = services.dossier.verify(archive)
    finally:
        services.close()
    codes = {code for code, _ in check.problems}
    assert check.intact and not check.agrees and not check.ok
    assert codes & {"record_new", "form_changed"}, check.problems
    assert any("không còn khớp" in line or "no longer agrees" in line
               for line in check.describe())


def test_a_unit_in_one_step_with_progress(services, tmp_path):
    seen: list[tuple[int, int]] = []
    results = services.dossier.unit("vp", 2026, tmp_path / "out", "en",
                                    progress=lambda d, t: seen.append((d, t)))
    files = sorted((tmp_path / "out").glob("HoSo_*_2026.zip"))
    assert len(files) == len(results) >= 1
    assert seen[0] == (0, len(results)) and seen[-1] == (len(results), len(results))
    for result in results:
        assert services.dossier.verify(result.path).ok


def test_cli_dossier_and_verify(dossier_dir, archive, tmp_path, capsys):
    out = tmp_path / "hs.zip"
    code = main(["--data-dir", str(dossier_dir), "--lang", "vi", "dossier", "--person",
                 "vp-cv3", "--year", "2026", "--out", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0 and "Đã ghi hồ sơ" in stdout and out.is_file()
    code = main(["--data-dir", str(dossier_dir), "--lang", "vi", "verify", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0 and "còn nguyên vẹn và khớp với dữ liệu" in stdout
    broken = _rewrite(archive, tmp_path / "b.zip",
                      lambda n, d: None if n == "muc-luc.txt" else d)
    code = main(["--data-dir", str(dossier_dir), "--lang", "en", "verify", str(broken)])
    err = capsys.readouterr().err
    assert code == 4 and "damaged or was changed" in err and "muc-luc.txt" in err
    (tmp_path / "not.zip").write_bytes(b"hello")
    code = main(["--data-dir", str(dossier_dir), "--lang", "vi", "verify",
                 str(tmp_path / "not.zip")])
    err = capsys.readouterr().err
    assert code == 4 and "không phải tệp nén zip" in err


def test_signed_records_are_checked_with_their_keys(demo_master, tmp_path):
    """On an official's PC whose entries are signed at submission: the dossier carries each
    signature with its public key; the check verifies them (here and without the database),
    and a signature of one record moved onto another is caught."""
    from tests.sync.helpers import OFFICIAL, build_world, log_week, opened

    world = build_world(demo_master, tmp_path / "world")
    with opened(world.official, OFFICIAL) as pc:
        log_week(pc)
        out = tmp_path / "hs.zip"
        pc.dossier.person(OFFICIAL, 2026, out, "vi")
        check = pc.dossier.verify(out)
        assert check.ok, check.problems
        assert check.records - check.unsigned >= 5  # the week's signed revisions
        with zipfile.ZipFile(out) as zf:
            rows = json.loads(zf.read("ban-ghi-ky/revisions.json"))
            manifest = json.loads(zf.read("manifest.json"))
        signed = [r for r in rows if r["signature"]]
        assert len(signed) >= 5 and all(r["public_key"] for r in signed)
        signed[0]["signature"], signed[1]["signature"] = signed[1]["signature"], \
            signed[0]["signature"]
        swapped = json.dumps(rows).encode()
        for entry in manifest["files"]:
            if entry["path"] == "ban-ghi-ky/revisions.json":
                entry["sha256"] = hashlib.sha256(swapped).hexdigest()
                entry["size"] = len(swapped)

        def change(name: str, data: bytes) -> bytes:
            if name == "ban-ghi-ky/revisions.json":
                return swapped
            return json.dumps(manifest).encode() if name == "manifest.json" else data

        forged = pc.dossier.verify(_rewrite(out, tmp_path / "swapped.zip", change))
        assert not forged.intact
        assert [c for c, _ in forged.problems].count("signature") == 2
