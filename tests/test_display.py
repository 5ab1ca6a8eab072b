"""Start-up on a desktop that lacks Qt's system libraries: one sentence with the apt command
(issue 16 item 1), never Qt's abort; the README and the .deb list the same packages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_desktop.runtime import display

ROOT = Path(__file__).resolve().parent.parent

LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f73)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f73)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def test_ldd_output_gives_the_missing_libraries_and_their_packages():
    missing = display.missing_in_ldd_output(LDD_MISSING)
    assert missing == ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert display.packages_for(missing) == ("libxcb-icccm4", "libxcb-keysyms1")
    problem = display.DisplayProblem("libraries", missing, display.packages_for(missing))
    assert problem.apt_command() == "sudo apt install libxcb-icccm4 libxcb-keysyms1"


def test_an_unknown_library_is_named_as_it_is():
    assert display.packages_for(["libxcb-new.so.9", "libGL.so.1"]) == ("libgl1",
                                                                        "libxcb-new.so.9")


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None,
                    reason="the xcb plugin is Linux's")
def test_every_system_library_of_the_real_xcb_plugin_has_its_package():
    plugin = display.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                            check=False).stdout
    qt_facing = re.compile(r"^lib(xcb|X11|xkbcommon|EGL|GL|fontconfig|freetype|dbus|glib)")
    needed = {line.split()[0] for line in output.splitlines()
              if "=>" in line and qt_facing.match(line.split()[0])}
    assert needed, output
    assert needed <= set(display.PACKAGES), needed - set(display.PACKAGES)
    # This development machine has them all: no problem is reported.
    probe = display.Probe(plugin)
    assert probe.missing() == ()


def test_a_missing_gl_library_on_import_becomes_a_problem():
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    problem = display.problem_from_import_error(error)
    assert problem is not None and problem.packages == ("libegl1",)
    assert display.problem_from_import_error(ImportError("No module named 'x'")) is None


class _Missing:
    def __init__(self, *names):
        self.names = names

    def missing(self):
        return self.names


def test_no_display_and_the_wayland_fallback():
    assert display.display_problem(None, {}).kind == "no_display"
    assert display.display_problem(None, {"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display.display_problem(_Missing(), {"DISPLAY": ":0"}) is None
    problem = display.display_problem(_Missing("libxcb-icccm.so.4"), {"DISPLAY": ":0"})
    assert problem.kind == "libraries" and problem.packages == ("libxcb-icccm4",)
    # A Wayland session whose xcb libraries are missing goes to Qt's Wayland plugin instead.
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert display.display_problem(_Missing("libxcb-icccm.so.4"), env) is None
    assert env["QT_QPA_PLATFORM"] == "wayland"


def test_the_readme_and_the_deb_list_every_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = next(line for line in readme.splitlines() if line.startswith("sudo apt install"))
    assert first.split()[3] == "python3-venv"
    assert set(display.ALL_PACKAGES) <= set(first.split()[4:])
    user_line = readme.splitlines()[readme.splitlines().index(first) + 1]
    assert user_line == ("python3 -m venv .venv && .venv/bin/pip install -e . && "
                         ".venv/bin/kpi-desktop")
    build = (ROOT / "packaging" / "build_linux.sh").read_text(encoding="utf-8")
    depends = next(line for line in build.splitlines() if line.startswith("Depends:"))
    assert set(display.ALL_PACKAGES) <= {p.strip() for p in depends[8:].split(",")}
    # Every library of the table comes with one of these packages (its dependencies).
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"} <= set(display.ALL_PACKAGES)


def _run_app(tmp_path, env_changes, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir",
                           str(tmp_path / "data"), *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_missing_libraries_print_one_vietnamese_sentence_with_the_apt_command(tmp_path):
    """The real application, with an ``ldd`` that reports what a fresh Debian 12 lacked."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldd").write_text("#!/bin/sh\nprintf '%s' \"$KPI_FAKE_LDD\"\nexit 0\n")
    (fake / "ldd").chmod(0o755)
    result = _run_app(tmp_path, {"DISPLAY": ":0", "PATH": f"{fake}:{os.environ['PATH']}",
                                 "KPI_FAKE_LDD": LDD_MISSING}, "--lang", "vi")
    assert result.returncode == 3, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in lines[0]
    assert lines[0].startswith("KPI Desktop không mở được cửa sổ")
    assert "Aborted" not in result.stderr and "qt.qpa" not in result.stderr
    english = _run_app(tmp_path, {"DISPLAY": ":0", "PATH": f"{fake}:{os.environ['PATH']}",
                                  "KPI_FAKE_LDD": LDD_MISSING}, "--lang", "en")
    assert english.returncode == 3
    assert "cannot open its window" in english.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_no_display_says_so_instead_of_aborting(tmp_path):
    result = _run_app(tmp_path, {}, "--lang", "vi")
    assert result.returncode == 3
    assert "kpi-desktop --help" in result.stderr and "màn hình" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None,
                    reason="the xcb plugin is Linux's")
def test_a_display_that_refuses_the_connection_is_explained_too(tmp_path):
    """Qt's own fatal message (after the library check passed) is caught as well."""
    result = _run_app(tmp_path, {"DISPLAY": ":93"}, "--lang", "en")
    assert result.returncode == 3, result.stderr
    assert "sudo apt install" in result.stderr
    assert "Aborted" not in result.stderr and "core dumped" not in result.stderr
