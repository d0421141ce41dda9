"""Run the CLI: ``python -m servresp``."""

import sys

from servresp.cli import main

sys.exit(main())
