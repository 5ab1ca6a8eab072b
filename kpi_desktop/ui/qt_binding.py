"""A check of the installed Qt binding that a broken release would fail.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a method that
returns nothing (``setText``, ``update``, ``processEvents`` …). ``None`` is not immortal before
Python 3.12, so after a few thousand such calls the interpreter aborts with "Fatal Python error:
none_dealloc" — in the field, minutes into a working session. ``pyproject.toml`` excludes that
release; ``kpi-desktop --selftest`` and ``tests/gui/test_qt_binding.py`` run this check so an
installation or a build that picked it up anyway is caught before anybody uses it.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget


def none_references_lost(widget: QWidget, calls: int = 300) -> int:
    """How many references to ``None`` ``calls`` rounds of void calls on ``widget`` lose.

    A sound binding loses none (small noise either way is possible); the faulty one loses about
    two per round. The calls are harmless: a repaint request and a tooltip set back.
    """
    tooltip = widget.toolTip()
    before = sys.getrefcount(None)
    for _ in range(calls):
        widget.update()
        widget.setToolTip(tooltip)
    return max(0, before - sys.getrefcount(None))


def binding_is_sound(widget: QWidget, calls: int = 300) -> bool:
    """Whether the binding keeps reference counts right (see the module's docstring)."""
    return none_references_lost(widget, calls) < calls // 2
