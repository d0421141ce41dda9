"""The interop commands: ``raci``, ``backstage`` and ``openslo`` (import, export, check)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from servresp.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Handler, Subparsers, add_rules, rules_dir
from servresp.errors import Problem
from servresp.model.load import load_model

__all__ = ["register"]


def register(sub: Subparsers) -> dict[str, Handler]:
    """Add the interop commands to ``sub``; return their handlers by name."""
    raci = sub.add_parser("raci", help="RACI matrices: check, import, export (Markdown, CSV, XLSX)")
    raci_sub = raci.add_subparsers(dest="raci_command", required=True)
    check = raci_sub.add_parser("check", help="report what is wrong with a RACI matrix")
    check.add_argument("file", metavar="FILE", help="a .md, .csv or .xlsx file")
    check.add_argument("--sheet", help="XLSX: read this sheet only (default: every sheet)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    imp = raci_sub.add_parser("import", help="write a model skeleton from a RACI matrix")
    imp.add_argument("file", metavar="FILE", help="a .md, .csv or .xlsx file")
    imp.add_argument("out", metavar="OUT", help="output folder for the model files")
    imp.add_argument("--sheet", help="XLSX: read this sheet only (default: every sheet)")
    exp = raci_sub.add_parser("export", help="write the model's RACI matrix")
    exp.add_argument("out", metavar="OUT", help="output folder (raci.xlsx|csv|md); '-' prints csv/md")
    exp.add_argument("--format", choices=("xlsx", "csv", "md"), default="xlsx")
    exp.add_argument("--lang", choices=("en", "zh"), default="en")
    add_rules(exp)

    backstage = sub.add_parser("backstage", help="Backstage catalogs: import groups, export entities")
    b_sub = backstage.add_subparsers(dest="backstage_command", required=True)
    b_imp = b_sub.add_parser("import", help="catalog YAML → the model's units")
    b_imp.add_argument("files", metavar="FILE", nargs="+", help="catalog files (Locations are followed)")
    b_imp.add_argument("out", metavar="OUT", help="output folder for the model files")
    b_exp = b_sub.add_parser("export", help="the model → catalog-info.yaml (Groups, Systems)")
    b_exp.add_argument("out", metavar="OUT", help="output folder")
    b_exp.add_argument("--charts", default="docs/charts", help="where the charts are, for the links")
    add_rules(b_exp)

    openslo = sub.add_parser("openslo", help="OpenSLO v1: import SLOs as standards, export standards")
    o_sub = openslo.add_subparsers(dest="openslo_command", required=True)
    o_imp = o_sub.add_parser("import", help="OpenSLO YAML → standards (a model folder)")
    o_imp.add_argument("files", metavar="FILE", nargs="+", help="OpenSLO files (SLO, SLI, Service)")
    o_imp.add_argument("out", metavar="OUT", help="output folder for the model files")
    o_exp = o_sub.add_parser("export", help="one OpenSLO SLO file per standard")
    o_exp.add_argument("out", metavar="OUT", help="output folder")
    add_rules(o_exp)
    return {"raci": _raci, "backstage": _backstage, "openslo": _openslo}


def _report(problems: Iterable[Problem], err: TextIO) -> int:
    count = 0
    for problem in problems:
        print(problem, file=err)
        count += 1
    return count


def _write(out: Path, files: Mapping[str, str | bytes], stdout: TextIO) -> None:
    from servresp._fs import write_atomic  # noqa: PLC0415 - only commands that write need it

    for relpath in sorted(files):
        print(f"wrote {write_atomic(out, relpath, files[relpath]).relative_to(out.resolve())}", file=stdout)


def _raci(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.raci_command == "export":
        return _raci_export(args, out, err)
    from servresp.interop import raci_check, raci_import, raci_read  # noqa: PLC0415

    path = Path(args.file)
    if args.raci_command == "check":
        report, problems = raci_check.check_file(path, name=args.file, sheet=args.sheet)
        if _report(problems, err):
            return EXIT_USAGE
        out.write(report.to_json() if args.format == "json" else report.to_text())
        return EXIT_FINDINGS if report.has_errors else EXIT_OK
    matrices, problems = raci_read.read_matrices(path, name=args.file, sheet=args.sheet)
    if _report(problems, err):
        return EXIT_USAGE
    report = raci_check.check_matrices(args.file, matrices)
    _write(Path(args.out), raci_import.import_matrices(args.file, matrices), out)
    if report.problems:
        print(f"note: {len(report.problems)} problems in {args.file} are written as comments in the "
              "model files; see 'servresp raci check'", file=err)
    return EXIT_OK


def _raci_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from servresp.interop import raci_export  # noqa: PLC0415

    model = load_model(rules_dir(args))
    if args.format == "xlsx" and args.out == "-":
        print("raci export: an XLSX workbook needs an OUT folder, not '-'", file=err)
        return EXIT_USAGE
    if args.format == "xlsx":
        _write(Path(args.out), {"raci.xlsx": raci_export.export_xlsx(model, lang=args.lang)}, out)
        return EXIT_OK
    render = raci_export.export_csv if args.format == "csv" else raci_export.export_markdown
    text = render(model, lang=args.lang)
    if args.out == "-":
        out.write(text)
    else:
        _write(Path(args.out), {f"raci.{args.format}": text}, out)
    return EXIT_OK


def _backstage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.backstage_command == "export":
        from servresp.interop.backstage_export import export_catalog  # noqa: PLC0415

        model = load_model(rules_dir(args))
        _write(Path(args.out), {"catalog-info.yaml": export_catalog(model, charts=args.charts)}, out)
        return EXIT_OK
    from servresp.interop.backstage_import import import_entities  # noqa: PLC0415
    from servresp.interop.backstage_read import read_catalog  # noqa: PLC0415

    entities, problems = read_catalog([Path(f) for f in args.files], names=args.files)
    files, more = import_entities(entities, source=", ".join(args.files))
    found = _report(sorted([*problems, *more]), err)
    if not files:
        print("backstage import: no Group found to import", file=err)
        return EXIT_USAGE
    _write(Path(args.out), files, out)
    return EXIT_FINDINGS if found else EXIT_OK


def _openslo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.openslo_command == "export":
        from servresp.interop.openslo_export import export_standards  # noqa: PLC0415

        files, problems = export_standards(load_model(rules_dir(args)))
        _write(Path(args.out), files, out)
        return EXIT_FINDINGS if _report(problems, err) else EXIT_OK
    from servresp.interop.openslo_import import read_documents, to_model_files  # noqa: PLC0415

    docs, problems = read_documents([Path(f) for f in args.files], names=args.files)
    files, more = to_model_files(docs, source=", ".join(args.files))
    found = _report([*problems, *more], err)
    if not any(d.data.get("kind") == "SLO" for d in docs):
        print("openslo import: no valid SLO to import", file=err)
        return EXIT_USAGE
    _write(Path(args.out), files, out)
    return EXIT_FINDINGS if found else EXIT_OK
