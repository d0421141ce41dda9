"""servresp.service.explorer.site: the explorer as a static site with its JSON embedded."""

import io
import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import referencing
from hypothesis import given, settings

import servresp
from servresp.cli import main
from servresp.evaluate.facts import read_facts
from servresp.render.documents import model_document, node_document
from servresp.service.explorer import ASSETS
from servresp.service.explorer.site import SITE_SCHEMA, render_site, write_site
from servresp.trace.report import build_report
from strategies import models

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schema"
DEFAULT = servresp.load_default()
BROKEN = ROOT / "examples" / "service_broken.jsonl"


@cache
def validator() -> jsonschema.Draft202012Validator:
    registry: referencing.Registry = referencing.Registry()
    for name in ("site", "trace"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["$id"], referencing.Resource.from_contents(schema))
    site = json.loads((SCHEMAS / "site.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(site, registry=registry)


def embedded(files: dict[str, str]) -> dict:
    prefix, suffix = "window.SERVRESP_DATA = ", ";\n"
    data = files["data.js"]
    assert data.startswith(prefix)
    assert data.endswith(suffix)
    return json.loads(data[len(prefix):-len(suffix)])


def test_the_bundle_is_built_into_the_package() -> None:
    """index.html, the script and the style ship as package data; the page loads only them."""
    index = (ASSETS / "index.html").read_text(encoding="utf-8")
    assert '<script src="explorer.js"></script>' in index
    assert '<link rel="stylesheet" href="explorer.css">' in index
    assert "http" not in index
    assert (ASSETS / "explorer.js").stat().st_size > 0


def test_the_site_embeds_the_documents_the_api_serves() -> None:
    """data.js holds the model document, every node document and each example's trace report."""
    facts = read_facts([str(BROKEN)], DEFAULT)
    files = render_site(DEFAULT, [("examples/service_broken.jsonl", facts)])
    assert sorted(files) == ["data.js", "explorer.css", "explorer.js", "index.html"]
    assert '<script src="data.js"></script>\n<script src="explorer.js"></script>' in files["index.html"]
    data = embedded(files)
    assert data["schema"] == SITE_SCHEMA
    assert data["model"] == json.loads(json.dumps(model_document(DEFAULT)))
    assert data["nodes"]["hr.train_staff"] == json.loads(json.dumps(node_document(DEFAULT, "hr.train_staff")))
    assert sorted(data["nodes"]) == sorted({*DEFAULT.units, *DEFAULT.duties, *DEFAULT.promises})
    [example] = data["examples"]
    assert example["trace"] == json.loads(json.dumps(build_report(DEFAULT, facts).to_dict()))
    assert example["readings"]["schema"] == "servresp.readings/1"
    assert list(validator().iter_errors(data)) == []


@given(models())
@settings(max_examples=10)
def test_the_same_model_gives_the_same_bytes(model) -> None:
    """The site is deterministic, valid against its schema, and has a document for every node."""
    first = render_site(model)
    assert first == render_site(model)
    data = embedded(first)
    assert list(validator().iter_errors(data)) == []
    assert set(data["nodes"]) == {*model.units, *model.duties, *model.promises}
    assert data["examples"] == []


def test_write_site_writes_inside_the_folder(tmp_path: Path) -> None:
    """Every file lands in the output folder; writing twice gives the same bytes."""
    files = render_site(DEFAULT)
    assert write_site(tmp_path, files) == sorted(files)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    write_site(tmp_path, files)
    assert first == {p.name: p.read_bytes() for p in tmp_path.iterdir()}


def test_site_command_reports_rejected_lines_and_writes_the_site(tmp_path: Path) -> None:
    """`servresp site OUT --facts F…` writes four files and names each rejected line on stderr."""
    out, err = io.StringIO(), io.StringIO()
    bad = str(ROOT / "examples" / "bad_lines.jsonl")
    code = main(["site", str(tmp_path), "--facts", bad], stdout=out, stderr=err)
    assert code == 0
    assert out.getvalue().splitlines() == [f"wrote {tmp_path / name}" for name in
                                           ("data.js", "explorer.css", "explorer.js", "index.html")]
    assert "bad_lines.jsonl:2: not valid JSON" in err.getvalue()


def test_site_command_refuses_an_unreadable_facts_file(tmp_path: Path) -> None:
    """A facts file that cannot be read is one error line and exit 2; nothing is written."""
    err = io.StringIO()
    assert main(["site", str(tmp_path / "site"), "--facts", str(tmp_path / "missing.jsonl")],
                stdout=io.StringIO(), stderr=err) == 2
    missing = tmp_path / "missing.jsonl"
    assert err.getvalue() == f"error: {missing}: cannot read facts: No such file or directory\n"
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("name", ["index.html", "explorer.js", "explorer.css"])
def test_a_missing_bundle_says_how_to_build_it(monkeypatch, tmp_path: Path, name: str) -> None:
    """Without the built front end, the site command says to run `make explorer`."""
    for present in ("index.html", "explorer.js", "explorer.css"):
        if present != name:
            (tmp_path / present).write_text((ASSETS / present).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr("servresp.service.explorer.site.ASSETS", tmp_path)
    err = io.StringIO()
    assert main(["site", str(tmp_path / "out")], stdout=io.StringIO(), stderr=err) == 2
    missing = tmp_path / name
    assert err.getvalue() == f"error: the explorer is not built: {missing} is missing; run 'make explorer'\n"
