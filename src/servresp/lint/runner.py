"""Whole-model checks: RACI and graph structure, S3's five requirements, S3's scorecard.

`lint` runs the structure checks (``_lint_checks``), the standards checks
(``_lint_standards``) and the scorecard (``_lint_scorecard``), places each finding where the
model says it (``file:line: path``) and sorts them. `render_findings` turns the report into
text for people or JSON for tools. The codes are documented in ``docs/check.md``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import attrs

from servresp._gc import paused_gc
from servresp.i18n import current, ngettext, use
from servresp.i18n import gettext as _
from servresp.lint.checks import iter_issues, reached_duties
from servresp.lint.codes import CODES, Code, Issue, Severity
from servresp.lint.coverage import Coverage, evidence_coverage, iter_coverage_issues
from servresp.lint.scorecard import ScorePoint, scorecard

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from servresp.errors import Problem
    from servresp.model.classes import Model

__all__ = [
    "CODES",
    "SCHEMA",
    "CheckReport",
    "Code",
    "Coverage",
    "Finding",
    "ScorePoint",
    "Severity",
    "coverage_lines",
    "lint",
    "load_findings",
    "render_findings",
]

SCHEMA = "servresp.check/1"
"""The ``schema`` value of ``check --format json``."""

DEFAULT_MAX_STEP = 0.10
"""S3 可行性: 70% now, 75–80% is feasible — a step of 10 points of the metric's range."""


@attrs.frozen
class Finding:
    """One thing wrong with a model: where the model says it, what is wrong, how to fix it."""

    code: str
    """Stable code, e.g. ``SR101`` (see `CODES`)."""
    severity: Severity
    """``error`` fails ``check``; ``warning`` only with ``--strict``."""
    file: str
    """The rules file, as the loader named it; empty for models built in code."""
    line: int
    """1-based line of the object the finding concerns; 0 when unknown."""
    path: str
    """The field, e.g. ``duties[2].raci.responsible``."""
    subject: str
    """The id of the object (a signal's name)."""
    message: str
    """What is wrong."""
    hint: str = ""
    """How to fix it."""

    def __str__(self) -> str:
        """Format as ``rules/sales.yaml:14: error SR101 duties[2].raci.responsible: message``."""
        where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: " if self.file else ""
        hint = _(" (hint: {hint})").format(hint=self.hint) if self.hint else ""
        path = f" {self.path}:" if self.path else ""
        return f"{where}{_(self.severity)} {self.code}{path} {self.message}{hint}"

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Order by file, line, code, then path and message so output is stable."""
        return (self.file, self.line, self.code, self.path, self.message)


@attrs.frozen
class CheckReport:
    """What `lint` found: the findings, sorted, and S3's integration scorecard.

    Iterating a report yields its findings, so it reads like the list of findings it holds.
    """

    findings: tuple[Finding, ...]
    """Sorted by file, line and code."""
    scorecard: tuple[ScorePoint, ...]
    """S3's six integration points, in S3's order."""
    coverage: Coverage | None = None
    """Evidence coverage: the duties some fact can implicate, per unit."""

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity error."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings of severity warning."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def fails(self, *, strict: bool = False) -> bool:
        """Return whether ``check`` exits 1: on errors, or on any finding when ``strict``."""
        return bool(self.errors or (strict and self.findings))

    def __iter__(self) -> Iterator[Finding]:
        """Iterate over the findings."""
        return iter(self.findings)

    def __len__(self) -> int:
        """Return the number of findings."""
        return len(self.findings)


def lint(model: Model, *, max_step: float = DEFAULT_MAX_STEP) -> CheckReport:
    """Check ``model``; ``max_step`` is the largest feasible jump from a baseline (a fraction)."""
    if not max_step >= 0:
        raise ValueError(f"max_step must be a fraction ≥ 0, not {max_step!r}")
    with paused_gc():  # no cycles made; full collections would walk the whole model (B9)
        places = _object_places(model)
        reached = reached_duties(model)  # both the checks and the scorecard need it
        coverage = evidence_coverage(model)  # SR111, SR112 and the printed coverage
        issues = (*iter_issues(model, max_step=max_step, reached=reached),
                  *iter_coverage_issues(coverage))
        findings = sorted((_locate(issue, places) for issue in issues), key=Finding.sort_key)
        return CheckReport(tuple(findings), scorecard(model, reached=reached), coverage)


_SECTIONS = {"unit": "unit", "duty": "duties", "promise": "promises", "standard": "standards",
             "rule": "rules", "signal": "signals"}


_Places = dict[tuple[str, str], tuple[str, int, str]]
"""(kind, id) → (file, line, path of the object)."""


def _location_key(kind: str, id_: str) -> str:
    return f"signal:{id_}" if kind == "signal" else id_


def _object_places(model: Model) -> _Places:
    """Return (kind, id) → (file, line, path) for every located object.

    The model keeps each object's line, not its index in the file's list; objects of one
    kind in one file, in line order, give the index back.
    """
    tables: Mapping[str, Mapping[str, object]] = {
        "unit": model.units, "duty": model.duties, "promise": model.promises,
        "standard": model.standards, "rule": model.rules, "signal": model.signals,
    }
    places: _Places = {}
    for kind, table in tables.items():
        by_file: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for id_ in table:
            where = model.locations.get(_location_key(kind, id_))
            if where is not None:
                by_file[where[0]].append((where[1], id_))
        for file, objects in by_file.items():
            for i, (line, id_) in enumerate(sorted(objects)):
                path = "unit" if kind == "unit" else f"{_SECTIONS[kind]}[{i}]"
                places[kind, id_] = (file, line, path)
    return places


def _locate(issue: Issue, places: _Places) -> Finding:
    section = "units" if issue.kind == "unit" else _SECTIONS[issue.kind]
    unplaced = ("", 0, f"{section}[{issue.subject}]")
    file, line, base = places.get((issue.kind, issue.subject), unplaced)
    path = base if not issue.field else f"{base}.{issue.field}"
    return Finding(code=issue.code, severity=issue.severity or CODES[issue.code].severity,
                   file=file, line=line, path=path, subject=issue.subject,
                   message=issue.message, hint=issue.hint)


def load_findings(problems: Iterable[Problem]) -> CheckReport:
    """Return the problems that kept a model from loading as ``SR000`` findings (no scorecard)."""
    findings = (Finding(code="SR000", severity=Severity.ERROR, file=p.file, line=p.line, path=p.path,
                        subject="", message=p.message, hint=p.hint) for p in problems)
    return CheckReport(tuple(sorted(findings, key=Finding.sort_key)), ())


def render_findings(report: CheckReport | Sequence[Finding], *, fmt: str = "text",
                    lang: str | None = None) -> str:
    """Render a report as ``text`` (for people) or ``json`` (``servresp.check/1``, for tools).

    A plain sequence of findings renders without the scorecard. ``lang`` (default:
    `servresp.i18n.current`) words the text; findings' messages are those `lint` wrote.
    """
    with use(lang):
        return _render(report, fmt)


def _render(report: CheckReport | Sequence[Finding], fmt: str) -> str:
    coverage = None
    if isinstance(report, CheckReport):
        findings, points, coverage = report.findings, report.scorecard, report.coverage
    else:
        findings, points = tuple(sorted(report, key=Finding.sort_key)), ()
    if fmt == "json":
        return _render_json(findings, points, coverage)
    if fmt == "text":
        return _render_text(findings, points, coverage)
    raise ValueError(f"unknown format {fmt!r}; use 'text' or 'json'")


def _summary(findings: Sequence[Finding], points: Sequence[ScorePoint]) -> dict[str, int]:
    return {
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "scorecard_met": sum(p.met for p in points),
        "scorecard_points": len(points),
    }


def _render_json(findings: Sequence[Finding], points: Sequence[ScorePoint],
                 coverage: Coverage | None) -> str:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "lang": current(),
        "findings": [attrs.asdict(f) for f in findings],
        "scorecard": [attrs.asdict(p) for p in points],
        "summary": _summary(findings, points),
    }
    if coverage is not None:
        document["coverage"] = coverage.to_dict()
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def coverage_lines(coverage: Coverage) -> list[str]:
    """Return the evidence coverage as text lines: the whole model, then one line per unit."""
    head = _("evidence coverage: {observable} of {duties} duties observable ({ratio})").format(
        observable=coverage.observable, duties=coverage.duties, ratio=f"{coverage.ratio:.1%}")
    lines = [head]
    for unit in coverage.units:
        mark = _("can take a share") if unit.can_take_share else _("can never take a share")
        lines.append(f"  {unit.unit:<18} {unit.observable:>3}/{unit.duties:<3} {mark}")
    return lines


def _render_text(findings: Sequence[Finding], points: Sequence[ScorePoint],
                 coverage: Coverage | None) -> str:
    lines = [str(f) for f in findings]
    summary = _summary(findings, points)
    if coverage is not None:
        if lines:
            lines.append("")
        lines.extend(coverage_lines(coverage))
    if points:
        if lines:
            lines.append("")
        lines.append(_("integration scorecard (S3 并肩作战): {met} of {points} met").format(
            met=summary["scorecard_met"], points=len(points)))
        for point in points:
            mark = _("met    ") if point.met else _("not met")
            lines.append(f"  {mark} {point.point}. {point.title} [{point.key}]")
            lines.extend(f"            {evidence}" for evidence in point.evidence)
        lines.append("")
    tail = _("; scorecard {met}/{points} met").format(met=summary["scorecard_met"], points=len(points)) \
        if points else ""
    lines.append(_("check: {errors}, {warnings}{tail}").format(
        errors=ngettext("{count} error", "{count} errors", summary["errors"]).format(count=summary["errors"]),
        warnings=ngettext("{count} warning", "{count} warnings", summary["warnings"]).format(
            count=summary["warnings"]),
        tail=tail))
    return "\n".join(lines) + "\n"
