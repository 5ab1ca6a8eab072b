"""Entry point and composition root of ``kpi-desktop``.

Without a command it starts the Qt application; with one (``demo``, ``score``, …) it runs the
headless command of DESIGN.md §8 and returns its exit code:
0 ok, 1 unexpected error, 2 bad command line, 3 refused value or file, 4 ``check`` found damage.
"""

from __future__ import annotations

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
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.logging_setup import setup_logging
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.ui.main_window import MainWindow

    paths = app_paths(args.data_dir).ensure()
    setup_logging(paths.log_dir)
    settings = Settings.load(paths.settings_file)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("KPI Desktop")
    i18n.set_language(args.lang or settings.language)
    services = AppServices.open(paths, create_demo_if_empty=True)
    window = MainWindow(services, settings=settings, settings_path=paths.settings_file)
    window.show()
    if args.selftest:
        app.processEvents()
        window.close()
        services.close()
        print("SELFTEST OK")
        return 0
    code = app.exec()
    services.close()
    return code
