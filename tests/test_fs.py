import os
import threading
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


# --------------------------------------------------------------------------- issue 14


def test_d7_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    """A symlink in the folder, even to a file beside it, is refused, and its target kept."""
    (tmp_path / "mine.md").write_text("mine", encoding="utf-8")
    (tmp_path / "a.md").symlink_to(tmp_path / "mine.md")
    with pytest.raises(_fs.UnsafePathError, match="it is a symlink"):
        _fs.write_atomic(tmp_path, "a.md", "x")
    _fs.remove(tmp_path, "a.md")
    assert (tmp_path / "mine.md").read_text(encoding="utf-8") == "mine"
    assert _fs.read_text(tmp_path, "a.md") is None


def test_d8_a_fifo_is_never_opened_or_replaced(tmp_path: Path) -> None:
    """read_text and remove skip a FIFO; write_atomic refuses it (none of them blocks)."""
    os.mkfifo(tmp_path / "p.md")
    assert _fs.read_text(tmp_path, "p.md") is None
    _fs.remove(tmp_path, "p.md")
    with pytest.raises(_fs.UnsafePathError, match="not a regular file"):
        _fs.write_atomic(tmp_path, "p.md", "x")
    assert (tmp_path / "p.md").is_fifo()


def test_d8_write_output_streams_into_a_device_and_a_fifo(tmp_path: Path) -> None:
    """``-o /dev/null`` and ``-o FIFO`` are written as streams and stay what they are."""
    _fs.write_output(Path(os.devnull), "x\n")
    assert Path(os.devnull).is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    _fs.write_output(fifo, "streamed\n")
    reader.join(timeout=30)
    assert (received, fifo.is_fifo()) == (["streamed\n"], True)
    _fs.write_output(tmp_path / "plain.jsonl", "y\n")
    assert (tmp_path / "plain.jsonl").read_text(encoding="utf-8") == "y\n"


def test_d28_a_name_too_long_is_refused_before_writing(tmp_path: Path) -> None:
    """A file name past what file systems hold is an UnsafePathError, not 'File name too long'."""
    with pytest.raises(_fs.UnsafePathError, match="a name longer than 241 bytes"):
        _fs.write_atomic(tmp_path, "units/" + "a" * 300 + ".md", "x")
    assert list(tmp_path.iterdir()) == []


def test_d23_stale_temporaries_are_found_beside_their_file_only(tmp_path: Path) -> None:
    """Only ``.NAME.XXXXXXXX.tmp`` of a named file counts; a user's hidden file does not."""
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / ".a.md.k3j_x9z1.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".b.md.k3j_x9z1.tmp").write_text("not ours: b.md is not written", encoding="utf-8")
    assert _fs.stale_temporaries(tmp_path, ["units/a.md", "c.md"]) == ["units/.a.md.k3j_x9z1.tmp"]
    assert _fs.remove_stale_temporaries(tmp_path, ["units/a.md"]) == ["units/.a.md.k3j_x9z1.tmp"]
    assert _fs.stale_temporaries(tmp_path, ["units/a.md"]) == []


def test_a_symlink_loop_on_the_way_is_an_unsafe_path(tmp_path: Path) -> None:
    """A looping symlink where a folder goes: UnsafePathError, not RuntimeError."""
    (tmp_path / "units").symlink_to(tmp_path / "units")
    with pytest.raises(_fs.UnsafePathError, match="cannot be followed"):
        _fs.write_atomic(tmp_path, "units/a.md", "x")
