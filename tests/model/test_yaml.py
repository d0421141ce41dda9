"""Tests for `servresp._yaml`: the defensive YAML reader."""

import math
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from servresp.errors import Problem
from servresp.model import _yaml
from servresp.model._yaml import Document, list_yaml_files, parse_yaml, read_yaml


def problems_of(text: str) -> list[str]:
    _, problems = parse_yaml(text, name="f.yaml")
    return [str(p) for p in problems]


def test_plain_values_and_one_based_lines():
    """Mappings, lists and scalars come back as plain values with 1-based lines per path."""
    doc, problems = parse_yaml("a:\n  b: [1, x]\n  c: true\nd: 2.5\n", name="f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"a": {"b": [1, "x"], "c": True}, "d": 2.5}
    assert doc.lines == {"": 1, "a": 1, "a.b": 2, "a.b[0]": 2, "a.b[1]": 2, "a.c": 3, "d": 4}


def test_line_falls_back_to_the_nearest_parent():
    """`Document.line` of an unknown path is the line of its nearest known parent."""
    doc, _ = parse_yaml("top:\n  - id: x\n", name="f.yaml")
    assert doc is not None
    assert doc.line("top[0].missing.deeper") == 2
    assert doc.line("nothing") == 1


def test_empty_and_comment_only_files_have_no_data():
    """An empty file or one with only comments reads as None, without problems."""
    for text in ("", "# only a comment\n"):
        doc, problems = parse_yaml(text, name="f.yaml")
        assert problems == []
        assert doc == Document("f.yaml", None, {"": 1})


def test_byte_order_mark_is_ignored():
    """A UTF-8 byte order mark at the start does not end up in the first key."""
    doc, problems = parse_yaml("\ufeffa: 1\n", name="f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"a": 1}


def test_duplicate_key():
    """A repeated key is a problem at the second one; the first value is kept."""
    doc, problems = parse_yaml("a:\n  b: 1\n  b: 2\n", name="f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:3: a.b: duplicate key 'b' (first at line 2) (keep one of them)"]
    assert doc is not None
    assert doc.data == {"a": {"b": 1}}


def test_duplicate_top_level_key():
    """Duplicate keys are found at the top level too."""
    assert problems_of("unit: {}\nduties: []\nunit: {}\n") == [
        "f.yaml:3: unit: duplicate key 'unit' (first at line 1) (keep one of them)"]


def test_anchor_on_a_scalar_is_rejected():
    """An anchor is a problem even when its alias would expand harmlessly."""
    assert problems_of("a: &x 1\nb: *x\n") == [
        "f.yaml:1: YAML anchor &x is not allowed (write the value out in full)"]


def test_alias_of_a_mapping_is_rejected_and_read_as_none():
    """An alias to a mapping is reported where it is used, and its value is rejected."""
    doc, problems = parse_yaml("a: &m {k: 1}\nb: *m\n", name="f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:1: YAML anchor &m is not allowed (write the value out in full)",
        "f.yaml:2: b: YAML aliases are not allowed (write the value out in full)",
    ]
    assert doc is not None
    assert doc.data == {"a": {"k": 1}, "b": None}
    assert doc.rejected == frozenset({"b"})


def test_alias_bomb_is_not_expanded():
    """A billion-laughs document is rejected without expanding it."""
    bomb = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    doc, problems = parse_yaml(bomb, name="f.yaml")
    assert doc is not None
    assert len([p for p in problems if "anchor" in p.message]) == 21
    assert all(v is None or v == ["x", "x"] or all(w is None for w in v)
               for v in doc.data.values())


def test_merge_key_is_rejected():
    """``<<`` merge keys are a problem on the mapping that uses them."""
    assert problems_of("a: &m {k: 1}\nb:\n  <<: *m\n  j: 2\n") == [
        "f.yaml:1: YAML anchor &m is not allowed (write the value out in full)",
        "f.yaml:3: b: YAML merge keys ('<<') are not allowed (write the keys out in full)",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!python/tuple [1, 2]\n",
     ("f.yaml:1: a: YAML tag 'tag:yaml.org,2002:python/tuple' is not allowed"
     " (remove the tag; plain scalars, lists and mappings only)")),
    ("a: !foo bar\n",
     ("f.yaml:1: a: YAML tag '!foo' is not allowed"
     " (remove the tag; plain scalars, lists and mappings only)")),
    ("a: !!binary aGk=\n",
     ("f.yaml:1: a: YAML tag 'tag:yaml.org,2002:binary' is not allowed"
     " (remove the tag; plain scalars, lists and mappings only)")),
])
def test_tags_are_rejected(text: str, expected: str):
    """Tags other than the plain YAML types are a problem, and the value is dropped."""
    doc, problems = parse_yaml(text, name="f.yaml")
    assert [str(p) for p in problems] == [expected]
    assert doc is not None
    assert doc.data == {"a": None}


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!int abc\n", "f.yaml:1: a: 'abc' is not a valid int"),
    ("a: !!float abc\n", "f.yaml:1: a: 'abc' is not a valid float"),
    ("a: !!bool maybe\n", "f.yaml:1: a: 'maybe' is not a valid bool"),
])
def test_invalid_tagged_values_are_problems_not_tracebacks(text: str, expected: str):
    """A plain tag on a value it cannot read is a located problem."""
    assert problems_of(text) == [expected]


def test_unquoted_date_is_rejected_with_a_fix():
    """A plain date would be a datetime.date; the reader says to quote it."""
    assert problems_of("a: 2026-10-01\nb: '2026-10-01'\n") == [
        ("f.yaml:1: a: '2026-10-01' reads as a date, which rules files do not use"
        " (quote it to make it text)")]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: .nan\n", "f.yaml:1: a: '.nan' is not a finite number (write a finite number)"),
    ("a: [1, .inf]\n", "f.yaml:1: a[1]: '.inf' is not a finite number (write a finite number)"),
    ("a:\n  b: -.Inf\n", "f.yaml:2: a.b: '-.Inf' is not a finite number (write a finite number)"),
])
def test_non_finite_numbers_are_rejected(text: str, expected: str):
    """NaN and infinities are problems at their path."""
    assert problems_of(text) == [expected]


def test_keys_must_be_strings():
    """Numbers, nulls and lists as keys are problems; quoting fixes them."""
    assert problems_of("1: x\n~: y\n'2': z\n") == [
        "f.yaml:1: keys must be strings, found 1 (quote the key)",
        "f.yaml:2: keys must be strings, found None (quote the key)",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: [1\n", "f.yaml:2: invalid YAML: did not find expected ',' or ']'"),
    ("a:\n\tb: 1\n", "f.yaml:2: invalid YAML: found character that cannot start any token"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2: invalid YAML: but found another document"),
])
def test_invalid_syntax_gives_no_document(text: str, expected: str):
    """Unparseable text, tabs or two documents give one located problem and no document."""
    doc, problems = parse_yaml(text, name="f.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [expected]


def test_yes_is_a_boolean_unless_quoted():
    """YAML 1.1 booleans are read as PyYAML's safe loader reads them."""
    doc, _ = parse_yaml("a: yes\nb: 'yes'\n", name="f.yaml")
    assert doc is not None
    assert doc.data == {"a": True, "b": "yes"}


def test_read_yaml_not_utf8(tmp_path: Path):
    """A file in another encoding is one whole-file problem that says to save it as UTF-8."""
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: 采购部\n".encode("gbk"))
    doc, problems = read_yaml(path, name="gbk.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "gbk.yaml: not UTF-8 text (invalid start byte) (save it as UTF-8)"]


def test_read_yaml_missing_file(tmp_path: Path):
    """A file that cannot be read is a whole-file problem, not an exception."""
    doc, problems = read_yaml(tmp_path / "gone.yaml", name="gone.yaml")
    assert doc is None
    assert [str(p) for p in problems] == ["gone.yaml: cannot read: No such file or directory"]


def test_read_yaml_chinese(tmp_path: Path):
    """UTF-8 text with Chinese reads back exactly."""
    path = tmp_path / "zh.yaml"
    path.write_text("name: {en: Purchasing, zh: 采购部}\n", encoding="utf-8")
    doc, problems = read_yaml(path, name="zh.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"name": {"en": "Purchasing", "zh": "采购部"}}


def test_list_yaml_files_yaml_and_yml_in_name_order(tmp_path: Path):
    """``*.yaml`` and ``*.yml`` entries directly in the folder, sorted; a folder named so too."""
    for name in ("b.yaml", "a.yaml", "c.yml", "notes.txt", ".hidden.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.yaml").write_text("", encoding="utf-8")
    (tmp_path / "dir.yaml").mkdir()
    files, problems = list_yaml_files(tmp_path)
    assert ([p.name for p in files], problems) == (["a.yaml", "b.yaml", "c.yml", "dir.yaml"], [])


_scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
            | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8))
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)


@settings(max_examples=50)
@given(st.dictionaries(st.text(min_size=1, max_size=5), _values, max_size=4))
def test_agrees_with_safe_load(data: dict[str, object]):
    """For anything PyYAML's safe dumper writes without dates, the reader agrees with safe_load."""
    text = yaml.safe_dump(data, allow_unicode=True)
    doc, problems = parse_yaml(text, name="f.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == yaml.safe_load(text)


# --- the plain reader: the same documents, problems and lines as the full builder ----------

# The two readers, the quick loader and the reader's parts are private: these tests compare them.
_compose, _build, _Lines = _yaml._compose, _yaml._build, _yaml._Lines  # noqa: SLF001
_PlainReader, _Unusual, _QuickLoader = _yaml._PlainReader, _yaml._Unusual, _yaml._QuickLoader  # noqa: SLF001
_CONSTRUCTORS, _fits_a_float = _yaml._CONSTRUCTORS, _yaml._fits_a_float  # noqa: SLF001

_UNUSUAL = [
    "a: 1\nb:\n  c: [x, y]\n  c: z\n",  # a repeated key below the top
    "a: 1\na: 2\n",
    "x: !!int 12\ny: !foo bar\n",
    "x: 2026-10-01\n",
    "x: &a [1, 2]\ny: *a\n",
    "x: 'R&D'\ny: [R&D, b]\n",  # an ampersand in text, no anchor
    "x: .nan\ny: -.inf\n",
    "x: " + "9" * 400 + "\n",
    "x: !!float 1__0.5\ny: !!int 1_000\nz: 017\nw: 0x1F\nv: 1:30\nu: +5\nt: 5.\ns: .5\n",
    "1: one\n~: none\n'2': two\n",
    "a.b: 1\na:\n  b: 2\n",  # a dotted key spelled like a nested path
    "a:\n  b.c: 1\n  b:\n    c: 2\n",
    "a:\n  - x\na[0]: y\n",
    "'': 1\nb: 2\n",
    "a:\n  '': 1\n  b: [1]\n",
    "a:\n  b:\n    c.d: 1\n    c:\n      d: 2\n    e[0]: 3\n    e: [4]\n",
    "a: [" * 70 + "]" * 70 + "\n",  # deeper than MAX_DEPTH, still readable
    "a: yes\nb: No\nc: ~\nd: null\ne:\nf: ''\n",
    "<<: {a: 1}\n",
    "- 1\n- [2, {a: b}]\n",
    "just text\n",
    "a: [{b: {c: [1, {d: e}]}}]\n",
]

_keys = st.sampled_from(["a", "b", "a.b", "b[0]", "", "x]", "c", "1", "yes", "a.b.c"])
_leaves = (st.none() | st.booleans() | st.integers(-10**20, 10**20)
           | st.floats(allow_infinity=False, allow_nan=False) | st.sampled_from(["", "x", "0x1F", "a.b"]))


def _nested(inner: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3)


_trees = st.recursive(_leaves, _nested, max_leaves=12)


Built = tuple[list[Document], list[Problem]]


def _both_ways(text: str) -> tuple[Built, Built]:
    """Build ``text`` with the plain reader first, and with `_Builder` alone."""
    nodes, problems = _compose(text, name="f.yaml", stream=False)
    assert problems == []
    return (_build(text, nodes, name="f.yaml", dates_as_text=False, plain_first=True),
            _build(text, nodes, name="f.yaml", dates_as_text=False))


def _assert_same(text: str) -> None:
    (plain, plain_problems), (full, full_problems) = _both_ways(text)
    assert plain_problems == full_problems
    assert [(d.data, d.rejected) for d in plain] == [(d.data, d.rejected) for d in full]
    for quick, slow in zip(plain, full, strict=True):
        asked = [*slow.lines, "nothing", "a.nothing", "a[9]", "a.b.nothing", "a[0].b[1].c"]
        asked += [f"{path}.deeper" for path in slow.lines] + [f"{path}[0]" for path in slow.lines]
        assert [quick.line(path) for path in asked] == [slow.line(path) for path in asked]
        assert quick.lines == slow.lines
        assert quick == slow


@pytest.mark.parametrize("text", _UNUSUAL)
def test_plain_reader_agrees_with_the_builder_on_unusual_documents(text: str) -> None:
    """Tags, dates, anchors, repeated or odd keys, bad numbers: read as `_Builder` reads them."""
    _assert_same(text)


@settings(max_examples=150)
@given(_trees, st.booleans())
def test_plain_reader_agrees_with_the_builder(data: object, flow: bool) -> None:
    """Any document gives the same data, problems and line of every path both ways."""
    _assert_same(yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow))


def test_plain_reader_reads_a_rules_file_and_keeps_lines_for_later() -> None:
    """A clean rules file takes the plain path; its deep lines are rebuilt only when asked."""
    doc, problems = parse_yaml("unit:\n  id: x\nduties:\n  - id: x.a\n    raci:\n      responsible: [x]\n",
                               name="f.yaml")
    assert problems == []
    assert doc is not None
    lines = doc._lines  # noqa: SLF001 - what is recorded, and when
    assert isinstance(lines, _Lines)
    assert (doc.line("duties[0]"), doc.line("unit.id")) == (4, 2)
    assert lines._full is None  # noqa: SLF001
    assert doc.line("duties[0].raci.responsible[0]") == 6
    assert doc.lines["duties[0].raci"] == 5


_DECIMALS = st.text(alphabet="0123456789._+-eE:x", min_size=1, max_size=8)


@settings(max_examples=300)
@given(_DECIMALS, st.sampled_from(["tag:yaml.org,2002:int", "tag:yaml.org,2002:float"]))
def test_plain_numbers_read_as_pyyaml_reads_them(text: str, tag: str) -> None:
    """The plain reader's quick decimals give PyYAML's value, or leave the text to `_Builder`."""
    reader = _PlainReader()
    node = yaml.ScalarNode(tag, text)

    def outcome(read: Callable[[], object]) -> tuple[object, ...]:
        try:
            value = read()
        except (_Unusual, ValueError, KeyError):
            return ("left to _Builder",)
        except IndexError:  # PyYAML's own error on '!!int +' (raised by both)
            return ("IndexError",)
        unusual = (isinstance(value, float) and not math.isfinite(value)) or (
            isinstance(value, int) and not isinstance(value, bool) and not _fits_a_float(value))
        return ("left to _Builder",) if unusual else (type(value), value)

    expected = outcome(lambda: _CONSTRUCTORS[tag](reader._constructor, node))  # noqa: SLF001
    assert outcome(lambda: reader._scalar(node)) == expected  # noqa: SLF001


@settings(max_examples=100)
@given(_trees)
def test_quick_loader_composes_as_the_safe_loader(data: object) -> None:
    """The quick loader's node tree has the tags, values and lines of the safe loader's."""
    text = yaml.safe_dump({"d": data}, allow_unicode=True, default_flow_style=False)
    text += "z: [yes, No, ~, '', 1_0, 0o7, 2026-10-01, '2026-10-01', .inf, 1:30, =, <<]\n"

    def shape(node: yaml.Node) -> object:
        children = node.value if isinstance(node, yaml.ScalarNode) else [
            shape(part) for item in node.value for part in (item if isinstance(item, tuple) else (item,))]
        return (type(node).__name__, node.tag, node.start_mark.line, children)

    quick = yaml.compose(text, Loader=_QuickLoader)
    assert quick is not None
    assert shape(quick) == shape(yaml.compose(text, Loader=yaml.SafeLoader))
