import csv
import html
import importlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servresp import _fs
from servresp.cli import main
from servresp.model.classes import Model, Text
from servresp.model.load import default_rules_dir, load_default, load_model
from servresp.render import charts, csvfile, dot, markdown, mermaid
from servresp.render import html as html_render
from strategies import models

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"
BRIEF_UNITS = (
    "top_management", "middle_management", "employee", "marketing", "sales", "customer_service",
    "rnd", "production", "purchasing", "qc", "hr", "finance",
)
_NEWLINES = re.compile(r"\r\n|\r")


def minimal() -> Model:
    return load_model(MINIMAL)


def bundled() -> Model:
    return load_default()  # a broken bundled model fails the tests that use it


def one_line(value: str) -> str:
    """Normalise newlines as every renderer does: CR LF and a lone CR count as LF."""
    return _NEWLINES.sub("\n", value)


# --------------------------------------------------------------------------- parsers


def csv_rows(text: str) -> list[list[str]]:
    """Read the CSV back, undoing the ``'`` that neutralises a formula-like cell."""
    assert text.startswith(csvfile.BOM)
    rows = csv.reader(io.StringIO(text.removeprefix(csvfile.BOM), newline=""))
    return [[_unformula(cell) for cell in row] for row in rows]


def _unformula(cell: str) -> str:
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"formula-like cell {cell!r}"
    return csvfile.unneutralise(cell)


class _TableParser(HTMLParser):
    """Collect the cells of every table row; check that tags are balanced."""

    VOID = frozenset({"meta", "br"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.rows: list[list[tuple[str, dict[str, str | None]]]] = []
        self.cell: list[str] | None = None
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            assert self.cell is not None, "<br> outside a cell"
            self.cell.append("\n")
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell, self.attrs = [], dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> without an open tag"
        assert self.stack.pop() == tag, f"</{tag}> closes another tag"
        if tag in ("td", "th"):
            assert self.cell is not None
            self.rows[-1].append(("".join(self.cell), self.attrs))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_rows(text: str) -> list[list[tuple[str, dict[str, str | None]]]]:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], f"unclosed tags {parser.stack}"
    return parser.rows


_MD_TOKEN = re.compile(r"<br>|\\[!-/:-@\[-`{-~]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z0-9]+);")


def md_unescape(value: str) -> str:
    """Read Markdown inline text back the way CommonMark does, for what our escaping emits."""

    def one(match: re.Match[str]) -> str:
        found = match.group()
        if found == "<br>":
            return "\n"
        if found.startswith("\\"):
            return found[1]
        return html.unescape(found)

    return _MD_TOKEN.sub(one, value)


def md_cells(line: str) -> list[str]:
    """Split a GFM table row on unescaped pipes; return the raw cells, trimmed."""
    assert line.startswith("| ")
    assert line.endswith(" |")
    cells, current, i = [], "", 1
    body = line[1:-1]
    while i <= len(body):
        char = body[i - 1]
        if char == "\\" and i < len(body):
            current += body[i - 1: i + 1]
            i += 2
            continue
        if char == "|":
            cells.append(current.strip(" \t"))
            current = ""
        else:
            current += char
        i += 1
    cells.append(current.strip(" \t"))
    return cells


_MERMAID_LINE = re.compile(
    r"""\s*(?:
        flowchart\ BT
      | (?P<node>n\d+)(?P<open>\(\["|\{\{"|\[")(?P<label>[^"]*)(?P<close>"\]\)|"\}\}|"\])
      | subgraph\ (?P<cluster>c\d+)\["(?P<clabel>[^"]*)"\]
      | end
      | n\d+\ (?:-->|-\.->|==>)\ n\d+
      | classDef\ \w+\ [\w:#,.\ -]+
      | class\ n\d+(?:,n\d+)*\ \w+
    )\Z""",
    re.VERBOSE,
)
_MERMAID_ENTITY = re.compile(r"#(\d+|quot);")


def mermaid_decode(label: str) -> str:
    assert "\n" not in label
    assert "<" not in label.replace("<br>", "")
    label = label.replace("<br>", "\n")
    return _MERMAID_ENTITY.sub(lambda m: '"' if m.group(1) == "quot" else chr(int(m.group(1))), label)


def mermaid_block(page: str) -> str:
    start = page.index("```mermaid\n") + len("```mermaid\n")
    return page[start: page.index("\n```", start)]


def mermaid_labels(block: str) -> tuple[list[str], list[str]]:
    """Check every line against the subset of Mermaid we write; return node and cluster labels."""
    nodes, clusters = [], []
    for line in block.splitlines():
        match = _MERMAID_LINE.match(line)
        assert match, f"not Mermaid we write: {line!r}"
        if match["node"]:
            nodes.append(mermaid_decode(match["label"]))
        elif match["cluster"]:
            clusters.append(mermaid_decode(match["clabel"]))
    return nodes, clusters


_DOT_TOKEN = re.compile(r'\s*(?:(//[^\n]*)|("(?:[^"\\]|\\.)*")|(->|[{}\[\];,=])|([A-Za-z_][\w.]*|-?[\d.]+))',
                        re.DOTALL)


def dot_string(token: str) -> str:
    """Decode a quoted DOT string, allowing only the escapes we write."""
    body = token[1:-1]
    assert "\n" not in body
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            nxt = body[i + 1]
            assert nxt in '\\"n', f"unexpected escape \\{nxt}"
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(body[i])
            i += 1
    return html.unescape("".join(out))  # Graphviz reads HTML entities; we write & as &amp;


def dot_tokens(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _DOT_TOKEN.match(text, pos)
        assert match, f"bad DOT at {text[pos:pos + 40]!r}"
        assert match.end() > pos
        pos = match.end()
        if not match.group(1):
            tokens.append(match.group().strip())
    return tokens


class _DotParser:
    """Parse the DOT subset we write, by recursive descent; collect attributes.

    The subset: graph/node/edge attribute statements, node and edge statements, subgraphs.
    """

    def __init__(self, text: str) -> None:
        self.tokens = dot_tokens(text)
        self.i = 0
        self.nodes: dict[str, dict[str, str]] = {}
        self.edges: list[tuple[str, str]] = []
        self.graphs: dict[str, dict[str, str]] = {}

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.i]
        assert expected is None or token == expected, f"expected {expected!r}, found {token!r}"
        self.i += 1
        return token

    def ident(self) -> str:
        token = self.take()
        return dot_string(token) if token.startswith('"') else token

    def attributes(self) -> dict[str, str]:
        found: dict[str, str] = {}
        self.take("[")
        while self.tokens[self.i] != "]":
            key = self.ident()
            self.take("=")
            found[key] = self.ident()
            if self.tokens[self.i] in (",", ";"):
                self.take()
        self.take("]")
        return found

    def statements(self, graph: str) -> None:
        self.take("{")
        while self.tokens[self.i] != "}":
            if self.tokens[self.i] == "subgraph":
                self.take()
                name = self.ident()
                self.statements(name)
                continue
            if self.tokens[self.i] in ("graph", "node", "edge"):
                kind = self.take()
                attributes = self.attributes()
                if kind == "graph":
                    self.graphs[graph] = attributes
            else:
                first = self.ident()
                if self.tokens[self.i] == "->":
                    self.take()
                    self.edges.append((first, self.ident()))
                    if self.tokens[self.i] == "[":
                        self.attributes()
                else:
                    self.nodes[first] = self.attributes()
            self.take(";")
        self.take("}")

    def parse(self) -> None:
        self.take("digraph")
        name = self.ident()
        self.statements(name)
        assert self.i == len(self.tokens), "text after the graph"


def parse_dot(text: str) -> _DotParser:
    parser = _DotParser(text)
    parser.parse()
    if importlib.util.find_spec("pydot") is not None:  # pragma: no cover - optional
        import networkx as nx  # noqa: PLC0415 - only with pydot

        pydot = importlib.import_module("pydot")
        graph = nx.drawing.nx_pydot.from_pydot(pydot.graph_from_dot_data(text)[0])
        assert {n.strip('"') for n in graph.nodes} >= set(parser.nodes)
    return parser


def squash(value: str) -> str:
    """DOT labels are wrapped at spaces: compare them with whitespace collapsed."""
    return " ".join(value.split())


# --------------------------------------------------------------------------- generate


def test_generate_minimal_files() -> None:
    """The minimal model gives every chart, under stable relative paths, sorted."""
    generated = charts.generate(minimal())
    assert list(generated) == [
        "index.md", "promises/service_ok.dot", "promises/service_ok.faulttree.dot",
        "promises/service_ok.faulttree.md", "promises/service_ok.md", "raci.csv", "raci.html",
        "raci.md", "standards.md", "units/boss.md", "units/buyer.md", "units/desk.md",
        "vocabulary.md",
    ]


def test_raci_csv_of_minimal_model() -> None:
    """The CSV names the units by id and combines roles like A/R."""
    assert charts.generate(minimal())["raci.csv"] == (
        "\ufeffowner,owner_name,duty,text,boss,buyer,desk\n"
        "boss,Top management,boss.organise,Organise for customers,A/R,,\n"
        "buyer,Purchasing,buyer.buy_on_time,Buy on time,,A/R,\n"
        "desk,Service desk,desk.answer_calls,Answer calls,,C,A/R\n"
    )


def test_raci_markdown_of_minimal_model() -> None:
    """The Markdown matrix has a table per owner, accountable cells in bold."""
    text = charts.generate(minimal())["raci.md"]
    assert "## Service desk (`desk`)" in text
    assert "| `desk.answer_calls` | Answer calls |  | C | **A/R** |" in text


def test_unit_sheet_of_minimal_model() -> None:
    """A duty sheet lists the duty in both languages, its RACI, suppliers and standards."""
    sheet = charts.generate(minimal())["units/desk.md"]
    assert sheet.startswith("<!-- Generated by servresp docs")
    for fragment in (
        "# Service desk · 客户服务部",
        "- **Faces**: external customers",
        "### `desk.answer_calls`",
        "- **English**: Answer calls",
        "- **Chinese**: 接听电话",
        ("- **RACI**: **A** [Service desk](../units/desk.md) · **R** [Service desk](../units/desk.md)"
         " · **C** [Purchasing](../units/buyer.md)"),
        ("| [Purchasing](../units/buyer.md) | [`buyer.buy_on_time`](../units/buyer.md#buyerbuy_on_time)"
         " | [`desk.answer_calls`](../units/desk.md#deskanswer_calls) |"),
        "- **S4** Customer retention management (`004.txt`): §3.客户服务部, §6.采购部",
    ):
        assert fragment in sheet


def test_roles_on_others_duties_and_whom_it_supplies() -> None:
    """Purchasing is consulted on the desk's duty and supplies it."""
    sheet = charts.generate(minimal())["units/buyer.md"]
    assert "## Roles on other units' duties" in sheet
    row = ("| [`desk.answer_calls`](../units/desk.md#deskanswer_calls) | [Service desk](../units/desk.md)"
           " | C | Answer calls |")
    assert row in sheet
    assert "## Whom it supplies" in sheet


def test_promise_page_has_mermaid_and_dot() -> None:
    """Each promise has a page with a Mermaid map and a DOT file with the same nodes."""
    generated = charts.generate(minimal())
    nodes, clusters = mermaid_labels(mermaid_block(generated["promises/service_ok.md"]))
    assert nodes[0] == "The service is as promised"
    assert clusters == ["Top management", "Purchasing", "Service desk"]
    parsed = parse_dot(generated["promises/service_ok.dot"])
    assert set(parsed.nodes) == {"service_ok", "calls_answered", "boss.organise", "buyer.buy_on_time",
                              "desk.answer_calls"}
    assert ("calls_answered", "service_ok") in parsed.edges
    assert parsed.graphs["cluster_desk"]["label"] == "Service desk"


def test_standards_and_vocabulary_pages() -> None:
    """The standards sheet shows target and window; the vocabulary who reads each signal."""
    generated = charts.generate(minimal())
    standard = ("| `calls_answered` | Calls answered in time | `call.answered_rate` | >= 0.96 | month | — |"
                " time_limits | standard |")
    assert standard in generated["standards.md"]
    vocabulary = generated["vocabulary.md"]
    metric = ("| `call.answered_rate` | Share of calls answered in time | [0, 1] |"
              " [`calls_answered`](standards.md) | — |")
    assert metric in vocabulary
    event = "| `supplier.late_delivery` | A supplier delivered late | — | — | `desk.late_supplies` |"
    assert event in vocabulary


def test_index_links_every_page() -> None:
    """The index links every generated Markdown page and the DOT files."""
    generated = charts.generate(minimal())
    index = generated["index.md"]
    for relpath in generated:
        if relpath != "index.md":
            assert f"({relpath})" in index, relpath


def test_chinese_captions() -> None:
    """--lang zh writes captions and model texts in Chinese."""
    generated = charts.generate(minimal(), lang="zh")
    assert "# 客户服务部 · Service desk" in generated["units/desk.md"]
    assert "RACI 责任矩阵" in generated["raci.md"]
    assert '<html lang="zh">' in generated["raci.html"]


def test_generate_is_deterministic() -> None:
    """Same model, same bytes — and no absolute path or timestamp in any chart."""
    first, second = charts.generate(minimal()), charts.generate(minimal())
    assert first == second
    assert not any(str(MINIMAL.resolve()) in text or str(Path.cwd()) in text for text in first.values())


def test_generate_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Two processes with different hash seeds write the same files (no set order leaks)."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "servresp", "docs", str(out), "--rules", str(MINIMAL)],
                       check=True, env=env, capture_output=True)
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*"))
                        if p.is_file() and p.suffix != ".svg"})
    assert outputs[0] == outputs[1]


def test_gist_cuts_at_the_first_clause() -> None:
    """Diagram boxes show a duty's first clause, cut at a space."""
    assert charts.gist("Lead by example: corporate culture comes from") == "Lead by example"
    assert charts.gist("短: x") == "短: x"
    assert charts.gist("a" * 100) == "a" * 89 + "…"
    assert charts.gist("word " * 30) == ("word " * 18).rstrip() + "…"
    assert charts.gist("以身作则：企业文化") == "以身作则：企业文化"


# --------------------------------------------------------------------------- bundled model


def test_bundled_raci_has_exactly_one_accountable_per_duty() -> None:
    """In the bundled model's raci.csv each duty row has exactly one A, in its accountable's column."""
    model = bundled()
    rows = csv_rows(charts.generate(model)["raci.csv"])
    header, body = rows[0], rows[1:]
    assert sorted(row[2] for row in body) == sorted(model.duties)
    for row in body:
        accountable = [header[i] for i, cell in enumerate(row) if i >= 4 and "A" in cell.split("/")]
        assert accountable == [model.duties[row[2]].raci.accountable], row[2]


def test_every_unit_of_the_brief_has_a_sheet() -> None:
    """Every department and tier the brief names has a duty sheet with duties on it."""
    generated = charts.generate(bundled())
    for unit_id in BRIEF_UNITS:
        sheet = generated[f"units/{unit_id}.md"]
        assert "### `" in sheet, unit_id
    assert any(
        "cross-functional team" in text for path, text in generated.items() if path.startswith("units/")
    )


def test_bundled_promise_maps_parse() -> None:
    """Every promise map of the bundled model is Mermaid and DOT we can read back."""
    model = bundled()
    generated = charts.generate(model)
    for promise_id in model.promises:
        nodes, _ = mermaid_labels(mermaid_block(generated[f"promises/{promise_id}.md"]))
        assert len(nodes) == len(parse_dot(generated[f"promises/{promise_id}.dot"]).nodes)


# --------------------------------------------------------------------------- stale / write


def test_write_then_stale_is_empty(tmp_path: Path) -> None:
    """After write() nothing is stale, and a second write() writes nothing."""
    generated = charts.generate(minimal())
    assert charts.stale(tmp_path / "out", generated) == sorted([*generated, charts.MANIFEST])
    assert charts.write(tmp_path / "out", generated) == sorted(generated)
    assert charts.stale(tmp_path / "out", generated) == []
    assert charts.write(tmp_path / "out", generated) == []


def test_stale_after_a_model_change(tmp_path: Path) -> None:
    """Changing one duty's text makes exactly the charts that show it stale; write() fixes it."""
    model = minimal()
    charts.write(tmp_path, charts.generate(model))
    duty = model.duties["buyer.buy_on_time"]
    changed = attrs.evolve(model, graph=None, duties={
        **model.duties, duty.id: attrs.evolve(duty, text=Text(en="Buy early", zh="提前采购"))})
    generated = charts.generate(changed)
    assert charts.stale(tmp_path, generated) == [
        charts.MANIFEST, "promises/service_ok.dot", "promises/service_ok.md", "raci.csv", "raci.html",
        "raci.md", "units/buyer.md",
    ]
    stale = charts.stale(tmp_path, generated)
    assert charts.write(tmp_path, generated) == stale[1:]
    assert charts.stale(tmp_path, generated) == []


def test_stale_after_a_hand_edit(tmp_path: Path) -> None:
    """A chart edited by hand is stale."""
    generated = charts.generate(minimal())
    charts.write(tmp_path, generated)
    (tmp_path / "units" / "desk.md").write_text("edited", encoding="utf-8")
    assert charts.stale(tmp_path, generated) == ["units/desk.md"]


def test_left_over_charts_are_stale_and_removed(tmp_path: Path) -> None:
    """A page an earlier write() made and no longer produced is stale and deleted; others stay."""
    generated = charts.generate(minimal())
    earlier = {**generated, "units/gone.md": generated["units/desk.md"],
               "promises/gone.dot": generated["promises/service_ok.dot"]}
    charts.write(tmp_path, earlier)
    (tmp_path / "notes.md").write_text("# my notes\n", encoding="utf-8")
    (tmp_path / "promises" / "service_ok.svg").write_text("<svg/>", encoding="utf-8")
    assert charts.stale(tmp_path, generated) == [charts.MANIFEST, "promises/gone.dot", "units/gone.md"]
    assert charts.write(tmp_path, generated) == []
    assert charts.stale(tmp_path, generated) == []
    assert (tmp_path / "notes.md").exists()
    assert (tmp_path / "promises" / "service_ok.svg").exists()
    assert not (tmp_path / "units" / "gone.md").exists()


def test_write_refuses_escaping_paths_before_writing_anything(tmp_path: Path) -> None:
    """A path that would escape the folder is refused, and no file is written."""
    out = tmp_path / "out"
    with pytest.raises(_fs.UnsafePathError, match=r"'\.\./evil\.md'"):
        charts.write(out, {"a.md": "x", "../evil.md": "x"})
    assert not (tmp_path / "evil.md").exists()
    assert not (out / "a.md").exists()


def test_write_svgs_without_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `dot` on PATH no SVG is written and the note says how to get them."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    written, note = charts.write_svgs(tmp_path, charts.generate(minimal()))
    assert written == []
    assert note == charts.NO_GRAPHVIZ
    assert "apt-get install graphviz" in note


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_write_svgs_with_graphviz(tmp_path: Path) -> None:
    """With Graphviz, each DOT file gets an SVG beside it; stale() does not compare SVGs."""
    generated = charts.generate(minimal())
    charts.write(tmp_path, generated)
    written, note = charts.write_svgs(tmp_path, generated)
    assert (written, note) == (["promises/service_ok.svg"], "")
    assert "<svg" in (tmp_path / "promises" / "service_ok.svg").read_text(encoding="utf-8")
    assert charts.write_svgs(tmp_path, generated) == ([], "")
    assert charts.stale(tmp_path, generated) == []


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_write_svgs_reports_a_failing_diagram(tmp_path: Path) -> None:
    """A DOT file Graphviz rejects is named in the note; the others are still rendered."""
    written, note = charts.write_svgs(tmp_path, {"a.dot": "digraph { a -> }", "b.dot": "digraph { b }"})
    assert written == ["b.svg"]
    assert note.startswith("Graphviz 'dot' failed on a.dot: ")


# --------------------------------------------------------------------------- CLI


def test_cli_docs_and_check(tmp_path: Path) -> None:
    """`servresp docs OUT` writes; `--check` passes, then fails with 'stale:' lines after an edit."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL)], stdout=out, stderr=err) == 0
    assert f"wrote {tmp_path / 'raci.md'}" in out.getvalue()
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL), "--check"],
                stdout=io.StringIO(), stderr=io.StringIO()) == 0
    (tmp_path / "raci.csv").write_text("edited", encoding="utf-8")
    err = io.StringIO()
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL), "--check"],
                stdout=io.StringIO(), stderr=err) == 1
    assert err.getvalue() == f"stale: {tmp_path / 'raci.csv'}\n"


def test_cli_docs_into_a_file_is_one_error_line(tmp_path: Path) -> None:
    """An output 'folder' that is a file gives one error line and exit 2, no traceback."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    err = io.StringIO()
    assert main(["docs", str(tmp_path / "file"), "--rules", str(MINIMAL)],
                stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue() == f"error: cannot write '{tmp_path / 'file'}': it is a file, not a folder\n"
    assert len(err.getvalue().splitlines()) == 1


def test_cli_docs_check_on_a_missing_folder(tmp_path: Path) -> None:
    """--check on a folder that does not exist reports every chart as stale and writes nothing."""
    err = io.StringIO()
    assert main(["docs", str(tmp_path / "none"), "--rules", str(MINIMAL), "--check"],
                stdout=io.StringIO(), stderr=err) == 1
    assert len(err.getvalue().splitlines()) == len(charts.generate(minimal())) + 1  # + the manifest
    assert not (tmp_path / "none").exists()


def test_bundled_rules_dir_is_not_in_the_output() -> None:
    """No chart of the bundled model mentions where the rules were read from."""
    generated = charts.generate(bundled())
    where = str(default_rules_dir().resolve())
    assert not any(where in text for text in generated.values())


# --------------------------------------------------------------------------- escaping


def test_markdown_escaping_examples() -> None:
    """Markdown: '|', backticks, brackets, '#' backslashed; '<' and entity-like '&' as entities."""
    assert markdown.text("a|b `c` [d](e) #1 <b> R&D &amp;\nx\\") == (
        "a\\|b \\`c\\` \\[d\\](e) \\#1 &lt;b> R&D &amp;amp;<br>x\\\\")
    assert markdown.code("call.answered_rate") == "`call.answered_rate`"
    assert markdown.code("a`b|c") == "a\\`b\\|c"


def test_mermaid_escaping_examples() -> None:
    """Mermaid: quotes, '#', brackets and HTML characters become entity codes; newlines <br>."""
    assert mermaid.label('say "hi" #1 [x] <b> a&b |`\n') == (
        "say #quot;hi#quot; #35;1 #91;x#93; #60;b#62; a#38;b #124;#96;<br>")


def test_dot_escaping_examples() -> None:
    """DOT: backslashes and quotes are backslashed; a newline (CR LF too) becomes backslash-n."""
    assert dot.quote('a "b" \\l\r\nc') == '"a \\"b\\" \\\\l\\nc"'


def test_html_escaping_examples() -> None:
    """HTML: html.escape with quotes; newlines <br>."""
    assert html_render.text("<a href='x'>\"&\"</a>\n") == (
        "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;&quot;&lt;/a&gt;<br>")


def _check_csv(model: Model, text: str) -> None:
    rows = csv_rows(text)
    columns = [c.id for c in charts.raci_matrix(model).columns]
    assert rows[0] == ["owner", "owner_name", "duty", "text", *columns]
    seen = set()
    for owner, owner_name, duty_id, duty_text, *cells in rows[1:]:
        duty = model.duties[duty_id]
        expected = (duty.owner, one_line(model.units[duty.owner].name.en), one_line(duty.text.en))
        assert (owner, owner_name, duty_text) == expected
        assert sum("A" in cell.split("/") for cell in cells) == 1
        seen.add(duty_id)
    assert seen == set(model.duties)


def _check_html(model: Model, text: str) -> None:
    rows = html_rows(text)
    units = list(charts.raci_matrix(model).columns)
    assert [cell for cell, attributes in rows[0][2:]] == [one_line(model.units[c.id].name.en) for c in units]
    duties = {}
    for row in rows[1:]:
        if len(row) == 1:
            assert row[0][0].startswith("Owner: ")
            assert row[0][0].removeprefix("Owner: ") in {one_line(u.name.en) for u in model.units.values()}
        else:
            duties[row[0][0]] = row[1][0]
    assert duties == {d.id: one_line(d.text.en) for d in model.duties.values()}


def _check_markdown(model: Model, text: str) -> None:
    names = [c.name for c in charts.raci_matrix(model).columns]
    tables = [line for line in text.splitlines() if line.startswith("|")]
    headers = [line for line in tables if line.startswith("| Duty |")]
    assert len(headers) == len({d.owner for d in model.duties.values()})
    for header in headers:
        assert [md_unescape(c) for c in md_cells(header)[2:]] == [one_line(n).strip(" \t") for n in names]
    texts = {}
    for line in tables:
        cells = md_cells(line)
        assert len(cells) == 2 + len(names), line
        if cells[0].startswith("`"):
            texts[cells[0].strip("`")] = md_unescape(cells[1])
    assert texts == {d.id: one_line(d.text.en).strip(" \t") for d in model.duties.values()}
    for unit in model.units.values():
        if any(d.owner == unit.id for d in model.duties.values()):
            assert f"## {_md_escape_check(unit.name.en)} (`{unit.id}`)" in text


def _md_escape_check(value: str) -> str:
    escaped = markdown.text(value)
    assert md_unescape(escaped) == one_line(value)
    return escaped


def _check_diagrams(model: Model, generated: dict[str, str]) -> None:
    for promise_id, promise in model.promises.items():
        diagram = charts.promise_diagram(model, promise_id)
        assert diagram.nodes[0].lines == (promise.text.en,)
        expected = ["\n".join(one_line(line) for line in node.lines) for node in diagram.nodes]
        nodes, clusters = mermaid_labels(mermaid_block(generated[f"promises/{promise_id}.md"]))
        assert nodes == expected
        assert clusters == [one_line(model.units[c.id].name.en) for c in diagram.clusters]
        for node in diagram.nodes:
            if node.kind == "standard":
                assert node.lines[0] == model.standards[node.id].text.en
        parsed = parse_dot(generated[f"promises/{promise_id}.dot"])
        assert parsed.graphs[promise_id]["label"] == one_line(promise.text.en)
        assert list(parsed.nodes) == [n.id for n in diagram.nodes]
        for node, label in zip(diagram.nodes, expected, strict=True):
            assert squash(parsed.nodes[node.id]["label"]) == squash(label)
        for cluster in diagram.clusters:
            name = one_line(model.units[cluster.id].name.en)
            assert parsed.graphs[f"cluster_{cluster.id}"]["label"] == name
        assert sorted(parsed.edges) == sorted((e.source, e.target) for e in diagram.edges)


_SPICE = st.lists(st.sampled_from(
    ["\\", "\r", "\r\n", "\t", "<br>", "&lt;", "&amp;", "&copy", "#quot;", "#35;", "\\n", "\\|",
     "```", "**", "_x_", "[a](b)", "-->", '"]', "// ", "end", " ", "中"]), max_size=4).map("".join)


@st.composite
def nasty_models(draw: st.DrawFn) -> Model:
    """Draw `strategies.models()` with texts spiced with what those lack.

    That is backslashes, carriage returns, tabs, and text that looks like each format's escapes.
    """
    model = draw(models())

    def spice(text: Text) -> Text:
        return Text(en=text.en + draw(_SPICE), zh=draw(_SPICE) + text.zh)

    return attrs.evolve(
        model, graph=None,
        units={k: attrs.evolve(u, name=spice(u.name)) for k, u in model.units.items()},
        duties={k: attrs.evolve(d, text=spice(d.text)) for k, d in model.duties.items()},
        promises={k: attrs.evolve(p, text=spice(p.text)) for k, p in model.promises.items()},
        standards={k: attrs.evolve(s, text=spice(s.text)) for k, s in model.standards.items()},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_models())
def test_any_text_survives_every_format(model: Model) -> None:
    """Names with |, <, quotes, #, backticks, newlines and Chinese read back intact from each format."""
    generated = charts.generate(model)
    _check_csv(model, generated["raci.csv"])
    _check_html(model, generated["raci.html"])
    _check_markdown(model, generated["raci.md"])
    _check_diagrams(model, generated)
    for unit in model.units.values():
        title = generated[f"units/{unit.id}.md"].splitlines()[2]
        first, second = unit.name.en, unit.name.zh
        decoded = md_unescape(title.removeprefix("# "))
        assert decoded in (one_line(first), f"{one_line(first)} · {one_line(second)}")


@settings(max_examples=25, deadline=None)
@given(model=models())
def test_generated_models_write_and_check(tmp_path_factory: pytest.TempPathFactory, model: Model) -> None:
    """For any model, write() then stale() is empty and the same model gives the same bytes."""
    out = tmp_path_factory.mktemp("charts")
    generated = charts.generate(model)
    assert generated == charts.generate(model)
    charts.write(out, generated)
    assert charts.stale(out, generated) == []


# --------------------------------------------------------------------------- issue 14: nothing lost


def test_d6_docs_never_deletes_user_files(tmp_path: Path) -> None:
    """Docs into a folder of users' files (some quoting the banner): none deleted or replaced."""
    (tmp_path / "charts").mkdir()
    users = {"charts/old.md": "# kept\n", "notes.md": f"<!-- {charts.GENERATED_MARK} -->\nmine\n",
             "sub/page.html": f"{charts.GENERATED_MARK}\n", "sub/x.csv": "a,b\n"}
    for relpath, text in users.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL)], stdout=io.StringIO(),
                stderr=io.StringIO()) == 0
    for relpath, text in users.items():
        assert (tmp_path / relpath).read_text(encoding="utf-8") == text
    generated = charts.generate(minimal())
    assert charts.stale(tmp_path, generated) == []


def test_d6_docs_refuses_to_replace_a_file_it_did_not_write(tmp_path: Path) -> None:
    """A user's raci.md where a chart goes: exit 2 naming it, and nothing is written."""
    (tmp_path / "raci.md").write_text(f"<!-- {charts.GENERATED_MARK} -->\nmy raci\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL)], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith(f"error: refusing to write 'raci.md' in '{tmp_path}': servresp docs "
                                     "did not write it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raci.md"]


def test_d7_docs_refuses_a_symlink_inside_out(tmp_path: Path) -> None:
    """``ln -s mine.md out/raci.md``: docs neither writes through it nor deletes its target."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.md").write_text("mine\n", encoding="utf-8")
    (out / "raci.md").symlink_to(out / "mine.md")
    outside = tmp_path / "outside.md"
    outside.write_text("outside\n", encoding="utf-8")
    (out / "index.md").symlink_to(outside)
    assert main(["docs", str(out), "--rules", str(MINIMAL)], stdout=io.StringIO(), stderr=io.StringIO()) == 2
    assert (out / "mine.md").read_text(encoding="utf-8") == "mine\n"
    assert outside.read_text(encoding="utf-8") == "outside\n"
    assert (out / "raci.md").is_symlink()


def test_d8_a_fifo_in_out_never_blocks_docs(tmp_path: Path) -> None:
    """``mkfifo f/index.md; servresp docs f``: refused at once (the FIFO is never opened)."""
    os.mkfifo(tmp_path / "index.md")
    err = io.StringIO()
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL)], stdout=io.StringIO(), stderr=err) == 2
    assert "'index.md'" in err.getvalue()
    assert (tmp_path / "index.md").is_fifo()
    assert main(["docs", str(tmp_path), "--rules", str(MINIMAL), "--check"], stdout=io.StringIO(),
                stderr=io.StringIO()) == 1


def test_d23_stale_temporaries_are_reported_and_removed(tmp_path: Path) -> None:
    """A killed run's ``.raci.md.XXXXXXXX.tmp`` is stale for --check and removed by the next write."""
    generated = charts.generate(minimal())
    charts.write(tmp_path, generated)
    (tmp_path / ".raci.md.ab12cd34.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".mine.ab12cd34.tmp").write_text("a user's", encoding="utf-8")
    assert charts.stale(tmp_path, generated) == [".raci.md.ab12cd34.tmp"]
    assert charts.write(tmp_path, generated) == []
    assert not (tmp_path / ".raci.md.ab12cd34.tmp").exists()
    assert (tmp_path / ".mine.ab12cd34.tmp").exists()


def test_d32_docs_onto_an_existing_file_says_it_is_no_folder(tmp_path: Path) -> None:
    """OUT that is a file: one line saying so (not 'File exists')."""
    (tmp_path / "f").write_text("x", encoding="utf-8")
    err = io.StringIO()
    assert main(["docs", str(tmp_path / "f"), "--rules", str(MINIMAL)], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue() == f"error: cannot write '{tmp_path / 'f'}': it is a file, not a folder\n"


# --------------------------------------------------------------------------- issue 14: escaping


def _renamed(name: str) -> Model:
    model = minimal()
    desk = model.units["desk"]
    return attrs.evolve(model, graph=None, units={**model.units, "desk": attrs.evolve(
        desk, name=Text(en=name, zh=name))})


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_d10_raci_csv_neutralises_formulas(name: str) -> None:
    """A cell a spreadsheet would run as a formula starts with a ``'`` (OWASP)."""
    text = charts.generate(_renamed(name))["raci.csv"]
    rows = list(csv.reader(io.StringIO(text.removeprefix(csvfile.BOM), newline="")))
    names = {row[1] for row in rows[1:] if row[0] == "desk"}
    assert names == {"'" + name.replace("\r", "\n")}


def test_d18_mermaid_label_with_style_colon_hash_keeps_its_entities() -> None:
    """A label like ``style a:b #c; x >= 0.96`` keeps every ``;`` Mermaid needs (``:`` is escaped)."""
    label = mermaid.label("style a:b#c >= 0.96")
    assert ":" not in label
    assert label == "style a#58;b#35;c #62;= 0.96"


def test_d19_graphviz_shows_entities_as_written() -> None:
    """``AT&amp;T`` is shown as written: DOT strings escape ``&``."""
    assert dot.quote("AT&amp;T") == '"AT&amp;amp;T"'
    assert html.unescape(dot.quote("AT&T")[1:-1]) == "AT&T"


def test_charts_of_a_users_model_do_not_name_rules_or_make() -> None:
    """The banner says which command regenerates a chart, not the checkout's rules/ and make."""
    for text in charts.generate(minimal()).values():
        assert "rules/" not in text
        assert "make docs" not in text
