"""A cache of a rules folder's parsed YAML documents and of the model made of them.

Composing and checking the YAML is over half of loading a small model (the bundled one:
~7 of ~12 ms). Documents that parsed without a problem are kept in
``$XDG_CACHE_HOME/servresp`` (default ``~/.cache/servresp``), never in the rules folder,
under a SHA-256 of the code that makes the documents (the reader's own source, PyYAML's and
Python's versions) and every file's name and bytes: any edit, rename, added or removed file,
or a changed reader misses the cache. (servresp's version is left out: an editable install
keeps it through every edit, and looking it up in the package metadata costs about a
millisecond of every command.) Entries are `marshal` data (plain values only: nothing in them
runs code); an unreadable or malformed entry is ignored. ``SERVRESP_NO_CACHE=1`` turns the
cache off.

A folder that loaded without a problem also keeps its model (`load_model`, `store_model`), as
the plain values of `servresp.model._plain`, under `model_key`: the documents' key and the
source of every module of ``servresp/model`` (which parse, check and build it). Reading one
calls the classes again (their validators run) and builds the graph; it skips the parsing,
the per-field checks and the reference checks, which found nothing in these very bytes with
this very code. A folder with any problem is never kept, so every problem is found and
located as before.

The cache keeps its newest `KEEP_ENTRIES` entries within `KEEP_BYTES`; older ones are
removed when a new one is written (only files named as its entries are).

Beside a model, a verdict on it can be remembered (`remember`, `recalls`): a one-line entry
that repeats its own key and verdict, so a truncated, altered or renamed one counts for
nothing (`servresp.lint.verdict` keeps that `check` found no error in a model).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from servresp.errors import ServrespError
from servresp.model import _yaml
from servresp.model._plain import from_plain, to_plain
from servresp.model._yaml import Document

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servresp.model.classes import Model

__all__ = ["cache_dir", "digest", "folder_key", "load", "load_model", "model_key", "recalls", "remember",
           "store", "store_model"]

_FORMAT = 2
"""Bumped when the entry's layout or key changes."""

_READERS = (Path(__file__), Path(_yaml.__file__))
"""The code that makes the documents: its bytes are part of the key."""


def cache_dir() -> Path | None:
    """Return the cache folder, or None when ``SERVRESP_NO_CACHE=1`` turns the cache off."""
    if os.environ.get("SERVRESP_NO_CACHE") == "1":
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: no cache
            return None
    return Path(base) / "servresp"


def digest(header: str, files: Iterable[tuple[str, Path]]) -> str | None:
    """Return a SHA-256 of ``header`` and each ``(label, path)`` file's label and bytes.

    None when a file cannot be read: no key, no cache.
    """
    sha = hashlib.sha256(header.encode())
    try:
        for label, path in files:
            data = path.read_bytes()
            sha.update(f"{len(label)}:{label}:{len(data)}:".encode())
            sha.update(data)
    except OSError:
        return None
    return sha.hexdigest()


def folder_key(files: list[tuple[str, Path]]) -> str | None:
    """Return the key of ``(display name, path)`` files, or None when one cannot be read.

    The reader's own source counts too: an edited reader (an editable install keeps its
    version number) misses.
    """
    header = (f"servresp documents/{_FORMAT} python {sys.version} "
              f"pyyaml {yaml.__version__} {yaml.__with_libyaml__}\n")
    return digest(header, [*((f"reader {m.name}", m) for m in _READERS), *files])


def load(key: str, names: list[str]) -> list[Document] | None:
    """Return the cached documents of ``names`` (in order), or None on a miss or a bad entry."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        entry: Any = marshal.loads((folder / f"{key}.documents").read_bytes())  # noqa: S302 - our own plain values; nothing is called
        documents = [Document(name, data, dict(lines), frozenset(rejected))
                     for name, (data, lines, rejected) in zip(names, entry, strict=True)]
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return documents


def store(key: str, documents: list[Document]) -> None:
    """Keep ``documents`` under ``key``; a cache that cannot be written is skipped."""
    try:
        entry = marshal.dumps([(d.data, d.lines, tuple(d.rejected)) for d in documents])
    except ValueError:  # an unmarshallable value
        return
    _write(f"{key}.documents", entry)


def model_key(files_key: str) -> str | None:
    """Return the key of the model made of files of key ``files_key`` (None: unreadable code)."""
    code = sorted(Path(__file__).parent.glob("*.py"))  # the code that makes a model
    return digest(f"servresp model/{_FORMAT}\n{files_key}\n", ((m.name, m) for m in code))


def load_model(key: str, *, name: str) -> Model | None:
    """Return the model kept under ``key``, named ``name``; None on a miss or a bad entry."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        plain: Any = marshal.loads((folder / f"{key}.model").read_bytes())  # noqa: S302 - plain values; nothing is called
        return from_plain(plain, name=name)
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def store_model(key: str, model: Model) -> None:
    """Keep ``model`` under ``key``; a model or cache that cannot be written is skipped."""
    try:
        entry = marshal.dumps(to_plain(model))
    except (ValueError, TypeError):  # a value the entry cannot hold
        return
    _write(f"{key}.model", entry)


def _verdict_bytes(key: str, verdict: str) -> bytes:
    return f"servresp {key} {verdict}\n".encode()


def recalls(key: str, verdict: str) -> bool:
    """Return whether ``verdict`` (a word, e.g. ``checked``) was remembered under ``key``."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        return (folder / f"{key}.{verdict}").read_bytes() == _verdict_bytes(key, verdict)
    except OSError:
        return False


def remember(key: str, verdict: str) -> None:
    """Remember ``verdict`` under ``key``; a cache that cannot be written is skipped."""
    _write(f"{key}.{verdict}", _verdict_bytes(key, verdict))


def _write(name: str, entry: bytes) -> None:
    """Write the entry ``name`` atomically; a cache that is off or cannot be written is skipped."""
    folder = cache_dir()
    if folder is None:
        return
    from servresp._fs import write_atomic  # noqa: PLC0415 - only a miss writes: a hit needs none of it

    with contextlib.suppress(ServrespError):
        write_atomic(folder, name, entry)
        _prune(folder)


KEEP_ENTRIES = 64
"""Entries the cache keeps at most, newest first: every edit of a rules folder makes new ones."""
KEEP_BYTES = 512 * 2**20
"""Bytes the cache keeps at most (a 10,000-duty model's entries are ~20 MB)."""
_ENTRY = re.compile(r"[0-9a-f]{64}\.[a-z]+")
"""The names this module gives its entries: the only files pruning may remove."""


def _prune(folder: Path) -> None:
    """Remove the oldest entries past `KEEP_ENTRIES` or `KEEP_BYTES`; nothing else is touched.

    Only regular files named as this module names its entries are counted or removed; links,
    folders and any other file stay.
    """
    entries: list[tuple[float, int, str]] = []
    with contextlib.suppress(OSError), os.scandir(folder) as found:
        for item in found:
            if _ENTRY.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    info = item.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, item.name))
    entries.sort(reverse=True)
    kept = size = 0
    for _mtime, bytes_, entry_name in entries:
        kept, size = kept + 1, size + bytes_
        if kept > KEEP_ENTRIES or (size > KEEP_BYTES and kept > 1):
            with contextlib.suppress(OSError):
                (folder / entry_name).unlink()
