"""Entry point and composition root of ``kpi-desktop``.

Without a command it starts the Qt application; with one (``demo``, ``score``, …) it runs the
headless command of DESIGN.md §8 and returns its exit code:
0 ok, 1 unexpected error, 2 bad command line, 3 refused value or file, 4 ``check`` found damage.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kpi-desktop`` with ``argv`` (default: ``sys.argv[1:]``)."""
    from kpi_desktop import cli

    args = cli.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        return run_gui(args)
    code = cli.run(args)
    try:
        sys.stdout.flush()  # what is still buffered: a reader that stopped is noticed here
    except BrokenPipeError:
        return cli.reader_gone()
    return code


class DisplayUnavailable(Exception):  # noqa: N818 - a reason, not a failure of the program
    """No window can open (a missing system library, no graphical session)."""

    def __init__(self, problem) -> None:  # noqa: ANN001 - runtime.display.DisplayProblem
        super().__init__(problem.message())
        self.problem = problem


def run_gui(args) -> int:  # noqa: ANN001 - argparse.Namespace
    """Start the desktop application on the data folder of ``args``."""
    from kpi_desktop.runtime import display

    # Whether a window can open is checked (``ldd`` on Qt's xcb plugin) while Qt loads.
    probe = display.start_probe()
    # Start-up allocates ~150,000 long-lived objects (modules, SQLAlchemy's mappers, widgets):
    # the collector's passes over them while they are made cost a quarter of the start's CPU
    # time and free nothing. Collection resumes once they are frozen (below; BENCHMARKS.md).
    gc.disable()
    try:
        return _run_gui(args, probe)
    except DisplayUnavailable as unavailable:
        print(str(unavailable), file=sys.stderr)
        return 3
    finally:
        gc.enable()
        if probe is not None:
            probe.abandon()


def _run_gui(args, probe=None) -> int:  # noqa: ANN001 - argparse.Namespace, display.Probe
    # The window is painted first, before the data folder is opened: SQLAlchemy, the ORM
    # and the services (~0.5 s) are imported and the database opened after the first paint
    # (BENCHMARKS.md, cold start).
    # the crash handler lives until the end
    app, paths, settings, _crash = start_qt(args, probe)
    from kpi_desktop.ui.desktop_window import DesktopWindow

    if args.selftest:
        return _selftest(app, paths, settings)
    window = DesktopWindow(settings=settings, settings_path=paths.settings_file,
                           load_after_paint=True)
    window.show()
    opened: dict[str, object] = {}

    def open_after_paint() -> None:
        services = open_and_sign_in(window, paths, settings, opened)
        if services is None:
            window.close()

    window.after_paint(open_after_paint)
    code = app.exec()
    _finish_background_work()
    services = opened.get("services")
    if services is not None:
        services.close()  # type: ignore[attr-defined]
    if not opened.get("signed_in"):
        return int(opened.get("code", code))  # type: ignore[call-overload]
    return code


def start_qt(args, probe=None):  # noqa: ANN001, ANN201 - argparse.Namespace, display.Probe
    """What comes before the first paint: Qt, the data folder's paths, logging, settings, the
    language and the crash handler (nothing of the data layer). Returns
    ``(app, paths, settings, crash_handler)``.

    Raises :class:`DisplayUnavailable` (one sentence with the apt command) instead of letting
    Qt abort when no window can open: ``probe`` (``display.start_probe()``) found the xcb
    plugin's libraries missing, Qt's GUI modules cannot load, or Qt gives up itself.
    """
    import builtins

    from kpi_desktop.runtime import display

    own_import = builtins.__import__
    problem = display.display_problem(probe)
    if problem is not None:
        raise DisplayUnavailable(problem)
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as error:  # Qt's GUI libraries need libGL, libEGL, fontconfig …
        problem = display.problem_from_import_error(error)
        if problem is None:
            raise
        raise DisplayUnavailable(problem) from None

    # PySide6 replaces ``__import__`` with a hook for its optional "__feature__" switches
    # (snake_case, true_property, which this application does not use) that reads the
    # source of every module imported after Qt (``inspect.getsource``: 0.2-0.35 s for the
    # data layer's ~500 modules). The data layer is imported after the first paint, so the
    # hook goes; a module that asks for a feature would get none.
    if builtins.__import__ is not own_import:
        builtins.__import__ = own_import

    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.logging_setup import setup_logging
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.ui.crash_dialog import CrashHandler

    paths = app_paths(args.data_dir).ensure_quietly()
    tail = setup_logging(paths.log_dir)  # never fails: a read-only folder logs to stderr
    settings = Settings.load(paths.settings_file)
    app = QApplication.instance() or _new_application(QApplication)
    app.setApplicationName("KPI Desktop")
    # Qt's own file and message dialogs everywhere: they speak the application's language
    # (translations/qtbase_vi.ts), where a native one would speak the system's.
    from PySide6.QtCore import Qt

    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    i18n.set_language(getattr(args, "lang", None) or settings.language)
    crash = CrashHandler(paths.log_dir / "kpi-desktop.log", tail.text, app)
    crash.install()
    return app, paths, settings, crash


def open_and_sign_in(window, paths, settings, opened: dict[str, object],  # noqa: ANN001, ANN201
                     *, person_id: str | None = None):
    """After the first paint: open the data folder (offering a backup when it is damaged),
    ask who works (the first-run wizard or the sign-in dialog, over the window) and give the
    window its services and person. ``person_id`` skips the sign-in (the benchmark). Returns
    the services, or ``None`` when the folder could not be opened or nobody signed in
    (``opened["code"]`` is then the exit code)."""
    from PySide6.QtWidgets import QMessageBox

    services, code = open_services_or_recover(paths, parent=window)
    if services is None:
        opened["code"] = code
        return None
    opened["services"] = services
    # The sign-in dialog may wait for hours: collect normally from here, without walking the
    # objects made so far again (building the pages adds few).
    gc.freeze()
    gc.enable()
    notice = ""
    if person_id is None:
        person_id, notice = sign_in(services, settings, paths.settings_file, parent=window)
        if person_id is None:  # the wizard or the sign-in was cancelled
            opened["code"] = 0
            return None
    window.attach(services, person_id)
    opened["signed_in"] = True
    # What exists now (modules, Qt wrappers, the window) lives until the end: keep it out of
    # the collector's full passes, each of which would otherwise walk ~120,000 objects and
    # stop every thread for 250 ms or more (BENCHMARKS.md).
    gc.freeze()
    if notice:
        QMessageBox.information(window, "KPI Desktop", notice)
    from kpi_desktop.ui.integrity_watch import IntegrityWatch

    watch = IntegrityWatch(services, window)  # the full check when idle, at least weekly
    watch.start()
    watch.show_startup_warnings()  # a daily backup the full disk had no room for
    return services


def _selftest(app, paths, settings) -> int:  # noqa: ANN001
    """``--selftest``: non-interactive; an empty folder gets the demo, nobody signs in."""
    from kpi_desktop.selftest import run_checks
    from kpi_desktop.ui.desktop_window import DesktopWindow

    services, code = open_services_or_recover(paths, quiet=True, create_demo_if_empty=True)
    if services is None:
        return code
    gc.freeze()
    gc.enable()
    for line in run_checks(services):  # database, PDF with the bundled font, signature
        print(line)
    window = DesktopWindow(services, settings=settings, settings_path=paths.settings_file)
    window.show()
    app.processEvents()
    from kpi_desktop.ui.qt_binding import binding_is_sound, none_references_lost

    if not binding_is_sound(window):
        raise RuntimeError("selftest: the Qt binding loses references to None "
                           f"({none_references_lost(window)} in 300 calls): install a "
                           "PySide6 release other than 6.12.0 on Python 3.11")
    print("qt binding: reference counts ok")
    window.close()
    _finish_background_work()
    services.close()
    print("SELFTEST OK")
    return 0


def _new_application(factory):  # noqa: ANN001, ANN202 - QApplication
    """Make the QApplication; if Qt still cannot open a window (a display that refuses the
    connection, a library the check did not know), its fatal message becomes one sentence
    with the apt command instead of an abort with a core dump."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from kpi_desktop.runtime import display

    said: list[str] = []  # Qt's warnings before its fatal message ("could not connect …")

    def fatal(kind, _context, text):  # noqa: ANN001, ANN202 - Qt's message handler
        if kind != QtMsgType.QtFatalMsg:
            said.append(text)
            return
        reason = next((line for line in said if "display" in line), text)
        print(display.DisplayProblem("unknown", reason=reason).message(), file=sys.stderr)
        sys.stderr.flush()
        os._exit(3)

    qInstallMessageHandler(fatal)
    try:
        return factory(sys.argv[:1])
    finally:
        qInstallMessageHandler(None)


def _finish_background_work() -> None:
    """Let page loads and exports still running in the thread pool end before the database
    closes and the application object goes away (a worker outliving them crashes the process)."""
    from PySide6.QtCore import QThreadPool

    from kpi_desktop.ui.operations import wait_for_all

    wait_for_all(10_000)
    QThreadPool.globalInstance().waitForDone(10_000)


def sign_in(services, settings, settings_path, parent=None):  # noqa: ANN001, ANN201
    """Who works now: the first-run wizard on a new data folder, the sign-in dialog otherwise
    (over ``parent``, the main window, when it is shown already).

    Returns ``(person_id, notice)``; ``person_id`` is ``None`` when the person cancelled.
    """
    from PySide6.QtWidgets import QDialog

    from kpi_desktop.runtime import i18n
    from kpi_desktop.ui.setup_wizard import SetupWizard
    from kpi_desktop.ui.sign_in import SignInDialog, needs_setup

    if needs_setup(services):
        wizard = SetupWizard(services, parent=parent)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.person_id is None:
            return None, ""
        settings.language = i18n.current_language()
        settings.last_person_id = wizard.person_id
        settings.save(settings_path)
        return wizard.person_id, wizard.notice
    dialog = SignInDialog(services, settings=settings, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None, ""
    return dialog.person_id, ""


def open_services_or_recover(paths, *, quiet: bool = False,  # noqa: ANN001, ANN201
                             create_demo_if_empty: bool = True, parent=None):  # noqa: ANN001
    """Open the data folder; when the database is damaged, offer the newest good backup.

    Returns ``(services, 0)``, or ``(None, exit code)`` when it cannot be opened: 4 for a
    damaged database (DESIGN.md §8), 3 for any other refusal (a read-only data folder).
    """
    from kpi_desktop.domain.errors import KpiError
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.messages import describe

    while True:
        try:
            return AppServices.open(paths, create_demo_if_empty=create_demo_if_empty), 0
        except KpiError as error:
            code = 4 if error.code == "database_damaged" else 3
            if quiet:
                print(describe(error), file=sys.stderr)
                return None, code
            from kpi_desktop.ui.integrity_watch import show_open_failure

            if not show_open_failure(paths, error, parent):
                return None, code
