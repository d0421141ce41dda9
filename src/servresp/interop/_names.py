"""Names from outside made safe: model ids, RFC 1123 names, and one-line comment text.

Names in spreadsheets and catalogs are free text: control characters, ``../``, formula text,
10,000 characters. Nothing here fails on them; every function returns a name that matches
its pattern, so a name taken from input can never steer a file path or break a YAML line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

__all__ = ["MAX_ID", "comment_text", "rfc1123", "safe_id", "unique"]

MAX_ID = 40
"""Longest id made from a name: ids become file names, and long ones read badly."""

_UNSAFE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
"""Control, format, surrogate, private and unassigned characters, and line separators."""

_COMMENT_MAX = 200
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")


def _ascii_words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", folded.lower())


def unique(base: str, taken: Collection[str], *, max_len: int, sep: str = "_") -> str:
    """Return ``base``, or ``base_2``, ``base_3``… the first that is not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"{sep}{n}"
        candidate = base[: max_len - len(suffix)].rstrip("_-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def safe_id(name: str, *, fallback: str, taken: Collection[str] = ()) -> str:
    """Return a model id (``[a-z][a-z0-9_]*``, at most `MAX_ID` characters) for ``name``.

    Letters are folded to ASCII; a name with no ASCII letter or digit gets ``fallback``
    (itself a valid id); a name starting with a digit gets ``fallback`` in front.
    """
    if _ID.match(name) and len(name) <= MAX_ID:  # already an id: keep it as written
        return unique(name, taken, max_len=MAX_ID)
    slug = "_".join(_ascii_words(name))[:MAX_ID].strip("_")
    if not slug:
        slug = fallback
    elif not slug[0].isalpha():
        slug = f"{fallback}_{slug}"[:MAX_ID].strip("_")
    return unique(slug, taken, max_len=MAX_ID)


def rfc1123(name: str, *, fallback: str, taken: Collection[str] = ()) -> str:
    """Return an RFC 1123 label for ``name``: lowercase alphanumerics and ``-``, at most 63."""
    slug = "-".join(_ascii_words(name))[:63].strip("-") or fallback
    return unique(slug, taken, max_len=63, sep="-")


def comment_text(text: str) -> str:
    """Return ``text`` fit for one YAML comment line: no line breaks or control characters."""
    out = []
    for char in text[:_COMMENT_MAX]:
        if unicodedata.category(char) in _UNSAFE_CATEGORIES:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    more = "…" if len(text) > _COMMENT_MAX else ""
    return "".join(out) + more
