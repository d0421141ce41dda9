"""Hostile rules folders: a model or one ModelError of located lines; check always answers."""

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile import CASES, yaml_mutation
from servresp.cli import main
from servresp.errors import ModelError
from servresp.lint.runner import lint
from servresp.model.load import load_model
from servresp.render.charts import generate

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"
FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(MINIMAL.iterdir())}
ENTRIES = ("dir.yaml", "dangling.yaml", "loop.yaml", "fifo.yaml", "extra.yml")


def _add(folder: Path, entry: str) -> None:
    path = folder / entry
    if entry == "dir.yaml":
        path.mkdir()
    elif entry == "dangling.yaml":
        path.symlink_to(folder / "nowhere")
    elif entry == "loop.yaml":
        path.symlink_to(path)
    elif entry == "fifo.yaml":
        os.mkfifo(path)
    else:
        path.write_text("signals:\n  - {name: x.y, kind: event, meaning: {en: a, zh: b}}\n", encoding="utf-8")


@given(data=st.data(), entries=st.lists(st.sampled_from(ENTRIES), unique=True, max_size=2))
def test_mutated_models_load_or_say_where(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
                                          entries: list[str]) -> None:
    """A mutated folder loads (then lints and renders) or raises ModelError; check --format json parses."""
    CASES["models: load, lint and check a mutated rules folder"] += 1
    folder = tmp_path_factory.mktemp("rules")
    shutil.rmtree(folder)
    folder.mkdir()
    name, text = data.draw(yaml_mutation(FILES))
    for file, content in FILES.items():
        (folder / file).write_bytes((text if file == name else content).encode("utf-8", "surrogatepass"))
    for entry in entries:
        _add(folder, entry)
    problems: tuple[object, ...] = ()
    try:
        model = load_model(folder)
    except ModelError as exc:
        problems = exc.problems
    else:
        lint(model)
        generate(model)
    assert all("\n" not in str(p) for p in problems)
    out = io.StringIO()
    code = main(["check", "--rules", str(folder), "--format", "json"], stdout=out, stderr=io.StringIO())
    assert code in (0, 1, 2)
    assert json.loads(out.getvalue())["schema"] == "servresp.check/1"
