"""Cold start of the application to a painted main window, as ``kpi-desktop`` starts it.

    python benchmarks/cold_start.py DATA_FOLDER PERSON_ID

The steps of :func:`kpi_desktop.app.run_gui` in the same order, through the same functions:
:func:`kpi_desktop.app.start_qt` (Qt, paths, logging, settings, language, crash handler), the
main window shown before the data folder is opened, painted once; then, as the application
does just after that paint, :func:`kpi_desktop.app.open_and_sign_in` (SQLAlchemy, the ORM and
the services imported, the database opened with its checks and the daily backup, the window
given the services and ``PERSON_ID`` instead of the sign-in dialog, which waits for a
person) and the first page's data. Prints ``ready <ms> cpu <ms>``: milliseconds from the
start of this script to the painted window, and the CPU time the process used until then
(interpreter start included; on a busy machine the CPU time is the steadier figure); then
``loaded <ms> cpu <ms>`` once the data folder is open and the first page's data is in.
``benchmarks/run.py`` runs it in a fresh process beside a bare PySide6 window started the
same way.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time

STARTED = time.perf_counter()


def _mark(what: str) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{what} {(time.perf_counter() - STARTED) * 1000:.1f} "
          f"cpu {(usage.ru_utime + usage.ru_stime) * 1000:.1f}", flush=True)


def main(argv: list[str]) -> int:
    folder, person = argv
    gc.disable()  # as run_gui: no collector passes over the start's long-lived objects
    from kpi_desktop.app import open_and_sign_in, start_qt

    app, paths, settings, _crash = start_qt(argparse.Namespace(data_dir=folder, lang=None))
    from kpi_desktop.ui.desktop_window import DesktopWindow

    window = DesktopWindow(settings=settings, settings_path=paths.settings_file,
                           load_after_paint=True)
    window.show()
    app.processEvents()  # once (a loop of them aborts PySide6 6.12): the first paint
    _mark("ready")
    opened: dict[str, object] = {}
    services = open_and_sign_in(window, paths, settings, opened, person_id=person)
    if services is None:
        return 1
    # The first page's data, which the application loads once the page is shown (the event
    # loop would run it next; here it runs directly).
    page = window.current_page()
    if page is not None and page.refresh_pending():
        page.refresh()
    _mark("loaded")
    window.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
