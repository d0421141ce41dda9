"""Tests for `servresp.model._cache` (and `_plain`): a cached load gives the same model; any change misses."""

import marshal
import re
import shutil
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

from servresp.errors import ModelError
from servresp.model import _cache
from servresp.model._plain import to_plain
from servresp.model.classes import Model
from servresp.model.load import default_rules_dir, load_keyed, load_model
from strategies import dump_model, models, write_files

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


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
        cached = load_model(folder)  # read from it
        assert cached == plain
        assert cached.locations == plain.locations
        assert list(Path(tmp, "cache", "servresp").glob("*.documents"))
        assert list(Path(tmp, "cache", "servresp").glob("*.model"))


def models_kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.model")) if cache.is_dir() else []


def test_a_loaded_model_is_kept_and_read_back(cache: Path, tmp_path: Path) -> None:
    """The second load reads the model itself: the same objects, locations, graph and its own name."""
    folder = shutil.copytree(default_rules_dir(), tmp_path / "rules")
    fresh, key = load_keyed(folder)
    assert [p.stem for p in models_kept(cache)] == [key]
    again, same_key = load_keyed(folder, name="other")
    assert same_key == key
    assert again == attrs.evolve(fresh, name="other")
    assert again.locations == fresh.locations
    assert sorted(again.graph.edges(data=True)) == sorted(fresh.graph.edges(data=True))
    assert sorted(again.graph.nodes(data=True)) == sorted(fresh.graph.nodes(data=True))


@pytest.mark.parametrize("content", [b"", b"\x00 not marshal data", marshal.dumps({"units": 1}),
                                     marshal.dumps([1, 2]), b"\xe3" * 40])
def test_a_corrupt_model_entry_is_ignored_and_replaced(cache: Path, tmp_path: Path, content: bytes) -> None:
    """A bad model entry is read as a miss: the files are read again, and the entry rewritten."""
    folder = shutil.copytree(MINIMAL, tmp_path / "rules")
    fresh = load_model(folder)
    (entry,) = models_kept(cache)
    good = entry.read_bytes()
    entry.write_bytes(content)
    assert load_model(folder) == fresh
    assert entry.read_bytes() == good


def test_an_entry_names_only_the_model_s_own_classes(cache: Path, tmp_path: Path) -> None:
    """An entry that names any other class, or breaks a validator, is not a model."""
    folder = shutil.copytree(MINIMAL, tmp_path / "rules")
    fresh, key = load_keyed(folder)
    assert key is not None
    plain = to_plain(fresh)
    plain["sources"] = {"S1": ("ModelError", [])}
    (cache / f"{key}.model").write_bytes(marshal.dumps(plain))
    assert _cache.load_model(key, name="x") is None
    plain["sources"] = {"S1": ("Source", "not a source id", "t", "f")}
    (cache / f"{key}.model").write_bytes(marshal.dumps(plain))
    assert _cache.load_model(key, name="x") is None
    assert load_model(folder) == fresh


def test_a_folder_with_problems_keeps_no_model(cache: Path, tmp_path: Path) -> None:
    """Only a model that loaded without a problem is kept: a broken one is read and reported each time."""
    folder = shutil.copytree(MINIMAL, tmp_path / "rules")
    desk = folder / "desk.yaml"
    desk.write_text(desk.read_text(encoding="utf-8").replace("accountable: desk", "accountable: dsk"),
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ModelError, match="unknown unit 'dsk'"):
            load_model(folder)
    assert models_kept(cache) == []
    assert entries(cache)  # the documents read fine: they are kept


def test_the_code_that_makes_a_model_is_part_of_its_key(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited module of servresp/model (an editable install keeps its version) misses."""
    before = _cache.model_key("files")
    assert before == _cache.model_key("files") != _cache.model_key("other files")
    copy = shutil.copytree(Path(_cache.__file__).parent, tmp_path / "model",
                           ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(_cache, "__file__", str(copy / "_cache.py"))
    assert _cache.model_key("files") == before
    (copy / "_parse.py").write_text("# edited\n", encoding="utf-8")
    assert _cache.model_key("files") != before


def test_the_cache_keeps_its_newest_entries_and_touches_nothing_else(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past KEEP_ENTRIES the oldest entries go; a foreign file, a folder and a link stay."""
    monkeypatch.setattr(_cache, "KEEP_ENTRIES", 3)
    cache.mkdir(parents=True)
    foreign = [cache / "notes.txt", cache / ("0" * 64 + ".txt.bak")]
    for path in foreign:
        path.write_text("mine", encoding="utf-8")
    (cache / ("1" * 64 + ".model")).mkdir()
    outside = tmp_path / "outside.model"
    outside.write_text("mine", encoding="utf-8")
    (cache / ("2" * 64 + ".model")).symlink_to(outside)
    for n in range(5):
        folder = shutil.copytree(MINIMAL, tmp_path / f"rules{n}")
        (folder / "extra.yaml").write_text(f"# edit {n}\n", encoding="utf-8")
        load_model(folder)  # a documents entry and a model entry each
    own = [p for p in cache.iterdir() if re.fullmatch(r"[0-9a-f]{64}\.[a-z]+", p.name)
           and p.is_file() and not p.is_symlink()]
    assert len(own) == 3
    assert all(p.read_text(encoding="utf-8") == "mine" for p in [*foreign, outside])
    assert (cache / ("1" * 64 + ".model")).is_dir()
    assert (cache / ("2" * 64 + ".model")).is_symlink()
    assert load_model(folder) == load_model(folder)  # the newest entries still serve
