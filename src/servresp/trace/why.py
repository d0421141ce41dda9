"""The plain sentences of a trace: each quotes the values read and the numbers it applies.

Every number here can be recomputed from the trace's JSON output (masses, weights and
fractions are printed with the same 4 decimals as shares).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from servresp.model.classes import Comparator, EventCondition, MetricCondition, Role

if TYPE_CHECKING:
    from servresp.model.classes import Model, TracingParameters
    from servresp.trace.evidence import Evidence

__all__ = ["candidate", "condition", "evidence_sentences", "role", "share", "transfer"]

_SIDE = {
    Comparator.GE: "below", Comparator.GT: "not above", Comparator.LE: "above",
    Comparator.LT: "not below", Comparator.EQ: "not equal to",
}


def _n(value: float) -> str:
    return f"{value:.4f}"


def _v(value: float) -> str:
    return f"{value:g}"


def condition(when: MetricCondition | EventCondition) -> str:
    """Describe a rule condition, e.g. ``training.coverage_rate < 0.8``."""
    if isinstance(when, MetricCondition):
        return f"{when.metric} {when.comparator} {_v(when.value)}"
    where = "".join(f", {k}={v!r}" for k, v in when.where)
    times = "an event" if when.count == 1 else f"at least {when.count} events"
    return f"{times} {when.event}{where} in the period"


def evidence_sentences(model: Model, evidence: Iterable[Evidence]) -> list[str]:
    """One sentence per piece of evidence, quoting the facts."""
    out = []
    for item in evidence:
        if item.kind == "breach":
            standard = model.standards[item.id]
            fact = item.facts[0]
            actual = fact.value if fact.value is not None else float("nan")
            budget = standard.error_budget()
            burn = (f"{_n(standard.gap(actual))} over an error budget of {_n(budget)} burns "
                    f"{_n(standard.gap(actual) / budget)} budgets" if budget
                    else f"a shortfall of {_n(standard.gap(actual))}")
            out.append(
                f"{standard.metric} was {_v(actual)} in {fact.period}, "
                f"{_SIDE[standard.comparator]} the {_v(standard.target)} of {standard.id} "
                f"({standard.source}): {burn}; {_n(item.mass)} of it lands on {item.duty} "
                f"({fact.source}:{fact.line})."
            )
        else:
            rule = model.rules[item.id]
            facts = ", ".join(f"{f.source}:{f.line}" + (f" = {_v(f.value)}" if f.value is not None else "")
                              for f in item.facts)
            chosen = " (a threshold the company chose)" if rule.threshold_by_company else ""
            out.append(
                f"Rule {rule.id} fired: {condition(rule.when)}{chosen}, seen in {len(item.facts)} "
                f"fact(s) ({facts}); {rule.reason.en.rstrip('.')} ({rule.source}). Its weight "
                f"{_n(rule.weight)} over {len(rule.implicates)} duty(ies) puts {_n(item.mass)} "
                f"on {item.duty}."
            )
    return out


def role(unit: str, duty: str, held: list[Role], part: float, mass: float, weight: float,
         total: float) -> str:
    """Why a unit takes part of an implicated duty's own mass."""
    roles = " and ".join(str(r) for r in held)
    return (f"{unit} is {roles} on {duty}: role weight {_v(weight)} of {_v(total)} takes "
            f"{_n(part)} of the {_n(mass)} that stays on that duty.")


def event_unit(unit: str, duty: str, part: float, mass: float) -> str:
    """Why the unit an event names takes the duty's own mass (a rule with blame_event_unit)."""
    return (f"{unit} is the unit the event names on {duty}: it takes {_n(part)} of the "
            f"{_n(mass)} that stays on that duty.")


def transfer(unit: str, duty: str, below: str, kind: str, part: float,
             params: TracingParameters) -> str:
    """Why a unit takes mass through a management or supplier duty."""
    if kind == "management":
        return (f"{unit} holds {duty}, which supports {below}: it takes {_n(part)} of the "
                f"{_v(params.management_fraction)} of {below}'s mass that goes to the management "
                f"duties above it (S0: quality problems trace back to the structures management "
                f"sets up).")
    return (f"{unit} holds {duty}, which supplies {below} and has evidence of its own: it takes "
            f"{_n(part)} of the {_v(params.upstream_fraction)} of {below}'s mass that moves "
            f"upstream (S1: the next process is the customer of the one before).")


def share(unit: str, value: float, mass: float, total: float) -> str:
    """Close with the share: mass over the total."""
    return f"{unit}'s share is {value:.4f}: a mass of {_n(mass)} out of {_n(total)} in all."


def candidate(unit: str, duties: list[str], conditions: tuple[str, ...]) -> str:
    """Why a supplier unit has no share, and what would give it one."""
    listed = ", ".join(duties)
    if not conditions:
        return (f"{unit} supplies implicated duties through {listed} but no fact implicates it, "
                f"and no rule or standard reads one: add a rule to collect that evidence.")
    return (f"{unit} supplies implicated duties through {listed} but no fact implicates it; it "
            f"would take a share if {'; or '.join(conditions)}.")
