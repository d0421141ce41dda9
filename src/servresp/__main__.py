"""Run the CLI: ``python -m servresp``."""

from servresp.cli import run

run()
