"""Translation look-up for Qt-free code.

Every string a person reads is marked where it is written: widgets use ``self.tr("…")``, every
other layer uses :func:`translate` with a literal context and text, which ``pyside6-lupdate``
extracts into ``translations/*.ts``. The compiled ``.qm`` files are read with QtCore's
``QTranslator`` (QtCore only; no GUI classes), so the CLI, PDFs and error messages share the
GUI's translations.

Placeholders are Python ``str.format`` names (``{person}``); a test checks that every
translation keeps them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_desktop.runtime.paths import translations_root

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator

# QtCore is imported where a translator is made (set_language, translator_for), not here:
# PySide6 replaces ``__import__`` when it loads and then reads the source of every module
# imported after it (its ``__feature__`` check, ~0.5 ms a module, 0.2-0.35 s for the
# ~700 modules of SQLAlchemy and the services), so the GUI's start imports the Qt-free layers
# before Qt (app.py) and this module, which the services import, must not load Qt itself.

SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "vi"
LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}
CATALOG_NAME = "kpi_desktop"


class _State:
    """The one active translator; guarded so worker threads may translate too."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.language = SOURCE_LANGUAGE
        self.translator: QTranslator | None = None
        self.qt_translator: QTranslator | None = None
        self.listeners: list[Callable[[str], None]] = []


_state = _State()
_UNSET = object()
_local = threading.local()  # per-thread language override (see language_override)
_cached: dict[str, QTranslator | None] = {}


def qm_path(language: str, directory: Path | None = None) -> Path:
    """The compiled translation file for ``language``."""
    return (directory or translations_root()) / f"{CATALOG_NAME}_{language}.qm"


# The project's own translation of Qt's strings (dialog buttons, file dialogs, context menus):
# Qt ships none for Vietnamese, so ``translations/qtbase_vi.ts`` is written by hand.
QT_CATALOG_NAME = "qtbase"


def qt_qm_path(language: str, directory: Path | None = None) -> Path:
    return (directory or translations_root()) / f"{QT_CATALOG_NAME}_{language}.qm"


def set_language(language: str, directory: Path | None = None) -> str:
    """Switch every later :func:`translate` call to ``language`` and return it.

    Unknown languages fall back to the default. When a ``QCoreApplication`` exists the translator
    is installed there too, which sends ``LanguageChange`` to every widget.
    """
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    translator: QTranslator | None = None
    qt_translator: QTranslator | None = None
    if language != SOURCE_LANGUAGE:
        translator = QTranslator()
        if not translator.load(str(qm_path(language, directory))):
            raise FileNotFoundError(qm_path(language, directory))
        qt_translator = QTranslator()
        if not qt_translator.load(str(qt_qm_path(language, directory))):
            qt_translator = None  # a language whose Qt strings Qt translates itself
    app = QCoreApplication.instance()
    with _state.lock:
        old, old_qt = _state.translator, _state.qt_translator
        _state.translator, _state.qt_translator = translator, qt_translator
        _state.language = language
        listeners = list(_state.listeners)
    # Month and day names of Qt's calendars and date fields follow the language too.
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
                       if language == "vi" else
                       QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if app is not None:
        for gone in (old_qt, old):
            if gone is not None:
                QCoreApplication.removeTranslator(gone)
        # Installed first, so it is asked last: the project's own texts win over Qt's.
        if qt_translator is not None:
            QCoreApplication.installTranslator(qt_translator)
        if translator is not None:
            QCoreApplication.installTranslator(translator)
    for listener in listeners:
        listener(language)
    return language


def current_language() -> str:
    """The language of the translations in use ("vi" or "en")."""
    return _state.language


def on_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(language)`` after each switch; returns a function that unsubscribes."""
    with _state.lock:
        _state.listeners.append(listener)

    def unsubscribe() -> None:
        with _state.lock:
            if listener in _state.listeners:
                _state.listeners.remove(listener)

    return unsubscribe


def translate(context: str, text: str, disambiguation: str | None = None) -> str:
    """Translate ``text`` of ``context`` into the current language.

    Call it with literal strings and fill placeholders afterwards, so lupdate can find them:
    ``translate("Cli", "Unknown person {id}").format(id=person_id)`` (lupdate skips calls
    that have keyword arguments).
    """
    override = getattr(_local, "translator", _UNSET)
    translator = _state.translator if override is _UNSET else override
    result = text
    if translator is not None:
        found = translator.translate(context, text, disambiguation)
        if found:
            result = found
    return result


def translator_for(language: str, directory: Path | None = None) -> QTranslator | None:
    """A loaded translator for ``language`` (``None`` for the source language), cached."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return None
    from PySide6.QtCore import QTranslator

    key = f"{language}:{directory or ''}"
    with _state.lock:
        if key not in _cached:
            translator = QTranslator()
            if not translator.load(str(qm_path(language, directory))):
                raise FileNotFoundError(qm_path(language, directory))
            _cached[key] = translator
        return _cached[key]


@contextmanager
def language_override(language: str | None) -> Iterator[str]:
    """Make :func:`translate` use ``language`` in this thread only (e.g. to print a PDF in
    another language than the interface's); the global language does not change.
    ``None`` keeps the current language."""
    if language is None:
        yield current_language()
        return
    translator = translator_for(language)
    previous = getattr(_local, "translator", _UNSET)
    previous_language = getattr(_local, "language", None)
    _local.translator = translator
    _local.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        yield _local.language
    finally:
        if previous is _UNSET:
            del _local.translator
        else:
            _local.translator = previous
        _local.language = previous_language


def effective_language() -> str:
    """The language :func:`translate` uses in this thread (an override, or the global one)."""
    return getattr(_local, "language", None) or _state.language


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate knows
    """Mark ``text`` of ``context`` for extraction; translate it later with :func:`translate`."""
    return text
