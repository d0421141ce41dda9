"""The explorer as a static site: the built front end plus the JSON it would fetch, embedded.

A page opened from the file system cannot fetch JSON files, so the documents the service
would serve (`model_document`, every unit, duty and promise document, and the trace report
and readings of each facts file given) go into ``data.js``, a script that sets
``window.SERVRESP_DATA`` before the explorer starts. Same model and facts, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from servresp import _fs
from servresp.evaluate.facts import FactSet
from servresp.model.classes import Model
from servresp.render.documents import model_document, node_document
from servresp.service.explorer import ASSETS
from servresp.trace.readings import readings, readings_to_dict
from servresp.trace.report import build_report

__all__ = ["SITE_SCHEMA", "Example", "render_site", "site_document", "write_site"]

SITE_SCHEMA = "servresp.site/1"
_DATA_MARK = "<!--servresp-data-->"
_BUNDLE = ("explorer.js", "explorer.css")

Example = tuple[str, FactSet]
"""A facts file the site can show traced: its name and its facts."""


def site_document(model: Model, examples: Sequence[Example] = ()) -> dict[str, Any]:
    """Return what the static explorer embeds: the model, its node documents, traced examples."""
    nodes = {id_: node_document(model, id_)
             for id_ in sorted({*model.units, *model.duties, *model.promises})}
    return {
        "schema": SITE_SCHEMA,
        "model": model_document(model),
        "nodes": nodes,
        "examples": [
            {"name": name,
             "trace": build_report(model, facts).to_dict(),
             "readings": readings_to_dict(readings(model, facts))}
            for name, facts in sorted(examples, key=lambda example: example[0])
        ],
    }


def _asset(name: str) -> str:
    path = ASSETS / name
    if not path.is_file():
        from servresp.errors import ServrespError  # noqa: PLC0415 - only on this path

        raise ServrespError(f"the explorer is not built: {path} is missing; run 'make explorer'")
    return path.read_text(encoding="utf-8")


def render_site(model: Model, examples: Sequence[Example] = ()) -> dict[str, str]:
    """Return the site's files by relative path: ``index.html``, ``data.js`` and the bundle."""
    data = json.dumps(site_document(model, examples), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    index = _asset("index.html").replace(_DATA_MARK, '<script src="data.js"></script>')
    return {
        "index.html": index,
        "data.js": f"window.SERVRESP_DATA = {data};\n",
        **{name: _asset(name) for name in _BUNDLE},
    }


def write_site(out: Path, files: Mapping[str, str]) -> list[str]:
    """Write ``files`` into ``out``; return the relative paths written, sorted."""
    for relpath in sorted(files):
        _fs.write_atomic(out, relpath, files[relpath])
    return sorted(files)
