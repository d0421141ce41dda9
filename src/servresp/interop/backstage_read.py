"""Read Backstage catalog files: multi-document YAML, following ``Location`` targets.

Each entity is checked against Backstage's rules (`backstage_rules`) and every problem is
located (file, line, field). Location targets are followed relative to their file, and only
inside the folder of the file given (a catalog cannot make servresp read elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from servresp.errors import Problem
from servresp.interop._names import comment_text
from servresp.interop.backstage_rules import spec_of, validate_entity
from servresp.model._yaml import Document, parse_yaml_stream

__all__ = ["Entity", "read_catalog"]


@attrs.frozen
class Entity:
    """A catalog entity as read, with where it was written."""

    kind: str
    """``group``, ``user``, ``location``… in lower case."""
    namespace: str
    name: str
    data: Mapping[str, Any]
    doc: Document
    """The YAML document it came from (for the line of any field)."""

    @property
    def key(self) -> tuple[str, str, str]:
        """(kind, namespace, name): how references find it."""
        return self.kind, self.namespace, self.name

    def at(self, path: str, message: str, hint: str = "") -> Problem:
        """Return a problem located at ``path`` of this entity."""
        name = comment_text(self.name[:80])
        return Problem(self.doc.file, self.doc.line(path), f"{self.kind}:{name}.{path}".rstrip("."),
                       message, hint)


def _targets(entity: Mapping[str, Any]) -> list[tuple[str, str]]:
    spec = spec_of(entity)
    found: list[tuple[str, str]] = []
    if isinstance(spec.get("target"), str):
        found.append(("spec.target", spec["target"]))
    for i, target in enumerate(spec.get("targets") or []):
        if isinstance(target, str):
            found.append((f"spec.targets[{i}]", target))
    return found


def _read_file(path: Path, shown: str) -> tuple[list[Document], list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(shown, 0, "", f"not UTF-8 text ({exc.reason})", "save it as UTF-8")]
    except OSError as exc:
        return [], [Problem(shown, 0, "", f"cannot read: {exc.strerror}")]
    return parse_yaml_stream(text, name=shown, dates_as_text=True)


def read_catalog(files: Sequence[Path], *, names: Sequence[str] | None = None,
                 ) -> tuple[list[Entity], list[Problem]]:
    """Read every entity in ``files`` and the files their Locations name."""
    entities: list[Entity] = []
    problems: list[Problem] = []
    queue = [(f.resolve(), shown, f.resolve().parent)
             for f, shown in zip(files, names or [str(f) for f in files], strict=True)]
    seen: set[Path] = set()
    while queue:
        path, shown, root = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        docs, found = _read_file(path, shown)
        problems.extend(found)
        for doc in docs:
            entity = _entity(doc, problems)
            if entity is None:
                continue
            entities.append(entity)
            if entity.kind == "location":
                queue.extend(_follow(entity, path, shown, root, problems))
    return entities, problems


def _entity(doc: Document, problems: list[Problem]) -> Entity | None:
    data = doc.data
    if not isinstance(data, Mapping):
        problems.append(Problem(doc.file, doc.line(""), "", "a catalog document must be a mapping"))
        return None
    meta = data.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    entity = Entity(_text(data.get("kind"), "").lower(), _text(meta.get("namespace"), "default"),
                    _text(meta.get("name"), ""), data, doc)
    rules = list(validate_entity(data))
    problems.extend(entity.at(path, message) for path, message in rules)
    if any(path in ("kind", "metadata", "metadata.name") for path, _ in rules):
        return None
    return entity


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def _follow(entity: Entity, path: Path, shown: str, root: Path,
            problems: list[Problem]) -> list[tuple[Path, str, Path]]:
    found = []
    for field, target in _targets(entity.data):
        if "://" in target or target.startswith("url:"):
            problems.append(entity.at(field, f"target {target[:200]!r} is a URL; only local files are read"))
            continue
        resolved = (path.parent / target).resolve()
        if not resolved.is_relative_to(root):
            problems.append(entity.at(field, f"target {target[:200]!r} leaves the catalog's folder"))
            continue
        if not resolved.is_file():
            problems.append(entity.at(field, f"target {target[:200]!r}: no such file"))
            continue
        shown_target = str(Path(shown).parent / target) if not Path(target).is_absolute() else target
        found.append((resolved, shown_target, root))
    return found
