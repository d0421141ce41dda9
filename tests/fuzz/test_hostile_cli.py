"""Hostile output folders and fact streams through the CLI: no bug exit, nothing lost."""

import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile import CASES, fact_line_bytes, folder_entry, make_entry
from servresp.cli import main
from servresp.model.load import load_model
from servresp.trace.watch import run_watch

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"
MODEL = load_model(MINIMAL)


def _snapshot(folder: Path) -> dict[str, tuple[str, str]]:
    """Every entry under ``folder``: its kind and content (file), target (link) or nothing."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            relpath = str(path.relative_to(folder))
            if path.is_symlink():
                found[relpath] = ("link", str(path.readlink()))
            elif path.is_dir():
                found[relpath] = ("dir", "")
            elif path.is_file():
                found[relpath] = ("file", path.read_text(encoding="utf-8", errors="replace"))
            else:
                found[relpath] = ("other", "")
    return found


@given(entries=st.lists(folder_entry(), max_size=4), again=st.booleans())
def test_docs_never_loses_a_file(tmp_path_factory: pytest.TempPathFactory,
                                 entries: list[tuple[str, str]], again: bool) -> None:
    """Docs OUT with symlinks, FIFOs, folders and users' files in it: exit 0 or 2, none of them changed."""
    CASES["cli: docs into a folder of hostile entries"] += 1
    root = tmp_path_factory.mktemp("docs")
    out, outside = root / "out", root / "outside.md"
    outside.write_text("outside\n", encoding="utf-8")
    out.mkdir()
    if again:  # a folder servresp already wrote into
        code = main(["docs", str(out), "--rules", str(MINIMAL)], stdout=io.StringIO(), stderr=io.StringIO())
        assert code == 0
    ours = set(_snapshot(out))
    for kind, name in entries:
        make_entry(out, kind, name, outside)
    before = _snapshot(out)
    err = io.StringIO()
    code = main(["docs", str(out), "--rules", str(MINIMAL)], stdout=io.StringIO(), stderr=err)
    assert code in (0, 2), err.getvalue()
    after = _snapshot(out)
    for relpath, entry in before.items():
        if relpath in ours or ".tmp" in relpath:
            continue
        assert after.get(relpath) == entry, (relpath, err.getvalue())
    assert outside.read_text(encoding="utf-8") == "outside\n"
    check = main(["docs", str(out), "--rules", str(MINIMAL), "--check"], stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert check in (0, 1, 2)


@given(lines=st.lists(fact_line_bytes(), max_size=8))
def test_watch_reads_any_stream_to_its_end(lines: list[bytes]) -> None:
    """Watch on hostile lines: every line counted, a summary, no exception."""
    CASES["cli: watch a hostile stream"] += 1
    text = [line.decode("utf-8", "surrogateescape") + "\n" for line in lines]
    err = io.StringIO()
    summary = run_watch(MODEL, iter(text), io.StringIO(), err)
    assert summary.lines == len(text)
    assert summary.ended == "end of input"
    assert err.getvalue().splitlines()[-1].startswith("watch: ")
