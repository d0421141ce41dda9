"""Tests for `servresp._gc`: the collector is paused inside the block and its state restored."""

import gc

import pytest

from servresp._gc import paused_gc


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_then_restored(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError, match="boom"), paused_gc():
            raise ValueError("boom")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
