"""Tests for `servresp.model._cache`: a cached load gives the same model, and any change misses."""

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from servresp.errors import ModelError
from servresp.model.classes import Model
from servresp.model.load import default_rules_dir, load_model
from strategies import dump_model, models, write_files

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SERVRESP_NO_CACHE", raising=False)
    return tmp_path / "cache" / "servresp"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.documents")) if cache.is_dir() else []


def test_the_bundled_model_loads_the_same_from_the_cache(cache: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(default_rules_dir(), tmp_path / "rules")
    fresh = load_model(folder)
    assert len(entries(cache)) == 1
    assert load_model(folder) == fresh
    assert not list(folder.glob("*.documents"))  # never in the rules folder


@pytest.mark.usefixtures("cache")
def test_an_edit_misses_the_cache(tmp_path: Path) -> None:
    folder = shutil.copytree(MINIMAL, tmp_path / "rules")
    load_model(folder)
    first = next(folder.glob("*.yaml"))
    first.write_text(first.read_text() + "\nnot a section: 1\n")
    with pytest.raises(ModelError, match="unknown section"):
        load_model(folder)


def test_a_corrupt_entry_is_ignored(cache: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(MINIMAL, tmp_path / "rules")
    fresh = load_model(folder)
    for entry in entries(cache):
        entry.write_bytes(b"\x00 not marshal data")
    assert load_model(folder) == fresh
    (entry,) = entries(cache)
    entry.write_bytes(b"")
    assert load_model(folder) == fresh


def test_files_with_yaml_problems_are_not_cached(cache: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(MINIMAL, tmp_path / "rules")
    (folder / "broken.yaml").write_text("unit: {id: a, id: b}\n")
    for _ in range(2):
        with pytest.raises(ModelError, match=r"broken\.yaml:1"):
            load_model(folder)
    assert entries(cache) == []


def test_servresp_no_cache_turns_it_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVRESP_NO_CACHE", "1")
    load_model(MINIMAL)
    assert entries(cache) == []


@settings(max_examples=15)
@given(models())
def test_generated_models_load_the_same_cached_and_not(model: Model) -> None:
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as tmp:
        patch.setenv("XDG_CACHE_HOME", f"{tmp}/cache")
        folder = write_files(dump_model(model), Path(tmp) / "rules")
        patch.setenv("SERVRESP_NO_CACHE", "1")
        plain = load_model(folder)
        patch.delenv("SERVRESP_NO_CACHE")
        assert load_model(folder) == plain  # fills the cache
        assert load_model(folder) == plain  # read from it
        assert list(Path(tmp, "cache", "servresp").glob("*.documents"))
