"""Open-PSA MEF XML in and out: fault trees to check results against the established tools.

Read: ``define-fault-tree`` / ``define-gate`` with ``and``, ``or``, ``atleast`` (``min``),
``not`` and nested formulas; ``event``, ``gate``, ``basic-event`` and ``house-event``
references; ``define-basic-event`` with a ``float`` probability; ``define-house-event`` with a
``constant``; several files make one model. Parsing is safe: expat with no DTD, so no entity
can expand; anything else is a located problem (``file:line: element: message``).
Write: one tree as a single MEF document that SCRAM and XFTA read. MEF reserves ``.`` for
references into other fault trees (an identifier is ``[^-.]+(-[^-.]+)*``), so a dot in a
name is written as ``-``: ``production.product_quality`` becomes ``production-product_quality``
(model ids hold no ``-``, so the names map back one to one).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

import attrs

from servresp.errors import FaultTreeError, Problem, did_you_mean
from servresp.model.faulttree import FaultTree, Op, TreeGate

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["mef_name", "read_mef", "write_mef"]

_OPS = {"and": Op.AND, "or": Op.OR, "atleast": Op.ATLEAST, "not": Op.NOT}
_REFS = {"event", "gate", "basic-event", "house-event"}
_IGNORED = {"label", "attributes", "attribute"}


@attrs.define
class _Element:
    tag: str
    attributes: dict[str, str]
    line: int
    children: list[_Element] = attrs.Factory(list)


def _parse(text: str, file: str) -> _Element:
    """Parse ``text`` into elements with line numbers; refuse a DTD and so every entity."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = _Element("#document", {}, 0)
    stack = [root]

    def refuse_dtd(*_args: object) -> None:
        raise FaultTreeError([Problem(file, parser.CurrentLineNumber, "DOCTYPE",
                                      "a DOCTYPE is not accepted (it could declare entities)",
                                      "remove the <!DOCTYPE …> line")])

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = _Element(tag, attributes, parser.CurrentLineNumber)
        stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text, True)  # noqa: FBT003 - expat's signature
    except expat.ExpatError as exc:
        message = f"not well-formed XML: {expat.ErrorString(exc.code)}"
        raise FaultTreeError([Problem(file, exc.lineno, "", message, "fix the XML syntax")]) from None
    return root


@attrs.define
class _Reader:
    """Collects the definitions of every file, then resolves references once."""

    problems: list[Problem] = attrs.Factory(list)
    gates: dict[str, TreeGate] = attrs.Factory(dict)
    events: dict[str, float | None] = attrs.Factory(dict)
    houses: dict[str, bool] = attrs.Factory(dict)
    where: dict[str, tuple[str, int]] = attrs.Factory(dict)
    refs: list[tuple[str, str, str, int]] = attrs.Factory(list)  # (kind, name, file, line)

    def problem(self, file: str, element: _Element, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, element.line, element.tag, message, hint))

    def name_of(self, file: str, element: _Element) -> str | None:
        name = element.attributes.get("name", "").strip()
        if not name:
            self.problem(file, element, "needs a name attribute")
            return None
        return name

    def define(self, file: str, element: _Element, name: str) -> bool:
        if name in self.where:
            first = self.where[name]
            self.problem(file, element, f"{name!r} is already defined at {first[0]}:{first[1]}",
                         "give each gate and event one definition")
            return False
        self.where[name] = (file, element.line)
        return True

    def walk(self, file: str, element: _Element) -> None:
        for child in element.children:
            if child.tag == "define-gate":
                self.define_gate(file, child)
            elif child.tag == "define-basic-event":
                self.define_basic(file, child)
            elif child.tag == "define-house-event":
                self.define_house(file, child)
            elif child.tag in {"opsa-mef", "define-fault-tree", "model-data"}:
                self.walk(file, child)
            elif child.tag not in _IGNORED:
                self.problem(file, child, f"unsupported element <{child.tag}>",
                             "servresp reads define-gate, define-basic-event and define-house-event")

    def define_gate(self, file: str, element: _Element) -> None:
        name = self.name_of(file, element)
        formulas = [c for c in element.children if c.tag not in _IGNORED]
        if name is None or not self.define(file, element, name):
            return
        if len(formulas) != 1:
            self.problem(file, element, f"gate {name!r} needs exactly one formula, found {len(formulas)}")
            return
        self.formula(file, formulas[0], name)

    def formula(self, file: str, element: _Element, name: str) -> None:
        """Make gate ``name`` from ``element``; nested formulas become gates ``name.1``, ``name.2``."""
        if element.tag in _REFS:  # a gate that passes one event through
            self.gates[name] = TreeGate(Op.OR, (self.ref(file, element) or "",))
            return
        op = _OPS.get(element.tag)
        if op is None:
            known = [*_OPS, *_REFS]
            self.problem(file, element, f"unsupported formula <{element.tag}>"
                         f"{did_you_mean(element.tag, known)}",
                         "use and, or, atleast, not or an event reference")
            return
        children: list[str] = []
        for i, child in enumerate((c for c in element.children if c.tag not in _IGNORED), start=1):
            if child.tag in _REFS:
                children.append(self.ref(file, child) or "")
            else:
                sub = f"{name}.{i}"
                self.formula(file, child, sub)
                children.append(sub)
        k = 0
        if op is Op.ATLEAST:
            raw = element.attributes.get("min", "")
            k = int(raw) if raw.isdigit() else 0
            if not 1 <= k <= len(children):
                self.problem(file, element, f"min={raw!r} must be a whole number from 1 to {len(children)}")
        if op is Op.NOT and len(children) != 1:
            self.problem(file, element, f"not takes one argument, found {len(children)}")
        self.gates[name] = TreeGate(op, tuple(children), k)

    def ref(self, file: str, element: _Element) -> str | None:
        name = self.name_of(file, element)
        if name is not None:
            self.refs.append((element.tag, name, file, element.line))
        return name

    def define_basic(self, file: str, element: _Element) -> None:
        name = self.name_of(file, element)
        if name is None or not self.define(file, element, name):
            return
        values = [c for c in element.children if c.tag not in _IGNORED]
        if not values:
            self.events[name] = None
            return
        value = values[0]
        one_float = value.tag == "float" and len(values) == 1
        number = _float(value.attributes.get("value", "")) if one_float else None
        if number is None or not 0.0 <= number <= 1.0:
            self.problem(file, value, f"basic event {name!r} needs one <float value=…/> from 0 to 1",
                         "servresp reads constant probabilities only")
        self.events[name] = number

    def define_house(self, file: str, element: _Element) -> None:
        name = self.name_of(file, element)
        if name is None or not self.define(file, element, name):
            return
        values = [c for c in element.children if c.tag not in _IGNORED]
        constant = len(values) == 1 and values[0].tag == "constant"
        state = values[0].attributes.get("value") if constant else "false"
        if state not in {"true", "false"}:
            self.problem(file, values[0], f'house event {name!r} needs <constant value="true|false"/>')
        self.houses[name] = state == "true"

    def resolve(self) -> None:
        """Undefined ``event``/``basic-event`` references are basic events without probability."""
        kinds: dict[str, Mapping[str, object]] = {"gate": self.gates, "house-event": self.houses}
        for tag, name, file, line in self.refs:
            table = kinds.get(tag)
            if table is not None and name not in table:
                self.problems.append(Problem(file, line, tag, f"no {tag} named {name!r}"
                                             f"{did_you_mean(name, table)}"))
            elif name not in self.gates and name not in self.houses and name not in self.events:
                self.events[name] = None


def _float(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_mef(paths: Sequence[str | Path], *, top: str | None = None) -> FaultTree:
    """Read MEF files into one fault tree whose top is ``top`` or the one gate nothing uses."""
    reader = _Reader()
    for path in paths:
        file = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reader.problems.append(Problem(file, 0, "", f"cannot read: {exc}"))
            continue
        try:
            document = _parse(text, file)
        except FaultTreeError as exc:
            reader.problems.extend(exc.problems)
            continue
        roots = document.children
        if not roots or roots[0].tag != "opsa-mef":
            reader.problems.append(Problem(file, 1, "", "expected an <opsa-mef> document"))
            continue
        reader.walk(file, roots[0])
    reader.resolve()
    if reader.problems:
        raise FaultTreeError(reader.problems)
    chosen = _top(reader, top, [str(p) for p in paths])
    probabilities = {e: p for e, p in reader.events.items() if p is not None}
    return FaultTree(top=chosen, gates=reader.gates, events=tuple(sorted(reader.events)),
                     probabilities=probabilities, houses=reader.houses)


def _top(reader: _Reader, top: str | None, files: list[str]) -> str:
    where = ", ".join(files)
    if top is not None:
        if top not in reader.gates:
            message = f"no gate named {top!r}{did_you_mean(top, reader.gates)}"
            raise FaultTreeError([Problem(where, 0, "--top", message)])
        return top
    used = {c for g in reader.gates.values() for c in g.children}
    tops = sorted(g for g in reader.gates if g not in used)
    if len(tops) != 1:
        message = f"{len(tops)} top gates ({', '.join(tops[:5])})" if tops else "no top gate"
        raise FaultTreeError([Problem(where, 0, "", message, "name the top event with --top")])
    return tops[0]


def mef_name(name: str) -> str:
    """Return ``name`` as an MEF identifier: dots (reserved for paths) become hyphens."""
    return name.replace(".", "-")


def write_mef(tree: FaultTree) -> str:
    """Return ``tree`` (what its top gate reaches) as one Open-PSA MEF document."""
    gates, events = tree.reachable()
    houses = sorted({c for g in gates for c in tree.gates[g].children if c in tree.houses})
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<opsa-mef>",
             f"  <define-fault-tree name={quoteattr(mef_name(tree.top))}>"]
    for name in [tree.top, *sorted(gates - {tree.top})]:
        gate = tree.gates[name]
        lines.append(f"    <define-gate name={quoteattr(mef_name(name))}>")
        lines.extend(_formula(tree, gate))
        lines.append("    </define-gate>")
    lines.append("  </define-fault-tree>")
    lines.append("  <model-data>")
    for event in sorted(events):
        p = tree.probabilities.get(event)
        if p is None:
            lines.append(f"    <define-basic-event name={quoteattr(mef_name(event))}/>")
        else:
            lines.extend([f"    <define-basic-event name={quoteattr(mef_name(event))}>",
                          f'      <float value="{p!r}"/>', "    </define-basic-event>"])
    for house in houses:
        lines.extend([f"    <define-house-event name={quoteattr(mef_name(house))}>",
                      f'      <constant value="{str(tree.houses[house]).lower()}"/>',
                      "    </define-house-event>"])
    lines.extend(["  </model-data>", "</opsa-mef>"])
    return "\n".join(lines) + "\n"


def _formula(tree: FaultTree, gate: TreeGate) -> Iterable[str]:
    if not gate.children:  # an empty or is false, an empty and is true
        yield f'      <constant value="{"true" if gate.op is Op.AND else "false"}"/>'
        return
    attr = f' min="{gate.k}"' if gate.op is Op.ATLEAST else ""
    yield f"      <{gate.op.value}{attr}>"
    for child in gate.children:
        kind = "gate" if child in tree.gates else "house-event" if child in tree.houses else "basic-event"
        yield f"        <{kind} name={quoteattr(mef_name(child))}/>"
    yield f"      </{gate.op.value}>"
