"""The data folder before anything is opened: it must exist and be writable (issue 14).

A data folder on a read-only medium (a write-protected USB stick, a network share without
write access, a folder another user owns) is refused at once with its path, instead of
failing later in the middle of some write with a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import Any

from kpi_desktop.domain.errors import StorageProblem

__all__ = ["prepare_data_folder"]

_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def prepare_data_folder(paths: Any) -> None:
    """Create the folders of ``paths`` and prove the data folder can be written.

    Raises:
        StorageProblem: ``data_folder_read_only`` with ``path`` when it cannot be written.
    """
    try:
        paths.ensure()
    except OSError as exc:
        raise StorageProblem("data_folder_read_only", path=str(paths.data_dir),
                             detail=str(exc)) from exc
    probe = paths.data_dir / f".kpi-write-test-{os.getpid()}"
    try:
        handle = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(handle)
    except FileExistsError:
        pass
    except OSError as exc:
        if exc.errno in _NOT_WRITABLE:
            raise StorageProblem("data_folder_read_only", path=str(paths.data_dir),
                                 detail=str(exc)) from exc
        # ENOSPC and the like: a full disk is handled where space is needed.
        return
    with contextlib.suppress(OSError):
        probe.unlink()
