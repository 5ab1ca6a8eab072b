"""One passphrase rule for every key (issue 14), and the delay after wrong passphrases.

* :func:`check_new_passphrase` — a new passphrase has at least :data:`MIN_PASSPHRASE`
  characters and is not one of the commonest passphrases (a short list of what people type
  first, Vietnamese habits included: "matkhau123", "12345678", a date, a repeated or
  consecutive run, the person's own identifier). The public demo passphrase ``"demo"`` is
  accepted only for the demo organisation's keys (``demo=True``). Stdlib only.
* :func:`unlock_delay` — after :data:`FREE_FAILURES` wrong passphrases in a row, each next try
  waits 30 s, then 1, 2, 4, 8 and at most 15 minutes.
"""

from __future__ import annotations

import unicodedata

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.values import fold_text

__all__ = ["DEMO_PASSPHRASE", "FREE_FAILURES", "MIN_PASSPHRASE", "check_new_passphrase",
           "unlock_delay"]

MIN_PASSPHRASE = 8
# The passphrase of every demo person and of the demo agency key (public: README).
DEMO_PASSPHRASE = "demo"
# Wrong passphrases in a row that cost nothing; from the next one on, a delay applies.
FREE_FAILURES = 5
_FIRST_DELAY, _MAX_DELAY = 30, 15 * 60

# The commonest passphrases (as typed, folded: lower case, no accents, no spaces).
_COMMON = frozenset({
    "12345678", "123456789", "1234567890", "0123456789", "87654321", "987654321", "9876543210",
    "12341234", "11223344", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "zaq12wsx", "qazwsxedc",
    "qwertyui", "qwertyuiop", "qwerty12", "qwerty123", "asdfghjk", "asdfghjkl", "zxcvbnm1",
    "zxcvbnm123", "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd",
    "p@ssword", "abc12345", "abcd1234", "abcdefgh", "abc123456", "a1234567", "a12345678",
    "aa123456", "admin123", "admin1234", "administrator", "root1234", "welcome1", "welcome123",
    "iloveyou", "iloveyou1", "sunshine", "princess", "football", "baseball", "superman",
    "batman123", "dragon123", "monkey123", "letmein1", "trustno1", "matkhau", "matkhau1",
    "matkhau12", "matkhau123", "matkhau1234", "matkhaumoi", "matkhaucuatoi", "11111111",
    "00000000", "88888888", "66666666", "99999999", "12121212", "anhyeuem", "emyeuanh",
    "yeuemnhieu", "hoilamgi", "vietnam1", "vietnam123", "vietnam2026", "hanoi123", "saigon123",
    "hochiminh", "ubnd1234", "ubndxa123", "congchuc", "congchuc1", "congchuc123", "kpidesktop",
    "kpi12345", "demo1234", "demodemo", "changeme", "changeme1", "khongbiet",
})


def _fold(text: str) -> str:
    """Lower case, no accents (the one fold, ``domain.values.fold_text``), no spaces."""
    return fold_text(text).replace(" ", "")


def _is_run(text: str) -> bool:
    """One character repeated, or a run of consecutive characters ("abcdefgh", "98765432")."""
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps <= {1} or steps <= {-1}


def check_new_passphrase(passphrase: str, *, owner: str = "", demo: bool = False) -> str:
    """``passphrase`` when it may protect a new or re-sealed key.

    Raises:
        RefusedValue: ``passphrase_too_short`` (``minimum``), ``passphrase_too_common``.
    """
    text = unicodedata.normalize("NFC", passphrase or "")
    if demo and text == DEMO_PASSPHRASE:
        return text
    if len(text.strip()) < MIN_PASSPHRASE:
        raise RefusedValue("passphrase_too_short", minimum=MIN_PASSPHRASE)
    folded = _fold(text)
    core = folded.strip("0123456789!@#$%^&*.,-_")
    rest = folded.replace(_fold(owner), "") if owner else folded
    if (folded in _COMMON or core in _COMMON or _is_run(folded)
            or (folded.isdigit() and len(folded) < 12)
            or len(rest) < 4 or rest.strip("0123456789!@#$%^&*.,-_") in _COMMON):
        raise RefusedValue("passphrase_too_common")
    return text


def unlock_delay(failures: int) -> int:
    """Seconds to wait before the next try after ``failures`` wrong passphrases in a row."""
    if failures < FREE_FAILURES:
        return 0
    return min(_MAX_DELAY, _FIRST_DELAY * 2 ** (failures - FREE_FAILURES))
