"""The package layout: one subpackage per stage, imports run down the flow, the API shows itself."""

import ast
import importlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

import servresp
from servresp.cli import main

SRC = Path(servresp.__file__).parent
STAGES = ("model", "evaluate", "trace", "lint", "records", "render", "analysis", "interop", "service", "cli")
LAYER = {  # lower runs first; a module may import only from its own layer or below
    "errors": 0, "_fs": 0, "_gc": 0, "_lazy": 0, "_value": 0, "_version": 0, "i18n": 0,
    "model": 1, "evaluate": 2, "trace": 3, "lint": 4, "records": 4, "render": 5,
    "analysis": 6, "interop": 6, "service": 7, "cli": 8, "__init__": 9, "__main__": 9,
}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (imports for the type checker only)."""
    nodes: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        nodes.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return nodes


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("servresp"):
            if node.module == "servresp":  # from servresp import _fs: the module named
                found.update(f"servresp.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("servresp"))
    return found


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_imports(stage: str) -> None:
    module = importlib.import_module(f"servresp.{stage}")
    assert module.__doc__, f"servresp.{stage} has no docstring"


def test_no_import_runs_up_the_flow() -> None:
    upward = []
    for path in sorted(SRC.rglob("*.py")):
        here = _module_name(path)
        stage = _stage(here)
        for imported in _imports(path):
            target = _stage(imported)
            if target in LAYER and LAYER[target] > LAYER[stage]:
                upward.append(f"{here} imports {imported}")
    assert upward == []


def test_the_layer_table_knows_every_top_level_name() -> None:
    names = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
             if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert names <= set(LAYER)


def test_no_circular_imports_between_modules() -> None:
    """Model ↔ graph and trace ↔ why are gone: no two modules import each other."""
    graph = {_module_name(p): set(_imports(p)) for p in SRC.rglob("*.py")}
    circles = sorted(f"{a} <-> {b}" for a, deps in graph.items() for b in deps
                     if a < b and a in graph.get(b, set()) and not b.startswith(a + "."))
    assert circles == []


def test_dir_and_help_list_the_api() -> None:
    for name in ("load_default", "read_facts", "evaluate", "trace", "build_report", "lint",
                 "accountable_for", "duties_serving", "units_implicated_by", "generate_charts"):
        assert name in dir(servresp)
        assert name in servresp.__doc__
    env = {"PAGER": "cat", "TERM": "dumb"}
    text = subprocess.run([sys.executable, "-c", "import servresp; help(servresp)"],
                          capture_output=True, text=True, check=True, env=env).stdout
    assert "build_report" in text
    assert "load_default" in text


def test_importing_servresp_starts_no_rules_engine() -> None:
    code = ("import sys, servresp, servresp.model, servresp.lint, servresp.render, servresp.records; "
            "servresp.load_default(); print(any(m.startswith('durable') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_trace_and_evaluate_are_packages_and_functions() -> None:
    import servresp.evaluate as evaluate_stage  # noqa: PLC0415 - the point of the test
    import servresp.trace as trace_stage  # noqa: PLC0415

    assert trace_stage.Trace is servresp.Trace
    assert evaluate_stage.read_facts is servresp.read_facts
    model = servresp.load_default()
    facts = servresp.read_facts([str(Path(__file__).parents[1] / "examples" / "product_broken.jsonl")], model)
    result = servresp.trace(model, servresp.evaluate(model, facts), "product_works")
    assert result.status == "breached"


def test_version_is_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert servresp.__version__ == importlib.metadata.version("servresp")
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"servresp {servresp.__version__}"
