"""Cold start of the application to a usable main window, as ``kpi-desktop`` starts it.

    python benchmarks/cold_start.py DATA_FOLDER PERSON_ID

The steps of :func:`kpi_desktop.app.run_gui` in the same order (data folder, logging, settings,
QApplication, language, crash handler, opening the database with its checks and the daily
backup, the main window for ``PERSON_ID``, shown and painted once), without the sign-in dialog
(it waits for a person). Prints ``ready <ms> cpu <ms>``: milliseconds from the start of this
script to the painted window, and the CPU time the process used until then (interpreter start
included; on a busy machine the CPU time is the steadier figure); then ``loaded <ms> cpu <ms>``
once the first page's data, loaded after the first paint, is in. ``benchmarks/run.py`` runs it in a
fresh process beside a bare PySide6 window started the same way.
"""

from __future__ import annotations

import gc
import importlib
import resource
import sys
import time

STARTED = time.perf_counter()


def main(argv: list[str]) -> int:
    folder, person = argv
    gc.disable()  # as run_gui: no collector passes over the start's long-lived objects
    importlib.import_module("kpi_desktop.services.context")  # the Qt-free layers before Qt
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.app import open_services_or_recover
    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.logging_setup import setup_logging
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.ui.crash_dialog import CrashHandler
    from kpi_desktop.ui.desktop_window import DesktopWindow

    paths = app_paths(folder).ensure()
    tail = setup_logging(paths.log_dir)
    settings = Settings.load(paths.settings_file)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    i18n.set_language(settings.language)
    crash = CrashHandler(paths.log_dir / "kpi-desktop.log", tail.text, app)
    crash.install()
    services = open_services_or_recover(paths, quiet=True, create_demo_if_empty=False)
    if services is None:
        return 1
    gc.freeze()  # as run_gui before the sign-in dialog
    gc.enable()
    window = DesktopWindow(services, settings=settings, settings_path=paths.settings_file,
                           person_id=person, load_after_paint=True)
    window.show()
    app.processEvents()  # once (a loop of them aborts PySide6 6.12): the first paint
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"ready {(time.perf_counter() - STARTED) * 1000:.1f} "
          f"cpu {(usage.ru_utime + usage.ru_stime) * 1000:.1f}", flush=True)
    # The first page's data, which the application loads just after the first paint (the
    # event loop would run it next; here it runs directly).
    page = window.current_page()
    if page is not None and page.refresh_pending():
        page.refresh()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"loaded {(time.perf_counter() - STARTED) * 1000:.1f} "
          f"cpu {(usage.ru_utime + usage.ru_stime) * 1000:.1f}", flush=True)
    window.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
