"""`python -m kpi_desktop` is the same as the `kpi-desktop` command."""

import sys

from kpi_desktop.app import main

sys.exit(main())
