"""Entry point and composition root of ``kpi-desktop``.

Without a command it starts the Qt application; with one (``demo``, ``score``, …) it runs the
headless command of DESIGN.md §8 and returns its exit code:
0 ok, 1 unexpected error, 2 bad command line, 3 refused value or file, 4 ``check`` found damage.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kpi-desktop`` with ``argv`` (default: ``sys.argv[1:]``)."""
    from kpi_desktop import cli

    args = cli.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        return run_gui(args)
    return cli.run(args)


def run_gui(args) -> int:  # noqa: ANN001 - argparse.Namespace
    """Start the desktop application on the data folder of ``args``."""
    # Start-up allocates ~150,000 long-lived objects (modules, SQLAlchemy's mappers, widgets):
    # the collector's passes over them while they are made cost a quarter of the start's CPU
    # time and free nothing. Collection resumes once they are frozen (below; BENCHMARKS.md).
    gc.disable()
    try:
        return _run_gui(args)
    finally:
        gc.enable()


def _run_gui(args) -> int:  # noqa: ANN001 - argparse.Namespace
    # The Qt-free layers first (SQLAlchemy, the ORM, the services): once PySide6 is loaded it
    # reads the source of every module imported after it (its ``__feature__`` check, 0.2-0.35 s
    # for these ~500 modules), see runtime/i18n.py.
    import importlib

    importlib.import_module("kpi_desktop.services.context")
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.logging_setup import setup_logging
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.ui.crash_dialog import CrashHandler
    from kpi_desktop.ui.desktop_window import DesktopWindow

    paths = app_paths(args.data_dir)
    tail = setup_logging(paths.log_dir)  # never fails: a read-only folder logs to stderr
    settings = Settings.load(paths.settings_file)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("KPI Desktop")
    i18n.set_language(args.lang or settings.language)
    crash = CrashHandler(paths.log_dir / "kpi-desktop.log", tail.text, app)
    crash.install()
    # The self-test stays non-interactive: an empty folder gets the demo, nobody signs in.
    services, code = open_services_or_recover(paths, quiet=args.selftest,
                                              create_demo_if_empty=args.selftest)
    if services is None:
        return code
    # The sign-in dialog may wait for hours: collect normally from here, without walking the
    # objects made so far again (building the window adds few).
    gc.freeze()
    gc.enable()
    if args.selftest:
        from kpi_desktop.selftest import run_checks

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
    person, notice = sign_in(services, settings, paths.settings_file)
    if person is None:  # the wizard or the sign-in was cancelled
        services.close()
        return 0
    window = DesktopWindow(services, settings=settings, settings_path=paths.settings_file,
                           person_id=person, load_after_paint=True)
    window.show()
    from kpi_desktop.ui.integrity_watch import IntegrityWatch

    watch = IntegrityWatch(services, window)  # the weekly full check, when the PC is idle
    watch.start()
    # What exists now (modules, Qt wrappers, the window) lives until the end: keep it out of
    # the collector's full passes, each of which would otherwise walk ~120,000 objects and
    # stop every thread for 250 ms or more (BENCHMARKS.md).
    gc.freeze()
    if notice:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(window, "KPI Desktop", notice)
    watch.show_startup_warnings()
    code = app.exec()
    _finish_background_work()
    services.close()
    return code


def _finish_background_work() -> None:
    """Let page loads and exports still running in the thread pool end before the database
    closes and the application object goes away (a worker outliving them crashes the process)."""
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)


def sign_in(services, settings, settings_path):  # noqa: ANN001, ANN201
    """Who works now: the first-run wizard on a new data folder, the sign-in dialog otherwise.

    Returns ``(person_id, notice)``; ``person_id`` is ``None`` when the person cancelled.
    """
    from PySide6.QtWidgets import QDialog

    from kpi_desktop.runtime import i18n
    from kpi_desktop.ui.setup_wizard import SetupWizard
    from kpi_desktop.ui.sign_in import SignInDialog, needs_setup

    if needs_setup(services):
        wizard = SetupWizard(services)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.person_id is None:
            return None, ""
        settings.language = i18n.current_language()
        settings.last_person_id = wizard.person_id
        settings.save(settings_path)
        return wizard.person_id, wizard.notice
    dialog = SignInDialog(services, settings=settings)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None, ""
    return dialog.person_id, ""


def open_services_or_recover(paths, *, quiet: bool = False,  # noqa: ANN001, ANN201
                             create_demo_if_empty: bool = True):
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

            if not show_open_failure(paths, error):
                return None, code
