"""The fuzz suite: ``make fuzz`` runs it with ``HYPOTHESIS_PROFILE=fuzz`` and prints the count."""

import pytest

from hostile import CASES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many cases each fuzz test ran (``make fuzz`` promises at least 10,000)."""
    if CASES:
        terminalreporter.write_sep("-", "fuzz cases")
        for name, count in sorted(CASES.items()):
            terminalreporter.write_line(f"fuzz: {count:>7,} cases  {name}")
        terminalreporter.write_line(f"fuzz: {sum(CASES.values()):>7,} cases  in all")
