"""Hypothesis profiles: no deadlines (CI machines vary); ``ci`` is derandomized and smaller.

Choose one with ``HYPOTHESIS_PROFILE=ci``; the default is ``dev``. A test that sets its own
``max_examples`` keeps it under either profile.
"""

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=25, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", deadline=None,
                          max_examples=int(os.environ.get("SERVRESP_FUZZ_CASES", "10000")),
                          suppress_health_check=list(HealthCheck))
"""``make fuzz``: 10,000 cases of each fuzz test (tests/fuzz/), or ``SERVRESP_FUZZ_CASES``."""
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The golden outputs are English: a Chinese locale on the developer's machine must not change
# what the CLI prints in the tests (and in their subprocesses). Tests of --lang say it.
os.environ["SERVRESP_LANG"] = "en"

# The model cache (servresp.model._cache) writes under $XDG_CACHE_HOME: never the user's during
# tests. It is off unless a test turns it on (tests/model/test_cache.py): a mutant of the loader
# must not be handed documents that the unmutated code cached (make mutate runs many in one session).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="servresp-tests-cache-")
os.environ["SERVRESP_NO_CACHE"] = "1"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Turn the model cache on, in a folder of this test's own; return the folder it writes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SERVRESP_NO_CACHE", raising=False)
    return tmp_path / "cache" / "servresp"
