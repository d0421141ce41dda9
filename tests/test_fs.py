from pathlib import Path

import pytest

from servresp import _fs
from servresp.errors import ServrespError


def test_write_atomic_writes_utf8_and_creates_folders(tmp_path: Path) -> None:
    """A nested path is created inside the folder and holds the text as UTF-8."""
    path = _fs.write_atomic(tmp_path, "units/客户.md", "服务 | <ok>\n")
    assert path == (tmp_path / "units" / "客户.md").resolve()
    assert path.read_bytes() == "服务 | <ok>\n".encode()


def test_write_atomic_keeps_newlines_as_given(tmp_path: Path) -> None:
    """No newline translation: the bytes on disk are the text's."""
    _fs.write_atomic(tmp_path, "a.csv", "x\r\ny\n")
    assert (tmp_path / "a.csv").read_bytes() == b"x\r\ny\n"


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A second write replaces the first; no temporary file stays behind."""
    _fs.write_atomic(tmp_path, "a.md", "one")
    _fs.write_atomic(tmp_path, "a.md", "two")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_new_files_are_readable_by_others(tmp_path: Path) -> None:
    """A temporary file is 0600; written charts are 0644 like any other file."""
    path = _fs.write_atomic(tmp_path, "a.md", "x")
    assert path.stat().st_mode & 0o777 == 0o644


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    """Replacing a file keeps its permissions."""
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "a.md").chmod(0o664)
    _fs.write_atomic(tmp_path, "a.md", "y")
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o664


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        ("/etc/passwd", "the path is absolute"),
        ("../escape.md", "no empty, '.' or '..' parts"),
        ("units/../../escape.md", "no empty, '.' or '..' parts"),
        ("units/./a.md", "no empty, '.' or '..' parts"),
        ("", "the name is empty"),
        ("units/", "no empty, '.' or '..' parts"),
        ("C:\\temp\\a.md", "the path is absolute"),
        ("..\\escape.md", "no empty, '.' or '..' parts"),
    ],
)
def test_write_atomic_refuses_escaping_names(tmp_path: Path, relpath: str, reason: str) -> None:
    """Absolute paths, '..' and empty names are refused with a ServrespError that says why."""
    out = tmp_path / "out"
    with pytest.raises(_fs.UnsafePathError, match=reason) as caught:
        _fs.write_atomic(out, relpath, "x")
    assert isinstance(caught.value, ServrespError)
    assert caught.value.relpath == relpath
    assert not (tmp_path / "escape.md").exists()


def test_write_atomic_refuses_a_symlink_that_leads_out(tmp_path: Path) -> None:
    """A sub-folder that is a symlink to elsewhere is not followed out of the folder."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "units").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(_fs.UnsafePathError, match="resolves outside the folder"):
        _fs.write_atomic(out, "units/a.md", "x")
    assert list(elsewhere.iterdir()) == []


def test_write_atomic_refuses_a_file_symlink_that_leads_out(tmp_path: Path) -> None:
    """A file that is a symlink to a file outside is not overwritten."""
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / "a.md").symlink_to(victim)
    with pytest.raises(_fs.UnsafePathError):
        _fs.write_atomic(out, "a.md", "x")
    assert victim.read_text(encoding="utf-8") == "keep"


def test_symlinks_inside_the_folder_are_fine(tmp_path: Path) -> None:
    """A symlink that stays inside the folder is allowed."""
    out = tmp_path / "out"
    (out / "real").mkdir(parents=True)
    (out / "link").symlink_to(out / "real", target_is_directory=True)
    _fs.write_atomic(out, "link/a.md", "x")
    assert (out / "real" / "a.md").read_text(encoding="utf-8") == "x"


def test_an_output_folder_given_through_a_symlink_works(tmp_path: Path) -> None:
    """The folder itself may be reached through a symlink."""
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    _fs.write_atomic(tmp_path / "alias", "a.md", "x")
    assert (tmp_path / "real" / "a.md").read_text(encoding="utf-8") == "x"


def test_failed_write_removes_its_temporary_file(tmp_path: Path) -> None:
    """When the final rename fails, the target is untouched and no temporary file is left."""
    (tmp_path / "a.md").mkdir()  # a folder where the file should go: os.replace fails
    with pytest.raises(_fs.OutputError, match=r"^cannot write '.*/a\.md': Is a directory$") as caught:
        _fs.write_atomic(tmp_path, "a.md", "x")
    assert isinstance(caught.value, ServrespError)
    assert caught.value.path == tmp_path / "a.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_read_text_and_remove(tmp_path: Path) -> None:
    """read_text gives None for a missing file; remove deletes and tolerates a missing file."""
    assert _fs.read_text(tmp_path, "a.md") is None
    _fs.write_atomic(tmp_path, "a.md", "é")
    assert _fs.read_text(tmp_path, "a.md") == "é"
    _fs.remove(tmp_path, "a.md")
    _fs.remove(tmp_path, "a.md")
    assert not list(tmp_path.iterdir())
    with pytest.raises(_fs.UnsafePathError):
        _fs.remove(tmp_path, "../x")


def test_a_folder_where_a_file_must_go_is_an_output_error(tmp_path: Path) -> None:
    """A file in the way of a sub-folder gives one clear error, not a traceback."""
    (tmp_path / "units").write_text("x", encoding="utf-8")
    with pytest.raises(_fs.OutputError, match=r"cannot write .*units/a\.md"):
        _fs.write_atomic(tmp_path, "units/a.md", "x")


def test_text_that_is_not_unicode_is_an_output_error(tmp_path: Path) -> None:
    """A lone surrogate cannot be written as UTF-8: an error, and nothing written."""
    with pytest.raises(_fs.OutputError, match="surrogates not allowed"):
        _fs.write_atomic(tmp_path, "a.md", "\ud800")
    assert not list(tmp_path.iterdir())
