"""Golden outputs: compare rendered text with a file kept in tests/golden/.

A difference fails with the diff. To accept a deliberate change, check the diff, then run
``SERVRESP_UPDATE_GOLDEN=1 pytest tests/render`` and commit the files it rewrites.
"""

import difflib
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
DATA = Path(__file__).parent / "data"


def assert_golden(name: str, text: str) -> None:
    """Fail unless ``text`` equals the golden file ``name`` (or rewrite it when asked to)."""
    path = GOLDEN / name
    if os.environ.get("SERVRESP_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        raise AssertionError(f"no golden file {path}: run SERVRESP_UPDATE_GOLDEN=1 pytest to create it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                            text.splitlines(keepends=True),
                                            fromfile=f"golden/{name}", tofile="rendered"))
        hint = "SERVRESP_UPDATE_GOLDEN=1 to accept"
        raise AssertionError(f"{name} differs from its golden file ({hint}):\n{diff}")
