"""`python -m kpi_desktop` is the same as the `kpi-desktop` command."""

import multiprocessing
import sys

# The packaged application starts its signature-verifying worker processes
# (kpi_desktop.sync.verifier) as copies of itself: they run their task here and never reach
# the application (a no-op when not frozen).
multiprocessing.freeze_support()

from kpi_desktop.app import main  # noqa: E402

sys.exit(main())
