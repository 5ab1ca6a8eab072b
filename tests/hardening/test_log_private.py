"""The log names people and what they did: only its owner may read it, like the data folder,
including each new file after a rotation (POSIX)."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from kpi_desktop.runtime.logging_setup import setup_logging


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_log_file_is_private_also_after_a_rotation(tmp_path):
    root = logging.getLogger("kpi_desktop")
    handlers, level = list(root.handlers), root.level
    old_umask = os.umask(0o022)  # what a desktop session usually has
    try:
        setup_logging(tmp_path)
        logging.getLogger("kpi_desktop.test").warning("Phạm Thị Hoa confirmed DC.27")
        path = tmp_path / "kpi-desktop.log"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        rotating = next(h for h in root.handlers
                        if isinstance(h, logging.handlers.RotatingFileHandler))
        rotating.doRollover()
        logging.getLogger("kpi_desktop.test").warning("after the rotation")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "kpi-desktop.log.1").stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
        for handler in list(root.handlers):
            root.removeHandler(handler)
            if handler not in handlers:
                handler.close()
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
