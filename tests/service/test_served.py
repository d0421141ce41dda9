"""servresp.service.served: one model at a time, swapped whole on reload, with its engine."""

from __future__ import annotations

import logging
import shutil
from typing import TYPE_CHECKING

from servresp.model.load import default_rules_dir
from servresp.service.served import Served

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_reload_swaps_the_model_or_keeps_the_old_one(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """A broken folder keeps the old model and logs each problem; a fixed one replaces it."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    served = Served(None, rules)
    first = served.model
    engine = served.engine(first)
    assert served.engine(first) is engine
    documents = served.documents()
    promises = rules / "promises.yaml"
    text = promises.read_text(encoding="utf-8")
    promises.write_text(text.replace("  - id: product_works\n", "  - id: product_works\n    bogus: 1\n"),
                        encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="servresp.service"):
        assert not served.reload()
    assert served.model is first
    assert "still serving model 'rules'" in caplog.text
    assert "promises.yaml:" in caplog.text
    promises.write_text(text.replace("really does what it should", "works"), encoding="utf-8")
    assert served.reload()
    assert served.model is not first
    assert served.documents() is not documents
    assert "works" in served.documents().model
    assert served.engine(served.model) is not engine
