"""Import and export: RACI spreadsheets, Backstage catalogs and OpenSLO, to and from a model.

- `raci_read` (Markdown, CSV, XLSX → matrices), `raci_check` (the ``servresp.raci/1``
  problems), `raci_import` (a matrix → a model skeleton), `raci_export` (a model → XLSX, CSV,
  Markdown);
- `backstage_rules` (Backstage's entity rules), `backstage_read` (catalog files, Locations
  followed), `backstage_import` (Groups and Users → units), `backstage_export` (a model →
  Groups and Systems);
- `openslo_rules` (the OpenSLO v1 rules), `openslo_import` (SLOs → standards),
  `openslo_export` (standards → SLOs).

Imports return ``{relative path: text}`` for the caller to write with `servresp._fs.write_atomic`;
see docs/interop.md.
"""
