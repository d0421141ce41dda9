"""Write model files for a person to finish: YAML entries with comments above them.

The imports build plain dicts in the rules format (docs/rules-format.md) and this module
turns them into text; comments carry what the input got wrong, for a person to settle.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import yaml

from servresp.interop._names import comment_text

__all__ = ["Entry", "dump", "model_file"]


@attrs.frozen
class Entry:
    """One list entry of a model file, with the comments written above it."""

    data: Mapping[str, Any]
    """The entry in the rules format."""
    notes: tuple[str, ...] = ()
    """Comment lines (made single-line and safe when written)."""


class _Dumper(yaml.SafeDumper):
    """A dumper that double-quotes text with line breaks or control characters.

    PyYAML's other styles fold some of them: a NEL written plain reads back as a space.
    """


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    odd = any(unicodedata.category(c)[0] in "CZ" and c != " " for c in value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if odd else None)


_Dumper.add_representer(str, _str)


def dump(value: object) -> str:
    """Return ``value`` as block-style YAML that `servresp.model` reads back unchanged."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def _comments(lines: Iterable[str]) -> str:
    return "".join(f"# {comment_text(line)}\n" for line in lines)


def model_file(*, header: Sequence[str], unit: Mapping[str, Any] | None = None,
               sections: Sequence[tuple[str, Sequence[Entry]]] = ()) -> str:
    """Return a model file: the header as comments, the unit, then each non-empty section."""
    parts = [_comments(header)]
    if unit is not None:
        parts.append(dump({"unit": dict(unit)}))
    for key, entries in sections:
        if not entries:
            continue
        parts.append(f"\n{key}:\n")
        for entry in entries:
            parts.append(_comments(entry.notes))
            parts.append(dump([dict(entry.data)]))
    return "".join(parts)
