"""`python -m kpi_desktop` is the same as the `kpi-desktop` command."""

import multiprocessing
import sys

from kpi_desktop.app import main

# The packaged application starts its signature-verifying worker processes
# (kpi_desktop.sync.verifier) as copies of itself: they must not open a window.
multiprocessing.freeze_support()
sys.exit(main())
