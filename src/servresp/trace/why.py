"""The plain sentences of a trace: each quotes the values read and the numbers it applies.

Every number here can be recomputed from the trace's JSON output (masses, weights and
fractions are printed with the same 4 decimals as shares).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from servresp.i18n import N_, decimal, number, pick
from servresp.i18n import gettext as _
from servresp.model.classes import Comparator, EventCondition, MetricCondition, Role

if TYPE_CHECKING:
    from servresp.model.classes import Model, TracingParameters
    from servresp.trace.evidence import Evidence

__all__ = ["candidate", "condition", "evidence_sentences", "role", "share", "transfer"]

_SIDE = {
    Comparator.GE: N_("below"), Comparator.GT: N_("not above"), Comparator.LE: N_("above"),
    Comparator.LT: N_("not below"), Comparator.EQ: N_("not equal to"),
}


def _n(value: float) -> str:
    return decimal(value, 4)


def _v(value: float) -> str:
    return number(value)


def condition(when: MetricCondition | EventCondition) -> str:
    """Describe a rule condition, e.g. ``training.coverage_rate < 0.8``."""
    if isinstance(when, MetricCondition):
        return f"{when.metric} {when.comparator} {_v(when.value)}"
    where = "".join(f", {k}={v!r}" for k, v in when.where)
    times = _("an event") if when.count == 1 else _("at least {count} events").format(count=when.count)
    return _("{times} {event}{where} in the period").format(times=times, event=when.event, where=where)


def evidence_sentences(model: Model, evidence: Iterable[Evidence]) -> list[str]:
    """One sentence per piece of evidence, quoting the facts."""
    out = []
    for item in evidence:
        if item.kind == "breach":
            standard = model.standards[item.id]
            fact = item.facts[0]
            actual = fact.value if fact.value is not None else float("nan")
            budget = standard.error_budget()
            burn = (_("{gap} over an error budget of {budget} burns {budgets} budgets").format(
                        gap=_n(standard.gap(actual)), budget=_n(budget),
                        budgets=_n(standard.gap(actual) / budget)) if budget
                    else _("a shortfall of {gap}").format(gap=_n(standard.gap(actual))))
            out.append(_(
                "{metric} was {actual} in {period}, {side} the {target} of {standard} ({source}): "
                "{burn}; {mass} of it lands on {duty} ({file}:{line})."
            ).format(metric=standard.metric, actual=_v(actual), period=fact.period,
                     side=_(_SIDE[standard.comparator]), target=_v(standard.target), standard=standard.id,
                     source=standard.source, burn=burn, mass=_n(item.mass), duty=item.duty,
                     file=fact.source, line=fact.line))
        else:
            rule = model.rules[item.id]
            facts = ", ".join(f"{f.source}:{f.line}" + (f" = {_v(f.value)}" if f.value is not None else "")
                              for f in item.facts)
            chosen = _(" (a threshold the company chose)") if rule.threshold_by_company else ""
            out.append(_(
                "Rule {rule} fired: {condition}{chosen}, seen in {count} fact(s) ({facts}); "
                "{reason} ({source}). Its weight {weight} over {duties} duty(ies) puts {mass} on {duty}."
            ).format(rule=rule.id, condition=condition(rule.when), chosen=chosen, count=len(item.facts),
                     facts=facts, reason=pick(rule.reason).rstrip(".。"), source=rule.source,
                     weight=_n(rule.weight), duties=len(rule.implicates), mass=_n(item.mass),
                     duty=item.duty))
    return out


def role(unit: str, duty: str, held: list[Role], part: float, mass: float, weight: float,
         total: float) -> str:
    """Why a unit takes part of an implicated duty's own mass."""
    roles = _(" and ").join(_(str(r)) for r in held)
    return _("{unit} is {roles} on {duty}: role weight {weight} of {total} takes {part} of the "
             "{mass} that stays on that duty.").format(unit=unit, roles=roles, duty=duty, weight=_v(weight),
                                                        total=_v(total), part=_n(part), mass=_n(mass))


def event_unit(unit: str, duty: str, part: float, mass: float) -> str:
    """Why the unit an event names takes the duty's own mass (a rule with blame_event_unit)."""
    return _("{unit} is the unit the event names on {duty}: it takes {part} of the {mass} that "
             "stays on that duty.").format(unit=unit, duty=duty, part=_n(part), mass=_n(mass))


def transfer(unit: str, duty: str, below: str, kind: str, part: float,
             params: TracingParameters) -> str:
    """Why a unit takes mass through a management or supplier duty."""
    if kind == "management":
        return _("{unit} holds {duty}, which supports {below}: it takes {part} of the {fraction} of "
                 "{below}'s mass that goes to the management duties above it (S0: quality problems "
                 "trace back to the structures management sets up).").format(
                     unit=unit, duty=duty, below=below, part=_n(part),
                     fraction=_v(params.management_fraction))
    return _("{unit} holds {duty}, which supplies {below} and has evidence of its own: it takes {part} "
             "of the {fraction} of {below}'s mass that moves upstream (S1: the next process is the "
             "customer of the one before).").format(unit=unit, duty=duty, below=below, part=_n(part),
                                                    fraction=_v(params.upstream_fraction))


def share(unit: str, value: float, mass: float, total: float) -> str:
    """Close with the share: mass over the total."""
    return _("{unit}'s share is {share}: a mass of {mass} out of {total} in all.").format(
        unit=unit, share=_n(value), mass=_n(mass), total=_n(total))


def candidate(unit: str, duties: list[str], conditions: tuple[str, ...]) -> str:
    """Why a supplier unit has no share, and what would give it one."""
    listed = ", ".join(duties)
    if not conditions:
        return _("{unit} supplies implicated duties through {duties} but no fact implicates it, and no "
                 "rule or standard reads one: add a rule to collect that evidence.").format(
                     unit=unit, duties=listed)
    return _("{unit} supplies implicated duties through {duties} but no fact implicates it; it would "
             "take a share if {conditions}.").format(unit=unit, duties=listed,
                                                     conditions=_("; or ").join(conditions))
