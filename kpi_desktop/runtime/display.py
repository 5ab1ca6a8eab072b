"""Can this PC open a window? Checked before Qt tries, so that a missing system library gives one
sentence with the exact ``apt`` command instead of Qt's abort ("could not load the Qt platform
plugin "xcb"", which blames ``libxcb-cursor0`` whatever is missing).

On Linux the PySide6 wheels open windows through the ``xcb`` platform plugin (X11, also used on
most Wayland desktops through XWayland). Its system libraries are found by ``ldd`` on the plugin
in the installed PySide6 (started in the background by :func:`start_probe` while the rest of the
application loads) and mapped to the Debian/Ubuntu packages of :data:`PACKAGES`. When ``ldd`` is
not there, each library of the table is tried with the dynamic loader instead.

Nothing here imports Qt's GUI modules: they cannot even be loaded when ``libGL``/``libEGL`` are
missing, which :func:`problem_from_import_error` turns into the same kind of sentence.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# The system libraries that Qt's GUI and its xcb plugin load (``ldd`` of ``libqxcb.so``,
# ``libQt6Gui`` and ``libQt6Widgets`` of PySide6-Essentials 6.7-6.12), with the Debian 12 /
# Ubuntu 24.04 package that ships each (``dpkg -S``). Ubuntu 24.04 renamed a few libraries'
# packages (``libglib2.0-0t64``); apt installs them under the old name too.
PACKAGES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
}

# The packages that bring every library of :data:`PACKAGES` with their own dependencies
# (``libxcb-cursor0`` pulls ``libxcb-image0``, ``-render-util0``, ``-shm0``, ``-util1`` …): the
# list of the README's first command and of the .deb (tests/test_display.py checks both).
ALL_PACKAGES: tuple[str, ...] = (
    "libdbus-1-3", "libegl1", "libfontconfig1", "libgl1", "libglib2.0-0", "libx11-xcb1",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-randr0", "libxcb-shape0",
    "libxcb-sync1", "libxcb-xfixes0", "libxkbcommon-x11-0")

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_CANNOT_OPEN = re.compile(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file")


@dataclass(frozen=True)
class DisplayProblem:
    """Why no window can open: ``kind`` is ``"libraries"`` (``libraries`` are missing, in
    ``packages``), ``"no_display"`` (no graphical session to show a window in) or
    ``"unknown"`` (Qt's own fatal message, ``reason``, came first)."""

    kind: str
    libraries: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    reason: str = ""

    def apt_command(self) -> str:
        return apt_command(self.packages or ALL_PACKAGES)

    def message(self) -> str:
        """One sentence in the current language, with the command that fixes it."""
        from kpi_desktop.runtime.i18n import translate

        if self.kind == "no_display":
            return translate(
                "Display",
                "KPI Desktop cannot open its window because this session has no graphical "
                "display (DISPLAY and WAYLAND_DISPLAY are not set): start it from the desktop, "
                "or use the commands listed by \"kpi-desktop --help\".")
        if self.kind == "unknown":
            return translate(
                "Display",
                "KPI Desktop cannot open its window ({reason}); if system libraries are "
                "missing, install them with \"{command}\" and start it again.").format(
                reason=" ".join(self.reason.split())[:200], command=self.apt_command())
        return translate(
            "Display",
            "KPI Desktop cannot open its window because this computer lacks system libraries "
            "({libraries}); install them with \"{command}\" and start it again.").format(
            libraries=", ".join(self.libraries) or "xcb", command=self.apt_command())


def apt_command(packages: Iterable[str]) -> str:
    """``sudo apt install …`` for ``packages`` (sorted, once each)."""
    return "sudo apt install " + " ".join(sorted(set(packages)))


def packages_for(libraries: Iterable[str]) -> tuple[str, ...]:
    """The packages that ship ``libraries``; an unknown library is named as it is (the
    sentence then still says what to look for)."""
    return tuple(sorted({PACKAGES.get(name, name) for name in libraries}))


def missing_in_ldd_output(text: str) -> tuple[str, ...]:
    """The libraries ``ldd`` reported as "not found" (each once, in order)."""
    return tuple(dict.fromkeys(_NOT_FOUND.findall(text)))


def xcb_plugin() -> Path | None:
    """The xcb platform plugin of the installed PySide6 (also inside a PyInstaller build)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for sub in ("Qt/plugins/platforms", "plugins/platforms"):
            plugin = Path(root) / sub / "libqxcb.so"
            if plugin.exists():
                return plugin
    return None


class Probe:
    """``ldd`` on the xcb plugin, running while the application loads its other modules."""

    def __init__(self, plugin: Path | None) -> None:
        self.plugin = plugin
        self._process: subprocess.Popen[str] | None = None
        if plugin is not None:
            try:
                self._process = subprocess.Popen(
                    ["ldd", str(plugin)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, text=True, env={**os.environ, "LC_ALL": "C"})
            except OSError:  # no ldd: the loader is asked library by library instead
                self._process = None

    def missing(self) -> tuple[str, ...]:
        """The libraries the plugin needs and this PC lacks."""
        if self._process is not None:
            try:
                output, _ = self._process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.communicate()
                return ()
            found = missing_in_ldd_output(output)
            if found or self._process.returncode == 0:
                return found
        return missing_by_loading(PACKAGES)

    def abandon(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def missing_by_loading(libraries: Iterable[str]) -> tuple[str, ...]:
    """Which of ``libraries`` the dynamic loader cannot open (they are the ones Qt loads)."""
    missing = []
    for name in libraries:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    return tuple(missing)


def xcb_wanted(env: Mapping[str, str]) -> bool:
    """Whether Qt will open its windows through xcb (on Linux, unless another platform is
    chosen with ``QT_QPA_PLATFORM``: offscreen for tests, wayland, vnc …)."""
    if not sys.platform.startswith("linux"):
        return False
    requested = [p.split(":")[0].strip() for p in env.get("QT_QPA_PLATFORM", "").split(";")]
    requested = [p for p in requested if p]
    return not requested or "xcb" in requested


def start_probe(env: Mapping[str, str] | None = None) -> Probe | None:
    """Start the check when a window will go through xcb (``None`` when it will not)."""
    env = os.environ if env is None else env
    if not xcb_wanted(env) or not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return None
    return Probe(xcb_plugin())


def display_problem(probe: Probe | None, env: dict[str, str] | os._Environ[str] | None = None
                    ) -> DisplayProblem | None:
    """What stops a window from opening, or ``None``.

    On a Wayland session whose xcb libraries are missing, Qt is sent to its Wayland plugin
    (``QT_QPA_PLATFORM=wayland`` in ``env``) rather than refused.
    """
    env = os.environ if env is None else env
    if not xcb_wanted(env):
        return None
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return DisplayProblem("no_display")
    if probe is None:
        return None
    missing = probe.missing()
    if not missing:
        return None
    if env.get("WAYLAND_DISPLAY") and not env.get("QT_QPA_PLATFORM"):
        env["QT_QPA_PLATFORM"] = "wayland"
        return None
    return DisplayProblem("libraries", missing, packages_for(missing))


def problem_from_import_error(error: ImportError) -> DisplayProblem | None:
    """A Qt module that cannot load for want of a system library (``libGL.so.1: cannot open
    shared object file``) as a :class:`DisplayProblem`; ``None`` for other import errors."""
    found = _CANNOT_OPEN.findall(str(error))
    if not found:
        return None
    return DisplayProblem("libraries", tuple(found), packages_for(found))


# Printed when even QtCore cannot load (so no translation can be read): Vietnamese, the
# default language of the application, then English.
FALLBACK = ("KPI Desktop không khởi động được vì máy thiếu thư viện hệ thống ({libraries}); "
            "cài bằng lệnh \"{command}\" rồi mở lại.\n"
            "KPI Desktop cannot start because this computer lacks system libraries "
            "({libraries}); install them with \"{command}\" and start it again.")
