"""Read YAML defensively: no duplicate keys, no anchors, aliases or tags, and 1-based lines.

PyYAML keeps the last of two equal keys without a word and expands aliases, so this module
composes the node tree itself, checks it, and builds plain Python values with a map from
each value's path to the line it was written on.
"""

from __future__ import annotations

import errno
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml

from servresp.errors import Problem

try:  # libyaml's C parser is several times faster; fall back to the pure-Python one.
    _Loader: type[yaml.CSafeLoader | yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


class _QuickLoader(_Loader):  # type: ignore[valid-type, misc]  # one of two loader classes
    """The safe loader without the resolver work that cannot change a tag here.

    PyYAML asks the resolver about every node. Without path resolvers, which nothing
    registers on the safe loaders (`_compose` checks before using this class), descending
    and ascending track nothing, and a list or mapping takes its default tag. A scalar is a
    string unless it is plain and its first character starts an implicit type (a number, a
    boolean, a null, a date...); and a plain scalar's tag depends on its text alone, so each
    text is matched against the patterns once per file (keys such as ``text`` and ``tier``
    repeat on every entry).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[str, str] = {}
        resolvers = self.yaml_implicit_resolvers  # first character → patterns
        self._typed: dict[Any, Any] | None = resolvers if None not in resolvers else None
        """The first characters of implicit types; None when a pattern matches any start."""

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """Track nothing: there are no path resolvers."""

    def ascend_resolver(self) -> None:
        """Track nothing: there are no path resolvers."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is _SCALAR and value is not None:  # called for every node: kept lean
            if not implicit[0] or (value and self._typed is not None and value[0] not in self._typed):
                return _STR
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        if kind is _MAPPING:
            return _MAP
        if kind is _SEQUENCE:
            return _SEQ
        other: str = super().resolve(kind, value, implicit)
        return other


_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings reported as such; rules files need about six."""
SUFFIXES = (".yaml", ".yml")
"""The rules files of a folder: both spellings of the YAML extension are read."""


@attrs.frozen(eq=False)
class Document:
    """A YAML file read into plain values, with the line of every path."""

    file: str
    data: Any
    _lines: dict[str, int] | _Lines = attrs.field(alias="lines")
    """Path → line; or, for a document `_PlainReader` read, the lines it recorded cheaply."""
    rejected: frozenset[str] = frozenset()
    """Paths whose value was rejected (and read as None), and the lists holding such items:
    their problem is already reported."""

    @property
    def lines(self) -> dict[str, int]:
        """Return the line of every path."""
        return self._lines.full(self.data) if isinstance(self._lines, _Lines) else self._lines

    def line(self, path: str) -> int:
        """Return the line of ``path`` or of its nearest parent that has one."""
        lines = self._lines
        if isinstance(lines, _Lines):
            if path in lines.shallow:  # an object's own path: what the loader asks most
                return lines.shallow[path]
            lines = lines.shallow if lines.is_shallow(path) else lines.full(self.data)
        while path:
            if path in lines:
                return lines[path]
            path = _parent(path)
        return lines.get("", 1)

    def __eq__(self, other: object) -> bool:
        """Documents are equal when their file, data, lines and rejected paths are."""
        if not isinstance(other, Document):
            return NotImplemented
        return ((self.file, self.data, self.rejected, self.lines)
                == (other.file, other.data, other.rejected, other.lines))

    __hash__ = None  # type: ignore[assignment]  # data is a dict: never hashable


class _Lines:
    """The lines `_PlainReader` recorded: the shallow paths' by path, and every line in walk order.

    The shallow paths are the root, the top-level keys and what their values hold directly
    (``unit.id``, ``duties[3]``): the objects' own paths, asked for every object. Their keys
    have no ``.`` or ``[`` (the reader makes sure), and each level adds one of those, so a
    deeper path has more of them than any shallow one: no deeper path is spelled like a
    shallow one, and one with at most one ``.`` or ``[`` is shallow (so are its parents).
    Any other line needs the full map, which `full` rebuilds once by walking the data in
    the reader's order.
    """

    __slots__ = ("_full", "_order", "shallow")

    def __init__(self, shallow: dict[str, int], order: list[int]) -> None:
        self.shallow = shallow
        self._order = order
        self._full: dict[str, int] | None = None

    def is_shallow(self, path: str) -> bool:
        """Return whether the shallow map alone gives ``path``'s line exactly."""
        return self._full is None and path.count(".") + path.count("[") <= 1

    def full(self, data: Any) -> dict[str, int]:  # noqa: ANN401 - YAML values are any
        """Return the line of every path, as `_Builder` records them."""
        if self._full is None:
            order = iter(self._order)
            self._full = {"": next(order)}
            _replay(data, "", self._full, order)
            self._order = []
        return self._full


def _replay(value: Any, path: str, lines: dict[str, int], order: Iterator[int]) -> None:  # noqa: ANN401
    """Give each path below ``value`` the next line of ``order``, the way `_Builder` does."""
    if isinstance(value, dict):
        prefix = f"{path}." if path else ""
        for key, item in value.items():
            child = prefix + key
            lines[child] = next(order)
            _replay(item, child, lines, order)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            child = f"{path}[{i}]"
            lines.setdefault(child, next(order))
            _replay(item, child, lines, order)


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _line(node: yaml.Node | yaml.Event) -> int:
    """PyYAML marks count from 0; this module adds 1, here (and inline in `_PlainReader`)."""
    return int(getattr(node.start_mark, "line", 0)) + 1


def read_yaml(path: Path, *, name: str) -> tuple[Document | None, list[Problem]]:
    """Read one file; return the document (None when unusable) and every problem found.

    Only a regular file is opened (a FIFO would block): a folder, a FIFO or a symlink that
    leads nowhere is a problem of its own, named after the file.
    """
    refused = _not_a_file(path, name)
    if refused is not None:
        return None, [refused]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 0, "", f"not UTF-8 text ({exc.reason})", "save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(name, 0, "", f"cannot read: {exc.strerror}")]
    return parse_yaml(text, name=name)


def parse_yaml(text: str, *, name: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text; see `read_yaml`."""
    nodes, problems = _compose(text, name=name, stream=False)
    if problems:
        return None, problems
    if not nodes:
        return Document(name, None, {"": 1}), []
    docs, problems = _build(text.removeprefix("\ufeff"), nodes, name=name, dates_as_text=False,
                            plain_first=True)
    return (docs[0] if docs else None), problems


def parse_yaml_stream(text: str, *, name: str, dates_as_text: bool = False,
                      ) -> tuple[list[Document], list[Problem]]:
    """Parse every document of a ``---``-separated stream (empty ones are skipped).

    Lines count from the start of the stream. With ``dates_as_text``, an unquoted date is
    read as the text written (catalogs and SLO files have them; rules files do not).
    """
    nodes, problems = _compose(text, name=name, stream=True)
    if problems:
        return [], problems
    return _build(text.removeprefix("\ufeff"), nodes, name=name, dates_as_text=dates_as_text)


def _compose(text: str, *, name: str, stream: bool) -> tuple[list[yaml.Node], list[Problem]]:
    text = text.removeprefix("\ufeff")
    nodes: list[yaml.Node] = []
    try:
        loader = (_Loader if _Loader.yaml_path_resolvers else _QuickLoader)(text)
        try:
            if not stream:
                single = loader.get_single_node()
                nodes.extend([single] if single is not None else [])
            while stream and loader.check_node():
                node = loader.get_node()
                empty = isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")
                if node is not None and not empty:
                    nodes.append(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(getattr(mark, "line", -1)) + 1
        what = exc.problem or exc.context or "invalid YAML"
        return [], [Problem(name, line, "", f"invalid YAML: {what}")]
    except yaml.reader.ReaderError as exc:  # e.g. a NUL byte; libyaml's offset counts bytes
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, found) + 1 if found >= 0 else 0
        return [], [Problem(name, line, "", f"invalid YAML: the character #x{exc.character:04x} "
                            "is not allowed", "remove it; rules files are plain text")]
    except yaml.YAMLError as exc:
        return [], [Problem(name, 0, "", f"invalid YAML: {str(exc).splitlines()[0]}")]
    except RecursionError:
        return [], [_too_deep(text, name)]
    return nodes, []


def _too_deep(text: str, name: str) -> Problem:
    """Return the problem of a document nested past `MAX_DEPTH`, at the line where it is."""
    depth, line = 0, 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = _line(event)
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return Problem(name, line, "", f"nested more than {MAX_DEPTH} lists or mappings deep",
                   "rules files nest a few levels; flatten it")


def _build(text: str, nodes: list[yaml.Node], *, name: str, dates_as_text: bool,
           plain_first: bool = False) -> tuple[list[Document], list[Problem]]:
    """Build each node's document; with ``plain_first``, try `_PlainReader` before `_Builder`."""
    problems: list[Problem] = []
    if "&" in text:  # cheap pre-test; the event scan finds the real anchors
        scan = _Builder(name)
        scan.reject_anchors(text)
        problems.extend(scan.problems)
    plain_first = plain_first and not problems  # no anchor, so no alias either
    docs: list[Document] = []
    for node in nodes:
        plain = _read_plain(node, name) if plain_first else None
        if plain is not None:
            docs.append(plain)
            continue
        builder = _Builder(name, dates_as_text=dates_as_text)
        try:
            data = builder.build(node, "")
        except RecursionError:
            problems.append(_too_deep(text, name))
            continue
        docs.append(Document(name, data, builder.lines, frozenset(builder.rejected)))
        problems.extend(builder.problems)
    return docs, problems


class _Unusual(Exception):  # noqa: N818 - a signal to fall back, not an error
    """`_PlainReader` met something only `_Builder` reads: a tag, a date, a repeated key..."""


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_SHORT = 300
"""Fewer digits than this: a decimal is well inside a float's range (about 1.8e308)."""
_CONSTRUCTORS = {
    "tag:yaml.org,2002:int": yaml.constructor.SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.constructor.SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": yaml.constructor.SafeConstructor.construct_yaml_null,
}


def _read_plain(node: yaml.Node, name: str) -> Document | None:
    """Read ``node`` with `_PlainReader`; None when it holds anything the reader leaves to `_Builder`."""
    reader = _PlainReader()
    try:
        data = reader.read(node)
    except (_Unusual, RecursionError):
        return None
    return Document(name, data, _Lines(reader.shallow, reader.order))


class _PlainReader:
    """Read a document of plain keys, scalars, lists and mappings in one quick pass.

    That is what a rules file without a problem holds, and all this reader accepts: string
    keys (at the top two levels without ``.`` or ``[``, see `_Lines`), each once; untagged
    lists and mappings, at most `MAX_DEPTH` deep; strings, and numbers, booleans and nulls
    that `_Builder` would accept. Anything else raises `_Unusual`, and `_Builder` reads the
    document again with every check, so each problem is reported as before. Lines are kept
    cheaply: in walk order, and by path for the shallow paths only.
    """

    def __init__(self) -> None:
        self.shallow: dict[str, int] = {}
        self.order: list[int] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def read(self, node: yaml.Node) -> Any:  # noqa: ANN401 - YAML values are any
        line = node.start_mark.line + 1
        self.shallow[""] = line
        self.order.append(line)
        return self._value(node, "", 0)

    def _value(self, node: yaml.Node, path: str | None, depth: int) -> Any:  # noqa: ANN401
        """Return the value of ``node`` at ``depth`` (the root is 0); ``path`` while shallow."""
        if isinstance(node, _SCALAR):
            return node.value if node.tag == _STR else self._scalar(node)
        if depth >= MAX_DEPTH:
            raise _Unusual
        if isinstance(node, _MAPPING) and node.tag == _MAP:
            return self._mapping(node, path if depth < 2 else None, depth)
        if isinstance(node, _SEQUENCE) and node.tag == _SEQ:
            return self._sequence(node, path if depth < 2 else None, depth)
        raise _Unusual

    def _mapping(self, node: yaml.MappingNode, path: str | None, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        order = self.order
        for key_node, value_node in node.value:
            if key_node.__class__ is not _SCALAR or key_node.tag != _STR:
                raise _Unusual
            key = key_node.value
            line = key_node.start_mark.line + 1
            order.append(line)
            child = None
            if path is not None:
                if not key or "." in key or "[" in key:
                    raise _Unusual
                child = f"{path}.{key}" if path else key
                self.shallow[child] = line
            if value_node.__class__ is _SCALAR and value_node.tag == _STR:
                out[key] = value_node.value
            else:
                out[key] = self._value(value_node, child, depth + 1)
        if len(out) < len(node.value):  # a key repeated: `_Builder` reports it
            raise _Unusual
        return out

    def _sequence(self, node: yaml.SequenceNode, path: str | None, depth: int) -> list[Any]:
        out: list[Any] = []
        order = self.order
        for i, item in enumerate(node.value):
            line = item.start_mark.line + 1
            order.append(line)
            child = None
            if path is not None:
                child = f"{path}[{i}]"
                self.shallow[child] = line
            if item.__class__ is _SCALAR and item.tag == _STR:
                out.append(item.value)
            else:
                out.append(self._value(item, child, depth + 1))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:  # noqa: ANN401 - YAML values are any
        text: str = node.value
        if len(text) < _SHORT and text.isascii():  # plain decimals, read as PyYAML reads them
            if node.tag == _INT and text.isdigit() and (text[0] != "0" or text == "0"):
                return int(text)
            if node.tag == _FLOAT and text.replace(".", "", 1).isdigit():
                return float(text)
        construct = _CONSTRUCTORS.get(node.tag)
        if construct is None:
            raise _Unusual
        try:
            value = construct(self._constructor, node)
        except (ValueError, KeyError) as exc:  # e.g. '!!int abc', '!!bool maybe'
            raise _Unusual from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise _Unusual
        if isinstance(value, int) and not isinstance(value, bool) and not _fits_a_float(value):
            raise _Unusual
        return value


class _Builder:
    def __init__(self, name: str, *, dates_as_text: bool = False) -> None:
        self.name = name
        self.dates_as_text = dates_as_text
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.rejected: set[str] = set()
        self._visited: set[int] = set()
        self._constructor = yaml.constructor.SafeConstructor()

    def reject_anchors(self, text: str) -> None:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                line = _line(event)
                self.problems.append(Problem(self.name, line, "", f"YAML anchor &{anchor} is not allowed",
                                             "write the value out in full"))

    def build(self, node: yaml.Node, path: str) -> Any:  # noqa: ANN401 - YAML values are any
        self.lines.setdefault(path, _line(node))
        if not isinstance(node, yaml.ScalarNode):
            if id(node) in self._visited:  # composed aliases are the anchored node again
                self._reject(node, path, "YAML aliases are not allowed",
                             "write the value out in full")
                return None
            self._visited.add(id(node))
        if node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode) and self.dates_as_text:
            node = yaml.ScalarNode("tag:yaml.org,2002:str", node.value, node.start_mark, node.end_mark)
        if node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode) and not node.style:
            self._reject(node, path, f"{node.value!r} reads as a date, which rules files do not use",
                         "quote it to make it text")
            return None
        if node.tag not in _TAGS:
            self._reject(node, path, f"YAML tag {node.tag!r} is not allowed",
                         "remove the tag; plain scalars, lists and mappings only")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._key_problem(key_node, path, "YAML merge keys ('<<') are not allowed",
                                  "write the keys out in full")
                continue
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._key_problem(key_node, path, f"keys must be strings, found {key!r}",
                                  "quote the key")
                continue
            child = f"{path}.{key}" if path else key
            if key in out:
                first = self.lines.get(child, 0)
                self.problems.append(Problem(self.name, _line(key_node), child,
                                             f"duplicate key {key!r} (first at line {first})",
                                             "keep one of them"))
                continue
            self.lines[child] = _line(key_node)
            out[key] = self.build(value_node, child)
        return out

    def _scalar(self, node: yaml.Node, path: str) -> Any:  # noqa: ANN401 - YAML values are any
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError):  # e.g. '!!int abc', '!!bool maybe'
            kind = node.tag.rsplit(":", 1)[-1]
            self._reject(node, path, f"{node.value!r} is not a valid {kind}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self._reject(node, path, f"{node.value!r} is not a finite number",
                         "write a finite number")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and not _fits_a_float(value):
            self._reject(node, path, f"{node.value[:20]!r}… is too large a number",
                         "numbers in rules files are fractions, counts and targets")
            return None
        return value

    def _reject(self, node: yaml.Node, path: str, message: str, hint: str = "") -> None:
        """Report a value that is read as None, so that later checks stay quiet about it."""
        self.rejected.add(path)
        if path.endswith("]"):  # the list would only be reported again as malformed
            self.rejected.add(_parent(path))
        self._problem(node, path, message, hint)

    def _key_problem(self, key_node: yaml.Node, path: str, message: str, hint: str) -> None:
        """Report a bad key at its own line (the mapping's path may start lines earlier)."""
        self.problems.append(Problem(self.name, _line(key_node), path, message, hint))

    def _problem(self, node: yaml.Node, path: str, message: str, hint: str = "") -> None:
        line = self.lines.get(path) or _line(node)
        self.problems.append(Problem(self.name, line, path, message, hint))


def _fits_a_float(value: int) -> bool:
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _not_a_file(path: Path, name: str) -> Problem | None:
    """Return why ``path`` cannot be read as a rules file, or None when it is a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:  # a dangling or looping symlink, or no permission on the way
        if not path.is_symlink():
            return Problem(name, 0, "", f"cannot read: {exc.strerror}")
        reason = "a symlink that leads nowhere" if exc.errno == errno.ENOENT else f"a symlink: {exc.strerror}"
        return Problem(name, 0, "", f"cannot read: {reason}", "remove it or fix the link")
    if stat.S_ISDIR(mode):
        return Problem(name, 0, "", "is a folder, not a rules file", "rename it without .yaml")
    if not stat.S_ISREG(mode):
        return Problem(name, 0, "", "is not a regular file (a FIFO, socket or device)", "remove it")
    return None


def list_yaml_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Return the ``*.yaml`` and ``*.yml`` entries directly in ``folder``, in name order.

    Every entry with such a name is returned, whatever it is: `read_yaml` reports a folder,
    FIFO or broken symlink as a problem of its own instead of skipping it silently. A
    folder that cannot be listed is a problem of the folder.
    """
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as exc:
        return [], [Problem(str(folder), 0, "", f"cannot list the rules folder: {exc.strerror}",
                            "give it read and search (x) permission")]
    return [folder / n for n in names if n.endswith(SUFFIXES) and not n.startswith(".")], []
