"""The one clock of a data folder's services: "today" comes from here.

The composition root (:meth:`kpi_desktop.services.context.AppServices.open`) makes one
:class:`Clock` and gives its :meth:`Clock.today` to every service, so the official's desk, the
CLI's ``log add``, the leader's review, reports and sync agree on the date. The demo and the
tests fix it (``AppServices.open(paths, today=…)`` or ``services.clock.set(…)``); otherwise it
is the computer's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

__all__ = ["Clock"]


class Clock:
    """"Today" for the services of one data folder."""

    def __init__(self, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._fixed = today

    def today(self) -> dt.date:
        """The date every service uses as today."""
        if self._fixed is None:
            return dt.date.today()
        return self._fixed() if callable(self._fixed) else self._fixed

    def set(self, today: dt.date | Callable[[], dt.date] | None) -> None:
        """Fix today (a date or a function giving it); None follows the computer's date."""
        self._fixed = today
