"""Model diff: what a change to a rules folder does to the organisation.

`diff_models(old, new)` compares two loaded models and returns a `ModelDiff`: the ids added,
removed and changed (field by field), who gains or loses a RACI role, every changed target
with S3's feasibility judgement of it (``check``'s own SR203/SR204, from `servresp.lint`),
the duties the change orphans or leaves unobservable, the ``check`` findings it introduces
or resolves, the scorecard points it wins or loses, and the union of the consult and inform
lists (`servresp.analysis.impact`) of everything it touches, in the old model for what was
there before and in the new one for what is there after.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from servresp.analysis._fields import Plain, flatten, plain
from servresp.analysis.coverage import orphaned_duties, unobservable_duties
from servresp.analysis.impact import Involvement, Reason, impact, merge_involvement
from servresp.lint.codes import CODES, Severity
from servresp.lint.runner import CheckReport, Finding, lint
from servresp.model.classes import Role

if TYPE_CHECKING:
    from servresp.model.classes import Model, Raci, Text

__all__ = ["FEASIBILITY_CODES", "KINDS", "SCHEMA", "Change", "FieldChange", "ModelDiff",
           "PointChange", "RaciMove", "TargetChange", "diff_models"]

SCHEMA = "servresp.diff/1"
"""The ``schema`` value of ``diff --format json``."""

KINDS = ("units", "duties", "promises", "standards", "rules", "signals", "sources", "tracing")
"""The sections of a model that a diff compares, in the order it reports them."""
_IMPACT_KIND = {"units": "unit", "duties": "duty", "promises": "promise", "standards": "standard",
                "rules": "rule", "signals": "signal"}
FEASIBILITY_CODES = frozenset(c for c, code in CODES.items() if code.title.startswith("feasible"))
"""The codes by which ``check`` judges a target against its baseline (S3 可行性)."""
_TARGET_FIELDS = ("comparator", "target", "baseline", "status", "metric")


@attrs.frozen
class FieldChange:
    """One field of one object, before and after (None when absent on that side)."""

    field: str
    """Dotted path, e.g. ``raci.accountable``."""
    old: Plain
    """The value before."""
    new: Plain
    """The value after."""


@attrs.frozen
class Change:
    """An object present on both sides whose fields differ."""

    kind: str
    """A key of `KINDS`."""
    id: str
    """The object's id (``tracing`` for the tracing parameters)."""
    fields: tuple[FieldChange, ...]
    """The fields that differ, by path."""


@attrs.frozen
class RaciMove:
    """A unit that gains or loses a RACI role on a duty."""

    duty: str
    """The duty."""
    role: Role
    """The role."""
    unit: str
    """The unit."""
    move: str
    """``gained`` or ``lost``."""


@attrs.frozen
class TargetChange:
    """A standard's target set or changed, with S3's judgement of the new one."""

    standard: str
    """The standard's id."""
    old: Mapping[str, Plain] | None
    """comparator, target, baseline, status and metric before; None for a new standard."""
    new: Mapping[str, Plain]
    """The same after."""
    verdict: str
    """``infeasible`` (a check error), ``doubtful`` (a warning), ``feasible`` (judged against
    a baseline and found reachable) or ``unjudged`` (no baseline to judge it by)."""
    findings: tuple[str, ...]
    """The feasibility findings' messages."""


@attrs.frozen
class PointChange:
    """An S3 scorecard point the change wins or loses."""

    point: int
    """Its number in S3."""
    key: str
    """Its stable name."""
    title: str
    """What the model must show."""
    met: bool
    """Whether it is met after the change."""


@attrs.frozen
class ModelDiff:
    """What changed between two models, and what it means for the organisation."""

    old: str
    """A label for the old side (a folder or ``rev:path``)."""
    new: str
    """A label for the new side."""
    added: Mapping[str, tuple[str, ...]]
    """Kind → ids only in the new model, sorted; every kind of `KINDS` is a key."""
    removed: Mapping[str, tuple[str, ...]]
    """Kind → ids only in the old model, sorted."""
    changed: tuple[Change, ...]
    """Objects on both sides that differ, by kind then id."""
    raci: tuple[RaciMove, ...]
    """Who gains or loses a role, by duty, role, unit."""
    targets: tuple[TargetChange, ...]
    """Targets set or changed, by standard."""
    orphaned: tuple[str, ...]
    """Duties that reach no promise after the change and did before (or are new)."""
    unobservable: tuple[str, ...]
    """Duties no standard or rule can observe after the change and could before (or are new)."""
    new_findings: tuple[Finding, ...]
    """``check`` findings of the new model that the old one did not have."""
    resolved_findings: tuple[Finding, ...]
    """``check`` findings of the old model that the new one no longer has."""
    scorecard: tuple[PointChange, ...]
    """S3 scorecard points won or lost."""
    consult: tuple[Involvement, ...]
    """Units to consult about the change, strongest reason first."""
    inform: tuple[Involvement, ...]
    """Units to inform."""

    @property
    def is_empty(self) -> bool:
        """Whether the two models hold the same objects with the same fields."""
        return not (any(self.added.values()) or any(self.removed.values()) or self.changed)

    def fails(self, *, strict: bool = False) -> bool:
        """Return whether the change introduces a ``check`` error (any finding when ``strict``).

        ``servresp diff`` exits 1 then, so CI can block the change.
        """
        return any(strict or f.severity is Severity.ERROR for f in self.new_findings)

    def to_dict(self) -> dict[str, Any]:
        """Return the ``servresp.diff/1`` document."""
        errors = sum(f.severity is Severity.ERROR for f in self.new_findings)
        return {
            "schema": SCHEMA,
            "old": self.old, "new": self.new,
            "summary": {"added": sum(map(len, self.added.values())),
                        "removed": sum(map(len, self.removed.values())),
                        "changed": len(self.changed), "new_errors": errors,
                        "new_warnings": len(self.new_findings) - errors,
                        "fails": self.fails()},
            "added": {k: list(v) for k, v in self.added.items()},
            "removed": {k: list(v) for k, v in self.removed.items()},
            "changed": [{"kind": c.kind, "id": c.id,
                         "fields": [attrs.asdict(f) for f in c.fields]} for c in self.changed],
            "raci": [{"duty": m.duty, "role": str(m.role), "unit": m.unit, "move": m.move}
                     for m in self.raci],
            "targets": [{"standard": t.standard,
                         "old": dict(t.old) if t.old is not None else None, "new": dict(t.new),
                         "verdict": t.verdict, "findings": list(t.findings)}
                        for t in self.targets],
            "orphaned": list(self.orphaned),
            "unobservable": list(self.unobservable),
            "findings": {"new": [_finding(f) for f in self.new_findings],
                         "resolved": [_finding(f) for f in self.resolved_findings]},
            "scorecard": [attrs.asdict(p) for p in self.scorecard],
            "consult": [i.to_dict() for i in self.consult],
            "inform": [i.to_dict() for i in self.inform],
        }


def _finding(finding: Finding) -> dict[str, Any]:
    return {**attrs.asdict(finding), "severity": str(finding.severity)}


def _tables(model: Model) -> dict[str, Mapping[str, object]]:
    return {"units": model.units, "duties": model.duties, "promises": model.promises,
            "standards": model.standards, "rules": model.rules, "signals": model.signals,
            "sources": model.sources, "tracing": {"tracing": model.tracing}}


def _field_changes(old: object, new: object) -> tuple[FieldChange, ...]:
    before, after = flatten(old), flatten(new)
    return tuple(FieldChange(path, before.get(path), after.get(path))
                 for path in sorted(before.keys() | after.keys())
                 if before.get(path) != after.get(path))


def _raci_moves(old: Model, new: Model) -> Iterator[RaciMove]:
    for duty in sorted(old.duties.keys() | new.duties.keys()):
        before, after = old.duties.get(duty), new.duties.get(duty)
        for role in Role:
            had = set(_holders(before.raci, role)) if before is not None else set()
            has = set(_holders(after.raci, role)) if after is not None else set()
            yield from (RaciMove(duty, role, unit, "gained") for unit in sorted(has - had))
            yield from (RaciMove(duty, role, unit, "lost") for unit in sorted(had - has))


def _holders(raci: Raci, role: Role) -> tuple[str, ...]:
    held: str | tuple[str, ...] = getattr(raci, str(role))
    return (held,) if isinstance(held, str) else tuple(held)


def _target(standard: object) -> dict[str, Plain]:
    return {name: plain(getattr(standard, name)) for name in _TARGET_FIELDS}


def _targets(old: Model, new: Model, report: CheckReport) -> Iterator[TargetChange]:
    for sid, standard in new.standards.items():
        before = old.standards.get(sid)
        if before is not None and _target(before) == _target(standard):
            continue
        found = [f for f in report.findings if f.subject == sid and f.code in FEASIBILITY_CODES]
        if any(f.severity is Severity.ERROR for f in found):
            verdict = "infeasible"
        elif found:
            verdict = "doubtful"
        else:
            verdict = "unjudged" if standard.baseline is None else "feasible"
        yield TargetChange(sid, _target(before) if before is not None else None, _target(standard),
                           verdict, tuple(f.message for f in found))


def _finding_key(finding: Finding) -> tuple[str, str, str, str]:
    """Match findings across versions by what they say, not where: lines move with edits."""
    return (finding.code, str(finding.severity), finding.subject, finding.message)


def _only_in(these: CheckReport, those: CheckReport) -> tuple[Finding, ...]:
    known = {_finding_key(f) for f in those.findings}
    return tuple(f for f in these.findings if _finding_key(f) not in known)


def _newly(old: Model, new: Model, flagged: Mapping[str, set[str]]) -> tuple[str, ...]:
    """Duties flagged in the new model that were not flagged (or not there) in the old."""
    fresh = flagged["new"] & new.duties.keys()
    return tuple(sorted(d for d in fresh if d not in old.duties or d not in flagged["old"]))


def _scorecard(before: CheckReport, after: CheckReport) -> Iterator[PointChange]:
    met = {p.key: p.met for p in before.scorecard}
    for point in after.scorecard:
        if met.get(point.key, not point.met) != point.met:
            yield PointChange(point.point, point.key, point.title, point.met)


def _involved(old: Model, new: Model, touched: Mapping[str, set[str]]) -> tuple[
        tuple[Involvement, ...], tuple[Involvement, ...]]:
    pairs: list[tuple[str, Reason]] = []
    for kind, ids in touched.items():
        if kind not in _IMPACT_KIND:
            continue
        for id_ in sorted(ids):
            for model in (old, new):
                if id_ in _tables(model)[kind]:
                    found = impact(model, id_)
                    pairs += [(i.unit, r) for i in (*found.consult, *found.inform)
                              for r in i.reasons]
    names: dict[str, Text] = {u: unit.name for u, unit in old.units.items()}
    names.update({u: unit.name for u, unit in new.units.items()})
    return merge_involvement(pairs, names)


def diff_models(old: Model, new: Model, *, old_label: str = "old",
                new_label: str = "new") -> ModelDiff:
    """Compare ``old`` with ``new``; the labels name the two sides in the output."""
    before, after = _tables(old), _tables(new)
    added = {k: tuple(sorted(after[k].keys() - before[k].keys())) for k in KINDS}
    removed = {k: tuple(sorted(before[k].keys() - after[k].keys())) for k in KINDS}
    changed = tuple(
        Change(kind, id_, fields)
        for kind in KINDS for id_ in sorted(before[kind].keys() & after[kind].keys())
        if (fields := _field_changes(before[kind][id_], after[kind][id_])))
    touched = {k: {*added[k], *removed[k]} for k in KINDS}
    for change in changed:
        touched[change.kind].add(change.id)
    old_report, new_report = lint(old), lint(new)
    consult, inform = _involved(old, new, touched)
    return ModelDiff(
        old=old_label, new=new_label, added=added, removed=removed, changed=changed,
        raci=tuple(_raci_moves(old, new)),
        targets=tuple(_targets(old, new, new_report)),
        orphaned=_newly(old, new, {"old": orphaned_duties(old), "new": orphaned_duties(new)}),
        unobservable=_newly(old, new, {"old": unobservable_duties(old),
                                       "new": unobservable_duties(new)}),
        new_findings=_only_in(new_report, old_report),
        resolved_findings=_only_in(old_report, new_report),
        scorecard=tuple(_scorecard(old_report, new_report)),
        consult=consult, inform=inform,
    )
