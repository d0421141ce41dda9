"""The one writer that touches the disk: atomic UTF-8 writes confined to an output folder.

Renderers return strings; only this module turns them into files. Every path is given
relative to an output folder and refused when it would land outside it (absolute paths,
``..`` parts, or symlinks that lead elsewhere), so a name taken from the model can never
overwrite a file the caller did not ask for. Only regular files are written, read or
deleted: a symlink, FIFO or device in the folder is refused (and never opened, so a FIFO
cannot block), except by `write_output`, which writes a device or FIFO the user named as a
stream (``-o /dev/null``) instead of replacing it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from servresp.errors import ServrespError

__all__ = [
    "OutputError",
    "UnsafePathError",
    "read_text",
    "remove",
    "remove_stale_temporaries",
    "require_folder",
    "resolve",
    "stale_temporaries",
    "write_atomic",
    "write_output",
]

_NEW_FILE_MODE = 0o644
"""Mode of a new file (mkstemp makes 0600); a file that exists keeps its mode."""
_NAME_MAX = 255
"""Bytes in one file name on common file systems."""
_TEMP_EXTRA = len("..XXXXXXXX.tmp")
"""What `_replace` adds to a name for its temporary file."""
_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp\Z")
"""A temporary file of `_replace` (``.NAME.XXXXXXXX.tmp``), left behind by a killed run."""


class UnsafePathError(ServrespError, ValueError):
    """A relative path that would escape the output folder; ``relpath`` is the path given."""

    def __init__(self, out_dir: Path, relpath: str, reason: str) -> None:
        """Say which path, and why it is refused."""
        self.relpath = relpath
        super().__init__(f"refusing to write {relpath!r} in {str(out_dir)!r}: {reason}")


class OutputError(ServrespError):
    """The system refused a write or a delete in the output folder; ``path`` is the file."""

    def __init__(self, path: Path, cause: OSError | UnicodeError) -> None:
        """Say which file, and the system's reason."""
        self.path = path
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
        super().__init__(f"cannot write {str(path)!r}: {reason}")


def resolve(out_dir: Path, relpath: str) -> Path:
    """Return the absolute target of ``relpath`` in ``out_dir``, or raise `UnsafePathError`."""
    if not relpath or "\0" in relpath:
        raise UnsafePathError(out_dir, relpath, "the name is empty or holds a NUL character")
    if PurePosixPath(relpath).is_absolute() or PureWindowsPath(relpath).anchor:
        raise UnsafePathError(out_dir, relpath, "the path is absolute; give it relative to the folder")
    parts = relpath.replace("\\", "/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafePathError(out_dir, relpath, "the path must name a file, with no empty, '.' or '..' parts")
    if any(len(os.fsencode(part)) > _NAME_MAX - _TEMP_EXTRA for part in parts):
        raise UnsafePathError(out_dir, relpath[:60] + "…", f"a name longer than "
                              f"{_NAME_MAX - _TEMP_EXTRA} bytes; shorten the id it is made from")
    try:
        root = out_dir.resolve()
        target = (root / relpath).resolve()
    except (RuntimeError, OSError) as exc:  # a symlink loop (RuntimeError before Python 3.13)
        raise UnsafePathError(out_dir, relpath, f"a symlink on the way cannot be followed ({exc})") from None
    if target == root or not target.is_relative_to(root):
        raise UnsafePathError(out_dir, relpath, "it resolves outside the folder (through a symlink?)")
    return target


def require_folder(out_dir: Path) -> None:
    """Raise `OutputError` when ``out_dir`` exists but is no folder (a file is never written into)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(out_dir, NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder"))


def write_atomic(out_dir: Path, relpath: str, text: str | bytes) -> Path:
    """Write ``text`` as UTF-8 (or bytes as given) to ``out_dir/relpath`` atomically; return the path.

    Sub-folders are created inside ``out_dir``. Readers see the old file or the new one,
    never half of either: the text goes to a temporary file in the same folder, which then
    replaces the target. A path that escapes ``out_dir`` raises `UnsafePathError`; a write
    the system refuses raises `OutputError`.
    """
    require_folder(out_dir)
    target = resolve(out_dir, relpath)
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        if resolve(out_dir, relpath) != target:  # a folder on the way was swapped for a symlink
            raise UnsafePathError(out_dir, relpath, "a folder on the way changed while writing")
        _refuse_special(out_dir, relpath)
        _replace(target, data)
    except (OSError, UnicodeEncodeError) as exc:
        raise OutputError(out_dir / relpath, exc) from exc
    return target


def _replace(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then move it over ``target``."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _NEW_FILE_MODE
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.chmod(mode)
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _refuse_special(out_dir: Path, relpath: str) -> None:
    """Refuse to replace anything but a regular file: a symlink, FIFO, device or folder."""
    try:
        mode = (out_dir / relpath).lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if stat.S_ISLNK(mode):
        raise UnsafePathError(out_dir, relpath, "it is a symlink; servresp replaces only regular "
                                                "files (remove the link)")
    if not stat.S_ISREG(mode):
        raise UnsafePathError(out_dir, relpath, "it is not a regular file (a FIFO, socket or device)")


def _regular(out_dir: Path, relpath: str) -> Path | None:
    """Return the confined path when it is a regular file and no symlink, else None."""
    target = resolve(out_dir, relpath)
    try:
        mode = (out_dir / relpath).lstat().st_mode
    except OSError:
        return None
    return target if stat.S_ISREG(mode) else None


def read_text(out_dir: Path, relpath: str) -> str | None:
    """Return the UTF-8 text of ``out_dir/relpath``, or None when it is missing or unreadable.

    Only a regular file is read (a FIFO is never opened, so reading cannot block).
    """
    target = _regular(out_dir, relpath)
    if target is None:
        return None
    try:
        with target.open("rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped after the check
                return None
            return stream.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def remove(out_dir: Path, relpath: str) -> None:
    """Delete the regular file ``out_dir/relpath``, confined like `write_atomic`.

    Anything else there (nothing, a symlink, a FIFO, a folder) is left alone.
    """
    target = _regular(out_dir, relpath)
    if target is None:
        return
    try:
        target.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(out_dir / relpath, exc) from exc


def stale_temporaries(out_dir: Path, relpaths: list[str]) -> list[str]:
    """Return the temporary files a killed `write_atomic` left beside ``relpaths``, sorted.

    Only ``.NAME.XXXXXXXX.tmp`` files whose NAME is one of ``relpaths`` count, so a user's
    own hidden files are never taken for ours.
    """
    wanted: dict[str, set[str]] = {}
    for relpath in relpaths:
        folder, _, name = relpath.rpartition("/")
        wanted.setdefault(folder, set()).add(name)
    found = []
    for folder, names in wanted.items():
        try:
            entries = sorted(p.name for p in (out_dir / folder if folder else out_dir).iterdir())
        except OSError:
            continue
        for entry in entries:
            match = _TEMP_NAME.match(entry)
            if match is not None and match["name"] in names:
                found.append(f"{folder}/{entry}" if folder else entry)
    return sorted(found)


def remove_stale_temporaries(out_dir: Path, relpaths: list[str]) -> list[str]:
    """Delete what `stale_temporaries` finds (regular files only); return their paths."""
    found = stale_temporaries(out_dir, relpaths)
    for relpath in found:
        remove(out_dir, relpath)
    return found


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to a file the user named (``-o FILE``).

    A regular file (or a new one) is written atomically in its folder. A device or FIFO
    (``/dev/null``, ``/dev/stdout``, a named pipe) is written as a stream, never replaced.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = 0
    if mode and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISBLK(mode)):
        try:
            with path.open("w", encoding="utf-8") as stream:
                stream.write(text)
        except (OSError, UnicodeEncodeError) as exc:
            raise OutputError(path, exc) from exc
        return
    if mode and stat.S_ISDIR(mode):
        raise OutputError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    write_atomic(path.parent, path.name, text)
