"""Write docs/policy-parameters.md from the table of policy parameters.

    python packaging/policy_docs.py          # rewrite the file
    python packaging/policy_docs.py --check  # exit 1 when the file is not current

The table is ``kpi_desktop.scoring.policy.POLICY_PARAMETERS``; a test checks the file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "policy-parameters.md"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from kpi_desktop.services.policy_parameters import parameters_markdown

    text = parameters_markdown()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
