"""One promise's (or one MEF tree's) fault-tree analysis, as text and as ``servresp.cutsets/1``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import attrs

from servresp.analysis.bdd import compile_tree
from servresp.analysis.cutsets import minimal_cut_sets
from servresp.analysis.importance import Importance, importance, occurrence
from servresp.analysis.probability import exact_probability, mcub_probability, rare_event_probability
from servresp.i18n import gettext as _
from servresp.i18n import ljust, rjust, use

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servresp.analysis.cutsets import CutSets
    from servresp.model.faulttree import FaultTree

__all__ = ["CutSetReport", "analyse", "render_cutsets"]

SCHEMA = "servresp.cutsets/1"


@attrs.frozen
class CutSetReport:
    """Minimal cut sets, top-event probability and importance of one tree."""

    top: str
    """The top event (a promise id, or the MEF tree's top gate)."""
    cut_sets: CutSets
    """Minimal cut sets: events sorted by name, sets by size then names."""
    exact: float | None
    """P(top) from the BDD; None without probabilities."""
    rare_event: float | None
    """Sum of the cut sets' probabilities (at most 1)."""
    mcub: float | None
    """Min-cut upper bound."""
    importance: tuple[Importance, ...]
    """Per event in a cut set, by name."""
    labels: Mapping[str, str] = attrs.field(factory=dict)
    """Event → what stands behind it (a duty's owner unit)."""

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form (schema ``docs/schema/cutsets.schema.json``)."""
        return {
            "schema": SCHEMA, "top": self.top, "cut_sets": [list(s) for s in self.cut_sets],
            "probability": {"exact": self.exact, "rare_event": self.rare_event, "mcub": self.mcub},
            "importance": [i.to_dict() for i in self.importance],
        }

    def units_of(self, cut_set: tuple[str, ...]) -> str:
        """Name the units behind a cut set: ``production AND qc`` (events when unlabelled)."""
        names = sorted({self.labels.get(e, e) for e in cut_set})
        return _(" AND ").join(names) if names else _("(nothing needs to fail)")


def analyse(tree: FaultTree) -> CutSetReport:
    """Analyse ``tree``: probabilities and importance only when every event has a probability."""
    compiled = compile_tree(tree)
    cut_sets = minimal_cut_sets(tree, compiled=compiled)
    _, events = tree.reachable()
    if events - set(tree.probabilities):
        counts = occurrence(tree, cut_sets)
        ranks = tuple(Importance(e, n, None, None, None, None, None) for e, n in counts.items())
        return CutSetReport(tree.top, cut_sets, None, None, None, ranks, tree.labels)
    return CutSetReport(
        top=tree.top, cut_sets=cut_sets, exact=exact_probability(tree, compiled=compiled),
        rare_event=rare_event_probability(tree, cut_sets), mcub=mcub_probability(tree, cut_sets),
        importance=importance(tree, compiled=compiled, cut_sets=cut_sets), labels=tree.labels,
    )


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def render_cutsets(report: CutSetReport, *, fmt: str = "text", limit: int = 50,
                   lang: str | None = None) -> str:
    """Render as ``json`` (every cut set) or ``text`` (the first ``limit`` cut sets, in ``lang``)."""
    if fmt == "json":
        return json.dumps(report.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    with use(lang):
        return _render_text(report, limit)


def _render_text(report: CutSetReport, limit: int) -> str:
    lines = [_("{top}: {count} minimal cut sets").format(top=report.top, count=len(report.cut_sets))]
    if report.exact is not None:
        lines.append(_("P(top) exact {exact}, rare-event {rare_event}, min-cut upper bound {mcub}").format(
            exact=_num(report.exact), rare_event=_num(report.rare_event), mcub=_num(report.mcub)))
    else:
        lines.append(_("P(top): no probabilities (give --facts or --probabilities)"))
    lines.append("")
    for i, cut_set in enumerate(report.cut_sets[:limit], start=1):
        shown = _(" AND ").join(cut_set) if cut_set else _("(empty: the top event needs no failure)")
        units = f"  [{report.units_of(cut_set)}]" if report.labels else ""
        lines.append(f"{i:>4}. {shown}{units}")
    if len(report.cut_sets) > limit:
        lines.append("      " + _("… {more} more (--format json lists all)").format(
            more=len(report.cut_sets) - limit))
    event, occurrences = _("event"), _("occ")
    header = (f"{ljust(event, 44)} {rjust(occurrences, 5)} {'MIF':>10} {'CIF':>10} {'DIF':>10} {'RAW':>10} "
              f"{'RRW':>10}")
    lines.extend(["", header])
    ranked = sorted(report.importance, key=lambda i: (-(i.mif or 0.0), -i.occurrence, i.event))
    lines.extend(f"{ljust(i.event, 44)} {i.occurrence:>5} {_num(i.mif):>10} {_num(i.cif):>10} "
                 f"{_num(i.dif):>10} {_num(i.raw):>10} {_num(i.rrw):>10}" for i in ranked)
    return "\n".join(lines) + "\n"
