"""The one writer that touches the disk: atomic UTF-8 writes confined to an output folder.

Renderers return strings; only this module turns them into files. Every path is given
relative to an output folder and refused when it would land outside it (absolute paths,
``..`` parts, or symlinks that lead elsewhere), so a name taken from the model can never
overwrite a file the caller did not ask for.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from servresp.errors import ServrespError

__all__ = ["OutputError", "UnsafePathError", "read_text", "remove", "resolve", "write_atomic"]

_NEW_FILE_MODE = 0o644
"""Mode of a new file (mkstemp makes 0600); a file that exists keeps its mode."""


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
    if any(part in ("", ".", "..") for part in relpath.replace("\\", "/").split("/")):
        raise UnsafePathError(out_dir, relpath, "the path must name a file, with no empty, '.' or '..' parts")
    root = out_dir.resolve()
    target = (root / relpath).resolve()
    if target == root or not target.is_relative_to(root):
        raise UnsafePathError(out_dir, relpath, "it resolves outside the folder (through a symlink?)")
    return target


def write_atomic(out_dir: Path, relpath: str, text: str | bytes) -> Path:
    """Write ``text`` as UTF-8 (or bytes as given) to ``out_dir/relpath`` atomically; return the path.

    Sub-folders are created inside ``out_dir``. Readers see the old file or the new one,
    never half of either: the text goes to a temporary file in the same folder, which then
    replaces the target. A path that escapes ``out_dir`` raises `UnsafePathError`; a write
    the system refuses raises `OutputError`.
    """
    target = resolve(out_dir, relpath)
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        if resolve(out_dir, relpath) != target:  # a folder on the way was swapped for a symlink
            raise UnsafePathError(out_dir, relpath, "a folder on the way changed while writing")
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


def read_text(out_dir: Path, relpath: str) -> str | None:
    """Return the UTF-8 text of ``out_dir/relpath``, or None when it is missing or unreadable."""
    try:
        return resolve(out_dir, relpath).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def remove(out_dir: Path, relpath: str) -> None:
    """Delete the file ``out_dir/relpath`` (confined like `write_atomic`); a missing file is fine."""
    target = resolve(out_dir, relpath)
    try:
        target.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(out_dir / relpath, exc) from exc
